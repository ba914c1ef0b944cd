"""Exports: the JSON contract (`../shared/seeds/README.md`), JSON Lines and Parquet.

Every exporter takes `Article`s and writes plain data; the analysis stages add their own keys
to the JSON document as they arrive.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from newsweave import __version__
from newsweave.model import Article

ExportFormat = Literal["json", "jsonl", "parquet"]

# Keys of the JSON contract that later stages fill; present (empty) so readers can rely on them.
_ANALYSIS_KEYS = ("entities", "timexes", "quotes", "claims", "claim_groups", "differences", "stories")


def article_record(article: Article) -> dict[str, Any]:
    """One article as plain JSON-ready data."""
    return {
        "id": article.id,
        "source": article.source,
        "external_id": article.external_id,
        "url": article.url,
        "outlet": article.outlet,
        "outlet_domain": article.outlet_domain,
        "title": article.title,
        "section": article.section,
        "author": article.author,
        "published": article.published.isoformat() if article.published else None,
        "published_from": article.published_from,
        "language": article.language,
        "language_score": article.language_score,
        "input_format": article.input_format,
        "version": article.version,
        "body": article.body,
        "captions": list(article.captions),
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
    }


def export_document(articles: Iterable[Article]) -> dict[str, Any]:
    """The whole JSON export as one object."""
    document: dict[str, Any] = {
        "newsweave": {"version": __version__, "exported_at": datetime.now(UTC).isoformat(timespec="seconds")},
        "articles": [article_record(a) for a in articles],
    }
    document.update({key: [] for key in _ANALYSIS_KEYS})
    return document


def write_json(articles: Iterable[Article], out: IO[str]) -> int:
    document = export_document(articles)
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(document["articles"])


def write_jsonl(articles: Iterable[Article], out: IO[str]) -> int:
    n = 0
    for article in articles:
        out.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
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
            rows.append(article_record(article))
            if len(rows) >= batch_rows:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                n, rows = n + len(rows), []
        if rows or n == 0:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
    return n
