"""Story clustering at volume: 10k, 30k and 100k articles, time and peak memory.

Articles are built from the real bodies of the shared data (FNC-1, ECB+, PolNeAR: about 3,400):
article i takes base body i mod N, keeps a random 60–90% of its sentences in a shuffled order
and adds the sentences of another body's lead at random 10% of the time, so each base event
has many differently worded reports and some reports bleed into others. Embeddings are given
(the issue's terms): the static model encodes each base body once and an article's vector is
its base's plus noise. Each size runs in a fresh process so its peak RSS is its own.

Reported: seconds to build the clusterer's features (words, names; batch by batch, as the
stories stage does) and to cluster, articles per second, stories found, peak RSS (the texts of
all articles, the clusterer's state and one batch's features), and the quality (B-cubed
against the base body) as a sanity check. Also the baseline TF-IDF + agglomerative
clustering's time on 2,000 and 4,000 articles, to show its quadratic growth.

    python bench/stories.py [--sizes 10000 30000 100000]
    python bench/stories.py --quality   # B-cubed on FNC-1 and ECB+: newsweave and the baseline
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tools`, from the repository root
sys.path.insert(0, str(Path(__file__).resolve().parent))  # `_common`

import numpy as np

from _common import machine, peak_rss_mb, require_data, write_result
from newsweave.stories.cluster import BATCH, OnlineClusterer
from newsweave.stories.features import make_features
from newsweave.stories.vectors import embedding_text, encode
from tools.evaluation.stories import (
    LabelledArticle,
    article_features,
    as_report,
    baseline_labels,
    bcubed,
    embed,
    load_labelled,
    mean_score,
    online_scores,
    tune_baseline,
)

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def base_bodies() -> list[tuple[str, str | None, str]]:
    rows: list[tuple[str, str | None, str]] = []
    for parts in (("fnc1", "train_articles.jsonl"), ("ecbplus", "docs.jsonl"), ("polnear", "docs.jsonl")):
        with require_data(*parts).open(encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                if len(row["text"].split()) >= 60:
                    rows.append((str(row["id"]), row.get("title"), row["text"]))
    return rows


def variant(rng: random.Random, bodies: list[tuple[str, str | None, str]], i: int) -> tuple[str, str]:
    _, title, text = bodies[i % len(bodies)]
    sentences = _SENTENCE.split(text)
    keep = rng.sample(sentences, max(1, int(len(sentences) * rng.uniform(0.6, 0.9))))
    if rng.random() < 0.1:
        keep += _SENTENCE.split(bodies[rng.randrange(len(bodies))][2])[:2]
    return title or "", " ".join(keep)


def run_size(n: int) -> dict[str, Any]:
    bodies = base_bodies()
    rng = random.Random(n)
    base_vectors = encode([embedding_text(t, b) for _, t, b in bodies], "static")
    noise = np.random.default_rng(n)
    texts = [variant(rng, bodies, i) for i in range(n)]
    vectors = base_vectors[[i % len(bodies) for i in range(n)]]
    vectors = vectors + noise.normal(0, 0.03, vectors.shape).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    order = list(range(n))
    rng.shuffle(order)
    clusterer = OnlineClusterer(vectors.shape[1])
    story: dict[str, int] = {}
    featured = clustered = 0.0
    # Features are built batch by batch, as the stories stage does, so the peak RSS is the
    # clusterer's state and one batch, not every article's features at once.
    for b in range(0, n, BATCH):
        start = time.perf_counter()
        batch = [
            make_features(
                article_id=str(i),
                title=texts[i][0],
                body=texts[i][1],
                published=None,
                outlet=None,
                vector=vectors[i],
            )
            for i in order[b : b + BATCH]
        ]
        featured += time.perf_counter() - start
        start = time.perf_counter()
        story.update((a.article_id, a.story) for a in clusterer.add_batch(batch))
        clustered += time.perf_counter() - start
        clusterer.forgotten.clear()  # the stage deletes these from the store
    gold = [i % len(bodies) for i in range(n)]
    quality = bcubed(gold, [clusterer.story_of(story[str(i)]) for i in range(n)])
    return {
        "articles": n,
        "features_s": round(featured, 1),
        "cluster_s": round(clustered, 1),
        "articles_per_s": round(n / (featured + clustered), 1),
        "stories": len(clusterer.stories),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "bcubed_f1_vs_base_body": round(quality.f1, 3),
    }


def baseline_time(n: int) -> dict[str, Any]:
    bodies = base_bodies()
    rng = random.Random(n)
    texts = [variant(rng, bodies, i) for i in range(n)]
    articles = [LabelledArticle(id=str(i), title=t, text=b, story="") for i, (t, b) in enumerate(texts)]
    start = time.perf_counter()
    baseline_labels(articles, 0.83)
    return {
        "articles": n,
        "seconds": round(time.perf_counter() - start, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def quality() -> dict[str, Any]:
    """B-cubed P/R/F1 of the online clusterer (defaults, mean of 10 arrival orders, with the
    lowest and highest F1) and of the baseline (TF-IDF + average-link agglomerative, threshold
    tuned on each set) in one run."""
    out: dict[str, Any] = {"machine": machine(), "sets": {}}
    for name, parts in (("fnc1", ("fnc1", "train_articles.jsonl")), ("ecbplus", ("ecbplus", "docs.jsonl"))):
        articles = load_labelled(require_data(*parts))
        start = time.perf_counter()
        threshold, base = tune_baseline(articles)
        base_s = time.perf_counter() - start
        start = time.perf_counter()
        features = article_features(articles, embed(articles, "static"))
        orders = online_scores(articles, features, seeds=range(10))
        online, spread = mean_score(orders), [s.f1 for s in orders]
        online_s = time.perf_counter() - start
        out["sets"][name] = [
            as_report("baseline", base, threshold=threshold, seconds=round(base_s, 1)),
            as_report(
                "newsweave",
                online,
                seconds=round(online_s, 1),
                f1_lowest=round(min(spread), 4),
                f1_highest=round(max(spread), 4),
            ),
        ]
        print(name, out["sets"][name], flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    ap.add_argument("--quality", action="store_true", help="clustering quality on the labelled sets")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--baseline-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.quality:
        write_result("stories-quality", quality())
        return
    if args.child:
        print(json.dumps(run_size(args.child)))
        return
    if args.baseline_child:
        print(json.dumps(baseline_time(args.baseline_child)))
        return
    runs = []
    for flag, sizes in (("--baseline-child", [2_000, 4_000]), ("--child", args.sizes)):
        for n in sizes:
            done = subprocess.run(
                [sys.executable, __file__, flag, str(n)], capture_output=True, text=True, check=True
            )
            runs.append({"kind": "baseline" if "baseline" in flag else "online", **json.loads(done.stdout)})
            print(runs[-1], flush=True)
            write_result("stories", {"machine": machine(), "runs": runs})  # kept if a later size is cut


if __name__ == "__main__":
    main()
