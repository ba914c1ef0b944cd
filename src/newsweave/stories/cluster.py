"""Online story clustering: each new article joins the story it fits best, or starts one.

An article is compared only with the candidate stories the blocking indexes return
(`stories/index.py`), never with every story. Its score against a story combines

- **words**: cosine of its TF-IDF vector with the story's (document frequencies are counted as
  articles arrive, so the weights need no corpus fitted in advance);
- **meaning**: cosine of its text embedding with the story's mean embedding;
- **names**: the share of its names (IDF-weighted) the story's articles also mention;
- **time**: when both have dates, a penalty growing with the days between the article and the
  story's time span (beyond a grace period).

It joins the best story when the score reaches `join`; else it starts a new story. When the
article also fits a second story at `merge` or above (it bridges them) and the two stories are
alike, the two are merged: the older keeps its id (`docs/stories.md`, merge and split policy).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray

from newsweave.stories.features import StoryFeatures, sublinear
from newsweave.stories.index import HyperplaneLSH, KeyIndex, find_story

SparseVector = dict[str, float]


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterConfig:
    """The tunables of story clustering (defaults tuned on FNC-1, checked on ECB+)."""

    join: float = 0.20
    """Least score for an article to join a story."""
    merge: float = 0.20
    """Least similarity of two stories for them to be merged (checked after each batch)."""
    weight_words: float = 0.8
    weight_vector: float = 0.0
    weight_names: float = 0.2
    grace_days: int = 3
    """Days beyond a story's span before the time penalty starts."""
    penalty_per_day: float = 0.02
    key_terms: int = 8
    """Words of an article (by TF-IDF weight) it is indexed and looked up under."""
    max_candidates: int = 24
    linkage: str = "average"
    """`average`: mean similarity to a story's articles; `centroid`: cosine with their sum."""
    centroid_terms: int = 400
    """Words kept in a story's TF-IDF centroid (the heaviest ones)."""


@dataclass(slots=True)
class StoryState:
    """A story as the clusterer keeps it: sums and counts it can update in place."""

    id: int
    size: int = 0
    terms: SparseVector = field(default_factory=dict)
    vector: NDArray[np.float32] | None = None
    names: Counter[str] = field(default_factory=Counter)
    start: date | None = None
    end: date | None = None
    heads: list[tuple[str, NDArray[np.float32]]] = field(default_factory=list)
    """(headline, vector) of its first articles and the most central ones: title candidates."""
    terms_norm: float = 1.0
    vector_norm: float = 1.0

    def update_norms(self, linkage: str = "average") -> None:
        """Divisors that turn sums into average-link (mean pairwise) or centroid similarities."""
        if linkage == "average":
            self.terms_norm = self.vector_norm = float(self.size)
            return
        self.terms_norm = math.sqrt(sum(w * w for w in self.terms.values())) or 1.0
        if self.vector is not None:
            self.vector_norm = float(np.linalg.norm(self.vector)) or 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    article_id: str
    story: int
    score: float
    """Its score against the story it joined (0 for one that started a story)."""
    keys: tuple[str, ...] = ()
    """The index keys it was filed under (kept so a later run can rebuild the index)."""
    signatures: tuple[int, ...] = ()


def _cosine_sparse(a: Mapping[str, float], b: Mapping[str, float], b_norm: float) -> float:
    if len(a) > len(b):
        return sum(w * a[t] for t, w in b.items() if t in a) / b_norm
    return sum(w * b[t] for t, w in a.items() if t in b) / b_norm


class OnlineClusterer:
    """Assigns articles to stories as they arrive; state grows with stories, not pairs."""

    def __init__(self, dimensions: int, config: ClusterConfig | None = None) -> None:
        self.config = config or ClusterConfig()
        self.stories: dict[int, StoryState] = {}
        self.parent: dict[int, int] = {}
        """Merged story → the story it was merged into."""
        self.documents = 0
        self.term_df: Counter[str] = Counter()
        self.name_df: Counter[str] = Counter()
        self._next = 1
        self.dirty: set[int] = set()
        """Stories changed since the caller last cleared this set (to be saved)."""
        self.merges: list[tuple[int, int]] = []
        """(kept, merged) pairs since the caller last cleared this list."""
        self.keys = KeyIndex()
        self.lsh = HyperplaneLSH(dimensions)

    # Weights

    def _idf(self, df: int) -> float:
        return math.log((self.documents + 1) / (df + 1)) + 1.0

    def tfidf(self, terms: Mapping[str, int]) -> SparseVector:
        weights = {t: sublinear(c) * self._idf(self.term_df[t]) for t, c in terms.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    def _name_weights(self, names: Iterable[str]) -> dict[str, float]:
        return {n: self._idf(self.name_df[n]) for n in names}

    # Scoring

    def _names_cosine(self, a: Mapping[str, float], b: Counter[str]) -> float:
        """Cosine of IDF-weighted name vectors (`a` already weighted, `b` counts)."""
        if not a or not b:
            return 0.0
        if len(b) > 4 * len(a):
            dot = sum(w * b[n] * self._idf(self.name_df[n]) for n, w in a.items() if n in b)
        else:
            dot = sum(c * self._idf(self.name_df[n]) * a[n] for n, c in b.items() if n in a)
        if not dot:
            return 0.0
        norm_a = math.sqrt(sum(w * w for w in a.values()))
        norm_b = math.sqrt(sum((c * self._idf(self.name_df[n])) ** 2 for n, c in b.items()))
        return dot / (norm_a * norm_b)

    def _time_penalty(self, start: date | None, end: date | None, story: StoryState) -> float:
        if start is None or end is None or story.start is None or story.end is None:
            return 0.0
        gap = max((story.start - end).days, (start - story.end).days, 0)
        return max(0, gap - self.config.grace_days) * self.config.penalty_per_day

    def score(
        self, features: StoryFeatures, vector: SparseVector, names: Mapping[str, float], story: StoryState
    ) -> float:
        """How well an article fits a story."""
        c = self.config
        words = _cosine_sparse(vector, story.terms, story.terms_norm)
        meaning = 0.0 if story.vector is None else float(features.vector @ story.vector) / story.vector_norm
        return (
            c.weight_words * words
            + c.weight_vector * meaning
            + c.weight_names * self._names_cosine(names, story.names)
            - self._time_penalty(features.published, features.published, story)
        )

    def story_similarity(self, a: StoryState, b: StoryState) -> float:
        """How alike two stories are: the same measure as `score`, between centroids."""
        c = self.config
        words = _cosine_sparse(a.terms, b.terms, b.terms_norm) / a.terms_norm
        meaning = 0.0
        if a.vector is not None and b.vector is not None:
            meaning = float(a.vector @ b.vector) / (a.vector_norm * b.vector_norm)
        names = {n: k * self._idf(self.name_df[n]) for n, k in a.names.items()}
        return (
            c.weight_words * words
            + c.weight_vector * meaning
            + c.weight_names * self._names_cosine(names, b.names)
            - self._time_penalty(a.start, a.end, b)
        )

    def _keys(self, vector: Mapping[str, float], names: Mapping[str, float]) -> list[str]:
        top = sorted(vector, key=vector.__getitem__, reverse=True)[: self.config.key_terms]
        rare = sorted(names, key=names.__getitem__, reverse=True)[: self.config.key_terms // 2]
        return [f"w:{t}" for t in top] + [f"n:{n}" for n in rare]

    # Assigning

    def add_batch(self, batch: Sequence[StoryFeatures]) -> list[Assignment]:
        """Assign a batch in order, then merge the stories it brought together.

        The batch's words count towards document frequencies first, so a word that is news
        today is weighed as such.
        """
        for features in batch:
            self.documents += 1
            self.term_df.update(features.terms.keys())
            self.name_df.update(features.names)
        assignments = [self._assign(features) for features in batch]
        self.consolidate({a.story for a in assignments})
        return assignments

    def _candidates(self, keys: Sequence[str], signatures: list[int] | None) -> list[int]:
        shared = self.keys.candidates(keys, self.parent)
        found = [s for s, _ in shared.most_common(self.config.max_candidates)]
        if signatures is not None:
            found += sorted(self.lsh.candidates(signatures, self.parent) - set(found))
        return found

    def _assign(self, features: StoryFeatures) -> Assignment:
        vector = self.tfidf(features.terms)
        names = self._name_weights(features.names)
        keys = self._keys(vector, names)
        signatures = self.lsh.signatures(features.vector)
        scored = [
            (self.score(features, vector, names, self.stories[s]), s)
            for s in self._candidates(keys, signatures)
        ]
        best_score, story_id = max(scored, default=(0.0, 0))
        if best_score < self.config.join:
            best_score, story_id = 0.0, self._new_story()
        self._add(self.stories[story_id], features, vector)
        self.keys.add(keys, story_id)
        self.lsh.add(signatures, story_id)
        return Assignment(
            article_id=features.article_id,
            story=story_id,
            score=round(best_score, 4),
            keys=tuple(keys),
            signatures=tuple(signatures),
        )

    def consolidate(self, touched: Iterable[int]) -> list[tuple[int, int]]:
        """Merge each touched story with its most similar candidate while they reach `merge`.

        Returns the (kept, merged) pairs. Only the touched stories are looked at, and only
        against the candidates their keys find: the cost follows the batch, not the store.
        """
        merges: list[tuple[int, int]] = []
        queue = sorted({self.story_of(s) for s in touched})
        while queue:
            story_id = self.story_of(queue.pop())
            story = self.stories[story_id]
            names = {n: float(k) for n, k in story.names.most_common(self.config.key_terms)}
            keys = self._keys(story.terms, names)
            best = max(
                (
                    (self.story_similarity(story, self.stories[other]), other)
                    for other in self._candidates(keys, None)
                    if other != story_id
                ),
                default=(0.0, 0),
            )
            if best[0] >= self.config.merge:
                kept = self._merge(story_id, best[1])
                merges.append((kept, story_id + best[1] - kept))
                queue.append(kept)
        return merges

    def _new_story(self) -> int:
        story_id = self._next
        self._next += 1
        self.stories[story_id] = StoryState(id=story_id)
        return story_id

    def _add(self, story: StoryState, features: StoryFeatures, vector: SparseVector) -> None:
        story.size += 1
        self.dirty.add(story.id)
        for t, w in vector.items():
            story.terms[t] = story.terms.get(t, 0.0) + w
        if len(story.terms) > 2 * self.config.centroid_terms:
            heaviest = sorted(story.terms.items(), key=lambda tw: tw[1], reverse=True)
            story.terms = dict(heaviest[: self.config.centroid_terms])
        story.vector = features.vector.copy() if story.vector is None else story.vector + features.vector
        story.names.update(features.names)
        if features.published is not None:
            story.start = min(story.start or features.published, features.published)
            story.end = max(story.end or features.published, features.published)
        story.update_norms(self.config.linkage)
        if features.title:
            _keep_head(story, features.title, features.vector)

    def _merge(self, keep: int, other: int) -> int:
        """Merge two stories; the older (smaller id) keeps its id. Returns the surviving id."""
        keep, gone = min(keep, other), max(keep, other)
        a, b = self.stories[keep], self.stories.pop(gone)
        a.size += b.size
        for t, w in b.terms.items():
            a.terms[t] = a.terms.get(t, 0.0) + w
        if b.vector is not None:
            a.vector = b.vector.copy() if a.vector is None else a.vector + b.vector
        a.names.update(b.names)
        dates = [d for d in (a.start, a.end, b.start, b.end) if d is not None]
        a.start, a.end = (min(dates), max(dates)) if dates else (None, None)
        a.update_norms(self.config.linkage)
        for head, vec in b.heads:
            _keep_head(a, head, vec)
        self.parent[gone] = keep
        self.dirty.add(keep)
        self.dirty.discard(gone)
        self.merges.append((keep, gone))
        return keep

    def story_of(self, story: int) -> int:
        return find_story(self.parent, story)

    def restore(
        self,
        *,
        documents: int,
        term_df: Mapping[str, int],
        name_df: Mapping[str, int],
        stories: Iterable[StoryState],
        merged: Mapping[int, int],
        filed: Iterable[tuple[int, Sequence[str], Sequence[int]]],
    ) -> None:
        """Bring back a saved state: counts, live stories, merges, and the index entries
        ((story, keys, signatures) per clustered article, in the order they were filed)."""
        self.documents = documents
        self.term_df = Counter(term_df)
        self.name_df = Counter(name_df)
        self.stories = {s.id: s for s in stories}
        self.parent = dict(merged)
        self._next = max([*self.stories, *self.parent, 0]) + 1
        for story, keys, signatures in filed:
            self.keys.add(keys, story)
            if signatures:
                self.lsh.add(list(signatures), story)


_HEADS = 8


def _keep_head(story: StoryState, title: str, vector: NDArray[np.float32]) -> None:
    """Keep up to `_HEADS` headline candidates: the first ones, then the most central."""
    if len(story.heads) < _HEADS:
        story.heads.append((title, vector))
        return
    assert story.vector is not None
    centre = story.vector / (float(np.linalg.norm(story.vector)) or 1.0)
    worst = min(range(len(story.heads)), key=lambda i: float(story.heads[i][1] @ centre))
    if float(vector @ centre) > float(story.heads[worst][1] @ centre):
        story.heads[worst] = (title, vector)
