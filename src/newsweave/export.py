"""Exports: the JSON contract (`../shared/seeds/README.md`), the tables (Parquet, CSV, JSON
Lines: one file per table, `tables.py`) and a story as JSON-LD (`jsonld.py`).

Every exporter writes the `ExportDocument` read from the store (`document.py`); no exporter
computes anything: the analysis stages did, before. pyarrow is imported by the table writers
only, so opening a workspace does not load it.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from functools import partial
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal, TypeGuard, get_args

from newsweave.contract import to_json
from newsweave.document import ExportDocument, read_document
from newsweave.model import Article
from newsweave.store import SQLiteStore

if TYPE_CHECKING:
    from newsweave.tables import Row, TableSpec

TableFormat = Literal["parquet", "csv", "jsonl"]
ExportFormat = Literal["json", "jsonl", "parquet", "csv", "jsonld"]
TABLE_FORMATS: tuple[TableFormat, ...] = get_args(TableFormat)
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)


def export_document(store: SQLiteStore, articles: Iterable[Article]) -> ExportDocument:
    """The whole export (it reads what the analysis stages stored); `contract.to_json` makes it
    the JSON contract's object, `tables.py` its tables, `jsonld.story_jsonld` a story's JSON-LD."""
    return read_document(store, articles)


def is_table_format(fmt: str) -> TypeGuard[TableFormat]:
    """Whether `fmt` writes tables (one file each into a folder)."""
    return fmt in TABLE_FORMATS


def write_json(document: ExportDocument, out: IO[str]) -> int:
    """The JSON contract (`contract.to_json`); returns the articles written."""
    json.dump(to_json(document), out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(document.articles)


def write_jsonld(document: ExportDocument, out: IO[str], story_id: int | None = None) -> None:
    """One story of the document as JSON-LD (`jsonld.story_jsonld`)."""
    from newsweave.jsonld import story_jsonld

    json.dump(story_jsonld(document, story_id), out, ensure_ascii=False, indent=2)
    out.write("\n")


# The tables, one file each


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _write_parquet(
    spec: TableSpec, rows: Iterable[Row], path: Path, *, meta: Mapping[str, str], batch_rows: int
) -> int:
    """A table in row groups of `batch_rows`: only one batch is ever converted at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = spec.schema.with_metadata(dict(meta))
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        for batch in _batches(rows, batch_rows):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
        if n == 0:  # an empty table still carries its columns and their types
            writer.write_table(schema.empty_table())
    return n


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _write_jsonl(spec: TableSpec, rows: Iterable[Row], path: Path) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")
            n += 1
    return n


def _csv_cell(value: object) -> object:
    """A value as one CSV cell: lists and maps as JSON text, dates ISO, booleans true/false,
    nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _write_csv(spec: TableSpec, rows: Iterable[Row], path: Path) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(spec.columns)
        for row in rows:
            writer.writerow([_csv_cell(row[c]) for c in spec.columns])
            n += 1
    return n


TableWriter = Callable[["TableSpec", Iterable["Row"], Path], int]


def _table_writer(fmt: TableFormat, document: ExportDocument, batch_rows: int) -> TableWriter:
    if fmt == "parquet":
        meta = {"newsweave.version": document.version, "newsweave.exported_at": document.exported_at}
        return partial(_write_parquet, meta=meta, batch_rows=batch_rows)
    return _write_csv if fmt == "csv" else _write_jsonl


def table_path(out_dir: Path, table: str, fmt: TableFormat) -> Path:
    """Where `write_tables` puts a table: `DIR/claims.parquet`."""
    return out_dir / f"{table}.{fmt}"


def write_tables(
    document: ExportDocument,
    out_dir: Path,
    fmt: TableFormat,
    *,
    batch_rows: int = 2_000,
    on_table: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Write every table of the document into `out_dir` (made if missing), one file per table;
    returns the rows written per table.

    Each file is written beside its final name and moved there once complete, so a reader never
    opens half a table.

    Args:
        document: what to write (`read_document` of the articles asked for).
        out_dir: the folder; a file already there under a table's name is replaced.
        fmt: parquet, csv or jsonl.
        batch_rows: rows converted at once (Parquet's row groups).
        on_table: called with (table name, rows written) after each table.
    """
    from newsweave.tables import TABLES

    out_dir.mkdir(parents=True, exist_ok=True)
    write = _table_writer(fmt, document, batch_rows)
    counts: dict[str, int] = {}
    for spec in TABLES:
        path = table_path(out_dir, spec.name, fmt)
        part = path.with_name(path.name + ".part")
        try:
            counts[spec.name] = write(spec, spec.rows(document), part)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        os.replace(part, path)
        if on_table is not None:
            on_table(spec.name, counts[spec.name])
    return counts
