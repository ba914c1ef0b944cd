"""What the first stage of a batch writes for each shard, and how it is read back.

One Parquet file per table in each shard's folder:

- `articles`: the export's `articles` table (`tables.py`), column for column: the cleaned
  article with the id, key and content hash the store will give it (version 1: versions are
  settled when the blocks are stored);
- `timexes`: the export's table, column for column;
- `mentions`, `roles`, `quotes`, `claims`, `language_notes`: what the language layer found, as
  the store keeps it before entities are linked across articles (local names, not entity ids:
  linking needs the other articles, which the second stage brings together);
- `rejections`: every input or record that could not be read, with its reason.

Reading a shard back gives the same `CleanArticle` and `LanguageAnalysis` values that were
written, field for field, so the second stage stores exactly what one process would have.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import fields
from typing import Any

import pyarrow as pa

from newsweave.model import (
    Claim,
    CleanArticle,
    LanguageAnalysis,
    Mention,
    Quote,
    Rejected,
    RemovedLine,
    Role,
    Timex,
)
from newsweave.tables import article_row, table_spec

__all__ = [
    "SCHEMAS",
    "analyses",
    "analysis_rows",
    "article_row",
    "clean_article",
    "rejection",
    "rejection_row",
]

Row = dict[str, Any]

_text = pa.string()
_int = pa.int64()
_texts = pa.list_(pa.string())
_span = [("article_id", _text), ("start", _int), ("end", _int), ("text", _text)]

SCHEMAS: dict[str, pa.Schema] = {
    "articles": table_spec("articles").schema,
    "mentions": pa.schema([*_span, ("kind", _text), ("type", _text), ("local_name", _text)]),
    "roles": pa.schema([*_span, ("local_name", _text)]),
    "timexes": table_spec("timexes").schema,  # the export's: time expressions need no linking
    "quotes": pa.schema(
        [*_span, ("kind", _text), ("speaker", _text), ("local_name", _text), ("cue", _text), ("via", _text)]
    ),
    "claims": pa.schema(
        [
            *_span,
            ("certainty", _text),
            ("attributed_to", _text),
            ("polarity", _text),
            ("hedges", _texts),
            ("entity_names", _texts),
            ("numbers", _texts),
            ("context", _text),
            ("predicates", _texts),
            ("hedged_terms", _texts),
            ("phrases", pa.list_(pa.list_(_int))),
            ("lemmas", pa.map_(_text, _text)),
        ]
    ),
    "language_notes": pa.schema([("article_id", _text), ("note", _text)]),
    "rejections": pa.schema([("source", _text), ("reason", _text), ("detail", _text)]),
}
"""The tables of a shard, in the order they are written."""

LANGUAGE_TABLES = ("mentions", "roles", "timexes", "quotes", "claims", "language_notes")


# Writing


_RECORDS: dict[str, type[Mention | Role | Timex | Quote | Claim]] = {
    "mentions": Mention,
    "roles": Role,
    "timexes": Timex,
    "quotes": Quote,
    "claims": Claim,
}
"""The language tables that hold one record type each, a column per field."""
_COLUMN = {"entities": "entity_names"}
"""A claim's entity names, under the export's column name."""


def _record_row(article_id: str, record: Any) -> Row:
    """A record as a row: tuples as lists, mappings as lists of pairs (Parquet's map)."""
    row: Row = {"article_id": article_id}
    for f in fields(record):
        value = getattr(record, f.name)
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Mapping):
            value = list(value.items())
        row[_COLUMN.get(f.name, f.name)] = value
    return row


def analysis_rows(analysis: LanguageAnalysis) -> dict[str, list[Row]]:
    """One article's language records as rows of each language table."""
    aid = analysis.article_id
    rows = {table: [_record_row(aid, r) for r in getattr(analysis, table)] for table in _RECORDS}
    rows["language_notes"] = [{"article_id": aid, "note": analysis.skipped}] if analysis.skipped else []
    return rows


def rejection_row(rejected: Rejected) -> Row:
    return {"source": rejected.source, "reason": rejected.reason, "detail": rejected.detail}


# Reading back


def clean_article(row: Mapping[str, Any]) -> CleanArticle:
    """The cleaned article an `articles` row was made from (the store sets id and version)."""
    values = {f.name: row[f.name] for f in fields(CleanArticle)}
    values["removed"] = tuple(RemovedLine(text=r["text"], reason=r["reason"]) for r in row["removed"])
    values["captions"], values["notes"] = tuple(row["captions"]), tuple(row["notes"])
    return CleanArticle(**values)


def rejection(row: Mapping[str, Any]) -> Rejected:
    return Rejected(source=row["source"], reason=row["reason"], detail=row["detail"])


def _by_article(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["article_id"], []).append(row)
    return grouped


def _record(kind: type[Any], table: str, row: Mapping[str, Any]) -> Any:
    """A row back as its record: lists as tuples, Parquet maps as dicts."""
    values = {}
    for f in fields(kind):
        column = _COLUMN.get(f.name, f.name)
        value = row[column]
        if pa.types.is_map(SCHEMAS[table].field(column).type):
            value = dict(value)
        elif isinstance(value, list):
            value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        values[f.name] = value
    return kind(**values)


def analyses(
    article_ids: Iterable[str], tables: Mapping[str, Iterable[Mapping[str, Any]]]
) -> Iterator[LanguageAnalysis]:
    """Each article's `LanguageAnalysis` from the language tables' rows (in the order written)."""
    grouped = {name: _by_article(tables.get(name, ())) for name in LANGUAGE_TABLES}
    for aid in article_ids:
        records = {
            table: tuple(_record(kind, table, row) for row in grouped[table].get(aid, []))
            for table, kind in _RECORDS.items()
        }
        notes = grouped["language_notes"].get(aid, [])
        yield LanguageAnalysis(article_id=aid, **records, skipped=notes[0]["note"] if notes else None)
