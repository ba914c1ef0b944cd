"""HTML extraction quality and speed: newsweave's reader against bare trafilatura, same run.

Quality on the 990 pages of `shared/data/extraction/`: the share of `gold_with` snippets found
in the extracted text and of `gold_without` snippets absent from it. Speed: pages per second on
one core for bare `trafilatura.extract` (without and with metadata) and for newsweave's reader
followed by its cleaner (what is stored).

    python bench/extraction.py [--limit N] [--repeat R]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import trafilatura  # noqa: E402
from _common import machine, require_data, write_result  # noqa: E402

from newsweave.clean import clean_document  # noqa: E402
from newsweave.ingest.html import read_html  # noqa: E402
from newsweave.model import Rejected  # noqa: E402

_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def load_pages(limit: int | None = None) -> list[dict[str, object]]:
    path = require_data("extraction", "pages.jsonl.gz")
    pages = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            pages.append(json.loads(line))
            if limit and len(pages) >= limit:
                break
    return pages


def newsweave_text(html: str) -> str:
    doc = read_html(html, source="page")
    if isinstance(doc, Rejected):
        return ""
    return clean_document(doc).body


def trafilatura_text(html: str) -> str:
    return trafilatura.extract(html) or ""


def trafilatura_text_with_metadata(html: str) -> str:
    return trafilatura.extract(html, with_metadata=True) or ""


def score(pages: list[dict[str, object]], extract: Callable[[str], str]) -> dict[str, float]:
    with_found = with_total = without_absent = without_total = 0
    for page in pages:
        text = _norm(extract(str(page["html"])))
        for snippet in page.get("gold_with") or []:  # type: ignore[union-attr]
            with_total += 1
            with_found += _norm(str(snippet)) in text
        for snippet in page.get("gold_without") or []:  # type: ignore[union-attr]
            without_total += 1
            without_absent += _norm(str(snippet)) not in text
    return {
        "gold_with_found": round(with_found / with_total, 4),
        "gold_without_absent": round(without_absent / without_total, 4),
        "gold_with_total": with_total,
        "gold_without_total": without_total,
    }


def speed(pages: list[dict[str, object]], extract: Callable[[str], str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for page in pages:
            extract(str(page["html"]))
        best = min(best, time.perf_counter() - start)
    return round(len(pages) / best, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    pages = load_pages(args.limit)
    newsweave_text(str(pages[0]["html"]))  # load models and caches before timing
    contenders = {
        "trafilatura.extract": trafilatura_text,
        "trafilatura.extract(with_metadata=True)": trafilatura_text_with_metadata,
        "newsweave read_html + clean": newsweave_text,
    }
    quality = {name: score(pages, fn) for name, fn in contenders.items() if "with_metadata" not in name}
    pages_per_s = {name: speed(pages, fn, args.repeat) for name, fn in contenders.items()}
    result = {
        "pages": len(pages),
        "quality": quality,
        "pages_per_second_one_core": pages_per_s,
        "speed_ratio_vs_trafilatura": round(
            pages_per_s["newsweave read_html + clean"] / pages_per_s["trafilatura.extract"], 3),
        "speed_ratio_vs_trafilatura_with_metadata": round(
            pages_per_s["newsweave read_html + clean"] / pages_per_s["trafilatura.extract(with_metadata=True)"], 3),
        "trafilatura": trafilatura.__version__,
        "machine": machine(),
    }
    write_result("extraction", result)


if __name__ == "__main__":
    main()
