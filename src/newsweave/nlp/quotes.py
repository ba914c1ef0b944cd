"""Quotes: who said what, through which channel.

- Direct quotes: text in double quotation marks (curly or straight), or in curly single marks
  in British style, that a speech verb in the same sentence attributes ("…,” she said", "Moreau
  said: “…”", "“…,” said the minister", "“…?” a narrator in the ad asks.", "she shot back"), or
  a name before a colon ("More from Jones: “…”"). A quote with no cue of its own takes the
  speaker of the sentence of reported speech just before it in its paragraph ("…, Schiff said.
  “…”"), else runs on with the speaker of the last attributed quote (direct or partial) in the
  same or the previous paragraph (a line break ends a paragraph).
- Quotes inside quotes ("He told me, 'we will not resign,'" she said): attributed only by a
  speech verb inside the outer quote; a pronoun or description there is never the outer
  speaker, who would have said "I".
- Partial quotes: a few quoted words inside attributed speech ("calling it “a betrayal” of").
- Indirect speech: "NAME said (that) CLAUSE" with no quotation marks.
- Not quotes: names and titles in quotation marks ("the Beast", "Swan Lake") and scare quotes
  (a quoted word in a sentence nobody is said to speak).

Speakers are the entities, pronouns or descriptions found by the earlier components, so a
quote's speaker is an entity's canonical name whenever the text allows.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsweave.nlp.entities import PERSON_NOUNS
from newsweave.nlp.entities import SPANS_KEY as ENTITIES_KEY
from newsweave.nlp.references import SPANS_KEY as REFERENCES_KEY
from newsweave.nlp.references import SPEECH_VERBS, quoted_chars

SPANS_KEY = "nw_quotes"
# Reported speech and stance: what someone is said to say, believe or have found.
_REPORTING_VERBS = SPEECH_VERBS | frozenset(
    [
        "believe",
        "think",
        "expect",
        "fear",
        "hope",
        "contend",
        "maintain",
        "indicate",
        "reveal",
        "find",
        "learn",
        "show",
        "signal",
        "acknowledge",
        "concede",
        "predict",
        "allege",
        "charge",
    ]
)
_QUOTE = re.compile(r"“([^“”]+)”|\"([^\"\n]+)\"")
_OPEN_ONLY = re.compile(r"“([^“”\n]+)$", re.MULTILINE)  # a paragraph that opens a quote and runs on
# Single quotation marks: the outer marks in British style (‘…’), or a quotation inside a
# quotation ("He told me, 'we will not resign,'"). An apostrophe inside a word is not a mark.
_SINGLE_CURLY = re.compile(r"(?<!\w)‘(?=\S)((?:[^‘’\n]|’(?=\w))+)’(?!\w)")
_DOUBLE_MARKS = frozenset('“”"')
_SINGLE_STRAIGHT = re.compile(r"(?<![\w'])'(?=\S)((?:[^'\n]|'(?=\w))+)'(?!\w)")
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# Verbs that introduce a quotation: speech, and reports of findings ("Politico reveals: “…”").
_CUE_VERBS = SPEECH_VERBS | frozenset(
    [
        "reveal",
        "point",
        "charge",
        "confess",
        "imagine",
        "explain",
        "note",
        "beam",
        "bark",
        "snap",
        "gush",
        "muse",
        "exclaim",
        "scoff",
        "sneer",
        "laugh",
        "sigh",
        "chime",
        "thunder",
        "fume",
        "contend",
        "allege",
        "maintain",
        "believe",
    ]
)
_MARKUP = re.compile(r"[<>=]|https?://|\w\.\w+/")  # attribute values and links, not speech
_CHANNEL_NOUNS = frozenset(
    [
        "statement",
        "interview",
        "post",
        "tweet",
        "letter",
        "release",
        "broadcast",
        "speech",
        "report",
        "briefing",
        "conference",
        "email",
        "message",
        "video",
        "address",
        "remarks",
        "testimony",
        "op-ed",
        "column",
        "memo",
        "filing",
    ]
)
_CHANNEL_PREPOSITIONS = frozenset({"in", "via", "through", "on", "during", "to"})
_MAX_NAME_WORDS = 6
_FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "and", "in", "on", "at", "for", "to", "de"})


def _is_name_or_title(text: str) -> bool:
    """ "the Beast", "Swan Lake": every content word capitalised."""
    words = re.findall(r"[\w’'-]+", text)
    content = [w for w in words if w.lower() not in _FUNCTION_WORDS]
    return 0 < len(words) <= _MAX_NAME_WORDS and bool(content) and all(w[0].isupper() for w in content)


# Phrasal verbs that introduce speech: "Hale went on, …", "she shot back: “…”".
_CUE_PARTICLES = {"go": "on", "shoot": "back", "fire": "back", "hit": "back", "push": "back", "chime": "in"}


def _is_cue(token: Token) -> bool:
    lemma = token.lemma_.lower()
    if lemma in _CUE_VERBS:
        return True
    particle = _CUE_PARTICLES.get(lemma)
    return particle is not None and any(c.dep_ == "prt" and c.lower_ == particle for c in token.children)


def _cue_verbs(sentence: Span, quoted: set[int]) -> list[Token]:
    """Speech verbs of a sentence, outside any quotation."""
    return [t for t in sentence if t.pos_ in {"VERB", "AUX"} and t.i not in quoted and _is_cue(t)]


# Where a misparse leaves the speaker: "“…,” Hale barked" with "Hale" as a compound of the verb.
_LOOSE_SUBJECT_DEPS = frozenset({"compound", "npadvmod", "dep", "nmod"})


def _speaker_of(verb: Token, quoted: frozenset[int] | set[int] = frozenset()) -> Token | None:
    """The subject of a speech verb, outside quotations (a quoted clause the parser made a
    subject is what was said); for a verb with none, the subject of the verb it depends on."""
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS and c.i not in quoted]
    if not subjects:
        subjects = [
            c
            for c in verb.lefts
            if c.dep_ in _LOOSE_SUBJECT_DEPS and c.pos_ in {"PROPN", "PRON"} and c.i not in quoted
        ]
    subject = min(subjects, key=lambda c: abs(verb.i - c.i)) if subjects else _named_after(verb, quoted)
    if subject is None and verb.dep_ in {"advcl", "xcomp", "conj", "acomp"}:
        return _speaker_of(verb.head, quoted)  # "…, the spokesperson said, calling it “…”"
    if subject is not None and subject.tag_ in {"WP", "WDT"} and verb.dep_ == "relcl":
        return verb.head  # "the governor, who said “…”": the one the relative clause is about
    if (
        subject is not None
        and (subject.like_num or subject.ent_type_ in {"TIME", "DATE", "CARDINAL"})
        and not _is_an_age(subject)
        and not _one_of(subject)
    ):
        return None  # a time heading the parser hung on the verb is nobody
    return subject


def _named_after(verb: Token, quoted: frozenset[int] | set[int]) -> Token | None:
    """A verb with no subject, right after a quotation, names its speaker between the two
    ("“…,” Tulsa police Chief Chuck Jordan said") or right after the verb ("“…,” said Skelly"),
    where the parser did not make the name the subject."""
    doc = verb.doc
    start = verb.i - 1
    while start > 0 and verb.i - start <= _MAX_NAME_WORDS + 2 and doc[start].text not in _CLOSING:
        start -= 1
    if doc[start].text not in _CLOSING or start in quoted:
        return None
    between = [t for t in doc[start + 1 : verb.i] if t.ent_type_ == "PERSON"]
    if between:
        return between[-1]
    if start != verb.i - 1 or verb.i + 1 >= len(doc):
        return None
    name = doc[verb.i + 1]
    if name.ent_type_ == "PERSON" or (name.pos_ == "PROPN" and name.text[:1].isupper()):
        while name.i + 1 < len(doc) and doc[name.i + 1].ent_iob_ == "I":
            name = doc[name.i + 1]  # the last word of the name, as a subject's head would be
        return name
    return None


_CLOSING = frozenset({"”", '"'})


def _one_of(token: Token) -> bool:
    """ "one of her lawyers, NAME, says": a member of a group, not a number."""
    return token.lower_ == "one" and any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children)


def _is_an_age(token: Token) -> bool:
    """ "the 46-year-old": a person described by their age."""
    return token.lower_ == "old" and any(c.dep_ == "det" for c in token.children)


def resolve_speaker(doc: Doc, subject: Token) -> tuple[str, str | None]:
    """(the speaker's words, the canonical name they resolve to, if any)."""
    words, canonical = _resolve(doc, subject)
    return words.text, canonical


def _resolve(doc: Doc, subject: Token) -> tuple[Span, str | None]:
    """The speaker's words as a span, and the canonical name they resolve to, if any."""
    named = next((c for c in subject.children if c.dep_ == "appos"), None)
    if named is None and (subject.pos_ == "NOUN" or _one_of(subject)):
        named = _name_set_off_after(doc, subject)
    if named is not None and named.ent_type_ == "PERSON":
        subject = named  # "his sister, NAME, said": the name is the speaker
    for key in (ENTITIES_KEY, REFERENCES_KEY):
        for span in doc.spans.get(key, []):
            if span.start <= subject.i < span.end:
                canonical = span.kb_id_ or None
                if key == ENTITIES_KEY and span.label_ not in {"PERSON", "ORG", "NORP", "GPE"}:
                    canonical = None
                return span, canonical
    start = subject.left_edge.i
    while start < subject.i and "\n" in doc[start : subject.i + 1].text:
        start += 1  # a heading or dateline the parser hung on the subject is not part of it
    return doc[start : subject.i + 1], None


def _name_set_off_after(doc: Doc, subject: Token) -> Token | None:
    """ "A spokesman for Mr. Ortiz, Mike Hale, said": a person's name between commas closing the
    subject's phrase, which the parser hung on a word inside it rather than on the subject."""
    end = subject.right_edge.i
    if end + 1 >= len(doc) or (doc[end].text != "," and doc[end + 1].text != ","):
        return None
    names = [t for t in doc[subject.i + 1 : end + 1] if t.ent_type_ == "PERSON" and t.dep_ == "appos"]
    # Hung on a name inside the phrase ("for Mr. Ortiz, Mike Hale"), not on a role noun there
    # ("a lawyer for the victim's father, John Hale", where the name is the father's).
    if _one_of(subject):  # "one of her lawyers, NAME": the name is the one
        return names[-1] if names else None
    return names[-1] if names and names[-1].head.pos_ == "PROPN" else None


def _channel(verb: Token) -> str | None:
    """ "said in an official statement", "told reporters via a video link"."""
    parts = []
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in _CHANNEL_PREPOSITIONS:
            for obj in child.children:
                if obj.dep_ == "pobj" and (obj.lemma_.lower() in _CHANNEL_NOUNS or obj.ent_type_ == "ORG"):
                    parts.append(verb.doc[obj.left_edge.i : obj.right_edge.i + 1].text)
    return "; ".join(parts) or None


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    kind: str
    speaker: str | None
    canonical: str | None
    cue: str | None
    via: str | None
    paragraph: int
    speaker_span: tuple[int, int] | None = None  # character offsets of the speaker's words

    @classmethod
    def said(cls, start: int, end: int, kind: str, by: _Speaker, paragraph: int) -> _Found:
        words = by.words
        return cls(
            start,
            end,
            kind,
            words.text,
            by.canonical,
            by.cue.text,
            _channel(by.cue),
            paragraph,
            (words.start_char, words.end_char),
        )

    def runs_on(self, start: int, end: int, paragraph: int) -> _Found:
        """The next quotation of the same speaker."""
        return _Found(
            start,
            end,
            "direct",
            self.speaker,
            self.canonical,
            self.cue,
            self.via,
            paragraph,
            self.speaker_span,
        )


class _View:
    """One doc's text, paragraphs and sentences, computed once: `doc.text` and `token.sent`
    rebuild their answer on every call, which made this component quadratic."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self._paragraph_ends = [m.end() for m in re.finditer("\n+", self.text)]
        self._sentences = list(doc.sents)
        self._sentence_starts = [s.start for s in self._sentences]

    def paragraph(self, char: int) -> int:
        return bisect_right(self._paragraph_ends, char)

    def sentence(self, token: int) -> Span:
        return self._sentences[bisect_right(self._sentence_starts, token) - 1]


def _within_a_sentence(view: _View, start: int) -> bool:
    """Quoted words the outer sentence runs through ("hold the “line”", "calling it
    “a betrayal” of"): a word, not a sentence start, a colon or a comma, stands before the
    opening mark."""
    before = view.text[max(0, start - 3) : start - 1].rstrip()
    return bool(before) and (before[-1].isalnum() or before[-1] in "’'")


_DASHES = "―—–-"


class _Speaker(NamedTuple):
    cue: Token  # the speech verb, or the token that stands for it (a name before a colon)
    words: Span  # the speaker as written
    canonical: str | None


def _transcript_speaker(span: Span) -> _Speaker | None:
    """ "“RAMOS: Secretary, did you…”": a transcript line names its speaker in capitals."""
    head = span[: min(4, len(span))]
    colon = next((t.i for t in head if t.text == ":"), None)
    if colon is None or colon == span.start:
        return None
    name = span.doc[span.start : colon]
    if name.text.replace(" ", "").replace(".", "").isalpha() and name.text.isupper() and len(name.text) > 1:
        return _Speaker(name[0], name, None)
    return None


def _signed(view: _View, end: int) -> _Speaker | None:
    """ "“…” ― Name": a quote signed with a dash and a name, as in testimonials and epigraphs."""
    doc, text = view.doc, view.text
    after = text[end : end + 6].lstrip(' ”"\u00a0')
    if not after or after[0] not in _DASHES:
        return None
    start = end + text[end : end + 6].index(after[0]) + 1
    for span in doc.spans.get(ENTITIES_KEY, []):
        if start <= span.start_char <= start + 3 and span.label_ in {"PERSON", "ORG"}:
            return _Speaker(span[0], span, span.kb_id_ or None)
    return None


def _according_to(sentence: Span, quoted: set[int]) -> Token | None:
    """ "According to X, …" / "According to X: “…”": X, outside the quotation."""
    for token in sentence:
        if token.lower_ == "according" and token.i not in quoted and token.i + 1 < len(token.doc):
            to = token.doc[token.i + 1]
            obj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if to.lower_ == "to" and obj is not None:
                return obj
    return None


def _person_in_focus(view: _View, span: Span) -> Span | None:
    """The person the previous sentence is about (its subject), for a quotation that opens a
    paragraph with no cue of its own."""
    doc = view.doc
    if not view.text[max(0, span.start_char - 4) : span.start_char].rstrip(' “"').endswith("\n"):
        return None
    if span.start < 2:
        return None
    previous = view.sentence(span.start - 2)
    subjects = [
        p
        for p in doc.spans.get(ENTITIES_KEY, [])
        if p.label_ == "PERSON" and previous.start <= p.start < previous.end and p.root.dep_ in _SUBJECT_DEPS
    ]
    return subjects[0] if subjects else None


_SPEAKING_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "you"})
# Nouns for bodies and media that speak through statements, ads, reports.
_SOURCE_NOUNS = frozenset(
    [
        "campaign",
        "newspaper",
        "paper",
        "magazine",
        "network",
        "channel",
        "agency",
        "group",
        "organization",
        "organisation",
        "company",
        "firm",
        "committee",
        "council",
        "ministry",
        "department",
        "office",
        "board",
        "union",
        "party",
        "government",
        "administration",
        "police",
        "court",
        "report",
        "study",
        "survey",
        "poll",
        "statement",
        "ad",
        "advertisement",
        "spot",
        "letter",
        "post",
        "tweet",
        "memo",
        "website",
        "site",
        "outlet",
        "publication",
    ]
)


def _can_speak(subject: Token) -> bool:
    """A person, a body or a medium: not "the sign" or "a database" (a misread cue)."""
    return (
        subject.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}
        or subject.lower_ in _SPEAKING_PRONOUNS
        or subject.lemma_.lower() in PERSON_NOUNS
        or subject.lemma_.lower() in _SOURCE_NOUNS
        or subject.pos_ == "PROPN"
        or _is_an_age(subject)
        or _one_of(subject)
    )


def _resolve_pronoun(doc: Doc, subject: Token) -> str | None:
    """A "he"/"she" speaker no earlier step resolved: the nearest person named before it."""
    quoted = quoted_chars(doc.text)  # a person named inside a quotation is not the narrator's "he"
    people = [
        s
        for s in doc.spans.get(ENTITIES_KEY, [])
        if s.label_ == "PERSON" and s.end <= subject.i and not any(a <= s.start_char < b for a, b in quoted)
    ]
    return people[-1].kb_id_ if people and subject.i - people[-1].end < 120 else None


def _named_before_colon(view: _View, colon: int) -> _Speaker | None:
    """ "More from Jones: “…”", "Pollsters agree - Carl Bialik: “…”": a name, then a colon."""
    for span in view.doc.spans.get(ENTITIES_KEY, []):
        if (
            span.label_ in {"PERSON", "ORG"}
            and span.end_char <= colon
            and not view.text[span.end_char : colon].strip()
        ):
            return _Speaker(span[-1], span, span.kb_id_ or None)
    return None


def _named_cue_before_colon(view: _View, colon: int) -> _Speaker | None:
    """ "NAME added: “…”": a person's name, a speech verb, a colon, read off the words (a
    misparse may hang the name anywhere, or run the sentence on into the next one)."""
    doc = view.doc
    at = doc.char_span(colon, colon + 1, alignment_mode="expand")
    if at is None or at.start < 2:
        return None
    verb = doc[at.start - 1]
    # Before a colon the tagger may take the verb for an auxiliary and keep its form as lemma.
    stems = {verb.lemma_.lower(), verb.lower_.removesuffix("ed"), verb.lower_.removesuffix("d")}
    if verb.pos_ not in {"VERB", "AUX"} or not (_is_cue(verb) or stems & _CUE_VERBS):
        return None
    for entity in view.doc.spans.get(ENTITIES_KEY, []):
        if entity.label_ == "PERSON" and entity.end == verb.i:
            return _Speaker(verb, entity, entity.kb_id_ or None)
    # A name the tagger missed (or took for a noun): capitalised words right before the verb.
    start = verb.i
    while start > 0 and verb.i - start < _MAX_NAME_WORDS and _name_like(doc[start - 1]):
        start -= 1
    if start == verb.i:
        return None
    return _Speaker(verb, doc[start : verb.i], None)


def _name_like(token: Token) -> bool:
    capitalised = token.is_alpha and token.text[:1].isupper() and not token.is_stop
    return capitalised and token.pos_ in {"PROPN", "NOUN"}


def _said_before(view: _View, span: Span, quoted: set[int]) -> _Speaker | None:
    """ "…, Schiff said. “…”": a quotation with no cue of its own, after a sentence of reported
    speech in the same paragraph; the quotation goes on with what that speaker said."""
    if span.start < 2:
        return None
    previous = view.sentence(view.sentence(span.start).start - 1)
    # The cue of that sentence: its root, or where the sentence is a quotation with its cue after
    # it ("“…,” Mr. Ortiz added."), the speech verb outside the quotation.
    cues = [previous.root] if previous.root.i not in quoted and _is_cue(previous.root) else []
    if not cues and previous.root.i in quoted:
        cues = _cue_verbs(previous, quoted)  # "“…,” NAME added.": the sentence is a quotation
    verb = (cues or [previous.root])[0]
    if view.paragraph(verb.idx) != view.paragraph(span.start_char) or verb.i in quoted or not _is_cue(verb):
        return None
    subject = _speaker_of(verb, quoted)
    if subject is None or subject.i in quoted or not _can_speak(subject):
        return None
    words, canonical = _resolve(view.doc, subject)
    if canonical is None and subject.lower_ in {"he", "she"}:
        canonical = _resolve_pronoun(view.doc, subject)
    return _Speaker(verb, words, canonical)


def _attribute(view: _View, span: Span, quoted: set[int]) -> _Speaker | None:
    """The speech verb attributing a quote span, its speaker's words and canonical name."""
    doc = view.doc
    first, last = view.sentence(span.start), view.sentence(span.end - 1)
    sentences = {first.start: first, last.start: last}
    paragraph = view.paragraph(span.start_char)
    paragraphs = {paragraph, view.paragraph(span.end_char)}  # a quotation may run over paragraphs
    before = view.text[max(0, span.start_char - 200) : span.start_char].rstrip(' “"‘\n')
    offset = max(0, span.start_char - 200)
    if before.endswith(":") and span.start > 1:
        # "Moreau said: “…”" — the cue ends the sentence before, maybe in the paragraph before.
        colon = offset + len(before) - 1
        if (named := _named_cue_before_colon(view, colon)) is not None:
            return named  # "NAME added: “…”", however the parser hung the name
        previous = doc.char_span(colon, colon + 1, alignment_mode="expand")
        if previous is not None:
            sentence = view.sentence(previous.start)
            sentences[sentence.start] = sentence
            paragraphs.add(view.paragraph(colon))
    if last.end < len(doc) and view.paragraph(doc[last.end].idx) == paragraph:
        following = view.sentence(last.end)
        if any(t.lemma_.lower() in SPEECH_VERBS for t in following[:4]) or (
            following.root.i - following.start < _MAX_NAME_WORDS + 4 and _is_cue(following.root)
        ):
            # "“…?” Clinton said." and "“…?” a narrator in the ad asks." split after the mark
            sentences[following.start] = following
    verbs = [
        v for s in sentences.values() for v in _cue_verbs(s, quoted) if view.paragraph(v.idx) in paragraphs
    ]
    # A verb the quote's clause hangs from wins ("told reporters that X was “relieved”"), the
    # nearest first; then the nearest other verb, after the quote first ("…,” she said").
    ancestors = {t.i: n for n, t in enumerate(span.root.ancestors)}
    verbs.sort(
        key=lambda v: (
            (0, ancestors[v.i])
            if v.i in ancestors
            else (1, v.i - span.end if v.i >= span.end else span.start - v.i + 0.5)
        )
    )
    owned = _owned_words(doc, span, quoted)
    fallback: _Speaker | None = None
    for verb in verbs:
        if owned is not None and not (verb.i in ancestors and ancestors[verb.i] < ancestors[owned.cue.i]):
            return owned  # "rejected Ana Ruiz's claim that X was “…”": hers, not the dismisser's
        subject = _speaker_of(verb, quoted)
        if subject is not None and subject.i not in quoted:
            words, canonical = _resolve(doc, subject)
            if canonical is None and subject.lower_ in {"he", "she"}:
                canonical = _resolve_pronoun(doc, subject)
            if _can_speak(subject):
                return _Speaker(verb, words, canonical)
            fallback = fallback or _Speaker(verb, words, canonical)
    if owned is not None:
        return owned
    if before.endswith(":") and (named := _named_before_colon(view, offset + len(before) - 1)) is not None:
        return named
    for sentence in sentences.values():
        source = _according_to(sentence, quoted)
        # The parser may run a sentence over a paragraph break: an "according to" there is
        # the next paragraph's source, not this quote's.
        if source is not None and view.paragraph(source.idx) in paragraphs:
            words, canonical = _resolve(doc, source)
            return _Speaker(source, words, canonical)
    return fallback


# What someone said or wrote, as a noun: "Ana Ruiz's claim that …", "the mayor's remark".
_SPEECH_NOUNS = frozenset(
    [
        "comment",
        "remark",
        "claim",
        "statement",
        "assertion",
        "warning",
        "accusation",
        "suggestion",
        "promise",
        "pledge",
        "prediction",
        "argument",
        "description",
        "characterization",
        "boast",
        "vow",
        "tweet",
        "words",
    ]
)


def _owned_words(doc: Doc, span: Span, quoted: set[int]) -> _Speaker | None:
    """The owner of a speech noun whose content clause holds the quotation ("Marta Ibsen's
    warning last week that the port faced a “slow decline”"): a named person or body in the
    possessive. A quotation that describes the words instead ("Ruiz's “divisive” comments",
    "played down Ruiz's comments as “…”") is someone else's."""
    path = [span.root, *span.root.ancestors]
    for below, noun in pairwise(path):
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in _SPEECH_NOUNS:
            continue
        if below.dep_ not in {"acl", "ccomp"}:
            return None
        owner = next((c for c in noun.children if c.dep_ == "poss" and c.i not in quoted), None)
        if owner is not None and owner.ent_type_ in {"PERSON", "ORG"}:
            words, canonical = _resolve(doc, owner)
            return _Speaker(noun, words, canonical)
        return None  # the nearest speech noun decides: its named owner's words, or no one's
    return None


class QuoteFinder:
    """spaCy component: quote spans in `doc.spans["nw_quotes"]` (the quoted words, without the
    marks); label = kind (direct, partial, indirect), `kb_id_` = the speaker's canonical name or
    "", and `doc.spans["nw_quotes"].attrs["info"]` a parallel list of
    {"speaker": the speaker's words, "cue": the verb, "via": the channel,
    "speaker_span": [start, end] character offsets of the speaker's words, or None}."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str = SPANS_KEY) -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        view = _View(doc)
        quoted = self._quoted(view)
        found = quoted + self._indirect(view, quoted)
        found.sort(key=lambda f: f.start)
        spans = [Span(doc, *self._tokens(doc, f), label=f.kind, kb_id=f.canonical or "") for f in found]
        doc.spans[self.spans_key] = spans
        doc.spans[self.spans_key].attrs["info"] = [
            {
                "speaker": f.speaker,
                "cue": f.cue,
                "via": f.via,
                "speaker_span": list(f.speaker_span) if f.speaker_span else None,
            }
            for f in found
        ]
        return doc

    @staticmethod
    def _tokens(doc: Doc, f: _Found) -> tuple[int, int]:
        span = doc.char_span(f.start, f.end, alignment_mode="expand")
        assert span is not None
        return span.start, span.end

    def _quoted(self, view: _View) -> list[_Found]:
        doc, text = view.doc, view.text
        found: list[_Found] = []
        matches = [(m.start(m.lastindex or 1), m.end(m.lastindex or 1)) for m in _QUOTE.finditer(text)]
        matches += [(m.start(1), m.end(1)) for m in _OPEN_ONLY.finditer(text)]
        doubles = list(matches)
        for m in _SINGLE_CURLY.finditer(text):
            # British style: single marks outside, in a paragraph with no double marks around
            # them (where there are, the single-quoted words are inside a double-quoted quotation)
            start, end = text.rfind("\n", 0, m.start()) + 1, text.find("\n", m.end())
            around = text[start : m.start()] + (text[m.end() : end] if end >= 0 else text[m.end() :])
            if not any(s <= m.start() < e for s, e in doubles) and not _DOUBLE_MARKS & set(around):
                matches.append((m.start(1), m.end(1)))
        for s, e in doubles:
            matches += [(s + m.start(1), s + m.end(1)) for m in _SINGLE_STRAIGHT.finditer(text[s:e])]
            matches += [(s + m.start(1), s + m.end(1)) for m in _SINGLE_CURLY.finditer(text[s:e])]
        matches = [(s, e - len(text[s:e]) + len(text[s:e].rstrip(" ,"))) for s, e in matches]
        inner = {
            (s, e) for s, e in matches if any(a <= s and e <= b and (a, b) != (s, e) for a, b in matches)
        }
        every = matches
        matches = [m for m in matches if m not in inner]
        quoted: set[int] = set()
        for start, end in matches:
            if (whole := doc.char_span(start, end, alignment_mode="expand")) is not None:
                quoted.update(range(whole.start, whole.end))
        last_attributed: _Found | None = None
        for start, end in sorted(set(matches)):
            content = text[start:end].strip()
            if not content or _MARKUP.search(content):
                continue
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            attributed = _transcript_speaker(span) or _signed(view, end) or _attribute(view, span, quoted)
            paragraph = view.paragraph(start)
            if _within_a_sentence(view, start):
                if attributed is None or _is_name_or_title(content):
                    continue  # a name, a title or scare quotes
                last_attributed = _Found.said(start, end, "partial", attributed, paragraph)
                found.append(last_attributed)
                continue
            said = None if attributed is not None else _said_before(view, span, quoted)
            if said is not None and (last_attributed is None or last_attributed.end < said.cue.idx):
                attributed = said  # nearer than the last quotation's speaker
            if attributed is not None:
                quote = _Found.said(start, end, "direct", attributed, paragraph)
                last_attributed = quote
            elif last_attributed is not None and paragraph - last_attributed.paragraph <= 1:
                quote = last_attributed.runs_on(start, end, paragraph)
            elif _is_name_or_title(content):
                continue
            elif (focus := _person_in_focus(view, span)) is not None:
                # A quotation opening a paragraph, with no cue, after a paragraph about someone.
                quote = _Found(
                    start,
                    end,
                    "direct",
                    focus.text,
                    focus.kb_id_ or None,
                    None,
                    None,
                    paragraph,
                    (focus.start_char, focus.end_char),
                )
                last_attributed = quote
            else:
                quote = _Found(start, end, "direct", None, None, None, None, paragraph)
            found.append(quote)
        return found + self._nested(view, sorted(inner), every, found)

    def _nested(
        self, view: _View, inner: list[tuple[int, int]], matches: list[tuple[int, int]], outers: list[_Found]
    ) -> list[_Found]:
        """Quotations inside quotations ("He told me, 'we will not resign,' and left," she
        said): attributed by a speech verb inside the outer quotation only, or not at all; the
        outer quotation's speaker is not theirs."""
        doc = view.doc
        found = []
        for start, end in inner:
            span = doc.char_span(start, end, alignment_mode="expand")
            outer = min(
                ((a, b) for a, b in matches if a <= start and end <= b and (a, b) != (start, end)),
                key=lambda m: m[1] - m[0],
            )
            around = doc.char_span(*outer, alignment_mode="expand")
            if span is None or around is None or not view.text[start:end].strip():
                continue
            own = set(range(span.start, span.end))
            ancestors = {t.i: n for n, t in enumerate(span.root.ancestors)}
            verbs = sorted(
                (t for t in around if t.i not in own and t.pos_ in {"VERB", "AUX"} and _is_cue(t)),
                key=lambda v: (0, ancestors[v.i]) if v.i in ancestors else (1, abs(v.i - span.start)),
            )
            for verb in verbs:
                subject = _speaker_of(verb, own)
                if subject is None or not around.start <= subject.i < around.end or not _can_speak(subject):
                    continue
                words, canonical = _resolve(doc, subject)
                if canonical is None and subject.lower_ in {"he", "she"}:
                    canonical = _resolve_pronoun(doc, subject)
                if any(f.start <= start and end <= f.end and f.canonical == canonical for f in outers):
                    canonical = None  # one quoted says "I": "he" or "the manager" in X's words is not X
                kind = "partial" if _within_a_sentence(view, start) else "direct"
                found.append(
                    _Found.said(start, end, kind, _Speaker(verb, words, canonical), view.paragraph(start))
                )
                break
        return found

    def _indirect(self, view: _View, quoted: list[_Found]) -> list[_Found]:
        """ "NAME said (that) CLAUSE": the clause, where it holds no quotation of its own."""
        doc = view.doc
        taken = [(f.start, f.end) for f in quoted]
        found: list[_Found] = []
        for verb in doc:
            if verb.lemma_.lower() not in _REPORTING_VERBS or verb.pos_ != "VERB":
                continue
            clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
            subject = _speaker_of(verb)
            if clause is None or subject is None:
                continue
            tokens = [t for t in clause.subtree]
            if tokens and tokens[0].dep_ == "mark":
                tokens = tokens[1:]
            if len(tokens) < 3:
                continue
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
            if any(s < end and start < e for s, e in taken) or "“" in view.text[start:end]:
                continue
            words, canonical = _resolve(doc, subject)
            found.append(
                _Found.said(start, end, "indirect", _Speaker(verb, words, canonical), view.paragraph(start))
            )
        return found
