"""`newsweave load DIR`: merge a finished batch's block stores into one store.

Blocks hold disjoint articles and number their stories apart (`blocks.STORY_ID_STRIDE`), so
merging is copying (`store/merge.py`), block by block, each in one transaction. A block already
loaded is skipped (its mark stays in the store), so `load` can be run again after an
interruption. The first stage's rejections go into the store's log, once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newsweave.batch import records
from newsweave.batch.block import block_store_path, read_table
from newsweave.batch.plan import BatchPaths, read_block_plans, read_shard_plan
from newsweave.errors import StoreError
from newsweave.store import SQLiteStore


@dataclass(slots=True)
class LoadCounts:
    blocks: int = 0
    already: int = 0
    """Blocks an earlier `load` brought in."""
    articles: int = 0
    stories: int = 0
    rejections: int = 0


def batch_id(paths: BatchPaths) -> str:
    """A batch's identity: its shard plan (its inputs, in order)."""
    return hashlib.sha1(paths.shard_plan.read_bytes()).hexdigest()[:12]


def load_batch(
    store: SQLiteStore, out_dir: Path, on_block: Callable[[int, int], None] | None = None
) -> LoadCounts:
    """Merge every block of the finished batch in `out_dir` into `store`."""
    paths = BatchPaths(out_dir)
    shards = read_shard_plan(paths)
    plans = read_block_plans(paths)
    missing = [p.name for p in plans if not block_store_path(out_dir, p).exists()]
    if missing:
        raise StoreError(
            f"the batch in {out_dir} is not finished: {len(missing)} of {len(plans)} blocks have no store "
            f"yet (first {missing[0]}); run the same `newsweave batch` again to finish it"
        )
    ident = batch_id(paths)
    counts = LoadCounts()
    for n, plan in enumerate(plans, start=1):
        mark = f"loaded:{ident}:{plan.name}"
        if store.has_mark(mark):
            counts.already += 1
            continue
        articles, stories = store.merge_store(block_store_path(out_dir, plan), mark)
        counts.blocks += 1
        counts.articles += articles
        counts.stories += stories
        if on_block:
            on_block(n, len(plans))
    for shard in shards:  # a shard at a time: a crawl can hold millions of bad records
        rejected = [records.rejection(row) for row in read_table(paths.analysed / shard.name, "rejections")]
        counts.rejections += store.add_rejections_once(rejected, f"loaded:{ident}:rejections:{shard.name}")
    return counts
