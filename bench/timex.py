"""Temporal tagging quality and speed on TempEval-3 data (TimeBank + AQUAINT, 256 articles).

Quality, TempEval-3 style: strict and relaxed span precision, recall and F1, value and type
accuracy on relaxed matches, and value F1 (overlapping and the same TIMEX3 value), each article
anchored on its creation date. Speed: articles per second on one core, best of `repeat` rounds,
with the words per article so it can be set against a spaCy baseline measured elsewhere.

    python bench/timex.py [--repeat R] [--misses N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tools`, from the repository root
sys.path.insert(0, str(Path(__file__).resolve().parent))  # `_common`

from _common import machine, peak_rss_mb, require_data, write_result
from newsweave.nlp.dates import find_time_expressions
from tools.evaluation.timex import TimexDoc, load_docs, score


def speed(docs: list[TimexDoc], repeat: int) -> dict[str, float]:
    """Articles per second and milliseconds per 500 words, best of `repeat` rounds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for doc in docs:
            find_time_expressions(doc.text, doc.anchor)
        best = min(best, time.perf_counter() - start)
    words = sum(len(doc.text.split()) for doc in docs)
    return {
        "articles_per_second_one_core": round(len(docs) / best, 1),
        "ms_per_500_words": round(best / words * 500 * 1000, 3),
        "words_per_article": round(words / len(docs), 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--misses", type=int, default=0, help="print the N most common missed/spurious/value errors"
    )
    args = ap.parse_args()
    folder = require_data("tempeval3", "docs.jsonl").parent
    docs = load_docs(folder)
    total, misses = score(docs)
    result: dict[str, Any] = {"articles": len(docs), "quality": total.as_dict()}
    result["errors"] = dict(Counter(m.kind for m in misses))
    result |= speed(docs, args.repeat)
    result |= {"peak_rss_mb": round(peak_rss_mb(), 1), "machine": machine()}
    if args.misses:
        for (kind, text), n in Counter((m.kind, m.text.lower()) for m in misses).most_common(args.misses):
            print(f"{n:4d} {kind:9} {text}", file=sys.stderr)
    write_result("timex", result)


if __name__ == "__main__":
    main()
