"""Alignment: which claims of a story's articles state the same fact.

For every pair of claims, a similarity: meaning (sentence vectors of the claim read with its
context), idf-weighted shared word lemmas, and bonuses for shared entities and calendar values.
Between two articles, claims match when each is the other's best match and clear a threshold,
or whenever they are very similar; matches join into groups strongest first, and two groups
join only when no article is in both. A claim still alone whose words another outlet's claim
holds (that claim says it and more) then forms a group with it too: one long sentence can carry
two facts that another outlet states apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsweave.compare.propositions import Proposition, embedded
from newsweave.compare.records import ClaimUnit, Encoder, content_lemmas

# Two articles' claims that are each other's best match count as one fact from this combined
# similarity on (0.75 meaning + 0.25 shared words, plus bonuses for shared entities, times and
# quoted words).
ALIGN_THRESHOLD = 0.48
# Any pair this similar is the same fact, whatever else matches better.
STRONG_THRESHOLD = 0.70
# Near-ties of a best match count as best: 0.03 (0.03 and 0.04 measured alike, each half one more
# fact grouped and one more group right than 0.02; 0.05 and up join single-source facts).
_TIE = 0.03
_MEANING_WEIGHT = 0.75
_ENTITY_BONUS = 0.03
_TIME_BONUS = 0.06
# A claim left alone joins another outlet's claim that holds this share of its content words
# (idf-weighted) at this similarity or more. Chosen on the tune half of the comparison
# benchmark (0.5–0.8 and 0.3–0.5 tried): grouped facts 60 -> 66 of 117 there, precision 0.54 ->
# 0.58; on the check half 48 -> 49 of 96 and 0.52 -> 0.53; nothing else moved.
CONTAINED_COVER = 0.6
CONTAINED_SIMILARITY = 0.35


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


@dataclass(frozen=True, slots=True)
class Similarity:
    claims: NDArray[np.float64]  # claim x claim: the better of whole claims and their propositions
    deeds: NDArray[np.float64]  # claim x claim: a reported deed against another's deed (0 elsewhere)


def similarity(claims: Sequence[ClaimUnit], encode: Encoder) -> Similarity:
    """Pairwise similarity of all claims: meaning (sentence vectors), shared content words
    (idf-weighted over this story), shared entities and calendar values; for a claim that reports
    or presupposes a proposition, the better of the whole claim's and the proposition's."""
    props = [embedded(c.text) for c in claims]
    extra = [(i, text, kind) for i, p in enumerate(props) if p is not None for kind, text in _readings(p)]
    texts = [c.reading for c in claims] + [text for _, text, _ in extra]
    entities = [c.entities for c in claims] + [_named_in(claims[i].entities, t) for i, t, _ in extra]
    times = [c.times for c in claims] + [claims[i].times for i, _, _ in extra]
    lemmas = [c.lemmas for c in claims] + [claims[i].lemmas for i, _, _ in extra]
    score, overlap = _scores(texts, entities, times, lemmas, len(claims), encode)
    n = len(claims)
    best = score[:n, :n].copy()
    deeds = np.zeros_like(best)
    if extra:
        owners = np.array([*range(n), *(i for i, _, _ in extra)], dtype=np.int64)
        kinds = np.array([_WHOLE] * n + [_KINDS[kind] for _, _, kind in extra])
        reported = np.array([bool(p and p.reported) for p in props])[owners]
        allowed = _comparable(kinds[n:, None], kinds[None, :], reported[n:, None] | reported[None, :])
        candidate = np.where(allowed & overlap[n:], score[n:], -np.inf)
        rows, cols = owners[n:, None], owners[None, :]
        np.maximum.at(best, (rows, cols), candidate)
        both_deeds = (kinds[n:, None] == _DEED) & (kinds[None, :] == _DEED)
        np.maximum.at(deeds, (rows, cols), np.where(both_deeds, candidate, -np.inf))
    return Similarity(claims=np.maximum(best, best.T), deeds=np.maximum(deeds, deeds.T))


_WHOLE, _TEXT, _DEED = 0, 1, 2
_KINDS = {"text": _TEXT, "deed": _DEED}


def _readings(p: Proposition) -> list[tuple[str, str]]:
    """The proposition with its subject (to meet a plain statement) and, for a presupposed
    one or a deed without its doer, the bare deed (to meet another claim's bare deed)."""
    out = [("text", p.text)] if p.reported else []
    return [*out, ("deed", p.deed)]


def _comparable(kind: NDArray[Any], other: NDArray[Any], reported: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Which readings of two claims may stand for the pair, when at least one side reports its
    proposition: a proposition against the other's whole claim, or like against like (deed with
    deed, proposition with proposition). Two plain claims are compared whole, as before."""
    against_whole = (kind == _TEXT) & (other == _WHOLE)
    alike = (kind == other) & (kind != _WHOLE)
    out: NDArray[np.bool_] = reported & (against_whole | alike)
    return out


def _named_in(entities: frozenset[str], text: str) -> frozenset[str]:
    lower = text.lower()
    return frozenset(e for e in entities if e.lower() in lower)


def _scores(
    texts: Sequence[str],
    entity_sets: Sequence[frozenset[str]],
    time_sets: Sequence[frozenset[str]],
    lemma_maps: Sequence[Mapping[str, str]],
    n_claims: int,
    encode: Encoder,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """The combined similarity of every pair of readings, and whether two readings share a
    content word or an entity (idf over the story's claims, not over the extra readings)."""
    # Each distinct reading is encoded once: wire copies and stock sentences repeat across outlets.
    distinct = list(dict.fromkeys(texts))
    row = {text: i for i, text in enumerate(distinct)}
    vectors = encode(distinct).astype(np.float64)[[row[t] for t in texts]]
    meaning = vectors @ vectors.T
    words = _incidence([content_lemmas(t, lemmas) for t, lemmas in zip(texts, lemma_maps, strict=True)])
    idf = np.log((1 + n_claims) / (1 + np.asarray(words[:n_claims].sum(axis=0)).ravel())) + 1
    weighted = words.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    weighted = weighted.multiply(1 / np.maximum(norms, 1e-12)[:, None]).tocsr()
    lexical = (weighted @ weighted.T).toarray()
    entities = _incidence(entity_sets)
    entity = np.minimum((entities @ entities.T).toarray(), 3)
    times = _incidence(time_sets)
    time = ((times @ times.T).toarray() > 0).astype(np.float64)
    score: NDArray[np.float64] = (
        _MEANING_WEIGHT * meaning
        + (1 - _MEANING_WEIGHT) * lexical
        + _ENTITY_BONUS * entity
        + _TIME_BONUS * time
    )
    return score, (lexical > 0) | (entity > 0)


def matches(claims: Sequence[ClaimUnit], sim: Similarity) -> list[tuple[int, float, int, int]]:
    """Matches between each pair of articles: two claims that are each other's best match
    (within a hair: near-ties count) and clear the threshold, or any pair far above it. Two claims
    whose deeds are each other's best (one reports what the other presupposes) match first
    (rank 1): their shared proposition is more specific than a topical neighbour's words."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        by_article[c.article].append(i)
    pairs = []
    for a, b in combinations(sorted(by_article), 2):
        rows, cols = by_article[a], by_article[b]
        for rank, score in ((0, sim.claims), (1, sim.deeds)):
            block = score[np.ix_(rows, cols)]
            chosen = _mutual_best(block) | (block >= STRONG_THRESHOLD if rank == 0 else False)
            for r, k in zip(*np.nonzero(chosen), strict=True):
                pairs.append((rank, float(block[r, k]), rows[int(r)], cols[int(k)]))
    return pairs


def _mutual_best(block: NDArray[np.float64]) -> NDArray[np.bool_]:
    best_in_row = block.max(axis=1, keepdims=True)
    best_in_col = block.max(axis=0, keepdims=True)
    mutual: NDArray[np.bool_] = (
        (block >= best_in_row - _TIE) & (block >= best_in_col - _TIE) & (block >= ALIGN_THRESHOLD)
    )
    return mutual


def _precedence(edge: tuple[int, float, int, int]) -> tuple[int, float]:
    """Which match joins first: near-identical wording, then shared deeds, then the rest, each
    strongest first. A deed match outranks a topical neighbour, not two outlets' same sentence."""
    rank, score, _, _ = edge
    tier = 2 if rank == 0 and score >= STRONG_THRESHOLD else rank
    return tier, score


def components(claims: Sequence[ClaimUnit], edges: Iterable[tuple[int, float, int, int]]) -> list[list[int]]:
    """Groups from matches, strongest first; two groups join only when no article is in both,
    so a chain of loose matches cannot pull a whole story into one group."""
    parent = list(range(len(claims)))
    articles = [{c.article} for c in claims]

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, _, a, b in sorted(edges, key=_precedence, reverse=True):
        ra, rb = find(a), find(b)
        if ra != rb and not articles[ra] & articles[rb]:
            parent[ra] = rb
            articles[rb] |= articles[ra]
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(claims)):
        groups[find(i)].append(i)
    return sorted(groups.values(), key=lambda g: min(g))


def word_cover(claims: Sequence[ClaimUnit], rows: Sequence[int]) -> NDArray[np.float64]:
    """[r, j]: the idf-weighted share of the content words (lemmas, with its context) of claim
    `rows[r]` that claim j has too: how much of what that claim says j says as well."""
    words = _incidence([content_lemmas(c.reading, c.lemmas) for c in claims])
    n = len(claims)
    idf = np.log((1 + n) / (1 + np.asarray(words.sum(axis=0)).ravel())) + 1
    weighted = words[list(rows)].multiply(idf).tocsr()
    shared = (weighted @ words.T).toarray()
    total = np.asarray(weighted.sum(axis=1)).ravel()
    out: NDArray[np.float64] = shared / np.maximum(total, 1e-12)[:, None]
    return out


def held_elsewhere(
    claims: Sequence[ClaimUnit], sim: Similarity, groups: Sequence[Sequence[int]]
) -> list[list[int]]:
    """Groups for claims the matching left alone: each with, from every other article, the
    claim most similar to it among those that hold most of its words. The holder stays in its
    own group as well (it states this fact and another)."""
    alone = sorted(g[0] for g in groups if len(g) == 1)
    if not alone:
        return []
    cover = word_cover(claims, alone)  # rows for the lone claims only: not n x n
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        by_article[c.article].append(i)
    extra = []
    for row, i in enumerate(alone):
        members = [i]
        for article, others in sorted(by_article.items()):
            if article == claims[i].article:
                continue
            holders = [
                j
                for j in others
                if cover[row, j] >= CONTAINED_COVER and sim.claims[i, j] >= CONTAINED_SIMILARITY
            ]
            if holders:
                members.append(max(holders, key=lambda j: (sim.claims[i, j], -j)))
        if len(members) > 1:
            extra.append(members)
    return extra
