"""Quote attribution on PolNeAR: quoted span F1 and speaker accuracy, all attributions F1,
and the time quotes add to the language layer.

    python bench/quotes.py [--split train|dev] [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tools`, from the repository root
sys.path.insert(0, str(Path(__file__).resolve().parent))  # `_common`

from _common import machine, peak_rss_mb, require_data, write_result
from tools.evaluation.quotes import load, predict, score


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["train", "dev"], default=None, help="default: both")
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    docs, gold = load(require_data("polnear"), split=args.split, limit=args.limit)
    start = time.perf_counter()
    predicted = predict(docs)
    seconds = time.perf_counter() - start
    result: dict[str, Any] = {
        "documents": len(docs),
        "split": args.split or "train+dev",
        "attributions": len(gold),
        "scores": score(predicted, gold),
        "articles_per_second_one_core": round(len(docs) / seconds, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "machine": machine(),
    }
    write_result(f"quotes-{args.split or 'all'}", result)


if __name__ == "__main__":
    main()
