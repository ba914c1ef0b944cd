"""Ingest throughput: articles per second on one core for text, HTML and WARC inputs.

Each run goes through the whole foundation: read, clean, store into a fresh SQLite file.
Inputs are real: the article bodies of `shared/data/` written out as one .txt file each, and
the 990 pages of `shared/data/extraction/` as .html files and as one WARC.gz (CC-NEWS layout).
Bare `trafilatura.extract` on the same pages is timed in the same run as the yardstick.

    python bench/ingest.py [--repeat R]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tools`, from the repository root
sys.path.insert(0, str(Path(__file__).resolve().parent))  # `_common`

import trafilatura
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from _common import machine, peak_rss_mb, require_data, write_result
from newsweave.ingest import expand_inputs
from newsweave.pipeline import ingest
from newsweave.settings import Settings
from newsweave.store import SQLiteStore
from tools.evaluation.extraction import load_pages

BODY_FILES = ("fnc1/train_articles.jsonl", "polnear/docs.jsonl", "ecbplus/docs.jsonl", "tempeval3/docs.jsonl")


def write_text_corpus(folder: Path) -> int:
    n = 0
    for name in BODY_FILES:
        with open(require_data(*name.split("/")), encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                header = f"{record['title']}\n\n" if record.get("title") else ""
                (folder / f"{n:05d}.txt").write_text(header + record["text"], encoding="utf-8")
                n += 1
    return n


def write_html_corpus(folder: Path, pages: list[dict[str, object]]) -> None:
    for i, page in enumerate(pages):
        (folder / f"{i:04d}.html").write_text(str(page["html"]), encoding="utf-8")


def write_warc(path: Path, pages: list[dict[str, object]]) -> None:
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for i, page in enumerate(pages):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            payload = io.BytesIO(str(page["html"]).encode("utf-8"))
            url = f"https://example.org/page/{i}"
            writer.write_record(
                writer.create_warc_record(url, "response", payload=payload, http_headers=headers)
            )


def time_ingest(path: Path, workdir: Path) -> tuple[float, int]:
    """Seconds to ingest `path` into a fresh database, and the articles stored."""
    db = workdir / f"bench-{time.monotonic_ns()}.db"
    with SQLiteStore(db) as store:
        start = time.perf_counter()
        report = ingest(store, expand_inputs([str(path)]), settings=Settings())
        seconds = time.perf_counter() - start
    db.unlink()
    return seconds, report.added


def best_of(repeat: int, run: Callable[[], tuple[float, int]]) -> tuple[float, int]:
    results = [run() for _ in range(repeat)]
    return min(r[0] for r in results), results[0][1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    pages = list(load_pages(require_data("extraction", "pages.jsonl.gz")))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "text").mkdir()
        (work / "html").mkdir()
        n_text = write_text_corpus(work / "text")
        write_html_corpus(work / "html", pages)
        write_warc(work / "pages.warc.gz", pages)
        time_ingest(work / "html", work)  # warm caches and lazy loads before timing

        def bare() -> tuple[float, int]:
            start = time.perf_counter()
            kept = sum(
                bool(trafilatura.extract(p.read_text(encoding="utf-8")))
                for p in sorted((work / "html").iterdir())
            )
            return time.perf_counter() - start, kept

        runs = {
            "text": lambda: time_ingest(work / "text", work),
            "html": lambda: time_ingest(work / "html", work),
            "warc": lambda: time_ingest(work / "pages.warc.gz", work),
            "bare trafilatura.extract on the html files": bare,
        }
        timings = {name: best_of(args.repeat, run) for name, run in runs.items()}
    inputs = {
        "text": n_text,
        "html": len(pages),
        "warc": len(pages),
        "bare trafilatura.extract on the html files": len(pages),
    }
    per_second = {name: round(inputs[name] / seconds, 1) for name, (seconds, _) in timings.items()}
    result = {
        "inputs": inputs,
        "stored_or_extracted": {name: kept for name, (_, kept) in timings.items()},
        "articles_per_second_one_core": per_second,
        "html_vs_bare_trafilatura": round(
            per_second["html"] / per_second["bare trafilatura.extract on the html files"], 3
        ),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "trafilatura": trafilatura.__version__,
        "machine": machine(),
    }
    write_result("ingest", result)


if __name__ == "__main__":
    main()
