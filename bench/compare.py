"""The comparison of one 20-article story, after the language layer, on one core.

Takes the 20 first bodies of the largest FNC-1 story (real articles on one event from many
outlets), runs the language layer (not timed), then times `compare_story`: claim vectors,
alignment, differences, provenance and framing. Best of three runs, after a warm-up that loads
the sentence model; then again with the claim vectors already computed (as on a second report).

    python bench/compare.py [--articles 20]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, peak_rss_mb, require_data, write_result
from newsweave import open_store
from newsweave.compare import compare_story
from newsweave.embeddings import encode_minilm


def _story_articles(path: Path, count: int) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    largest, _ = Counter(r["story"] for r in rows).most_common(1)[0]
    chosen = [r for r in rows if r["story"] == largest][:count]
    # Each body its own outlet: FNC-1 does not name them, and the comparison is per outlet.
    return [{**r, "outlet": f"Outlet {i + 1}"} for i, r in enumerate(chosen)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20)
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    articles = _story_articles(require_data("fnc1", "train_articles.jsonl"), args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "story.jsonl"
        source.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
        with open_store(Path(tmp) / "bench.db") as ws:
            ws.ingest([source])
            ws.analyse()
            document = ws.document()
    inputs = (document.articles, document.claims, document.quotes, document.entities, document.timexes)
    compare_story("warm-up", document.articles[:1], document.claims[:5])
    cold, warm = [], []
    cache: dict[str, Any] = {}

    def cached(texts: Any) -> Any:
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            cache.update(zip(missing, encode_minilm(missing), strict=True))
        return np.stack([cache[t] for t in texts])

    for _ in range(3):
        start = time.perf_counter()
        comparison = compare_story("bench", *inputs)
        cold.append(time.perf_counter() - start)
    compare_story("bench", *inputs, encode=cached)
    for _ in range(3):
        start = time.perf_counter()
        compare_story("bench", *inputs, encode=cached)
        warm.append(time.perf_counter() - start)
    result = {
        "articles": len(document.articles),
        "claims": sum(1 for c in document.claims if c.part_of is None),  # not the parts of claims
        "groups": len(comparison.groups),
        "shared_groups": sum(g.status != "unique" for g in comparison.groups),
        "differences": len(comparison.differences),
        "seconds_best_of_3_one_core": round(min(cold), 3),
        "seconds_with_claim_vectors_cached": round(min(warm), 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "machine": machine(),
    }
    print(json.dumps(result, indent=2))
    write_result("compare", result)


if __name__ == "__main__":
    main()
