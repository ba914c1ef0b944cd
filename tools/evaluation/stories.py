"""Story clustering scored on labelled news: FNC-1 bodies grouped by `story`, ECB+ by sub-event.

B-cubed precision, recall and F1 (per article: the share of its predicted story that is truly
its story, and of its true story that was predicted with it; averaged) and the adjusted Rand
index. Two contenders in the same run:

- the **baseline**: TF-IDF vectors with agglomerative clustering (average link, cosine), batch
  and quadratic, its distance threshold tuned on the data it is scored on (`tune_baseline`);
- **newsweave**: the online clusterer (`stories/cluster.py`), articles fed in a shuffled order
  in batches as the pipeline would, scored as the mean over several orders.
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsweave.stories.cluster import BATCH, ClusterConfig, OnlineClusterer
from newsweave.stories.features import StoryFeatures, make_features, stop_words
from newsweave.stories.vectors import Backend, embedding_text, encode


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelledArticle:
    id: str
    title: str | None
    text: str
    story: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterScore:
    precision: float
    recall: float
    f1: float
    ari: float
    clusters: int

    def as_dict(self) -> dict[str, float]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "ari": round(self.ari, 4),
            "clusters": self.clusters,
        }


def load_labelled(path: Path) -> list[LabelledArticle]:
    """Articles with a `story` label from a JSON Lines file of the shared data."""
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            out.append(
                LabelledArticle(
                    id=str(row["id"]), title=row.get("title"), text=row["text"], story=row["story"]
                )
            )
    return out


def bcubed(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> ClusterScore:
    """B-cubed precision, recall, F1 and the adjusted Rand index of a clustering."""
    from sklearn.metrics import adjusted_rand_score

    pairs = Counter(zip(gold, predicted, strict=True))
    gold_sizes, predicted_sizes = Counter(gold), Counter(predicted)
    n = len(gold)
    precision = sum(c * c / predicted_sizes[p] for (_, p), c in pairs.items()) / n
    recall = sum(c * c / gold_sizes[g] for (g, _), c in pairs.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    ari = float(adjusted_rand_score(list(map(str, gold)), list(map(str, predicted))))
    return ClusterScore(precision=precision, recall=recall, f1=f1, ari=ari, clusters=len(predicted_sizes))


# The baseline


def _baseline_tree(articles: Sequence[LabelledArticle]) -> NDArray[np.float64]:
    """Average-link dendrogram of TF-IDF vectors under cosine distance (O(n²) time and memory)."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import pdist
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{a.title or ''}\n{a.text}" for a in articles]
    matrix = TfidfVectorizer(stop_words=sorted(stop_words()), sublinear_tf=True).fit_transform(texts)
    tree: NDArray[np.float64] = linkage(pdist(matrix.toarray(), metric="cosine"), method="average")
    return tree


def _cut(tree: NDArray[np.float64], threshold: float) -> list[int]:
    from scipy.cluster.hierarchy import fcluster

    return [int(x) for x in fcluster(tree, t=threshold, criterion="distance")]


def baseline_labels(articles: Sequence[LabelledArticle], threshold: float) -> list[int]:
    """TF-IDF + agglomerative clustering: average link, merged while cosine distance < threshold."""
    return _cut(_baseline_tree(articles), threshold)


def tune_baseline(
    articles: Sequence[LabelledArticle], thresholds: Sequence[float] = tuple(np.arange(0.5, 0.99, 0.01))
) -> tuple[float, ClusterScore]:
    """The baseline at its best threshold on these articles (tuned on the test data: generous)."""
    gold = [a.story for a in articles]
    tree = _baseline_tree(articles)
    best: tuple[float, ClusterScore] | None = None
    for t in thresholds:
        s = bcubed(gold, _cut(tree, float(t)))
        if best is None or s.f1 > best[1].f1:
            best = (round(float(t), 2), s)
    assert best is not None
    return best


# newsweave


def embed(articles: Sequence[LabelledArticle], backend: Backend) -> NDArray[np.float32]:
    return encode([embedding_text(a.title, a.text) for a in articles], backend)


def article_features(
    articles: Sequence[LabelledArticle], vectors: NDArray[np.float32]
) -> list[StoryFeatures]:
    """What the clusterer reads of each article (no dates: the labelled sets carry none)."""
    return [
        make_features(
            article_id=a.id, title=a.title, body=a.text, published=None, outlet=None, vector=vectors[i]
        )
        for i, a in enumerate(articles)
    ]


def online_labels(
    features: Sequence[StoryFeatures],
    config: ClusterConfig | None = None,
    *,
    seed: int = 0,
    batch: int = BATCH,
) -> list[int]:
    """Story of each article (in the given order) when they arrive shuffled, `batch` at a time."""
    order = list(range(len(features)))
    random.Random(seed).shuffle(order)
    clusterer = OnlineClusterer(len(features[0].vector), config)
    story_of: dict[str, int] = {}
    for start in range(0, len(order), batch):
        chunk = [features[i] for i in order[start : start + batch]]
        story_of.update((a.article_id, a.story) for a in clusterer.add_batch(chunk))
    return [clusterer.story_of(story_of[f.article_id]) for f in features]


def score_online(
    articles: Sequence[LabelledArticle],
    features: Sequence[StoryFeatures],
    config: ClusterConfig | None = None,
    seeds: Sequence[int] = (0, 1, 2),
) -> ClusterScore:
    """Mean scores over several arrival orders."""
    return mean_score(online_scores(articles, features, config, seeds))


def online_scores(
    articles: Sequence[LabelledArticle],
    features: Sequence[StoryFeatures],
    config: ClusterConfig | None = None,
    seeds: Sequence[int] = (0, 1, 2),
) -> list[ClusterScore]:
    """Scores of each arrival order."""
    gold = [a.story for a in articles]
    return [bcubed(gold, online_labels(features, config, seed=s)) for s in seeds]


def mean_score(scores: Sequence[ClusterScore]) -> ClusterScore:
    return ClusterScore(
        precision=float(np.mean([s.precision for s in scores])),
        recall=float(np.mean([s.recall for s in scores])),
        f1=float(np.mean([s.f1 for s in scores])),
        ari=float(np.mean([s.ari for s in scores])),
        clusters=round(float(np.mean([s.clusters for s in scores]))),
    )


def sub_event_separation(articles: Sequence[LabelledArticle], predicted: Sequence[int]) -> float:
    """Share of predicted stories that hold articles of one sub-event only (ECB+: `<topic>_ecb`
    and `<topic>_ecbplus` are two events of the same kind and must stay apart)."""
    members: dict[int, set[str]] = defaultdict(set)
    for a, p in zip(articles, predicted, strict=True):
        members[p].add(a.story)
    return sum(len(s) == 1 for s in members.values()) / max(1, len(members))


def as_report(name: str, score: ClusterScore, **extra: Any) -> dict[str, Any]:
    return {"system": name, **score.as_dict(), **extra}
