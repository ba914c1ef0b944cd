"""HTML extraction quality and speed: newsweave's reader against bare trafilatura, same run.

Quality on the 990 pages of `shared/data/extraction/`: the share of `gold_with` snippets found
in the extracted text and of `gold_without` snippets absent from it. Speed: pages per second on
one core for bare `trafilatura.extract` (without and with metadata) and for newsweave's reader
followed by its cleaner (what is stored).

    python bench/extraction.py [--limit N] [--repeat R] [--quality-only]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tools`, from the repository root
sys.path.insert(0, str(Path(__file__).resolve().parent))  # `_common`

import trafilatura

from _common import machine, require_data, write_result
from tools.evaluation.extraction import (
    Extractor,
    load_pages,
    newsweave_body,
    newsweave_text,
    score,
    trafilatura_text,
)


def trafilatura_text_with_metadata(html: str) -> str:
    return trafilatura.extract(html, with_metadata=True) or ""


def speed(pages: list[dict[str, Any]], contenders: dict[str, Extractor], repeat: int) -> dict[str, float]:
    """Pages per second, best of `repeat` rounds; contenders take turns within each round."""
    best = dict.fromkeys(contenders, float("inf"))
    for _ in range(repeat):
        for name, extract in contenders.items():
            start = time.perf_counter()
            for page in pages:
                extract(str(page["html"]))
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: round(len(pages) / seconds, 1) for name, seconds in best.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quality-only", action="store_true", help="skip the timing passes")
    args = ap.parse_args()
    pages = list(load_pages(require_data("extraction", "pages.jsonl.gz"), args.limit))
    newsweave_text(str(pages[0]["html"]))  # load models and caches before timing
    quality = score(
        pages,
        {
            "trafilatura.extract": trafilatura_text,
            "newsweave (title + clean body)": newsweave_text,
            "newsweave (clean body only)": newsweave_body,
        },
    )
    result: dict[str, Any] = {
        "pages": len(pages),
        "quality": {name: s.as_dict() for name, s in quality.items()},
    }
    if not args.quality_only:
        pages_per_s = speed(
            pages,
            {
                "trafilatura.extract": trafilatura_text,
                "trafilatura.extract(with_metadata=True)": trafilatura_text_with_metadata,
                "newsweave read_html + clean": newsweave_text,
            },
            args.repeat,
        )
        ours = pages_per_s["newsweave read_html + clean"]
        result |= {
            "pages_per_second_one_core": pages_per_s,
            "speed_ratio_vs_trafilatura": round(ours / pages_per_s["trafilatura.extract"], 3),
            "speed_ratio_vs_trafilatura_with_metadata": round(
                ours / pages_per_s["trafilatura.extract(with_metadata=True)"], 3
            ),
        }
    result |= {"trafilatura": trafilatura.__version__, "machine": machine()}
    write_result("extraction-quality" if args.quality_only else "extraction", result)


if __name__ == "__main__":
    main()
