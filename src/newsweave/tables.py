"""The export as tables: one table per record kind, joinable by ids (`export.write_tables`
writes them as Parquet, CSV or JSON Lines, one file per table).

Every table is built from the `ExportDocument` the JSON contract is built from, so both say the
same. Rows are made lazily, one at a time: the document holds each article once, and a writer
holds no more than one batch of rows besides it. `docs/data.md` documents each column (a test
keeps it complete).

Names follow the SQLite store: a table's own key is `id`, a reference to another table's record
is `<record>_id` (`article_id`, `claim_id`, `group_id`, `story_id`, `entity_id`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from newsweave.compare.records import Difference
from newsweave.document import ExportDocument
from newsweave.model import Article

Row = dict[str, Any]

_text = pa.string()
_int = pa.int64()
_texts = pa.list_(pa.string())


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One table: its name, its columns and how its rows are read from a document."""

    name: str
    schema: pa.Schema
    rows: Callable[[ExportDocument], Iterator[Row]]

    @property
    def columns(self) -> list[str]:
        return list(self.schema.names)


# Rows, one function per table, in the order of their schema's columns.


def _timestamp(value: str) -> datetime | None:
    """A stored ISO time as an aware UTC datetime (None when the record has none)."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def article_row(a: Article) -> Row:
    return {
        "id": a.id,
        "key": a.key,
        "version": a.version,
        "is_latest": a.is_latest,
        "content_hash": a.content_hash,
        "ingested_at": _timestamp(a.ingested_at),
        "source": a.source,
        "input_format": a.input_format,
        "external_id": a.external_id,
        "url": a.url,
        "outlet": a.outlet,
        "outlet_domain": a.outlet_domain,
        "title": a.title,
        "section": a.section,
        "author": a.author,
        "published": a.published,
        "published_from": a.published_from,
        "language": a.language,
        "language_score": a.language_score,
        "body": a.body,
        "captions": list(a.captions),
        "removed": [{"text": r.text, "reason": r.reason} for r in a.removed],
        "notes": list(a.notes),
    }


def _articles(doc: ExportDocument) -> Iterator[Row]:
    return (article_row(a) for a in doc.articles)


def _stories(doc: ExportDocument) -> Iterator[Row]:
    for s in doc.stories:
        yield {
            "id": s.id,
            "title": s.title,
            "start": s.start,
            "end": s.end,
            "size": len(s.articles),
            "sources": s.sources,
            "outlets": list(s.outlets),
        }


def _story_articles(doc: ExportDocument) -> Iterator[Row]:
    for s in doc.stories:
        for n, article in enumerate(s.articles):
            yield {"story_id": s.id, "position": n, "article_id": article}


def _duplicates(doc: ExportDocument) -> Iterator[Row]:
    for d in doc.duplicates:
        yield {"article_id": d.article, "original_id": d.original, "similarity": d.similarity}


def _claims(doc: ExportDocument) -> Iterator[Row]:
    outlets = {a.id: a.outlet for a in doc.articles}
    for c in doc.claims:
        yield {
            "id": c.id,
            "article_id": c.article,
            "start": c.start,
            "end": c.end,
            "text": c.text,
            "certainty": c.certainty,
            "polarity": c.polarity,
            # As in the JSON contract: who asserts it, the source the text names or else the outlet.
            "attributed_to": c.attributed_to or outlets.get(c.article),
            "source_kind": c.source_kind,
            "hedges": list(c.hedges),
            "entity_names": list(c.entities),
            "numbers": list(c.numbers),
            "context": c.context,
            "predicates": list(c.predicates),
            "hedged_terms": list(c.hedged_terms),
            "phrases": [list(p) for p in c.phrases],
            "part_of": c.part_of,
            "lemmas": dict(c.lemmas),
        }


def _story_number(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _claim_groups(doc: ExportDocument) -> Iterator[Row]:
    position: dict[str, int] = {}
    for g in doc.claim_groups:
        n = position[g.story] = position.get(g.story, -1) + 1
        yield {
            "id": g.id,
            "story_id": _story_number(g.story),
            "position": n,
            "text": g.text,
            "context": g.context,
            "status": g.status,
            "outlets": list(g.outlets),
            "independent_sources": g.independent_sources,
            "times": list(g.times),
            "numbers": list(g.numbers),
        }


def _claim_group_members(doc: ExportDocument) -> Iterator[Row]:
    for g in doc.claim_groups:
        for n, (claim, p) in enumerate(zip(g.claims, g.provenance, strict=True)):
            yield {
                "group_id": g.id,
                "position": n,
                "claim_id": claim,
                "article_id": p.article,
                "outlet": p.outlet,
                "stance": g.stances.get(p.article),
                "chain": list(p.chain),
            }


def _quotes(doc: ExportDocument) -> Iterator[Row]:
    for q in doc.quotes:
        yield {
            "id": q.id,
            "article_id": q.article,
            "start": q.start,
            "end": q.end,
            "text": q.text,
            "kind": q.kind,
            "speaker": q.speaker,
            "speaker_entity_id": q.speaker_entity,
            "cue": q.cue,
            "via": q.via,
        }


def _entities(doc: ExportDocument) -> Iterator[Row]:
    for e in doc.entities:
        yield {"id": e.id, "name": e.name, "type": e.type}


def _entity_aliases(doc: ExportDocument) -> Iterator[Row]:
    for e in doc.entities:
        for alias in e.aliases:
            yield {"entity_id": e.id, "alias": alias}


def _mentions(doc: ExportDocument) -> Iterator[Row]:
    for e in doc.entities:
        for m in e.mentions:
            yield {
                "entity_id": e.id,
                "article_id": m.article,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "kind": m.kind,
            }


def _roles(doc: ExportDocument) -> Iterator[Row]:
    for e in doc.entities:
        for r in e.roles:
            yield {"entity_id": e.id, "article_id": r.article, "start": r.start, "end": r.end, "text": r.text}


def _timexes(doc: ExportDocument) -> Iterator[Row]:
    for t in doc.timexes:
        yield {
            "article_id": t.article,
            "field": t.field,
            "start": t.start,
            "end": t.end,
            "text": t.text,
            "value": t.value,
            "type": t.type,
            "mod": t.mod,
            "anchor": t.anchor,
            "anchor_inferred": t.anchor_inferred,
            "first_day": t.first_day,
            "last_day": t.last_day,
        }


def story_of_articles(doc: ExportDocument) -> dict[str, int]:
    """Each article's story (an article belongs to one story at most)."""
    return {a: s.id for s in doc.stories for a in s.articles}


def _numbered_differences(doc: ExportDocument) -> Iterator[tuple[str, int | None, int, Difference]]:
    """Each difference with an id, its story and its position in that story. A difference names
    no story: its group's story says it, else the story of the first article it cites."""
    story_of = story_of_articles(doc)
    group_story = {g.id: _story_number(g.story) for g in doc.claim_groups}
    position: dict[int | None, int] = {}
    for d in doc.differences:
        cited = [str(s["article"]) for s in d.spans if s.get("article")]
        story = group_story.get(d.group) if d.group else None
        if story is None:
            story = next((story_of[a] for a in cited if a in story_of), None)
        n = position[story] = position.get(story, -1) + 1
        yield f"d-{story if story is not None else 'none'}-{n}", story, n, d


def _differences(doc: ExportDocument) -> Iterator[Row]:
    for id_, story, n, d in _numbered_differences(doc):
        yield {
            "id": id_,
            "story_id": story,
            "position": n,
            "kind": d.kind,
            "about": d.about,
            "note": d.note,
            "group_id": d.group,
        }


def _difference_spans(doc: ExportDocument) -> Iterator[Row]:
    for id_, _, _, d in _numbered_differences(doc):
        for n, span in enumerate(d.spans):
            yield {
                "difference_id": id_,
                "position": n,
                "article_id": span.get("article"),
                "text": span.get("text"),
            }


def _framing_terms(doc: ExportDocument) -> Iterator[Row]:
    story_of = story_of_articles(doc)
    for f in doc.framing:
        yield {
            "story_id": story_of.get(f.article),
            "article_id": f.article,
            "outlet": f.outlet,
            "term": f.term,
            "kind": f.kind,
            "start": f.start,
            "end": f.end,
            "context": f.context,
        }


def _spans(*extra: tuple[str, pa.DataType]) -> list[tuple[str, pa.DataType]]:
    """The columns of a span of an article's text, after `extra`."""
    return [*extra, ("article_id", _text), ("start", _int), ("end", _int), ("text", _text)]


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "articles",
        pa.schema(
            [
                ("id", _text),
                ("key", _text),
                ("version", _int),
                ("is_latest", pa.bool_()),
                ("content_hash", _text),
                ("ingested_at", pa.timestamp("us", tz="UTC")),
                ("source", _text),
                ("input_format", _text),
                ("external_id", _text),
                ("url", _text),
                ("outlet", _text),
                ("outlet_domain", _text),
                ("title", _text),
                ("section", _text),
                ("author", _text),
                ("published", pa.date32()),
                ("published_from", _text),
                ("language", _text),
                ("language_score", pa.float64()),
                ("body", _text),
                ("captions", _texts),
                ("removed", pa.list_(pa.struct([("text", _text), ("reason", _text)]))),
                ("notes", _texts),
            ]
        ),
        _articles,
    ),
    TableSpec(
        "stories",
        pa.schema(
            [
                ("id", _int),
                ("title", _text),
                ("start", pa.date32()),
                ("end", pa.date32()),
                ("size", _int),
                ("sources", _int),
                ("outlets", _texts),
            ]
        ),
        _stories,
    ),
    TableSpec(
        "story_articles",
        pa.schema([("story_id", _int), ("position", _int), ("article_id", _text)]),
        _story_articles,
    ),
    TableSpec(
        "duplicates",
        pa.schema([("article_id", _text), ("original_id", _text), ("similarity", pa.float64())]),
        _duplicates,
    ),
    TableSpec(
        "claims",
        pa.schema(
            [
                ("id", _text),
                *_spans(),
                ("certainty", _text),
                ("polarity", _text),
                ("attributed_to", _text),
                ("source_kind", _text),
                ("hedges", _texts),
                ("entity_names", _texts),
                ("numbers", _texts),
                ("context", _text),
                ("predicates", _texts),
                ("hedged_terms", _texts),
                ("phrases", pa.list_(pa.list_(_int))),
                ("part_of", _text),
                ("lemmas", pa.map_(_text, _text)),
            ]
        ),
        _claims,
    ),
    TableSpec(
        "claim_groups",
        pa.schema(
            [
                ("id", _text),
                ("story_id", _int),
                ("position", _int),
                ("text", _text),
                ("context", _text),
                ("status", _text),
                ("outlets", _texts),
                ("independent_sources", _int),
                ("times", _texts),
                ("numbers", _texts),
            ]
        ),
        _claim_groups,
    ),
    TableSpec(
        "claim_group_members",
        pa.schema(
            [
                ("group_id", _text),
                ("position", _int),
                ("claim_id", _text),
                ("article_id", _text),
                ("outlet", _text),
                ("stance", _text),
                ("chain", _texts),
            ]
        ),
        _claim_group_members,
    ),
    TableSpec(
        "quotes",
        pa.schema(
            [
                ("id", _text),
                *_spans(),
                ("kind", _text),
                ("speaker", _text),
                ("speaker_entity_id", _text),
                ("cue", _text),
                ("via", _text),
            ]
        ),
        _quotes,
    ),
    TableSpec("entities", pa.schema([("id", _text), ("name", _text), ("type", _text)]), _entities),
    TableSpec("entity_aliases", pa.schema([("entity_id", _text), ("alias", _text)]), _entity_aliases),
    TableSpec("mentions", pa.schema([*_spans(("entity_id", _text)), ("kind", _text)]), _mentions),
    TableSpec("roles", pa.schema(_spans(("entity_id", _text))), _roles),
    TableSpec(
        "timexes",
        pa.schema(
            [
                ("article_id", _text),
                ("field", _text),
                ("start", _int),
                ("end", _int),
                ("text", _text),
                ("value", _text),
                ("type", _text),
                ("mod", _text),
                ("anchor", pa.date32()),
                ("anchor_inferred", pa.bool_()),
                ("first_day", pa.date32()),
                ("last_day", pa.date32()),
            ]
        ),
        _timexes,
    ),
    TableSpec(
        "differences",
        pa.schema(
            [
                ("id", _text),
                ("story_id", _int),
                ("position", _int),
                ("kind", _text),
                ("about", _text),
                ("note", _text),
                ("group_id", _text),
            ]
        ),
        _differences,
    ),
    TableSpec(
        "difference_spans",
        pa.schema([("difference_id", _text), ("position", _int), ("article_id", _text), ("text", _text)]),
        _difference_spans,
    ),
    TableSpec(
        "framing_terms",
        pa.schema(
            [
                ("story_id", _int),
                ("article_id", _text),
                ("outlet", _text),
                ("term", _text),
                ("kind", _text),
                ("start", _int),
                ("end", _int),
                ("context", _text),
            ]
        ),
        _framing_terms,
    ),
)
TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)
_BY_NAME = {t.name: t for t in TABLES}


def table_spec(name: str) -> TableSpec:
    """The table of this name.

    Raises:
        KeyError: no table has this name (`TABLE_NAMES` lists them).
    """
    return _BY_NAME[name]


def build_table(document: ExportDocument, name: str) -> pa.Table:
    """One table of the document, whole, in memory (for a caller that queries it at once)."""
    spec = table_spec(name)
    return pa.Table.from_pylist(list(spec.rows(document)), schema=spec.schema)


def build_tables(document: ExportDocument) -> dict[str, pa.Table]:
    """Every table of the document, by name, in memory: for a small document (one story, say);
    `export.write_tables` streams a big one to files."""
    return {t.name: build_table(document, t.name) for t in TABLES}
