"""The temporal tagger scored on TempEval-3 data (TimeBank and AQUAINT), TempEval-3 style.

Spans are matched strictly (same offsets) and relaxed (any overlap, one to one, largest overlap
first). Value and type accuracy are taken over relaxed matches; value F1 counts a system
expression as correct when it overlaps a gold one and carries the same value. The document
creation time is the anchor and is not itself a gold expression in this data.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from newsweave.nlp.dates import TimeExpression, find_time_expressions

Tagger = Callable[[str, date | None], list[TimeExpression]]


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldTimex:
    start: int
    end: int
    text: str
    value: str
    type: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TimexDoc:
    id: str
    anchor: date | None
    text: str
    gold: tuple[GoldTimex, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Miss:
    """One disagreement, for reading errors grouped by pattern."""

    doc_id: str
    kind: str  # "missed", "spurious", "value", "type"
    text: str
    gold: str | None
    system: str | None
    context: str


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class TimexScore:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0

    def as_dict(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {"gold": self.gold, "system": self.system}
        for name, hits in (("strict", self.strict), ("relaxed", self.relaxed), ("value", self.value)):
            p, r = _ratio(hits, self.system), _ratio(hits, self.gold)
            out |= {
                f"{name}_precision": round(p, 4),
                f"{name}_recall": round(r, 4),
                f"{name}_f1": round(_f1(p, r), 4),
            }
        out["value_accuracy"] = round(_ratio(self.value, self.relaxed), 4)
        out["type_accuracy"] = round(_ratio(self.type, self.relaxed), 4)
        return out

    @property
    def relaxed_f1(self) -> float:
        return _f1(_ratio(self.relaxed, self.system), _ratio(self.relaxed, self.gold))

    @property
    def value_f1(self) -> float:
        return _f1(_ratio(self.value, self.system), _ratio(self.value, self.gold))


def _anchor(dct: str | None) -> date | None:
    return date.fromisoformat(dct[:10]) if dct else None


def load_docs(folder: Path) -> list[TimexDoc]:
    """Documents from `docs.jsonl` with their gold expressions from `timex.jsonl`."""
    gold: dict[str, list[GoldTimex]] = defaultdict(list)
    for row in _rows(folder / "timex.jsonl"):
        gold[row["doc_id"]].append(
            GoldTimex(
                start=row["start"], end=row["end"], text=row["text"], value=row["value"], type=row["type"]
            )
        )
    return [
        TimexDoc(
            id=row["id"],
            anchor=_anchor(row.get("dct")),
            text=row["text"],
            gold=tuple(sorted(gold[row["id"]], key=lambda g: g.start)),
        )
        for row in _rows(folder / "docs.jsonl")
    ]


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _pairs(gold: tuple[GoldTimex, ...], system: list[TimeExpression]) -> list[tuple[int, int]]:
    """One-to-one relaxed matches (gold index, system index), the largest overlaps first."""
    overlaps = []
    for i, g in enumerate(gold):
        for j, s in enumerate(system):
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > 0:
                overlaps.append((overlap, i, j))
    overlaps.sort(key=lambda o: -o[0])
    used_g: set[int] = set()
    used_s: set[int] = set()
    pairs = []
    for _, i, j in overlaps:
        if i not in used_g and j not in used_s:
            used_g.add(i)
            used_s.add(j)
            pairs.append((i, j))
    return pairs


def _context(text: str, start: int, end: int) -> str:
    return " ".join(f"{text[max(0, start - 50) : start]}[{text[start:end]}]{text[end : end + 50]}".split())


def score(docs: Iterable[TimexDoc], tagger: Tagger = find_time_expressions) -> tuple[TimexScore, list[Miss]]:
    """Score the tagger on each document, anchored on its creation date; also list every miss."""
    total = TimexScore()
    misses: list[Miss] = []
    for doc in docs:
        system = tagger(doc.text, doc.anchor)
        total.gold += len(doc.gold)
        total.system += len(system)
        gold_spans = {(g.start, g.end) for g in doc.gold}
        total.strict += sum((s.start, s.end) in gold_spans for s in system)
        pairs = _pairs(doc.gold, system)
        total.relaxed += len(pairs)
        for i, j in pairs:
            g, s = doc.gold[i], system[j]
            total.value += g.value == s.value
            total.type += g.type == s.type
            if g.value != s.value:
                misses.append(
                    Miss(doc_id=doc.id, kind="value", text=g.text, gold=g.value, system=s.value,
                         context=_context(doc.text, s.start, s.end))
                )  # fmt: skip
        matched_g = {i for i, _ in pairs}
        matched_s = {j for _, j in pairs}
        misses += [
            Miss(doc_id=doc.id, kind="missed", text=g.text, gold=g.value, system=None,
                 context=_context(doc.text, g.start, g.end))
            for i, g in enumerate(doc.gold) if i not in matched_g
        ]  # fmt: skip
        misses += [
            Miss(doc_id=doc.id, kind="spurious", text=s.text, gold=None, system=s.value,
                 context=_context(doc.text, s.start, s.end))
            for j, s in enumerate(system) if j not in matched_s
        ]  # fmt: skip
    return total, misses
