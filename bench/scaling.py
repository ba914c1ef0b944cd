"""What `newsweave batch` costs, measured: throughput on 1 and 2 workers, memory per worker,
Parquet bytes per 1,000 articles, and what the second stage's blocking costs in story recall.

    .venv/bin/python bench/scaling.py [--articles 600] [--files 24] [--skip-blocking]

1. **Scaling**: the first N FNC-1 bodies in F files (a shard each), `newsweave batch` with 1 and
   then 2 workers, each from an empty folder and a fresh Ray; the second stage in blocks of
   N/8 articles, so both workers have blocks to do. Articles per second per stage, and the
   ratio of 2 workers to 1.
2. **Blocking**: FNC-1 (1,683 bodies) and ECB+ (772 documents) through the first stage once,
   then the stories stage in blocks of decreasing size (the comparison is not run: it does not
   change the stories). Pair recall: the share of same-story pairs of articles that blocking
   keeps in one block (no clustering can join the others); B-cubed precision, recall and F1
   of the stories against the labels, beside one block (what one process gets).

Writes bench/results/scaling.json; docs/scaling.md reports it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tools`, from the repository root
sys.path.insert(0, str(Path(__file__).resolve().parent))  # `_common`

from _common import machine, require_data, write_result
from newsweave import open_store
from newsweave.batch.load import load_batch
from newsweave.batch.plan import BatchPaths, read_block_plans
from newsweave.batch.run import BatchOptions, run_batch
from newsweave.settings import Settings
from tools.evaluation.stories import bcubed

PUBLISHED = "2024-03-18"


def _write_files(rows: list[dict[str, Any]], folder: Path, files: int) -> list[str]:
    folder.mkdir(parents=True)
    per_file = -(-len(rows) // files)
    for n in range(files):
        part = rows[n * per_file : (n + 1) * per_file]
        with open(folder / f"part-{n:03d}.jsonl", "w", encoding="utf-8") as f:
            for row in part:
                f.write(json.dumps({"id": row["id"], "text": row["text"]}, ensure_ascii=False) + "\n")
    return [str(folder)]


def _rows(*parts: str) -> list[dict[str, Any]]:
    with require_data(*parts).open(encoding="utf-8") as f:
        return [r for r in map(json.loads, f) if r.get("text")]


def _bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _date(value: str) -> date:
    return date.fromisoformat(value)


def scaling(articles: int, files: int, work: Path) -> dict[str, Any]:
    rows = _rows("fnc1", "train_articles.jsonl")[:articles]
    inputs = _write_files(rows, work / "scaling-inputs", files)
    runs: dict[str, Any] = {}
    for workers in (1, 2):
        out = work / f"scaling-{workers}"
        options = BatchOptions(workers=workers, shard_bytes=0, max_block=max(1, len(rows) // 8))
        began = time.monotonic()
        summary = run_batch(
            inputs, out, settings=Settings(), published_default=_date(PUBLISHED), options=options
        )
        wall = time.monotonic() - began
        began = time.monotonic()
        with open_store(work / f"scaling-{workers}.db") as ws:
            load_batch(ws.store, out)
        load_s = time.monotonic() - began
        first, second = summary.seconds["analyse"], summary.seconds["stories and comparison"]
        runs[str(workers)] = {
            "articles": summary.articles,
            "shards": summary.shards,
            "blocks": summary.blocks,
            "wall_s": round(wall, 1),
            "first_stage_s": round(first, 1),
            "second_stage_s": round(second, 1),
            "first_stage_articles_per_s": round(summary.articles / first, 2),
            "second_stage_articles_per_s": round(summary.articles / second, 2),
            "whole_articles_per_s": round(summary.articles / wall, 2),
            "load_s": round(load_s, 2),
            "load_articles_per_s": round(summary.articles / load_s, 1),
            "loaded_store_bytes_per_1000_articles": round(
                (work / f"scaling-{workers}.db").stat().st_size / summary.articles * 1000
            ),
            "peak_rss_mb_per_worker": {k: round(v) for k, v in summary.peak_rss_mb.items()},
            "parquet_bytes_per_1000_articles": {
                "first_stage_shards": round(_bytes(out / "analysed") / summary.articles * 1000),
                "export_tables": round(_bytes(out / "tables") / summary.articles * 1000),
            },
            "block_store_bytes_per_1000_articles": round(_bytes(out / "blocks") / summary.articles * 1000),
        }
    one, two = runs["1"], runs["2"]
    return {
        "corpus": f"first {len(rows)} FNC-1 bodies in {files} files",
        "runs": runs,
        "speedup_2_workers": {
            "first_stage": round(one["first_stage_s"] / two["first_stage_s"], 2),
            "second_stage": round(one["second_stage_s"] / two["second_stage_s"], 2),
            "whole": round(one["wall_s"] / two["wall_s"], 2),
        },
    }


def _pair_recall(gold: dict[str, str], block_of: dict[str, int]) -> float:
    by_story: dict[str, list[str]] = {}
    for aid, story in gold.items():
        by_story.setdefault(story, []).append(aid)
    pairs = kept = 0
    for members in by_story.values():
        for a, b in combinations(members, 2):
            pairs += 1
            kept += block_of[a] == block_of[b]
    return kept / pairs if pairs else 1.0


def blocking(name: str, rows: list[dict[str, Any]], work: Path, sizes: list[int]) -> dict[str, Any]:
    inputs = _write_files(rows, work / f"{name}-inputs", 16)
    out = work / f"{name}-batch"
    label = {r["id"]: r["story"] for r in rows}
    results = []
    for size in sizes:
        for stale in (out / "blocks.json", out / "blocks", out / "tables"):
            if stale.is_dir():
                shutil.rmtree(stale)
            else:
                stale.unlink(missing_ok=True)
        options = BatchOptions(workers=2, shard_bytes=0, max_block=size, compare=False)
        summary = run_batch(
            inputs, out, settings=Settings(), published_default=_date(PUBLISHED), options=options
        )
        db = work / f"{name}-{size}.db"
        db.unlink(missing_ok=True)
        with open_store(db) as ws:
            load_batch(ws.store, out)
            external = {a.id: a.external_id for a in ws.articles()}
            story_of = {external[a]: s.id for s in ws.stories() for a in s.articles if a in external}
        plans = read_block_plans(BatchPaths(out))
        block_of = {external[aid]: p.number for p in plans for _, ids in p.parts for aid in ids}
        ids = sorted(set(story_of) & set(label))
        score = bcubed([label[i] for i in ids], [story_of[i] for i in ids])
        results.append(
            {
                "max_block": size,
                "blocks": summary.blocks,
                "largest_block": max(p.size for p in plans),
                "pair_recall": round(_pair_recall({i: label[i] for i in ids}, block_of), 4),
                "bcubed_precision": round(score.precision, 4),
                "bcubed_recall": round(score.recall, 4),
                "bcubed_f1": round(score.f1, 4),
                "stories": len(Counter(story_of.values())),
                "second_stage_s": round(summary.seconds["stories and comparison"], 1),
                "peak_rss_mb_per_worker": round(summary.peak_rss_mb.get("stories and comparison", 0.0)),
            }
        )
        print(name, results[-1], flush=True)
    return {"articles": len(rows), "by_block_size": results}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--files", type=int, default=24)
    parser.add_argument("--skip-blocking", action="store_true")
    parser.add_argument("--skip-scaling", action="store_true")
    args = parser.parse_args()
    result: dict[str, Any] = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="newsweave-scaling-") as tmp:
        work = Path(tmp)
        if not args.skip_scaling:
            result["scaling"] = scaling(args.articles, args.files, work)
            print(json.dumps(result["scaling"], indent=2), flush=True)
        if not args.skip_blocking:
            fnc = _rows("fnc1", "train_articles.jsonl")
            ecb = _rows("ecbplus", "docs.jsonl")
            result["blocking"] = {
                "fnc1": blocking("fnc1", fnc, work, [len(fnc), 800, 400, 200, 100]),
                "ecbplus": blocking("ecbplus", ecb, work, [len(ecb), 400, 200, 100, 50]),
            }
    write_result("scaling", result)


if __name__ == "__main__":
    main()
