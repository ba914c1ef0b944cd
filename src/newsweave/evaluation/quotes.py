"""Quote attribution scored on PolNeAR (2016 US election news, 7 outlets).

Gold attributions have content spans (`quote_spans`, character offsets into the document text),
a speaker as written and a cue. Two views, as in the issue:
- quoted: gold attributions whose content has quotation marks, against newsweave's direct and
  partial quotes; span F1 by overlap, and speaker accuracy on the matched pairs;
- all: every gold attribution (indirect speech too) against every newsweave quote.
Only the primary annotator's attributions count, so a document is never scored twice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsweave.nlp import quotes as quote_component
from newsweave.nlp.runtime import analyse

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Gold:
    doc_id: str
    spans: tuple[tuple[int, int], ...]
    speaker: str
    quoted: bool


@dataclass(frozen=True, slots=True)
class Predicted:
    doc_id: str
    start: int
    end: int
    kind: str
    speaker: str
    canonical: str


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
    gold = []
    with open(folder / "quotes.jsonl", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            if a["doc_id"] in primary and a["annotator"] == primary[a["doc_id"]] and a["quote_spans"]:
                spans = tuple((s, e) for s, e in a["quote_spans"])
                gold.append(Gold(a["doc_id"], spans, a["speaker"] or "", bool(a["is_direct"])))
    return docs, gold


def predict(docs: Iterable[dict[str, Any]]) -> list[Predicted]:
    docs = list(docs)
    out: list[Predicted] = []
    for doc, parsed in zip(docs, analyse((d["text"], None) for d in docs), strict=True):
        group = parsed.spans.get(quote_component.SPANS_KEY, [])
        for span, info in zip(group, group.attrs.get("info", []), strict=True):
            out.append(
                Predicted(
                    doc["id"], span.start_char, span.end_char, span.label_, info["speaker"] or "", span.kb_id_
                )
            )
    return out


def _overlaps(p: Predicted, g: Gold) -> bool:
    return p.doc_id == g.doc_id and any(p.start < e and s < p.end for s, e in g.spans)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def speaker_matches(p: Predicted, g: Gold) -> bool:
    """Same speaker: the gold speaker's words meet ours, or the name ours resolved to."""
    gold = _words(g.speaker)
    return bool(gold & _words(p.speaker)) or bool(gold & _words(p.canonical))


def _view(predicted: list[Predicted], gold: list[Gold]) -> dict[str, float | int]:
    """Overlap P/R/F1: a prediction is right when it overlaps a gold attribution (one
    attribution may span several quotations, each found on its own), a gold attribution is found
    when a prediction overlaps it; speaker accuracy over the right predictions."""
    by_doc: dict[str, list[Gold]] = {}
    for g in gold:
        by_doc.setdefault(g.doc_id, []).append(g)
    right = 0
    speakers = 0
    found: set[int] = set()
    for p in predicted:
        hits = [g for g in by_doc.get(p.doc_id, []) if _overlaps(p, g)]
        if hits:
            right += 1
            speakers += any(speaker_matches(p, g) for g in hits)
            found.update(id(g) for g in hits)
    precision = right / len(predicted) if predicted else 0.0
    recall = len(found) / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "speaker_accuracy": round(speakers / right, 4) if right else 0.0,
        "system": len(predicted),
        "gold": len(gold),
    }


def score(predicted: list[Predicted], gold: list[Gold]) -> dict[str, Any]:
    quoted = [p for p in predicted if p.kind in {"direct", "partial"}]
    return {"quoted": _view(quoted, [g for g in gold if g.quoted]), "all": _view(predicted, gold)}
