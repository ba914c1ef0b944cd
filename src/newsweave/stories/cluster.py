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
reaches no story starts one. Words, names and marks are scored as integer ids
(`stories/sparse.py`): one sparse matrix product per channel for a whole batch, and a
provisional article whose weights have not changed keeps its scores with the others. Then
stories the batch touched are merged, most similar pair first, while they reach `merge`: the
older keeps its id (`docs/stories.md`, merge and split policy).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from numpy.typing import NDArray

from newsweave.stories.features import StoryFeatures
from newsweave.stories.grouping import group_batch
from newsweave.stories.index import HyperplaneLSH, KeyIndex, find_story
from newsweave.stories.sparse import Frequencies, IdArray, Products, Row, ValueArray

IdVector = dict[int, float]
"""A sparse vector keyed by the clusterer's ids (`OnlineClusterer.readable_sums` names them)."""

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
    settle: int = 1024
    """Articles stay provisional until this many newer ones have arrived: each batch is grouped
    together with them, so an early, weak decision can be undone once the reports that show
    where an article belongs have been read (see `add_batch`)."""
    reweigh_growth: float = 0.05
    """A provisional article is weighed again when the collection has grown by this share since
    it was weighed (below, every word's IDF has moved by less than log 1.05 ≈ 0.05), or when one
    of its phrases has just become shared: its weights, and its scores with the other
    provisional articles, are kept otherwise."""
    forget_phrases_after: int = 50_000
    """A phrase counted once and not seen again in this many articles is forgotten: its only
    article has long settled (a phrase enters a story's sums only once shared), so its count
    can link nothing; memory then follows the phrases in use, not every pair of words read."""
    settled_size: int = 32
    """An article placed in a story this large is final at once: one more report cannot take it
    elsewhere, and regrouping it again and again would only cost time."""


_CONFLICT_KINDS = ("y:", "d:", "e:")
"""Years, dates, and years of the headline and first lines: the marks that conflict."""


@dataclass(frozen=True, slots=True)
class _Channels:
    """An article or a story as sparse rows over ids, one per channel, and its year and date
    tallies (`_CONFLICT_KINDS`: how many articles mention each value, and any value)."""

    words: Row
    names: Row
    marks: Row
    phrases: Row
    conflicts: tuple[Row, Row, Row]
    tallies: NDArray[np.float64]


@dataclass(slots=True)
class StoryState:
    """A story as the clusterer keeps it: sums and counts it can update in place.

    `terms`, `name_weights`, `marks` and `phrases` are sums of its articles' unit-length
    weighted vectors, so a dot product with an article's unit vector divided by `size` is the
    mean similarity of the article to the story's articles (average link) at the cost of one
    sparse product. They are keyed by the clusterer's ids (integers hash and compare faster
    than words, and make the rows to score without a lookup); `readable_sums` names them.
    """

    id: int
    size: int = 0
    terms: IdVector = field(default_factory=dict)
    vector: NDArray[np.float32] | None = None
    names: Counter[str] = field(default_factory=Counter)
    """Mention counts (for titles)."""
    start: date | None = None
    end: date | None = None
    heads: list[tuple[str, NDArray[np.float32]]] = field(default_factory=list)
    """(headline, vector) of its first articles and the most central ones: title candidates."""
    name_weights: IdVector = field(default_factory=dict)
    marks: IdVector = field(default_factory=dict)
    phrases: IdVector = field(default_factory=dict)
    mark_counts: Counter[str] = field(default_factory=Counter)
    """Articles mentioning each year or date (`y:2013`), and mentioning any (`y:`, `d:`)."""
    channels: _Channels | None = None
    """The sums as rows over the clusterer's ids, built when first scored after a change."""

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


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedArticle:
    """A provisional article as the store keeps it, to be brought back by `restore`."""

    features: StoryFeatures
    """Read again from the stored article (with the names and the vector it was placed with)."""
    story: int
    """The story it was placed in (maybe merged since)."""
    arrived: int
    weighed_at: int
    weights: Mapping[str, Mapping[str, float]]
    """Its weights as last weighed: document frequencies have moved since."""
    keys: Sequence[str]
    signatures: Sequence[int]


def _take_from(total: IdVector, part: Mapping[int, float]) -> None:
    """Undo `_add_into` for one article (entries capped away since are skipped)."""
    for t in part.keys() & total.keys():
        left = total[t] - part[t]
        if -1e-9 < left < 1e-9:
            del total[t]
        else:
            total[t] = left


def _discount(counts: Counter[str], part: Mapping[str, int]) -> None:
    """Take one article's counts out of a tally (keys at zero go; capped-away keys are skipped)."""
    for key in part.keys() & counts.keys():
        left = counts[key] - part[key]
        if left > 0:
            counts[key] = left
        else:
            del counts[key]


def _add_into(total: IdVector, part: Mapping[int, float], cap: int) -> IdVector:
    for t, w in part.items():
        total[t] = total.get(t, 0.0) + w
    if len(total) > 2 * cap:
        return dict(sorted(total.items(), key=lambda tw: tw[1], reverse=True)[:cap])
    return total


def _mark_counts(marks: Iterable[str]) -> Counter[str]:
    """An article's years and dates for conflict checks, as a one-article `mark_counts`."""
    counts = Counter(m for m in marks if m[:2] in _CONFLICT_KINDS)
    counts.update({m[:2] for m in counts})
    return counts


def _ordinal(day: date | None) -> int:
    return day.toordinal() if day is not None else 0


def _conflict_rows(
    mark_counts: Mapping[str, int], frequencies: Frequencies
) -> tuple[tuple[Row, Row, Row], NDArray[np.float64]]:
    """The values of each conflict kind with their counts, as rows, and the kinds' tallies."""

    def values(kind: str) -> Row:
        found = [(m, n) for m, n in mark_counts.items() if m.startswith(kind) and m != kind]
        ids = frequencies.ids_of(["#" + m for m, _ in found])  # marks are counted as `#mark`
        return Row(ids, np.array([float(n) for _, n in found]))

    rows = tuple(values(kind) for kind in _CONFLICT_KINDS)
    tallies = np.array([float(mark_counts.get(kind, 0)) for kind in _CONFLICT_KINDS])
    return (rows[0], rows[1], rows[2]), tallies


def _stacked(vectors: Sequence[NDArray[np.float32] | None]) -> NDArray[np.float64]:
    width = next(len(v) for v in vectors if v is not None)
    return np.stack([np.zeros(width) if v is None else v.astype(np.float64) for v in vectors])


@dataclass(frozen=True, slots=True)
class _Counts:
    """One channel of an article before weighting: the ids of its keys and their damped counts
    (looked up once; the weights change as document frequencies grow)."""

    ids: IdArray
    tf: ValueArray

    @classmethod
    def of(cls, counts: Mapping[str, int], frequencies: Frequencies, prefix: str = "") -> _Counts:
        keys = list(counts)
        ids = frequencies.ids_of([prefix + k for k in keys] if prefix else keys)
        return cls(ids, 1.0 + np.log(np.fromiter(counts.values(), np.float64, len(keys))))


@dataclass(frozen=True, slots=True)
class _ArticleCounts:
    words: _Counts
    names: _Counts
    marks: _Counts
    phrases: _Counts
    arrived: int
    """The collection's size when the article was counted in."""
    mark_counts: Counter[str]
    conflicts: tuple[Row, Row, Row]
    tallies: NDArray[np.float64]


@dataclass(slots=True)
class _Article:
    """An article's weighted, unit-length vectors (as mappings, to add to a story's sums, and
    as rows, to score)."""

    features: StoryFeatures
    counts: _ArticleCounts
    weighed_at: int
    """The collection's size when weighed."""
    terms: IdVector
    names: IdVector
    marks: IdVector
    phrases: IdVector
    channels: _Channels

    @property
    def mark_counts(self) -> Counter[str]:
        return self.counts.mark_counts


@dataclass(frozen=True, slots=True)
class _Sums:
    """One side of a scoring: summed channels with their article counts (stories, or single
    articles) and time spans (date ordinals, 0: none)."""

    channels: list[_Channels]
    vectors: list[NDArray[np.float32] | None]
    start: NDArray[np.float64]
    end: NDArray[np.float64]
    sizes: NDArray[np.float64]

    @classmethod
    def of_articles(cls, articles: Sequence[_Article]) -> _Sums:
        days = np.array([_ordinal(a.features.published) for a in articles], dtype=np.float64)
        return cls(
            channels=[a.channels for a in articles],
            vectors=[a.features.vector for a in articles],
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
        self.term_df = Frequencies()
        """Document frequencies of words."""
        self.phrase_df = Frequencies()
        """Document frequencies of phrases (pairs of adjacent content words)."""
        self.forgotten: list[str] = []
        """Phrases forgotten since the caller last cleared this list (`forget_phrases_after`;
        the stage deletes them from the store, then clears it)."""
        self._forgotten_at = 0
        """The collection's size when phrases were last forgotten."""
        self.name_df = Frequencies()
        """Document frequencies of names and (prefixed `#`) of event marks."""
        self._products = Products()
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
        self.unsaved: set[str] = set()
        """Provisional articles placed, weighed again or moved since the caller last cleared
        this set (to be saved: the next batch may still move them, so a clusterer read back from
        the store needs them as they are in memory)."""
        self.settled: set[str] = set()
        """Articles no longer provisional since the caller last cleared this set (to be deleted
        from the saved provisional ones)."""
        self._last_pairs: tuple[list[_Article], NDArray[np.float64]] = ([], np.zeros((0, 0)))
        """The last batch's articles (their rows) and the scores between them."""

    # Weights

    def _count(self, features: StoryFeatures) -> _ArticleCounts:
        marks = _mark_counts(features.marks)
        conflicts, tallies = _conflict_rows(marks, self.name_df)
        return _ArticleCounts(
            words=_Counts.of(features.terms, self.term_df),
            # Sorted: a set's order changes with the hash seed, and with it the order sums
            # are added in (the last bits, enough to flip a tie): the same input, the same stories.
            names=_Counts.of(dict.fromkeys(sorted(features.names), 1), self.name_df),
            marks=_Counts.of(features.marks, self.name_df, prefix="#"),
            phrases=_Counts.of(features.phrases, self.phrase_df),
            arrived=self.documents,
            mark_counts=marks,
            conflicts=conflicts,
            tallies=tallies,
        )

    def _count_in(self, features: StoryFeatures) -> _ArticleCounts:
        """An arriving article's keys, counted towards the document frequencies."""
        self.documents += 1
        self.phrase_df.clock = self.documents
        counts = self._count(features)
        self.term_df.add(counts.words.ids)
        self.phrase_df.add(counts.phrases.ids)
        self.name_df.add(counts.names.ids)
        self.name_df.add(counts.marks.ids)
        return counts

    def _weigh(self, features: StoryFeatures, counts: _ArticleCounts | None = None) -> _Article:
        counts = counts or self._count(features)
        terms, term_row = self._weights(counts.words, self.term_df)
        names, name_row = self._weights(counts.names, self.name_df)
        marks, mark_row = self._weights(counts.marks, self.name_df)
        # A phrase no other article has used cannot link this one to anything yet; kept,
        # it would only shrink the weight of the phrases that do.
        phrases, phrase_row = self._weights(counts.phrases, self.phrase_df, least_df=2)
        channels = _Channels(term_row, name_row, mark_row, phrase_row, counts.conflicts, counts.tallies)
        return _Article(features, counts, self.documents, terms, names, marks, phrases, channels)

    def _weights(self, counts: _Counts, df: Frequencies, *, least_df: int = 0) -> tuple[IdVector, Row]:
        """Unit-length sublinear TF-IDF weights, as a mapping and as a row (vectorised: articles
        are weighed again and again while provisional)."""
        ids, tf = counts.ids, counts.tf
        dfs = df.of(ids)
        if least_df:
            common = dfs >= least_df
            ids, tf, dfs = ids[common], tf[common], dfs[common]
        weights = tf * (np.log((self.documents + 1) / (dfs + 1)) + 1.0)
        weights /= float(np.sqrt(weights @ weights)) or 1.0
        return dict(zip(ids.tolist(), weights.tolist(), strict=True)), Row(ids, weights)

    def _story_channels(self, story: StoryState) -> _Channels:
        if story.channels is None:
            conflicts, tallies = _conflict_rows(story.mark_counts, self.name_df)
            story.channels = _Channels(
                words=Row.of(story.terms),
                names=Row.of(story.name_weights),
                marks=Row.of(story.marks),
                phrases=Row.of(story.phrases),
                conflicts=conflicts,
                tallies=tallies,
            )
        return story.channels

    def _of_stories(self, stories: Sequence[StoryState]) -> _Sums:
        return _Sums(
            channels=[self._story_channels(s) for s in stories],
            vectors=[s.vector for s in stories],
            start=np.array([_ordinal(s.start) for s in stories], dtype=np.float64),
            end=np.array([_ordinal(s.end) for s in stories], dtype=np.float64),
            sizes=np.array([float(s.size) or 1.0 for s in stories]),
        )

    # Scoring

    def _measure(self, left: _Sums, right: _Sums) -> NDArray[np.float64]:
        """Weighted channel similarities minus conflicts, averaged over the article pairs of
        each left and right side, minus the time penalty: one sparse product per channel."""
        c = self.config
        cross = self._products.cross
        ours, theirs = left.channels, right.channels
        total = c.weight_words * cross([x.words for x in ours], [x.words for x in theirs])
        if c.weight_names:
            total += c.weight_names * cross([x.names for x in ours], [x.names for x in theirs])
        if c.weight_marks:
            total += c.weight_marks * cross([x.marks for x in ours], [x.marks for x in theirs])
        if c.weight_phrases:
            total += c.weight_phrases * cross([x.phrases for x in ours], [x.phrases for x in theirs])
        if c.weight_vector:
            total += c.weight_vector * (_stacked(left.vectors) @ _stacked(right.vectors).T)
        total -= self._conflict_matrix(ours, theirs)
        total /= np.outer(left.sizes, right.sizes)
        return total - self._time_penalties(left, right)

    def _conflict_matrix(self, left: Sequence[_Channels], right: Sequence[_Channels]) -> NDArray[np.float64]:
        """Per left and right side, the article pairs disagreeing on *when* (weighted; before
        dividing by the pairs): both name years but share none (unless they share a date:
        background years differ, the day reported is one), or both name dates and share none.
        Pairs sharing a value are counted from per-side tallies: the sum over values of the
        pairs mentioning it (exact when each article mentions one)."""
        c = self.config
        ours = np.stack([x.tallies for x in left])
        theirs = np.stack([x.tallies for x in right])

        def pairs(kind: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
            both = np.outer(ours[:, kind], theirs[:, kind])
            if not both.any():
                return both, both
            shared = self._products.cross(
                [x.conflicts[kind] for x in left], [x.conflicts[kind] for x in right]
            )
            return both, np.minimum(both, shared)

        both_years, shared_years = pairs(0)
        both_dates, shared_dates = pairs(1)
        penalty = c.conflict_years * np.maximum(0.0, both_years - shared_years - shared_dates)
        penalty += c.conflict_dates * (both_dates - shared_dates)
        if c.conflict_lead_years:
            both_lead, shared_lead = pairs(2)
            penalty += c.conflict_lead_years * np.maximum(0.0, both_lead - shared_lead - shared_dates)
        return penalty

    def _time_penalties(self, left: _Sums, right: _Sums) -> NDArray[np.float64]:
        """Per (left, right) side: the penalty for the days between their time spans, beyond
        the grace period (0 where either is undated; ordinals)."""
        c = self.config
        dated = np.outer((left.start > 0) & (left.end > 0), (right.start > 0) & (right.end > 0))
        gap = np.maximum(
            np.maximum(right.start[None, :] - left.end[:, None], left.start[:, None] - right.end[None, :]), 0
        )
        return np.where(dated, np.maximum(0.0, gap - c.grace_days) * c.penalty_per_day, 0.0)

    def score(self, features: StoryFeatures, story: StoryState) -> float:
        """How well an article fits a story: weighted mean similarities to its articles."""
        return float(
            self._measure(_Sums.of_articles([self._weigh(features)]), self._of_stories([story]))[0, 0]
        )

    def _keys(self, terms: Mapping[int, float], names: Mapping[int, float]) -> list[str]:
        """Index keys: the heaviest words and names (`w:word`, `n:name`)."""
        top = sorted(terms, key=terms.__getitem__, reverse=True)[: self.config.key_terms]
        rare = sorted(names, key=names.__getitem__, reverse=True)[: self.config.key_terms // 2]
        word, name = self.term_df.key_of, self.name_df.key_of
        return [f"w:{word[t]}" for t in top] + [f"n:{name[n]}" for n in rare]

    # Saving

    def readable_sums(self, story: StoryState) -> dict[str, dict[str, float]]:
        """A story's sums keyed by word, phrase, name and mark (to save it, and to title it)."""
        word, name = self.term_df.key_of, self.name_df.key_of
        return {
            "terms": {word[t]: w for t, w in story.terms.items()},
            "name_weights": {name[n]: w for n, w in story.name_weights.items()},
            "marks": {name[m][1:]: w for m, w in story.marks.items()},  # marks are counted as `#mark`
            "phrases": {self.phrase_df.key_of[p]: w for p, w in story.phrases.items()},
        }

    def _sums_from(self, story: StoryState, readable: Mapping[str, Mapping[str, float]]) -> StoryState:
        """`readable_sums` undone: the story with its sums keyed by id again."""
        story.terms = self._keyed(readable.get("terms", {}), self.term_df)
        story.name_weights = self._keyed(readable.get("name_weights", {}), self.name_df)
        story.marks = self._keyed(readable.get("marks", {}), self.name_df, "#")
        story.phrases = self._keyed(readable.get("phrases", {}), self.phrase_df)
        story.channels = None
        return story

    @staticmethod
    def _keyed(weights: Mapping[str, float], frequencies: Frequencies, prefix: str = "") -> IdVector:
        ids = frequencies.ids_of([prefix + k for k in weights])
        return dict(zip(ids.tolist(), weights.values(), strict=True))

    @property
    def forgotten_at(self) -> int:
        """The collection's size when phrases were last forgotten (saved with the counts)."""
        return self._forgotten_at

    def saved_article(self, article_id: str) -> SavedArticle:
        """A provisional article as `restore` takes it back (its weights keyed by word, name,
        mark and phrase)."""
        article, story_id = self.provisional[article_id]
        keys, signatures = self._filed[article_id]
        word, name = self.term_df.key_of, self.name_df.key_of
        return SavedArticle(
            features=article.features,
            story=story_id,
            arrived=article.counts.arrived,
            weighed_at=article.weighed_at,
            weights={
                "terms": {word[t]: w for t, w in article.terms.items()},
                "names": {name[n]: w for n, w in article.names.items()},
                "marks": {name[m][1:]: w for m, w in article.marks.items()},  # counted as `#mark`
                "phrases": {self.phrase_df.key_of[p]: w for p, w in article.phrases.items()},
            },
            keys=keys,
            signatures=signatures,
        )

    def _saved_article(self, saved: SavedArticle) -> _Article:
        """`saved_article` undone: the article as it was last weighed."""
        counts = replace(self._count(saved.features), arrived=saved.arrived)
        weights = saved.weights
        terms = self._keyed(weights.get("terms", {}), self.term_df)
        names = self._keyed(weights.get("names", {}), self.name_df)
        marks = self._keyed(weights.get("marks", {}), self.name_df, "#")
        phrases = self._keyed(weights.get("phrases", {}), self.phrase_df)
        channels = _Channels(
            Row.of(terms), Row.of(names), Row.of(marks), Row.of(phrases), counts.conflicts, counts.tallies
        )
        return _Article(saved.features, counts, saved.weighed_at, terms, names, marks, phrases, channels)

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
        counted = [self._count_in(f) for f in batch]
        if not batch:
            return []
        self._forget_phrases()
        before, vacated = self._unplace_provisional()
        # Provisional articles are weighed again when counts have grown since (early on, by
        # much), or a phrase first seen alone is shared now (`reweigh_growth`).
        phrases = np.concatenate([c.phrases.ids for c in counted])
        shared_now = np.unique(phrases[self.phrase_df.of(phrases) == 2])
        articles = [
            self._weigh(a.features, a.counts) if self._stale(a, shared_now) else a for a, _ in before.values()
        ]
        articles += [self._weigh(f, c) for f, c in zip(batch, counted, strict=True)]
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
        batch_sums = _Sums.of_articles(articles)
        if columns:
            scored = self._measure(batch_sums, self._of_stories([self.stories[s] for s in columns]))
            to_stories[rows, cols] = scored[rows, cols]
        sizes = np.zeros(len(columns))
        for s, col in columns.items():
            sizes[col] = self.stories[s].size
        grouping = group_batch(self._batch_pairs(articles, batch_sums), to_stories, sizes, self.config.join)
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
        self._note_provisional(before)
        return assignments

    def _note_provisional(self, before: Mapping[str, tuple[_Article, int]]) -> None:
        """Record which provisional articles changed (to save) and which settled (to delete)."""
        for article_id in before.keys() - self.provisional.keys():
            self._filed.pop(article_id, None)
            self.settled.add(article_id)
            self.unsaved.discard(article_id)
        for article_id in self._filed.keys() - self.provisional.keys():  # new, settled at once
            del self._filed[article_id]
        for article_id, (article, story_id) in self.provisional.items():
            previous = before.get(article_id)
            if (
                previous is None
                or previous[0] is not article
                or self.story_of(previous[1]) != self.story_of(story_id)
            ):
                self.unsaved.add(article_id)
                self.settled.discard(article_id)

    def _forget_phrases(self) -> None:
        """Every tenth of `forget_phrases_after` articles, forget the phrases counted once and
        first seen longer ago than that (never one of a provisional article: its ids stay)."""
        after = self.config.forget_phrases_after
        if self.documents - self._forgotten_at < max(1, after // 10):
            return
        self._forgotten_at = self.documents
        seen_before = self.documents - after
        if self.provisional:
            oldest, _ = next(iter(self.provisional.values()))
            seen_before = min(seen_before, oldest.counts.arrived)
        self.forgotten += self.phrase_df.forget(seen_before)

    def _stale(self, article: _Article, shared_now: IdArray) -> bool:
        if self.documents > article.weighed_at * (1.0 + self.config.reweigh_growth):
            return True
        return bool(np.isin(article.counts.phrases.ids, shared_now, assume_unique=True).any())

    def _batch_pairs(self, articles: Sequence[_Article], sums: _Sums) -> NDArray[np.float64]:
        """The scores between each two articles of a batch (with the provisional ones; `sums`:
        theirs); those between articles weighed as before are taken from the last batch's."""
        last_articles, last = self._last_pairs
        # By identity: an article weighed again is a new object (the list keeps the old ones
        # alive, so no id is reused meanwhile).
        row_of = {id(a): row for row, a in enumerate(last_articles)}
        again = [(i, row) for i, a in enumerate(articles) if (row := row_of.get(id(a))) is not None]
        pairs = np.empty((len(articles), len(articles)))
        if again:
            now, then = (list(x) for x in zip(*again, strict=True))
            pairs[np.ix_(now, now)] = last[np.ix_(then, then)]
        reused = {i for i, _ in again}
        fresh = [i for i in range(len(articles)) if i not in reused]
        if fresh:
            scored = self._measure(_Sums.of_articles([articles[i] for i in fresh]), sums)
            pairs[fresh, :] = scored
            pairs[:, fresh] = scored.T
            # A pair weighed in different batches has the score the batch that weighed the later
            # one gave it, both ways (that article on the left: sums add up in its order). Kept
            # scores are such; here the pair is scored again only when the clusterer was read
            # back from the store, and must come out the same to the last bit.
            weighed = np.array([articles[i].weighed_at for i in fresh])
            later, earlier = np.nonzero(weighed[:, None] > weighed[None, :])
            if len(later):
                rows, cols = np.array(fresh)[later], np.array(fresh)[earlier]
                pairs[rows, cols] = pairs[cols, rows] = scored[later, cols]
        self._last_pairs = (list(articles), pairs)
        return pairs

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
        heap = self._best_partners({self.story_of(s) for s in touched})
        heapq.heapify(heap)
        while heap:
            _, story_id, other, sizes = heapq.heappop(heap)
            if story_id not in self.stories or other not in self.stories:
                continue
            if sizes != (self.stories[story_id].size, self.stories[other].size):
                for refreshed in self._best_partners([story_id]):  # changed since: look again
                    heapq.heappush(heap, refreshed)
                continue
            kept = self._merge(story_id, other)
            merges.append((kept, story_id + other - kept))
            for again in self._best_partners([kept]):
                heapq.heappush(heap, again)
        return merges

    def _best_partners(self, story_ids: Iterable[int]) -> list[tuple[float, int, int, tuple[int, int]]]:
        """(−similarity, story, partner, their sizes) for each story's most similar candidate
        reaching `merge` (all scored at once)."""
        ours = list(story_ids)
        rows: list[int] = []
        cols: list[int] = []
        columns: dict[int, int] = {}
        for row, story_id in enumerate(ours):
            story = self.stories[story_id]
            for other in self._candidates(self._keys(story.terms, story.name_weights), None):
                if other != story_id:
                    rows.append(row)
                    cols.append(columns.setdefault(other, len(columns)))
        if not columns:
            return []
        theirs = list(columns)
        measured = self._measure(
            self._of_stories([self.stories[s] for s in ours]),
            self._of_stories([self.stories[o] for o in theirs]),
        )
        scores = np.full(measured.shape, -np.inf)
        scores[rows, cols] = measured[rows, cols]
        best = scores.argmax(axis=1)
        partners = []
        for row, story_id in enumerate(ours):
            value = float(scores[row, best[row]])
            if value >= self.config.merge:
                other = theirs[best[row]]
                partners.append(
                    (-value, story_id, other, (self.stories[story_id].size, self.stories[other].size))
                )
        return partners

    def _new_story(self) -> int:
        story_id = self._next
        self._next += 1
        self.stories[story_id] = StoryState(id=story_id)
        return story_id

    def _add(self, story: StoryState, article: _Article) -> None:
        features = article.features
        cap = self.config.centroid_terms
        story.size += 1
        story.channels = None
        self.dirty.add(story.id)
        story.terms = _add_into(story.terms, article.terms, cap)
        story.name_weights = _add_into(story.name_weights, article.names, cap)
        story.marks = _add_into(story.marks, article.marks, cap)
        story.phrases = _add_into(story.phrases, article.phrases, cap)
        story.mark_counts.update(article.mark_counts)
        story.vector = features.vector.copy() if story.vector is None else story.vector + features.vector
        story.names.update(sorted(features.names))
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
        story.channels = None
        self.dirty.add(story.id)
        for total, part in (
            (story.terms, article.terms),
            (story.name_weights, article.names),
            (story.marks, article.marks),
            (story.phrases, article.phrases),
        ):
            _take_from(total, part)
        _discount(story.mark_counts, article.mark_counts)
        _discount(story.names, dict.fromkeys(features.names, 1))
        if story.vector is not None:
            story.vector = story.vector - features.vector
        story.heads = [(h, v) for h, v in story.heads if h != features.title]

    def _merge(self, keep: int, other: int) -> int:
        """Merge two stories; the older (smaller id) keeps its id. Returns the surviving id."""
        keep, gone = min(keep, other), max(keep, other)
        a, b = self.stories[keep], self.stories.pop(gone)
        cap = self.config.centroid_terms
        a.size += b.size
        a.channels = None
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
        phrase_df: Mapping[str, int],
        name_df: Mapping[str, int],
        stories: Iterable[tuple[StoryState, Mapping[str, Mapping[str, float]]]],
        merged: Mapping[int, int],
        filed: Iterable[tuple[int, Sequence[str], Sequence[int]]],
        provisional: Iterable[SavedArticle] = (),
        forgotten_at: int | None = None,
        phrases_born: Mapping[str, int] | None = None,
        first_id: int = 1,
    ) -> None:
        """Bring back a saved state: counts, live stories (each with its `readable_sums`), merges,
        the index entries ((story, keys, signatures) each time an article was filed, in order),
        the provisional articles (oldest first), when phrases were last forgotten, and when the
        phrases counted once were first seen; a new story takes `first_id` at least."""
        self.documents = documents
        self.term_df = Frequencies(term_df)
        self.phrase_df = Frequencies(phrase_df, born=phrases_born)
        self.phrase_df.clock = documents
        self._forgotten_at = documents if forgotten_at is None else forgotten_at
        self.name_df = Frequencies(name_df)
        self.stories = {s.id: self._sums_from(s, sums) for s, sums in stories}
        self.parent = dict(merged)
        self._next = max([*self.stories, *self.parent, first_id - 1, 0]) + 1
        for story, keys, signatures in filed:
            self.keys.add(keys, story)
            if signatures:
                self.lsh.add(list(signatures), story)
        for saved in provisional:
            article_id = saved.features.article_id
            self.provisional[article_id] = (self._saved_article(saved), saved.story)
            self._filed[article_id] = (list(saved.keys), list(saved.signatures))


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
