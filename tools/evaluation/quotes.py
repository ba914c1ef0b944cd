"""Quote attribution scored on PolNeAR (2016 US election news, 7 outlets).

Gold attributions have content spans (`quote_spans`, character offsets into the document text),
a speaker as written and a cue. Two views, as in the issue:
- quoted: gold attributions whose content has quotation marks, against newsweave's direct and
  partial quotes; span F1 by overlap, and speaker accuracy on the matched pairs;
- all: every gold attribution (indirect speech too) against every newsweave quote.
Only the primary annotator's attributions count, so a document is never scored twice.

A speaker is right, as the issue puts it, when it resolves to the gold speaker span or to the
same entity. In practice (`speaker_matches`):
- the same mention: our speaker's words overlap the gold speaker span (whatever the words: the
  gold "he" we resolved to a name is the same "he");
- the same name: the gold speaker and ours (as written, or the name it resolved to) share a
  distinctive word. Function words, pronouns, honorifics, titles, role nouns and the nouns for
  bodies and media ("the", "he", "Mr.", "senator", "nominee", "campaign", "statement") are not
  distinctive: "the Republican nominee" is not "the Democratic nominee", and one "he" is not
  another. Two full names that share a surname but not a given name ("Eric Hale", "Dana
  Hale") are different people;
- the same pronoun in the same paragraph: a gold "he" and our "he" a clause or a sentence
  apart ("He did not address the tweets in which he called her “…”") are one person, as a
  reader takes them; "he" and "she", or two paragraphs apart, are not;
- a relative pronoun: where the gold speaker is "who" or "which", it stands for the phrase it
  follows ("said Beck, who said …"), so our speaker is right if it is that phrase, ending just
  before the ", who".
Gold speakers that are no speaker at all (a cue such as "said", or empty) match nothing; the
bench counts them (`gold_noise`) so the noise is visible rather than scored away.
A quotation inside another quotation we found ("He told me, 'we will not resign,'" she said)
is left out: PolNeAR annotates the outer attribution only (one nested pair in 924 articles), so
an inner quote has no gold attribution of its own to be compared with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsweave.nlp import quotes as quote_component
from newsweave.nlp.entities import PERSON_NOUNS, TITLE_WORDS
from newsweave.nlp.runtime import analyse

if TYPE_CHECKING:
    from spacy.tokens import Doc

_WORD = re.compile(r"\w+")
_NAME_WORD = re.compile(r"[A-Z][\w’'-]*\.?")
# Words that say nothing of who the speaker is: they never make two speakers the same.
_NOT_DISTINCTIVE = (
    frozenset(
        [
            "a",
            "an",
            "the",
            "this",
            "that",
            "these",
            "those",
            "of",
            "and",
            "or",
            "in",
            "on",
            "at",
            "for",
            "to",
            "by",
            "from",
            "with",
            "as",
            "s",
            "his",
            "her",
            "its",
            "their",
            "our",
            "my",
            "your",
            "he",
            "she",
            "it",
            "they",
            "we",
            "i",
            "you",
            "him",
            "them",
            "us",
            "me",
            "who",
            "whom",
            "whose",
            "which",
            "what",
            "one",
            "mr",
            "mrs",
            "ms",
            "miss",
            "dr",
            "sir",
            "said",
            "says",
            "say",
            "told",
            "tells",
            "tell",
            "wrote",
            "writes",
            "according",
            "new",
            "former",
            "campaign",
            "campaigns",
            "statement",
            "statements",
            "spokesman",
            "spokeswoman",
            "spokesperson",
            "aide",
            "aides",
            "official",
            "officials",
            "source",
            "sources",
            "report",
            "reports",
            "nominee",
            "candidate",
            "people",
            "group",
            "member",
            "members",
            "team",
            "staff",
            "office",
            "party",
            "committee",
            "press",
            "release",
            "email",
            "letter",
            "post",
            "tweet",
            "video",
            "interview",
            "speech",
            "ad",
            "website",
            "site",
            "paper",
            "newspaper",
            "network",
            "news",
            "daily",
            "times",
        ]
    )
    | {w.rstrip(".") for w in TITLE_WORDS}
    | PERSON_NOUNS
)
_RELATIVE = frozenset({"who", "which", "that"})
_PERSONAL = frozenset({"he", "she", "i", "we", "they"})
_CUE_WORDS = frozenset({"said", "says", "say", "told", "tells", "added", "wrote", "according", "to"})


@dataclass(frozen=True, slots=True)
class Gold:
    doc_id: str
    spans: tuple[tuple[int, int], ...]
    speaker: str
    quoted: bool
    speaker_spans: tuple[tuple[int, int], ...] = ()
    cue: str = ""
    paragraph: tuple[int, int] = (0, 0)  # character range of the paragraph the speaker is in

    @property
    def noisy(self) -> bool:
        """A gold speaker that names nobody: empty, or the cue itself ("said")."""
        words = _words(self.speaker)
        return not words or words <= _words(self.cue) | _CUE_WORDS


@dataclass(frozen=True, slots=True)
class Predicted:
    doc_id: str
    start: int
    end: int
    kind: str
    speaker: str
    canonical: str
    speaker_span: tuple[int, int] | None = None
    nested: bool = False


def load(
    folder: Path, split: str | None = None, limit: int | None = None
) -> tuple[list[dict[str, Any]], list[Gold]]:
    docs = []
    with open(folder / "docs.jsonl", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            if split is None or doc["split"] == split:
                docs.append(doc)
    docs = docs[:limit] if limit else docs
    primary = {d["id"]: d.get("primary_annotator") for d in docs}
    texts = {d["id"]: d["text"] for d in docs}
    gold = []
    with open(folder / "quotes.jsonl", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            if a["doc_id"] in primary and a["annotator"] == primary[a["doc_id"]] and a["quote_spans"]:
                spans = tuple((s, e) for s, e in a["quote_spans"])
                speakers = tuple((s, e) for s, e in a.get("speaker_spans") or ())
                gold.append(
                    Gold(
                        a["doc_id"],
                        spans,
                        a["speaker"] or "",
                        bool(a["is_direct"]),
                        speakers,
                        a.get("cue") or "",
                        _paragraph(texts[a["doc_id"]], speakers[0][0]) if speakers else (0, 0),
                    )
                )
    return docs, gold


def predict(docs: Iterable[dict[str, Any]]) -> list[Predicted]:
    docs = list(docs)
    out: list[Predicted] = []
    for doc, parsed in zip(docs, analyse((d["text"], None) for d in docs), strict=True):
        out += predictions(doc["id"], parsed)
    return out


def predictions(doc_id: str, parsed: Doc) -> list[Predicted]:
    """The quotes newsweave found in one processed doc."""
    group = parsed.spans.get(quote_component.SPANS_KEY, [])
    found = list(zip(group, group.attrs.get("info", []), strict=True))
    quoted = [(s.start_char, s.end_char) for s, _ in found if s.label_ != "indirect"]
    out = []
    for span, info in found:
        start, end = span.start_char, span.end_char
        extent = info.get("speaker_span")
        out.append(
            Predicted(
                doc_id,
                start,
                end,
                span.label_,
                info["speaker"] or "",
                span.kb_id_,
                (extent[0], extent[1]) if extent else None,
                any(s <= start and end <= e and (s, e) != (start, end) for s, e in quoted),
            )
        )
    return out


def _paragraph(text: str, at: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, len(text) if end < 0 else end


def _overlaps(p: Predicted, g: Gold) -> bool:
    return p.doc_id == g.doc_id and any(p.start < e and s < p.end for s, e in g.spans)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _given_name(text: str, surname: str) -> str | None:
    """The first word of the capitalised name that ends in `surname` ("Maria" in "Democratic
    candidate Maria Lindqvist"), titles left out; None for a bare surname."""
    words = _NAME_WORD.findall(text)
    lowered = [w.lower().rstrip(".") for w in words]
    if surname not in lowered:
        return None
    end = lowered.index(surname)
    start = end
    while start > 0 and lowered[start - 1] not in _NOT_DISTINCTIVE:
        start -= 1
    return lowered[start] if start < end else None


def _same_name(gold: str, ours: str) -> bool:
    shared = (_words(gold) & _words(ours)) - _NOT_DISTINCTIVE
    for word in shared:
        a, b = _given_name(gold, word), _given_name(ours, word)
        if a is None or b is None or a == b or a in _words(ours) or b in _words(gold):
            return True
    return False


def speaker_matches(p: Predicted, g: Gold) -> bool:
    """Same speaker: the same mention, the same name, or the phrase a gold relative pronoun
    stands for (see the module docstring)."""
    if p.speaker_span is not None:
        start, end = p.speaker_span
        if any(start < e and s < end for s, e in g.speaker_spans):
            return True
        if g.speaker.strip().lower() in _RELATIVE and any(0 < s - end <= 2 for s, _ in g.speaker_spans):
            return True  # "Beck, who": ours ends where the relative pronoun begins
        pronoun = g.speaker.strip().lower()
        if pronoun in _PERSONAL and p.speaker.lower() == pronoun and g.paragraph[0] <= start < g.paragraph[1]:
            return True  # "He did not address the tweets in which he called …": the same "he"
    return _same_name(g.speaker, p.speaker) or _same_name(g.speaker, p.canonical)


def _view(predicted: list[Predicted], gold: list[Gold]) -> dict[str, float | int]:
    """Overlap P/R/F1: a prediction is right when it overlaps a gold attribution (one
    attribution may span several quotations, each found on its own), a gold attribution is found
    when a prediction overlaps it; speaker accuracy over the right predictions."""
    by_doc: dict[str, list[Gold]] = {}
    for g in gold:
        by_doc.setdefault(g.doc_id, []).append(g)
    right = 0
    speakers = 0
    noise = 0
    found: set[int] = set()
    for p in predicted:
        hits = [g for g in by_doc.get(p.doc_id, []) if _overlaps(p, g)]
        if hits:
            right += 1
            matched = any(speaker_matches(p, g) for g in hits)
            speakers += matched
            noise += not matched and all(g.noisy for g in hits)
            found.update(id(g) for g in hits)
    precision = right / len(predicted) if predicted else 0.0
    recall = len(found) / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "speaker_accuracy": round(speakers / right, 4) if right else 0.0,
        "wrong_speaker_gold_noise": noise,
        "system": len(predicted),
        "gold": len(gold),
    }


def score(predicted: list[Predicted], gold: list[Gold]) -> dict[str, Any]:
    quoted = [p for p in predicted if p.kind in {"direct", "partial"} and not p.nested]
    return {"quoted": _view(quoted, [g for g in gold if g.quoted]), "all": _view(predicted, gold)}
