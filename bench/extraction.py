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
import unicodedata
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import trafilatura

from _common import machine, require_data, write_result
from newsweave.clean import clean_document
from newsweave.ingest.html import read_html
from newsweave.model import Rejected

_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    # NFKC as in the seeds scorer: a ligature or a full-width comma is the same text.
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


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
    """The text newsweave keeps as the article: its title and its clean body."""
    doc = read_html(html, source="page")
    if isinstance(doc, Rejected):
        return ""
    article = clean_document(doc)
    return f"{article.title or ''}\n{article.body}"


def newsweave_body(html: str) -> str:
    """The clean body alone (the title is kept apart, in its own field)."""
    doc = read_html(html, source="page")
    return "" if isinstance(doc, Rejected) else clean_document(doc).body


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


def speed(
    pages: list[dict[str, object]], contenders: dict[str, Callable[[str], str]], repeat: int
) -> dict[str, float]:
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
    pages = load_pages(args.limit)
    newsweave_text(str(pages[0]["html"]))  # load models and caches before timing
    contenders = {
        "trafilatura.extract": trafilatura_text,
        "trafilatura.extract(with_metadata=True)": trafilatura_text_with_metadata,
        "newsweave read_html + clean": newsweave_text,
    }
    quality = {name: score(pages, fn) for name, fn in contenders.items() if "with_metadata" not in name}
    quality["newsweave body only (title kept apart)"] = score(pages, newsweave_body)
    result: dict[str, object] = {"pages": len(pages), "quality": quality}
    if args.quality_only:
        write_result("extraction-quality", result | {"machine": machine()})
        return
    pages_per_s = speed(pages, contenders, args.repeat)
    result |= {
        "pages_per_second_one_core": pages_per_s,
        "speed_ratio_vs_trafilatura": round(
            pages_per_s["newsweave read_html + clean"] / pages_per_s["trafilatura.extract"], 3
        ),
        "speed_ratio_vs_trafilatura_with_metadata": round(
            pages_per_s["newsweave read_html + clean"]
            / pages_per_s["trafilatura.extract(with_metadata=True)"],
            3,
        ),
        "trafilatura": trafilatura.__version__,
        "machine": machine(),
    }
    write_result("extraction", result)


if __name__ == "__main__":
    main()
