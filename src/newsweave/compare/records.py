"""The comparison's records, and the claim units it works on, read from the export's records."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsweave.compare.framing import FramingTerm

Record = Mapping[str, Any]
Encoder = Callable[[Sequence[str]], NDArray[np.float32]]

_STEM = 6
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "as",
        "from",
        "has",
        "have",
        "had",
        "he",
        "she",
        "they",
        "his",
        "her",
        "their",
        "him",
        "them",
        "who",
        "which",
        "what",
        "when",
        "where",
        "while",
        "also",
        "than",
        "then",
        "there",
        "not",
        "no",
        "so",
        "said",
        "says",
        "say",
        "would",
        "will",
        "can",
        "could",
        "may",
        "might",
        "about",
        "after",
        "before",
        "into",
        "over",
        "more",
        "most",
        "other",
        "such",
        "only",
        "own",
        "same",
        "just",
    ]
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Provenance:
    article: str
    outlet: str
    chain: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimGroup:
    id: str
    story: str
    claims: tuple[str, ...]
    text: str  # the representative claim, verbatim
    context: str  # what `text` is about when the clause does not say it ("" when it does)
    status: str  # shared | unique | conflict
    outlets: tuple[str, ...]
    independent_sources: int
    stances: dict[str, str]  # article id -> supports | contradicts | mentions
    provenance: tuple[Provenance, ...]
    times: tuple[str, ...]
    numbers: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Difference:
    kind: str  # number | date | certainty | attribution | title | naming
    about: str
    spans: tuple[dict[str, str], ...]
    note: str
    group: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    story: str
    groups: tuple[ClaimGroup, ...]
    differences: tuple[Difference, ...]
    framing: tuple[FramingTerm, ...] = field(default_factory=tuple)

    def records(self) -> dict[str, list[dict[str, Any]]]:
        """The export contract's `claim_groups`, `differences` and `framing` entries."""
        return {
            "claim_groups": [plain(asdict(g)) for g in self.groups],
            "differences": [plain(asdict(d)) for d in self.differences],
            "framing": [plain(asdict(f)) for f in self.framing],
        }


def plain(value: Any) -> Any:
    """JSON shapes: tuples become lists, as they would after a round trip through a file."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimUnit:
    id: str
    article: str
    outlet: str
    text: str
    start: int
    end: int
    certainty: str
    source: str | None  # None: the outlet states it
    polarity: str
    entities: frozenset[str]
    numbers: tuple[str, ...]
    times: frozenset[str]
    via: str | None
    context: str = ""  # what a clause cut from its sentence is about ("the ferry" for "which sank …")

    @property
    def reading(self) -> str:
        """The claim as a reader understands it: with its context when the clause lacks one."""
        return f"{self.context} {self.text}" if self.context else self.text


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def stems(text: str) -> set[str]:
    """Content words cut to their first letters, a crude stemmer that is enough to meet
    "violates" with "violation" and "supplier" with "supplied"."""
    return {w[:_STEM] for w in words(text)}


def outlet_of(article: Record) -> str:
    return str(
        article.get("outlet") or article.get("outlet_domain") or article.get("source") or article["id"]
    )


def claim_units(
    claims: Iterable[Record],
    articles: Mapping[str, Record],
    timexes: Iterable[Record],
    quotes: Iterable[Record],
) -> list[ClaimUnit]:
    times_by_article: dict[str, list[Record]] = defaultdict(list)
    for t in timexes:
        if t.get("field", "body") == "body" and t.get("value"):
            times_by_article[t["article"]].append(t)
    quotes_by_article: dict[str, list[Record]] = defaultdict(list)
    for q in quotes:
        quotes_by_article[q["article"]].append(q)
    out = []
    for c in claims:
        article = articles.get(c["article"])
        if article is None:
            continue
        start, end = int(c["start"]), int(c["end"])
        inside = [t for t in times_by_article[c["article"]] if start <= t["start"] and t["end"] <= end]
        via = next(
            (
                q.get("via")
                for q in quotes_by_article[c["article"]]
                if q.get("via") and q["start"] < end and start < q["end"]
            ),
            None,
        )
        outlet_states = c.get("source_kind", "outlet") == "outlet" or not c.get("attributed_to")
        out.append(
            ClaimUnit(
                id=c["id"],
                article=c["article"],
                outlet=outlet_of(article),
                text=c["text"],
                start=start,
                end=end,
                certainty=c.get("certainty", "asserted"),
                source=None if outlet_states else str(c["attributed_to"]),
                polarity=c.get("polarity", "positive"),
                entities=frozenset(c.get("entities", [])),
                numbers=tuple(c.get("numbers", [])),
                times=frozenset(str(t["value"]) for t in inside if _is_calendar(str(t["value"]))),
                via=via,
                context=str(c.get("context") or ""),
            )
        )
    return out


def _is_calendar(value: str) -> bool:
    return bool(re.match(r"^\d{4}", value))
