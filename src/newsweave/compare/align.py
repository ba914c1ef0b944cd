"""Alignment: which claims of a story's articles state the same fact.

For every pair of claims, a similarity: meaning (sentence vectors of the claim read with its
context), idf-weighted shared word stems, and bonuses for shared entities and calendar values.
Between two articles, claims match when each is the other's best match and clear a threshold,
or whenever they are very similar; matches join into groups strongest first, and two groups
join only when no article is in both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsweave.compare.records import ClaimUnit, Encoder, stems

# Two articles' claims that are each other's best match count as one fact from this combined
# similarity on (0.75 meaning + 0.25 shared words, plus bonuses for shared entities, times and
# quoted words).
ALIGN_THRESHOLD = 0.48
# Any pair this similar is the same fact, whatever else matches better.
STRONG_THRESHOLD = 0.70
_TIE = 0.02
_MEANING_WEIGHT = 0.75
_ENTITY_BONUS = 0.03
_TIME_BONUS = 0.06


def _incidence(sets: Sequence[Iterable[str]]) -> Any:
    """A sparse claims x features matrix with a 1 where a claim has a feature."""
    from scipy.sparse import csr_matrix

    index: dict[str, int] = {}
    rows, cols = [], []
    for r, features in enumerate(sets):
        for f in set(features):
            rows.append(r)
            cols.append(index.setdefault(f, len(index)))
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sets), max(len(index), 1)))


def similarity(claims: Sequence[ClaimUnit], encode: Encoder) -> NDArray[np.float64]:
    """Pairwise similarity of all claims: meaning (sentence vectors), shared content words
    (idf-weighted over this story), shared entities and calendar values."""
    # Each distinct reading is encoded once: wire copies and stock sentences repeat across outlets.
    readings = [c.reading for c in claims]
    distinct = list(dict.fromkeys(readings))
    row = {text: i for i, text in enumerate(distinct)}
    vectors = encode(distinct).astype(np.float64)[[row[t] for t in readings]]
    meaning = vectors @ vectors.T
    words = _incidence([stems(c.reading) for c in claims])
    idf = np.log((1 + len(claims)) / (1 + np.asarray(words.sum(axis=0)).ravel())) + 1
    weighted = words.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    weighted = weighted.multiply(1 / np.maximum(norms, 1e-12)[:, None]).tocsr()
    lexical = (weighted @ weighted.T).toarray()
    entities = _incidence([c.entities for c in claims])
    entity = np.minimum((entities @ entities.T).toarray(), 3)
    times = _incidence([c.times for c in claims])
    time = ((times @ times.T).toarray() > 0).astype(np.float64)
    score: NDArray[np.float64] = (
        _MEANING_WEIGHT * meaning
        + (1 - _MEANING_WEIGHT) * lexical
        + _ENTITY_BONUS * entity
        + _TIME_BONUS * time
    )
    return score


def matches(claims: Sequence[ClaimUnit], score: NDArray[np.float64]) -> list[tuple[float, int, int]]:
    """Matches between each pair of articles: two claims that are each other's best match
    (within a hair: near-ties count) and clear the threshold, or any pair far above it."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        by_article[c.article].append(i)
    pairs = []
    for a, b in combinations(sorted(by_article), 2):
        rows, cols = by_article[a], by_article[b]
        block = score[np.ix_(rows, cols)]
        best_in_row = block.max(axis=1, keepdims=True)
        best_in_col = block.max(axis=0, keepdims=True)
        mutual = (block >= best_in_row - _TIE) & (block >= best_in_col - _TIE) & (block >= ALIGN_THRESHOLD)
        strong = block >= STRONG_THRESHOLD
        for r, k in zip(*np.nonzero(mutual | strong), strict=True):
            pairs.append((float(block[r, k]), rows[int(r)], cols[int(k)]))
    return pairs


def components(claims: Sequence[ClaimUnit], edges: Iterable[tuple[float, int, int]]) -> list[list[int]]:
    """Groups from matches, strongest first; two groups join only when no article is in both,
    so a chain of loose matches cannot pull a whole story into one group."""
    parent = list(range(len(claims)))
    articles = [{c.article} for c in claims]

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, a, b in sorted(edges, reverse=True):
        ra, rb = find(a), find(b)
        if ra != rb and not articles[ra] & articles[rb]:
            parent[ra] = rb
            articles[rb] |= articles[ra]
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(claims)):
        groups[find(i)].append(i)
    return sorted(groups.values(), key=lambda g: min(g))
