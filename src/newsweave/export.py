"""Exports: the JSON contract (`../shared/seeds/README.md`), JSON Lines and Parquet.

Every exporter takes `Article`s and writes plain data read from the store (`document.py`); no
exporter computes anything: the analysis stages did, before.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, Literal

from newsweave.contract import article_json, to_json
from newsweave.document import ExportDocument, read_document
from newsweave.model import Article
from newsweave.store import SQLiteStore

ExportFormat = Literal["json", "jsonl", "parquet"]


def export_document(store: SQLiteStore, articles: Iterable[Article]) -> ExportDocument:
    """The whole export (it reads what the analysis stages stored); `contract.to_json` makes it
    the JSON contract's object."""
    return read_document(store, articles)


def write_json(store: SQLiteStore, articles: Iterable[Article], out: IO[str]) -> int:
    document = export_document(store, articles)
    json.dump(to_json(document), out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(document.articles)


def write_jsonl(articles: Iterable[Article], out: IO[str]) -> int:
    n = 0
    for article in articles:
        out.write(json.dumps(article_json(article), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_parquet(articles: Iterable[Article], path: Path, batch_rows: int = 2_000) -> int:
    """Articles as a Parquet table, written in row groups so memory stays flat."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("id", pa.string()),
            ("source", pa.string()),
            ("external_id", pa.string()),
            ("url", pa.string()),
            ("outlet", pa.string()),
            ("outlet_domain", pa.string()),
            ("title", pa.string()),
            ("section", pa.string()),
            ("author", pa.string()),
            ("published", pa.string()),
            ("published_from", pa.string()),
            ("language", pa.string()),
            ("language_score", pa.float64()),
            ("input_format", pa.string()),
            ("version", pa.int64()),
            ("body", pa.string()),
            ("captions", pa.list_(pa.string())),
            ("removed", pa.list_(pa.struct([("text", pa.string()), ("reason", pa.string())]))),
        ]
    )
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        rows: list[dict[str, Any]] = []
        for article in articles:
            rows.append(article_json(article))
            if len(rows) >= batch_rows:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                n, rows = n + len(rows), []
        if rows or n == 0:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
    return n
