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
from datetime import date
from typing import Any, cast

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
            ("lemmas", pa.map_(_text, _text)),
        ]
    ),
    "language_notes": pa.schema([("article_id", _text), ("note", _text)]),
    "rejections": pa.schema([("source", _text), ("reason", _text), ("detail", _text)]),
}
"""The tables of a shard, in the order they are written."""

LANGUAGE_TABLES = ("mentions", "roles", "timexes", "quotes", "claims", "language_notes")


# Writing


def analysis_rows(analysis: LanguageAnalysis) -> dict[str, list[Row]]:
    """One article's language records as rows of each language table."""
    aid = analysis.article_id

    def span(start: int, end: int, text: str) -> Row:
        return {"article_id": aid, "start": start, "end": end, "text": text}

    return {
        "mentions": [
            {**span(m.start, m.end, m.text), "kind": m.kind, "type": m.type, "local_name": m.local_name}
            for m in analysis.mentions
        ],
        "roles": [{**span(r.start, r.end, r.text), "local_name": r.local_name} for r in analysis.roles],
        "timexes": [
            {
                **span(t.start, t.end, t.text),
                "field": t.field,
                "value": t.value,
                "type": t.type,
                "mod": t.mod,
                "anchor": t.anchor,
                "anchor_inferred": t.anchor_inferred,
                "first_day": t.first_day,
                "last_day": t.last_day,
            }
            for t in analysis.timexes
        ],
        "quotes": [
            {
                **span(q.start, q.end, q.text),
                "kind": q.kind,
                "speaker": q.speaker,
                "local_name": q.local_name,
                "cue": q.cue,
                "via": q.via,
            }
            for q in analysis.quotes
        ],
        "claims": [
            {
                **span(c.start, c.end, c.text),
                "certainty": c.certainty,
                "attributed_to": c.attributed_to,
                "polarity": c.polarity,
                "hedges": list(c.hedges),
                "entity_names": list(c.entities),
                "numbers": list(c.numbers),
                "context": c.context,
                "lemmas": list(c.lemmas.items()),
            }
            for c in analysis.claims
        ],
        "language_notes": [{"article_id": aid, "note": analysis.skipped}] if analysis.skipped else [],
    }


def rejection_row(rejected: Rejected) -> Row:
    return {"source": rejected.source, "reason": rejected.reason, "detail": rejected.detail}


# Reading back


def clean_article(row: Mapping[str, Any]) -> CleanArticle:
    """The cleaned article an `articles` row was made from (the store sets id and version)."""
    published = row["published"]
    return CleanArticle(
        source=row["source"],
        input_format=row["input_format"],
        body=row["body"],
        captions=tuple(row["captions"] or ()),
        removed=tuple(RemovedLine(text=r["text"], reason=r["reason"]) for r in row["removed"] or ()),
        external_id=row["external_id"],
        url=row["url"],
        outlet=row["outlet"],
        outlet_domain=row["outlet_domain"],
        title=row["title"],
        author=row["author"],
        section=row["section"],
        published=published
        if isinstance(published, date) or published is None
        else date.fromisoformat(published),
        published_from=row["published_from"],
        language=row["language"],
        language_score=row["language_score"],
        notes=tuple(row["notes"] or ()),
    )


def rejection(row: Mapping[str, Any]) -> Rejected:
    return Rejected(source=row["source"], reason=row["reason"], detail=row["detail"])


def _by_article(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["article_id"], []).append(row)
    return grouped


def analyses(
    article_ids: Iterable[str], tables: Mapping[str, Iterable[Mapping[str, Any]]]
) -> Iterator[LanguageAnalysis]:
    """Each article's `LanguageAnalysis` from the language tables' rows (in the order written)."""
    grouped = {name: _by_article(tables.get(name, ())) for name in LANGUAGE_TABLES}

    def of(name: str, aid: str) -> list[Mapping[str, Any]]:
        return grouped[name].get(aid, [])

    for aid in article_ids:
        notes = of("language_notes", aid)
        yield LanguageAnalysis(
            article_id=aid,
            mentions=tuple(
                Mention(
                    start=r["start"],
                    end=r["end"],
                    text=r["text"],
                    kind=r["kind"],
                    type=r["type"],
                    local_name=r["local_name"],
                )
                for r in of("mentions", aid)
            ),
            roles=tuple(
                Role(start=r["start"], end=r["end"], text=r["text"], local_name=r["local_name"])
                for r in of("roles", aid)
            ),
            timexes=tuple(
                Timex(
                    start=r["start"],
                    end=r["end"],
                    text=r["text"],
                    value=r["value"],
                    type=r["type"],
                    mod=r["mod"],
                    anchor=r["anchor"],
                    anchor_inferred=bool(r["anchor_inferred"]),
                    field=r["field"],
                    first_day=r["first_day"],
                    last_day=r["last_day"],
                )
                for r in of("timexes", aid)
            ),
            quotes=tuple(
                Quote(
                    start=r["start"],
                    end=r["end"],
                    text=r["text"],
                    kind=r["kind"],
                    speaker=r["speaker"],
                    local_name=r["local_name"],
                    cue=r["cue"],
                    via=r["via"],
                )
                for r in of("quotes", aid)
            ),
            claims=tuple(
                Claim(
                    start=r["start"],
                    end=r["end"],
                    text=r["text"],
                    certainty=r["certainty"],
                    attributed_to=r["attributed_to"],
                    polarity=r["polarity"],
                    hedges=tuple(r["hedges"] or ()),
                    entities=tuple(r["entity_names"] or ()),
                    numbers=tuple(r["numbers"] or ()),
                    context=r["context"],
                    lemmas=dict(cast(list[tuple[str, str]], r["lemmas"] or [])),
                )
                for r in of("claims", aid)
            ),
            skipped=notes[0]["note"] if notes else None,
        )
