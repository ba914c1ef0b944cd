"""The second stage of a batch, for one block: stories and the comparison, in a store of its own.

A block's articles are read from the shards the first stage wrote, stored in reading order by
the same code as `newsweave ingest` (`store_batch`), their language records stored and linked
in the same chunks as `newsweave analyse` (`RecordedLanguageStage`), then the stories and
comparison stages run as they do in one process. The block's store is written beside its final
name and renamed there when complete: it is the block's mark of completion. Its tables (the
export's, `tables.py`) are written first, so a block whose store exists has its tables too.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsweave.batch import records
from newsweave.batch.analyse import peak_rss_mb
from newsweave.batch.blocks import STORY_ID_STRIDE
from newsweave.batch.shards import enter_batch_folder
from newsweave.errors import PipelineError
from newsweave.model import LanguageAnalysis
from newsweave.settings import Settings
from newsweave.store import SQLiteStore

if TYPE_CHECKING:
    from newsweave.document import ExportDocument


@dataclass(frozen=True, slots=True)
class BlockPlan:
    number: int
    parts: tuple[tuple[str, tuple[str, ...]], ...]
    """(shard folder name, ids of the block's articles read first in that shard), in reading order."""
    cwd: str = ""
    """Where the batch was started: an article's key is made from its path as given, from there."""

    @property
    def name(self) -> str:
        return f"block-{self.number:05d}"

    @property
    def size(self) -> int:
        return sum(len(ids) for _, ids in self.parts)


@dataclass(frozen=True, slots=True)
class BlockCounts:
    block: int
    articles: int
    stories: int
    skipped: bool = False
    peak_rss_mb: float = 0.0
    """The worker's peak memory when the block was done."""


def block_store_path(out_dir: Path, plan: BlockPlan) -> Path:
    return out_dir / "blocks" / f"{plan.name}.db"


def read_table(folder: Path, table: str, article_ids: set[str] | None = None) -> list[dict[str, Any]]:
    """A shard's table as rows (only these articles' rows, when given), in the order written."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    data = pq.read_table(folder / f"{table}.parquet", schema=records.SCHEMAS[table])
    if article_ids is not None:
        column = "id" if table == "articles" else "article_id"
        data = data.filter(pc.is_in(data[column], value_set=_strings(article_ids)))
    return list(data.to_pylist())


def _strings(values: set[str]) -> Any:
    import pyarrow as pa

    return pa.array(sorted(values), type=pa.string())


def _block_rows(
    analysed: Path, plan: BlockPlan
) -> Iterator[tuple[list[dict[str, Any]], list[LanguageAnalysis]]]:
    """Per shard, the block's article rows in reading order and their language records."""
    for shard, ids in plan.parts:
        wanted = set(ids)
        folder = analysed / shard
        rows = read_table(folder, "articles", wanted)
        tables = {name: read_table(folder, name, wanted) for name in records.LANGUAGE_TABLES}
        yield rows, list(records.analyses([r["id"] for r in rows], tables))


_LOG_FILES = ("-wal", "-shm", "-journal")
"""What SQLite keeps beside a store's file while it is open."""


def _remove_store_files(path: Path, suffixes: tuple[str, ...] = ("", *_LOG_FILES)) -> None:
    for suffix in suffixes:
        Path(str(path) + suffix).unlink(missing_ok=True)


def build_block(plan: BlockPlan, out_dir: Path, settings: Settings, *, compare: bool = True) -> BlockCounts:
    """Store, link, cluster and compare one block; write its store and its export tables.
    `compare=False` stops after the stories (bench/scaling.py measures blocking so)."""
    from newsweave.compare.stage import STAGE as COMPARE_STAGE
    from newsweave.document import read_document
    from newsweave.nlp.stage import RecordedLanguageStage
    from newsweave.pipeline import analyse_pending, build_stages

    final = block_store_path(out_dir, plan)
    if final.exists():
        return BlockCounts(plan.number, plan.size, 0, skipped=True)
    final.parent.mkdir(parents=True, exist_ok=True)
    enter_batch_folder(plan.cwd, plan.name)  # the store makes keys of paths as given, as stage one did
    work = final.with_name(f".{plan.name}.{os.getpid()}.db")
    _remove_store_files(work)
    with SQLiteStore(work) as store:
        store.set_story_first_id(plan.number * STORY_ID_STRIDE + 1)
        analyses: dict[str, LanguageAnalysis] = {}
        for rows, found in _block_rows(out_dir / "analysed", plan):
            for start in range(0, len(rows), settings.batch_size):
                batch = rows[start : start + settings.batch_size]
                store.store_batch([records.clean_article(r) for r in batch])
            analyses.update((a.article_id, a) for a in found)
        stages = build_stages(settings, language=RecordedLanguageStage(analyses))
        analyse_pending(store, [s for s in stages if compare or s.name != COMPARE_STAGE])
        del analyses
        _check_story_ids(store, plan)
        document = read_document(store, store.articles())
        _write_block_tables(document, out_dir / "tables", plan)
        stories = len(document.stories)
        stored = store.count(latest_only=False)
    _checkpoint(work, stored, plan)
    os.replace(work, final)
    return BlockCounts(plan.number, plan.size, stories, peak_rss_mb=peak_rss_mb())


def _check_story_ids(store: SQLiteStore, plan: BlockPlan) -> None:
    """A block's story ids stay in its range, or merging would clash with the next block's."""
    highest = store.highest_story_id()
    if highest >= (plan.number + 1) * STORY_ID_STRIDE:
        raise PipelineError(
            f"{plan.name} numbered a story {highest}, past its range of {STORY_ID_STRIDE:,} ids: "
            "run the batch again with a smaller --block-articles"
        )


def _checkpoint(path: Path, stored: int, plan: BlockPlan) -> None:
    """Fold the write-ahead log into the file, so the file alone is the whole store; and check
    that the file is that store. A batch started again sweeps what a stopped run left, and a
    stopped run's worker may still be writing: if its files went, opening the path must not
    make an empty store that would then be marked done."""
    import sqlite3

    from newsweave.store.migrations import SCHEMA_VERSION

    try:
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True)  # never creates the file
    except sqlite3.OperationalError as exc:
        raise PipelineError(f"{plan.name}: its working store went while it was written ({exc})") from exc
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0] if version else 0
    finally:
        conn.close()
    _remove_store_files(path, _LOG_FILES)
    if version != SCHEMA_VERSION or articles != stored:
        raise PipelineError(
            f"{plan.name}: its working store lost what was written ({articles} of {stored} articles, "
            f"schema {version}): a batch started again swept it; that batch does this block"
        )


def _write_block_tables(document: ExportDocument, tables_dir: Path, plan: BlockPlan) -> None:
    """The export's tables of this block as `tables/TABLE/block-N.parquet`."""
    from newsweave.export import write_tables

    work = tables_dir / f".{plan.name}.{os.getpid()}.part"
    shutil.rmtree(work, ignore_errors=True)
    write_tables(document, work, "parquet")
    for table_file in sorted(work.glob("*.parquet")):
        target = tables_dir / table_file.stem / f"{plan.name}.parquet"
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(table_file, target)
    shutil.rmtree(work, ignore_errors=True)
