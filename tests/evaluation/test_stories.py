"""Floors: story clustering on the labelled shared data, the online clusterer with its defaults.

FNC-1 bodies grouped by `story` and ECB+ documents by sub-event (two events of the same kind
per topic must stay apart), articles arriving shuffled in batches as the pipeline hands them
over; B-cubed F1 averaged over two arrival orders. Measured and compared with the TF-IDF +
agglomerative baseline in `docs/benchmarks.md` ("Stories"). Also: the two seed articles,
shuffled in among the FNC-1 bodies, form one story of their own. Runs only where ../shared/data is present.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from newsweave.ingest import InputRef, expand_inputs, read_input
from newsweave.model import CleanArticle, Document
from newsweave.pipeline import clean_or_reject
from newsweave.settings import Settings
from newsweave.stories.cluster import BATCH, OnlineClusterer
from tests.conftest import ROOT, needs_shared
from tools.evaluation.stories import (
    LabelledArticle,
    article_features,
    embed,
    load_labelled,
    score_online,
)

pytestmark = pytest.mark.slow


def _labelled(*parts: str) -> list[LabelledArticle]:
    return load_labelled(needs_shared("data", *parts))


@pytest.mark.parametrize(
    ("parts", "floor"),
    # The bars (measured over these two orders: 0.934 and 0.921).
    [(("fnc1", "train_articles.jsonl"), 0.93), (("ecbplus", "docs.jsonl"), 0.92)],
    ids=["fnc1", "ecbplus"],
)
def test_bcubed_f1_floor(parts: tuple[str, str], floor: float) -> None:
    articles = _labelled(*parts)
    score = score_online(articles, article_features(articles, embed(articles, "static")), seeds=(0, 1))
    assert score.f1 >= floor, score.as_dict()


def _seed_articles() -> list[CleanArticle]:
    folder = needs_shared("seeds")
    out = []
    for ref in expand_inputs([str(p) for p in sorted(folder.glob("*.txt"))]):
        assert isinstance(ref, InputRef)
        for doc in read_input(ref):
            assert isinstance(doc, Document)
            article = clean_or_reject(doc, published_default=None, settings=Settings())
            assert isinstance(article, CleanArticle)
            out.append(article)
    return out


def test_the_seeds_form_one_story_of_their_own_among_real_bodies() -> None:
    seeds = _seed_articles()
    assert len(seeds) == 2
    articles = _labelled("fnc1", "train_articles.jsonl") + [
        LabelledArticle(id=f"seed-{i}", title=a.title, text=a.body, story="seed") for i, a in enumerate(seeds)
    ]
    features = article_features(articles, embed(articles, "static"))
    random.Random(5).shuffle(features)
    clusterer = OnlineClusterer(len(features[0].vector))
    story: dict[str, int] = {}
    for start in range(0, len(features), BATCH):
        story.update((a.article_id, a.story) for a in clusterer.add_batch(features[start : start + BATCH]))
    final = {a: clusterer.story_of(s) for a, s in story.items()}
    assert final["seed-0"] == final["seed-1"]
    together = sorted(a for a, s in final.items() if s == final["seed-0"])
    assert together == ["seed-0", "seed-1"]


_CLUSTER_ONCE = """
import json, sys
from pathlib import Path
from tools.evaluation.stories import article_features, embed, load_labelled, online_labels
articles = load_labelled(Path(sys.argv[1]))
print(json.dumps(online_labels(article_features(articles, embed(articles, "static")), seed=1)))
"""


def test_the_same_articles_make_the_same_stories_whatever_the_hash_seed() -> None:
    # Set and dict orders of strings change with the hash seed; sums added in another order
    # differ in their last bits, enough to flip a decision at a threshold.
    path = needs_shared("data", "fnc1", "train_articles.jsonl")
    runs = [
        subprocess.run(
            [sys.executable, "-c", _CLUSTER_ONCE, str(path)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=ROOT,  # where `tools` is importable
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1]
