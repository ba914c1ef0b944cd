"""The comparison's records, and the claim units it works on, read from the export's records."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from newsweave.compare.framing import FramingTerm
from newsweave.model import Article, ClaimRecord, QuoteRecord, TimexRecord

Encoder = Callable[[Sequence[str]], NDArray[np.float32]]

_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
# The comparison's own short list, not spaCy's 326 words nor the stories' list: with either in
# its place the comparison benchmark grouped fewer facts right and raised one more false alarm
# (docs/benchmarks.md, "Stop words and lemmas"). Those lists also drop "first", "two", "former"
# (spaCy) or "fire", "found" (scikit-learn), words a difference between outlets can turn on.
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
    lemmas: Mapping[str, str] = field(default_factory=dict)  # the language layer's, by word
    hedges: tuple[str, ...] = ()  # the hedging words the language layer found ("likely", "may")
    predicates: frozenset[str] = frozenset()  # "arrest@police", "not …" denied, "no arrest"
    hedged_terms: tuple[str, ...] = ()  # things it hedges in its own words ("crane failure")
    phrases: tuple[tuple[int, int], ...] = ()  # what could come off its edges, offsets in the article
    part_of: str | None = None  # for a part cut out of a claim (compare/cores.py), the claim's id
    dated: tuple[tuple[int, str], ...] = ()  # (offset, value) of each calendar value in `times`

    @property
    def reading(self) -> str:
        """The claim as a reader understands it: with its context when the clause lacks one."""
        return f"{self.context} {self.text}" if self.context else self.text


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def content_lemmas(text: str, lemmas: Mapping[str, str]) -> set[str]:
    """The content words of `text` (a claim, its reading or a part of it) as spaCy's lemmas, so
    that "violated" meets "violates" and "ships" meets "ship"; a word the language layer kept
    no lemma for is its own."""
    return {lemma for w in words(text) if (lemma := lemmas.get(w, w)) not in _STOP}


def times_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Days agree when one value is the other or lies within it (2024-03-15 within 2024-03)."""
    return any(x.startswith(y) or y.startswith(x) for x in a for y in b)


def outlet_of(article: Article) -> str:
    return article.outlet or article.outlet_domain or article.source or article.id


def claim_units(
    claims: Iterable[ClaimRecord],
    articles: Mapping[str, Article],
    timexes: Iterable[TimexRecord],
    quotes: Iterable[QuoteRecord],
) -> list[ClaimUnit]:
    times_by_article: dict[str, list[TimexRecord]] = defaultdict(list)
    for t in timexes:
        if t.field == "body" and t.value:
            times_by_article[t.article].append(t)
    quotes_by_article: dict[str, list[QuoteRecord]] = defaultdict(list)
    for q in quotes:
        quotes_by_article[q.article].append(q)
    out = []
    for c in claims:
        article = articles.get(c.article)
        if article is None:
            continue
        inside = [t for t in times_by_article[c.article] if c.start <= t.start and t.end <= c.end]
        via = next(
            (q.via for q in quotes_by_article[c.article] if q.via and q.start < c.end and c.start < q.end),
            None,
        )
        out.append(
            ClaimUnit(
                id=c.id,
                article=c.article,
                outlet=outlet_of(article),
                text=c.text,
                start=c.start,
                end=c.end,
                certainty=c.certainty,
                source=c.attributed_to,
                polarity=c.polarity,
                entities=frozenset(c.entities),
                numbers=c.numbers,
                # Values on the calendar (the language layer gave them their days).
                times=frozenset(t.value for t in inside if t.first_day is not None),
                dated=tuple((t.start, t.value) for t in inside if t.first_day is not None),
                via=via,
                context=c.context,
                lemmas=c.lemmas,
                hedges=c.hedges,
                predicates=frozenset(c.predicates),
                hedged_terms=c.hedged_terms,
                phrases=c.phrases,
            )
        )
    return out
