"""Online story clustering: each batch of articles joins the stories it fits, or starts some.

An article is compared only with the candidate stories the blocking indexes return
(`stories/index.py`), never with every story. Its score against a story is the weighted mean
similarity to the story's articles (average link), kept cheap by summing unit vectors:

- **words**: TF-IDF (document frequencies counted as articles arrive, so the weights need no
  corpus fitted in advance);
- **phrases**: TF-IDF over pairs of adjacent content words (`features.phrase_counts`);
- **names**: IDF-weighted names of people, places and organisations;
- **marks**: years, dates, weekdays and numbers (`features.event_marks`): what tells two events
  of the same kind apart;
- **year conflicts**: a penalty for pairs that both name years and share none (nor a date),
  heavier for the years of the headline and first lines, where a report dates its event;
- **meaning** (weight 0 by default): the text embedding;
- **time**: when both have dates, a penalty growing with the days between the article and the
  story's time span (beyond a grace period).

A batch is grouped average-link (`stories/grouping.py`), together with the articles still
provisional (the last `settle` placed, taken out of their stories first): with each other and
with candidate stories, most similar pair first, while pairs reach `join`; a group that
reaches no story starts one. Then stories the batch touched are merged, most similar pair first, while they
reach `merge`: the older keeps its id (`docs/stories.md`, merge and split policy).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsweave.stories.features import StoryFeatures
from newsweave.stories.grouping import group_batch
from newsweave.stories.index import HyperplaneLSH, KeyIndex, find_story

SparseVector = dict[str, float]

BATCH = 512
"""Articles handed to `add_batch` at once by the stories stage (and the evaluation)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterConfig:
    """The tunables of story clustering (one setting for all data; see docs/benchmarks.md)."""

    join: float = 0.14
    """Least score for an article to join a story."""
    merge: float = 0.15
    """Least similarity of two stories for them to be merged (checked after each batch)."""
    weight_words: float = 0.6
    weight_vector: float = 0.0
    weight_names: float = 0.2
    weight_marks: float = 0.1
    """Years, dates, weekdays and numbers shared (`features.event_marks`)."""
    weight_phrases: float = 0.2
    """Adjacent content-word pairs shared (`features.phrase_counts`)."""
    conflict_years: float = 0.1
    """Penalty for each pair of articles that both name years and share none (mean over pairs)."""
    conflict_dates: float = 0.0
    """The same for days of the month (`jun-13`)."""
    conflict_lead_years: float = 0.3
    """The same for years named in the headline and first lines (`e:`): the event's year."""
    grace_days: int = 3
    """Days beyond a story's span before the time penalty starts."""
    penalty_per_day: float = 0.02
    key_terms: int = 8
    """Words of an article (by TF-IDF weight) it is indexed and looked up under."""
    max_candidates: int = 24
    """Stories scored per article from the key index (and as many again from the vector LSH)."""
    centroid_terms: int = 400
    """Words (and names, marks) kept in a story's summed vectors (the heaviest ones)."""
    settle: int = 512
    settled_size: int = 32
    """An article placed in a story this large is final at once: one more report cannot take it
    elsewhere, and regrouping it again and again would only cost time."""
    """Articles stay provisional until this many newer ones have arrived: each batch is grouped
    together with them, so an early, weak decision can be undone once the reports that show
    where an article belongs have been read (see `add_batch`)."""


@dataclass(slots=True)
class StoryState:
    """A story as the clusterer keeps it: sums and counts it can update in place.

    `terms`, `name_weights` and `marks` are sums of its articles' unit-length weighted vectors,
    so a dot product with an article's unit vector divided by `size` is the mean similarity
    of the article to the story's articles (average link) at the cost of one sparse product.
    """

    id: int
    size: int = 0
    terms: SparseVector = field(default_factory=dict)
    vector: NDArray[np.float32] | None = None
    names: Counter[str] = field(default_factory=Counter)
    """Mention counts (for titles)."""
    start: date | None = None
    end: date | None = None
    heads: list[tuple[str, NDArray[np.float32]]] = field(default_factory=list)
    """(headline, vector) of its first articles and the most central ones: title candidates."""
    name_weights: SparseVector = field(default_factory=dict)
    marks: SparseVector = field(default_factory=dict)
    phrases: SparseVector = field(default_factory=dict)
    mark_counts: Counter[str] = field(default_factory=Counter)
    """Articles mentioning each year or date (`y:2013`), and mentioning any (`y:`, `d:`)."""

    @property
    def vector_norm(self) -> float:
        return float(self.size) or 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    article_id: str
    story: int
    score: float
    """Its score against the story it joined (0 for one that started a story)."""
    keys: tuple[str, ...] = ()
    """The index keys it was filed under (kept so a later run can rebuild the index)."""
    signatures: tuple[int, ...] = ()
    moved: bool = False
    """True for a provisional article placed by an earlier batch that now changed story."""


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Sparse dot product: the shared keys are found by a set intersection (in C), so the
    Python loop runs over the few shared terms only."""
    return sum([a[t] * b[t] for t in a.keys() & b.keys()])


def _unit(weights: dict[str, float]) -> SparseVector:
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def _take_from(total: SparseVector, part: Mapping[str, float]) -> None:
    """Undo `_add_into` for one article (entries capped away since are skipped)."""
    for t, w in part.items():
        if t in total:
            left = total[t] - w
            if abs(left) < 1e-9:
                del total[t]
            else:
                total[t] = left


def _add_into(total: SparseVector, part: Mapping[str, float], cap: int) -> SparseVector:
    for t, w in part.items():
        total[t] = total.get(t, 0.0) + w
    if len(total) > 2 * cap:
        return dict(sorted(total.items(), key=lambda tw: tw[1], reverse=True)[:cap])
    return total


_CONFLICT_KINDS = ("y:", "d:", "e:")


def _mark_counts(marks: Iterable[str]) -> Counter[str]:
    """An article's years and dates for conflict checks, as a one-article `mark_counts`."""
    counts = Counter(m for m in marks if m[:2] in _CONFLICT_KINDS)
    counts.update({m[:2] for m in counts})
    return counts


def _pairs(a: Counter[str], b: Counter[str], kind: str) -> tuple[int, float]:
    """Article pairs (one from each side) that both mention a `kind`, and those sharing one.

    Counted from per-story tallies: the pairs sharing one are estimated as the sum over values
    of the pairs mentioning it (exact when each article mentions one)."""
    both = a[kind] * b[kind]
    if not both:
        return 0, 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    shared = sum(c * large[m] for m, c in small.items() if m.startswith(kind) and m != kind)
    return both, min(float(both), shared)


def _cross(left: Sequence[Mapping[str, float]], right: Sequence[Mapping[str, float]]) -> NDArray[np.float64]:
    """Dot products between each left and each right sparse vector (one sparse matrix product);
    only the left side's keys make the vocabulary: others cannot contribute."""
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    for row in left:
        for t in row:
            vocabulary.setdefault(t, len(vocabulary))
    width = max(1, len(vocabulary))

    def matrix(rows: Sequence[Mapping[str, float]]) -> Any:
        indices: list[int] = []
        data: list[float] = []
        indptr = [0]
        for row in rows:
            shared = row.keys() & vocabulary.keys()  # a set intersection in C, then the few
            indices += [vocabulary[t] for t in shared]
            data += [row[t] for t in shared]
            indptr.append(len(indices))
        return csr_matrix((data, indices, indptr), shape=(len(rows), width))

    return np.asarray((matrix(left) @ matrix(right).T).toarray(), dtype=np.float64)


def _ordinal(day: date | None) -> int:
    return day.toordinal() if day is not None else 0


@dataclass(slots=True)
class _Article:
    """An article's weighted, unit-length vectors, computed once."""

    features: StoryFeatures
    terms: SparseVector
    names: SparseVector
    marks: SparseVector
    mark_counts: Counter[str]
    phrases: SparseVector


@dataclass(frozen=True, slots=True)
class _Sums:
    """The right side of a scoring: summed channel vectors with their article counts (stories,
    or single articles), tallies for conflicts and the time span (date ordinals, 0: none)."""

    terms: list[SparseVector]
    names: list[SparseVector]
    marks: list[SparseVector]
    phrases: list[SparseVector]
    vectors: list[NDArray[np.float32] | None]
    mark_counts: list[Counter[str]]
    start: NDArray[np.float64]
    end: NDArray[np.float64]
    sizes: NDArray[np.float64]

    @classmethod
    def of_stories(cls, stories: Sequence[StoryState]) -> _Sums:
        return cls(
            terms=[s.terms for s in stories],
            names=[s.name_weights for s in stories],
            marks=[s.marks for s in stories],
            phrases=[s.phrases for s in stories],
            vectors=[s.vector for s in stories],
            mark_counts=[s.mark_counts for s in stories],
            start=np.array([_ordinal(s.start) for s in stories], dtype=np.float64),
            end=np.array([_ordinal(s.end) for s in stories], dtype=np.float64),
            sizes=np.array([float(s.size) or 1.0 for s in stories]),
        )

    @classmethod
    def of_articles(cls, articles: Sequence[_Article]) -> _Sums:
        days = np.array([_ordinal(a.features.published) for a in articles], dtype=np.float64)
        return cls(
            terms=[a.terms for a in articles],
            names=[a.names for a in articles],
            marks=[a.marks for a in articles],
            phrases=[a.phrases for a in articles],
            vectors=[a.features.vector for a in articles],
            mark_counts=[a.mark_counts for a in articles],
            start=days,
            end=days,
            sizes=np.ones(len(articles)),
        )


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
        """Document frequencies of names and (prefixed `#`) of event marks."""
        self._next = 1
        self.dirty: set[int] = set()
        """Stories changed since the caller last cleared this set (to be saved)."""
        self.merges: list[tuple[int, int]] = []
        """(kept, merged) pairs since the caller last cleared this list."""
        self.keys = KeyIndex()
        self.lsh = HyperplaneLSH(dimensions)
        self.provisional: dict[str, tuple[_Article, int]] = {}
        """Articles that may still move (oldest first): as added, and the story they are in."""
        self._filed: dict[str, tuple[list[str], list[int]]] = {}
        """Index keys and LSH signatures of the provisional articles."""

    # Weights

    def tfidf(self, terms: Mapping[str, int]) -> SparseVector:
        return self._weights(terms, self.term_df)

    def _weigh(self, features: StoryFeatures) -> _Article:
        df = self.name_df
        return _Article(
            features=features,
            terms=self.tfidf(features.terms),
            names=self._weights(dict.fromkeys(features.names, 1), df),
            marks=self._weights({"#" + m: c for m, c in features.marks.items()}, df, prefix=1),
            mark_counts=_mark_counts(features.marks),
            # A phrase no other article has used cannot link this one to anything yet; kept,
            # it would only shrink the weight of the phrases that do.
            phrases=self._weights(features.phrases, self.term_df, least_df=2),
        )

    def _weights(
        self, counts: Mapping[str, int], df: Mapping[str, int], *, least_df: int = 0, prefix: int = 0
    ) -> SparseVector:
        """Unit-length sublinear TF-IDF weights (vectorised: articles are weighed again and
        again while provisional). `prefix` characters of each key are dropped from the result."""
        keys = [t for t in counts if df.get(t, 0) >= least_df] if least_df else list(counts)
        if not keys:
            return {}
        tf = 1.0 + np.log(np.fromiter((counts[t] for t in keys), dtype=np.float64, count=len(keys)))
        dfs = np.fromiter((df.get(t, 0) for t in keys), dtype=np.float64, count=len(keys))
        weights = tf * (np.log((self.documents + 1) / (dfs + 1)) + 1.0)
        weights /= float(np.sqrt(weights @ weights)) or 1.0
        return dict(zip([t[prefix:] for t in keys] if prefix else keys, weights.tolist(), strict=True))

    # Scoring

    def _time_penalty(self, start: date | None, end: date | None, story: StoryState) -> float:
        if start is None or end is None or story.start is None or story.end is None:
            return 0.0
        gap = max((story.start - end).days, (start - story.end).days, 0)
        return max(0, gap - self.config.grace_days) * self.config.penalty_per_day

    def _story_scores(
        self, articles: Sequence[_Article], stories: Sequence[StoryState]
    ) -> NDArray[np.float64]:
        """The score of every article against every story (mean similarity to its articles)."""
        return self._measure(articles, _Sums.of_stories(stories))

    def _pair_scores(self, articles: Sequence[_Article]) -> NDArray[np.float64]:
        """The same measure between each two articles of a batch."""
        return self._measure(articles, _Sums.of_articles(articles))

    def _measure(self, articles: Sequence[_Article], sums: _Sums) -> NDArray[np.float64]:
        """Weighted channel similarities minus conflicts, averaged over each right side's
        articles, minus the time penalty: one sparse matrix product per channel."""
        c = self.config
        total = c.weight_words * _cross([a.terms for a in articles], sums.terms)
        if c.weight_names:
            total += c.weight_names * _cross([a.names for a in articles], sums.names)
        if c.weight_marks:
            total += c.weight_marks * _cross([a.marks for a in articles], sums.marks)
        if c.weight_phrases:
            total += c.weight_phrases * _cross([a.phrases for a in articles], sums.phrases)
        if c.weight_vector:
            vectors = np.stack([a.features.vector for a in articles]).astype(np.float64)
            right = np.stack([np.zeros(vectors.shape[1]) if v is None else v for v in sums.vectors])
            total += c.weight_vector * (vectors @ right.astype(np.float64).T)
        total -= self._conflict_matrix([a.mark_counts for a in articles], sums.mark_counts)
        total /= sums.sizes
        published = np.array([_ordinal(a.features.published) for a in articles], dtype=np.float64)
        return total - self._time_penalties(published, sums.start, sums.end)

    def _conflict_matrix(
        self, left: Sequence[Counter[str]], right: Sequence[Counter[str]]
    ) -> NDArray[np.float64]:
        """`_conflicts` (before dividing by the pairs) between every left and right tally."""
        c = self.config

        def pairs(kind: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
            both = np.outer([k[kind] for k in left], [k[kind] for k in right]).astype(np.float64)
            values = [{m: float(n) for m, n in k.items() if m.startswith(kind) and m != kind} for k in left]
            other = [{m: float(n) for m, n in k.items() if m.startswith(kind) and m != kind} for k in right]
            return both, np.minimum(both, _cross(values, other))

        both_years, shared_years = pairs("y:")
        both_dates, shared_dates = pairs("d:")
        penalty = c.conflict_years * np.maximum(0.0, both_years - shared_years - shared_dates)
        penalty += c.conflict_dates * (both_dates - shared_dates)
        if c.conflict_lead_years:
            both_lead, shared_lead = pairs("e:")
            penalty += c.conflict_lead_years * np.maximum(0.0, both_lead - shared_lead - shared_dates)
        return penalty

    def _time_penalties(
        self, published: NDArray[np.float64], start: NDArray[np.float64], end: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Per (article, right side): the penalty for the days between the article's date and
        the side's span, beyond the grace period (0 where either is undated; ordinals)."""
        c = self.config
        dated = np.outer(published > 0, (start > 0) & (end > 0))
        gap = np.maximum(
            np.maximum(start[None, :] - published[:, None], published[:, None] - end[None, :]), 0
        )
        return np.where(dated, np.maximum(0.0, gap - c.grace_days) * c.penalty_per_day, 0.0)

    def _conflicts(self, a: Counter[str], b: Counter[str], pairs: float) -> float:
        """Mean penalty over article pairs for disagreeing on *when*: both name years but share
        none (unless they share a date: background years differ, the day reported is one), or
        both name dates and share none."""
        c = self.config
        both_years, shared_years = _pairs(a, b, "y:")
        both_dates, shared_dates = _pairs(a, b, "d:")
        both_lead, shared_lead = _pairs(a, b, "e:")
        year_conflicts = max(0.0, both_years - shared_years - shared_dates)
        date_conflicts = both_dates - shared_dates
        lead_conflicts = max(0.0, both_lead - shared_lead - shared_dates)
        return (
            c.conflict_years * year_conflicts
            + c.conflict_dates * date_conflicts
            + c.conflict_lead_years * lead_conflicts
        ) / pairs

    def score(self, features: StoryFeatures, story: StoryState) -> float:
        """How well an article fits a story: weighted mean similarities to its articles."""
        return float(self._story_scores([self._weigh(features)], [story])[0, 0])

    def story_similarity(self, a: StoryState, b: StoryState) -> float:
        """How alike two stories are: the mean similarity of their articles' pairs."""
        c = self.config
        pairs = float(a.size * b.size) or 1.0
        score = (
            c.weight_words * _dot(a.terms, b.terms)
            + c.weight_names * _dot(a.name_weights, b.name_weights)
            + c.weight_marks * _dot(a.marks, b.marks)
            + c.weight_phrases * _dot(a.phrases, b.phrases)
        )
        if c.weight_vector and a.vector is not None and b.vector is not None:
            score += c.weight_vector * float(a.vector @ b.vector)
        score /= pairs
        return (
            score
            - self._conflicts(a.mark_counts, b.mark_counts, pairs)
            - self._time_penalty(a.start, a.end, b)
        )

    def _keys(self, vector: Mapping[str, float], names: Mapping[str, float]) -> list[str]:
        top = sorted(vector, key=vector.__getitem__, reverse=True)[: self.config.key_terms]
        rare = sorted(names, key=names.__getitem__, reverse=True)[: self.config.key_terms // 2]
        return [f"w:{t}" for t in top] + [f"n:{n}" for n in rare]

    # Assigning

    def add_batch(self, batch: Sequence[StoryFeatures]) -> list[Assignment]:
        """Place a batch, together with the articles still provisional, then merge the stories
        they brought together.

        The batch's words count towards document frequencies first, so a word that is news
        today is weighed as such. The provisional articles (the last `settle` placed) are taken
        out of their stories and grouped again with the batch: batch by batch, a handful of
        articles of two similar events can look like one story; with the next reports read,
        they part. Returned: an assignment per batch article, and one per provisional article
        that changed story (`moved`).
        """
        for features in batch:
            self.documents += 1
            self.term_df.update(features.terms.keys())
            self.term_df.update(features.phrases.keys())
            self.name_df.update(features.names)
            self.name_df.update("#" + m for m in features.marks)
        if not batch:
            return []
        before, vacated = self._unplace_provisional()
        # Provisional articles are weighed again: counts have grown since (early on, by much),
        # and a phrase first seen alone may be shared now.
        articles = [self._weigh(f) for f in [*(a.features for a, _ in before.values()), *batch]]
        # A provisional article keeps the index keys it was filed under.
        keys = [self._filed[a.features.article_id][0] for a in articles[: len(before)]]
        keys += [self._keys(a.terms, a.names) for a in articles[len(before) :]]
        signatures = [self._filed[a.features.article_id][1] for a in articles[: len(before)]]
        signatures += self.lsh.signature_rows(np.stack([f.vector for f in batch]))
        columns: dict[int, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for row, (k, sig) in enumerate(zip(keys, signatures, strict=True)):
            for s in self._candidates(k, sig):
                rows.append(row)
                cols.append(columns.setdefault(s, len(columns)))
        to_stories = np.zeros((len(articles), len(columns)))
        if columns:
            scored = self._story_scores(articles, [self.stories[s] for s in columns])
            to_stories[rows, cols] = scored[rows, cols]
        sizes = np.zeros(len(columns))
        for s, col in columns.items():
            sizes[col] = self.stories[s].size
        grouping = group_batch(self._pair_scores(articles), to_stories, sizes, self.config.join)
        story_ids = list(columns)
        new = self._ids_for_new_groups(grouping.story, grouping.group, articles, before, vacated)
        assignments = []
        placed: dict[str, int] = {}
        for row, article in enumerate(articles):
            article_id = article.features.article_id
            story_id = (
                story_ids[grouping.story[row]] if grouping.story[row] >= 0 else new[grouping.group[row]]
            )
            self._add(self.stories[story_id], article)
            placed[article_id] = story_id
            if self.stories[story_id].size < self.config.settled_size:
                self.provisional[article_id] = (article, story_id)
                self._filed[article_id] = (keys[row], signatures[row])
            previous = before.get(article_id)
            if previous is not None and self.story_of(previous[1]) == story_id:
                continue  # a provisional article that stays: nothing to file or report again
            self.keys.add(keys[row], story_id)
            self.lsh.add(signatures[row], story_id)
            assignments.append(
                Assignment(
                    article_id=article_id,
                    story=story_id,
                    score=round(grouping.level[row], 4),
                    keys=tuple(keys[row]),
                    signatures=tuple(signatures[row]),
                    moved=previous is not None,
                )
            )
        self._retire(vacated, before, placed)
        changed = {a.story for a in assignments}
        changed.update(before[a.article_id][1] for a in assignments if a.moved)
        self.consolidate({self.story_of(s) for s in changed if self.story_of(s) in self.stories})
        self._settle()
        return assignments

    def _unplace_provisional(self) -> tuple[dict[str, tuple[_Article, int]], set[int]]:
        """Take the provisional articles out of their stories; returns them (with the story each
        was in) and the stories left empty."""
        before: dict[str, tuple[_Article, int]] = {}
        vacated: set[int] = set()
        for article_id, (article, story_id) in self.provisional.items():
            story_id = self.story_of(story_id)
            story = self.stories[story_id]
            self._remove(story, article)
            before[article_id] = (article, story_id)
            if story.size == 0:
                vacated.add(story_id)
                del self.stories[story_id]
        self.provisional.clear()
        return before, vacated

    def _ids_for_new_groups(
        self,
        story: Sequence[int],
        group: Sequence[int],
        articles: Sequence[_Article],
        before: Mapping[str, tuple[_Article, int]],
        vacated: set[int],
    ) -> dict[int, int]:
        """A story id for each group that joined no story: the emptied story most of its
        articles came from, when there is one (ids stay stable for whoever saw them), else new."""
        members: dict[int, Counter[int]] = {}
        for row, article in enumerate(articles):
            if story[row] < 0:
                came_from = members.setdefault(group[row], Counter())
                previous = before.get(article.features.article_id)
                if previous is not None and previous[1] in vacated:
                    came_from[previous[1]] += 1
        ids: dict[int, int] = {}
        for g, came_from in sorted(members.items(), key=lambda gc: -sum(gc[1].values())):
            reuse = next((s for s, _ in came_from.most_common() if s in vacated), None)
            if reuse is None:
                ids[g] = self._new_story()
            else:
                vacated.discard(reuse)
                self.stories[reuse] = StoryState(id=reuse)
                ids[g] = reuse
        return ids

    def _retire(
        self, vacated: set[int], before: Mapping[str, tuple[_Article, int]], placed: Mapping[str, int]
    ) -> None:
        """An emptied story whose id no group took is recorded as merged into the story most of
        its articles went to, so links to it still lead somewhere."""
        went: dict[int, Counter[int]] = {s: Counter() for s in vacated}
        for article_id, (_, old) in before.items():
            if old in went:
                went[old][placed[article_id]] += 1
        for gone, counts in went.items():
            kept = counts.most_common(1)[0][0]
            self.parent[gone] = kept
            self.dirty.discard(gone)
            self.merges.append((kept, gone))

    def _settle(self) -> None:
        """Articles beyond the `settle` newest are final."""
        excess = len(self.provisional) - self.config.settle
        if excess > 0:
            for article_id in list(self.provisional)[:excess]:
                del self.provisional[article_id]
                del self._filed[article_id]

    def _candidates(self, keys: Sequence[str], signatures: list[int] | None) -> list[int]:
        cap = self.config.max_candidates
        live = self.stories
        found = [s for s, _ in self.keys.candidates(keys, self.parent).most_common(cap) if s in live]
        if signatures is not None:
            seen = set(found)
            hits = self.lsh.candidates(signatures, self.parent)
            found += [s for s, _ in hits.most_common(cap + len(found)) if s not in seen and s in live][:cap]
        return found

    def consolidate(self, touched: Iterable[int]) -> list[tuple[int, int]]:
        """Merge touched stories with their most similar candidates, most similar pair first,
        while the pairs reach `merge` (average link, as a batch agglomeration would).

        Returns the (kept, merged) pairs. Only the touched stories are looked at, and only
        against the candidates their keys find: the cost follows the batch, not the store.
        """
        merges: list[tuple[int, int]] = []
        heap = [p for s in {self.story_of(s) for s in touched} if (p := self._best_partner(s))]
        heapq.heapify(heap)
        while heap:
            _, story_id, other, sizes = heapq.heappop(heap)
            if story_id not in self.stories or other not in self.stories:
                continue
            if sizes != (self.stories[story_id].size, self.stories[other].size):
                if refreshed := self._best_partner(story_id):  # changed since: look again
                    heapq.heappush(heap, refreshed)
                continue
            kept = self._merge(story_id, other)
            merges.append((kept, story_id + other - kept))
            if again := self._best_partner(kept):
                heapq.heappush(heap, again)
        return merges

    def _best_partner(self, story_id: int) -> tuple[float, int, int, tuple[int, int]] | None:
        """(−similarity, story, partner, their sizes) for its most similar candidate reaching
        `merge`, else None."""
        story = self.stories[story_id]
        keys = self._keys(story.terms, story.name_weights)
        best, other = max(
            (
                (self.story_similarity(story, self.stories[o]), o)
                for o in self._candidates(keys, None)
                if o != story_id
            ),
            default=(0.0, 0),
        )
        if best < self.config.merge:
            return None
        return (-best, story_id, other, (story.size, self.stories[other].size))

    def _new_story(self) -> int:
        story_id = self._next
        self._next += 1
        self.stories[story_id] = StoryState(id=story_id)
        return story_id

    def _add(self, story: StoryState, article: _Article) -> None:
        features = article.features
        cap = self.config.centroid_terms
        story.size += 1
        self.dirty.add(story.id)
        story.terms = _add_into(story.terms, article.terms, cap)
        story.name_weights = _add_into(story.name_weights, article.names, cap)
        story.marks = _add_into(story.marks, article.marks, cap)
        story.phrases = _add_into(story.phrases, article.phrases, cap)
        story.mark_counts.update(article.mark_counts)
        story.vector = features.vector.copy() if story.vector is None else story.vector + features.vector
        story.names.update(features.names)
        if len(story.names) > 2 * cap:
            story.names = Counter(dict(story.names.most_common(cap)))
        if features.published is not None:
            story.start = min(story.start or features.published, features.published)
            story.end = max(story.end or features.published, features.published)
        if features.title:
            _keep_head(story, features.title, features.vector)

    def _remove(self, story: StoryState, article: _Article) -> None:
        """Take an article back out of a story (its time span is left as it was)."""
        features = article.features
        story.size -= 1
        self.dirty.add(story.id)
        for total, part in (
            (story.terms, article.terms),
            (story.name_weights, article.names),
            (story.marks, article.marks),
            (story.phrases, article.phrases),
        ):
            _take_from(total, part)
        story.mark_counts.subtract(article.mark_counts)
        story.mark_counts = +story.mark_counts
        story.names.subtract(features.names)
        story.names = +story.names
        if story.vector is not None:
            story.vector = story.vector - features.vector
        story.heads = [(h, v) for h, v in story.heads if h != features.title]

    def _merge(self, keep: int, other: int) -> int:
        """Merge two stories; the older (smaller id) keeps its id. Returns the surviving id."""
        keep, gone = min(keep, other), max(keep, other)
        a, b = self.stories[keep], self.stories.pop(gone)
        cap = self.config.centroid_terms
        a.size += b.size
        a.terms = _add_into(a.terms, b.terms, cap)
        a.name_weights = _add_into(a.name_weights, b.name_weights, cap)
        a.marks = _add_into(a.marks, b.marks, cap)
        a.phrases = _add_into(a.phrases, b.phrases, cap)
        a.mark_counts.update(b.mark_counts)
        if b.vector is not None:
            a.vector = b.vector.copy() if a.vector is None else a.vector + b.vector
        a.names.update(b.names)
        dates = [d for d in (a.start, a.end, b.start, b.end) if d is not None]
        a.start, a.end = (min(dates), max(dates)) if dates else (None, None)
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
