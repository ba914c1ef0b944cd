"""The first stage of a batch, for one shard: read, clean, and run the language layer (entities,
quotes, claims, time expressions), writing the shard's tables (`records.py`).

The same functions as `newsweave ingest` and `analyse` do the work (`pipeline.clean_or_reject`,
`nlp.stage.analyses_of`), so a shard holds what one process would have stored. Memory stays
bounded: articles go through spaCy `CHUNK` at a time and each chunk's rows are written before
the next is read. Bad input (an unreadable file or record, a page the cleaner or the language
layer fails on) is a rejection row, never an error; what is raised (the output cannot be
written, the worker runs out of memory) leaves the shard unfinished, for the next run.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from newsweave.batch import records
from newsweave.batch.shards import Shard, enter_batch_folder
from newsweave.clock import now_iso
from newsweave.ingest import read_input
from newsweave.model import Article, CleanArticle, LanguageAnalysis, Rejected
from newsweave.pipeline import clean_safely, read_limits
from newsweave.settings import Settings
from newsweave.store.sqlite import article_id, article_key, content_hash

CHUNK = 64
"""Articles through spaCy at once (MEASURED.md: batches of 32–64 keep its memory low)."""
DONE = "_DONE.json"
"""Written last into a shard's folder, with its counts; the folder is renamed into place after."""


@dataclass(slots=True)
class ShardCounts:
    shard: int
    articles: int = 0
    rejected: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)
    repeated: int = 0
    """Articles read a second time in the shard (same place, same text): written once."""
    peak_rss_mb: float = 0.0
    """The worker's peak memory when the shard was done (its most, over every shard so far)."""
    skipped: bool = False
    """True when the shard was finished by an earlier run."""

    def as_json(self) -> dict[str, Any]:
        """What `_DONE.json` keeps (and the worker hands the driver)."""
        return {k: v for k, v in asdict(self).items() if k != "skipped"}


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def shard_folder(out_dir: Path, shard: Shard) -> Path:
    return out_dir / "analysed" / shard.name


def is_done(out_dir: Path, shard: Shard) -> bool:
    return (shard_folder(out_dir, shard) / DONE).is_file()


def as_article(clean: CleanArticle) -> Article:
    """The article as the store will hold it (its id is its key and content: `store.sqlite`)."""
    key, digest = article_key(clean), content_hash(clean)
    cleaned = {f.name: getattr(clean, f.name) for f in fields(CleanArticle)}
    return Article(
        id=article_id(key, digest),
        key=key,
        version=1,
        is_latest=True,
        content_hash=digest,
        ingested_at=now_iso(),
        **cleaned,
    )


class _Writers:
    """One Parquet writer per table of the shard, in a folder that is not yet the shard's."""

    def __init__(self, folder: Path) -> None:
        import pyarrow.parquet as pq

        folder.mkdir(parents=True)
        self._writers = {
            name: pq.ParquetWriter(str(folder / f"{name}.parquet"), schema)
            for name, schema in records.SCHEMAS.items()
        }
        self._written: set[str] = set()

    def write(self, table: str, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa

        if rows:
            self._writers[table].write_table(pa.Table.from_pylist(rows, schema=records.SCHEMAS[table]))
            self._written.add(table)

    def close(self) -> None:
        for name, writer in self._writers.items():
            if name not in self._written:  # an empty table still carries its columns and their types
                writer.write_table(records.SCHEMAS[name].empty_table())
            writer.close()


def _language_records(
    articles: list[Article],
) -> tuple[dict[str, LanguageAnalysis], list[tuple[Article, str]]]:
    """The language records of a chunk; when the chunk fails, of each article alone, so that one
    article spaCy or a component cannot take is rejected and the others are kept."""
    from newsweave.nlp.stage import analyses_of

    try:
        return {a.article_id: a for a in analyses_of(articles, n_process=1)}, []
    except Exception:  # a component's bug on one of them: find which
        pass
    found: dict[str, LanguageAnalysis] = {}
    failed: list[tuple[Article, str]] = []
    for article in articles:
        try:
            found.update((a.article_id, a) for a in analyses_of([article], n_process=1))
        except Exception as e:  # a component's bug on one article
            failed.append((article, f"{type(e).__name__}: {e}"))
    return found, failed


def _finished(folder: Path) -> ShardCounts:
    done = json.loads((folder / DONE).read_text(encoding="utf-8"))
    return ShardCounts(**done, skipped=True)


def _publish(work: Path, folder: Path, counts: ShardCounts) -> ShardCounts:
    """Move a complete shard into place. Another worker may have finished the same shard
    meanwhile (one a stopped run left behind): its folder is kept, this one dropped."""
    try:
        os.replace(work, folder)  # a complete folder is only ever made by this rename
    except OSError:
        if not (folder / DONE).is_file():
            raise
        shutil.rmtree(work, ignore_errors=True)
        return _finished(folder)
    return counts


class ShardAnalyser:
    """Analyses shards one after another in one worker: spaCy is loaded once, on first use."""

    def __init__(self, out_dir: Path, settings: Settings, published_default: date | None) -> None:
        self.out_dir = out_dir
        self.settings = settings
        self.published_default = published_default

    def analyse(self, shard: Shard) -> ShardCounts:
        """Analyse one shard into its folder, or read the counts of a shard finished before.

        Bad input is never raised: it is a rejection row. What is raised (the output cannot be
        written, the worker is out of memory) leaves the shard unfinished, for the next run."""
        folder = shard_folder(self.out_dir, shard)
        if (folder / DONE).is_file():
            return _finished(folder)
        work = folder.with_name(f".{folder.name}.{os.getpid()}.part")
        shutil.rmtree(work, ignore_errors=True)
        counts = ShardCounts(shard.number)
        writers = _Writers(work)
        try:
            self._analyse_into(shard, writers, counts)
        finally:
            writers.close()
        counts.peak_rss_mb = peak_rss_mb()
        (work / DONE).write_text(json.dumps(counts.as_json()), encoding="utf-8")
        return _publish(work, folder, counts)

    def _reject(self, writers: _Writers, counts: ShardCounts, rejected: Rejected) -> None:
        writers.write("rejections", [records.rejection_row(rejected)])
        counts.rejected += 1
        counts.by_reason[rejected.reason] = counts.by_reason.get(rejected.reason, 0) + 1

    def _analyse_into(self, shard: Shard, writers: _Writers, counts: ShardCounts) -> None:
        enter_batch_folder(shard.cwd, shard.name)
        pending: list[Article] = []
        seen: set[str] = set()
        limits = read_limits(self.settings)
        for ref in shard.inputs():
            docs = [ref] if isinstance(ref, Rejected) else read_input(ref, limits=limits)
            for doc in docs:
                item = clean_safely(doc, self.published_default, self.settings)
                if isinstance(item, Rejected):
                    self._reject(writers, counts, item)
                    continue
                article = as_article(item)
                if article.id in seen:
                    counts.repeated += 1
                    continue
                seen.add(article.id)
                pending.append(article)
                if len(pending) >= CHUNK:
                    self._write_chunk(pending, writers, counts)
                    pending = []
        if pending:
            self._write_chunk(pending, writers, counts)

    def _write_chunk(self, articles: list[Article], writers: _Writers, counts: ShardCounts) -> None:
        found, failed = _language_records(articles)
        for article, why in failed:
            detail = f"the language layer failed on it ({why})"[:500]
            self._reject(writers, counts, Rejected(source=article.source, reason="unreadable", detail=detail))
        articles = [a for a in articles if a.id in found]
        writers.write("articles", [records.article_row(a) for a in articles])
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in records.LANGUAGE_TABLES}
        for article in articles:
            for name, table_rows in records.analysis_rows(found[article.id]).items():
                rows[name] += table_rows
        for name, table_rows in rows.items():
            writers.write(name, table_rows)
        counts.articles += len(articles)
