"""The JSON contract (`../shared/seeds/README.md`, `docs/architecture.md`): one serializer of an
`ExportDocument`, and one loader that reads an export file back, so a report can be rebuilt from
it without the store.

Fields beyond the contract's are written too (an article's identity and hash, a claim's
`source_kind`, a time expression's first and last day); the loader accepts files without them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import date
from typing import Any, TypeVar

from newsweave.compare.framing import FramingTerm
from newsweave.compare.records import ClaimGroup, Difference, Provenance
from newsweave.document import ExportDocument
from newsweave.model import (
    Article,
    ClaimRecord,
    EntityMention,
    EntityRecord,
    EntityRole,
    QuoteRecord,
    RemovedLine,
    TimexRecord,
)
from newsweave.nlp.dates.calendar import calendar_span
from newsweave.stories.records import Duplicate, Story

Data = Mapping[str, Any]
T = TypeVar("T")


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _parse_day(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _plain(value: Any) -> Any:
    """JSON shapes: tuples become lists, dates ISO strings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


# Writing


def article_json(article: Article) -> dict[str, Any]:
    """One article as plain JSON-ready data (also the row of the JSON Lines and Parquet exports)."""
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
        "published": _day(article.published),
        "published_from": article.published_from,
        "language": article.language,
        "language_score": article.language_score,
        "input_format": article.input_format,
        "version": article.version,
        "body": article.body,
        "captions": list(article.captions),
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
    }


def _claim_json(claim: ClaimRecord, outlet: str | None) -> dict[str, Any]:
    record = _plain(asdict(claim))
    # The contract names who asserts a claim: the source the text gives, else the outlet itself.
    record["attributed_to"] = claim.attributed_to or outlet
    record["source_kind"] = claim.source_kind
    return dict(record)


def to_json(document: ExportDocument) -> dict[str, Any]:
    """The export document as the JSON contract's object."""
    outlets = {a.id: a.outlet for a in document.articles}
    return {
        "newsweave": {"version": document.version, "exported_at": document.exported_at},
        "articles": [
            {**article_json(a), "key": a.key, "content_hash": a.content_hash, "ingested_at": a.ingested_at}
            for a in document.articles
        ],
        "entities": [_plain(asdict(e)) for e in document.entities],
        "timexes": [_plain(asdict(t)) for t in document.timexes],
        "quotes": [_plain(asdict(q)) for q in document.quotes],
        "claims": [_claim_json(c, outlets.get(c.article)) for c in document.claims],
        "stories": [s.as_dict() for s in document.stories],
        "duplicates": [_plain(asdict(d)) for d in document.duplicates],
        "claim_groups": [_plain(asdict(g)) for g in document.claim_groups],
        "differences": [_plain(asdict(d)) for d in document.differences],
        "framing": [_plain(asdict(f)) for f in document.framing],
    }


# Reading back


def _each(data: Data, key: str, make: Callable[[Data], T]) -> tuple[T, ...]:
    values = data.get(key) or []
    return tuple(make(v) for v in values if isinstance(v, Mapping))


def _article(a: Data) -> Article:
    return Article(
        id=str(a["id"]),
        key=str(a.get("key") or a.get("url") or a.get("source") or a["id"]),
        version=int(a.get("version") or 1),
        is_latest=True,
        content_hash=str(a.get("content_hash") or ""),
        ingested_at=str(a.get("ingested_at") or ""),
        source=str(a.get("source") or ""),
        input_format=a.get("input_format") or "text",
        body=str(a.get("body") or ""),
        captions=tuple(str(c) for c in a.get("captions") or ()),
        removed=tuple(RemovedLine(text=r["text"], reason=r["reason"]) for r in a.get("removed") or ()),
        external_id=a.get("external_id"),
        url=a.get("url"),
        outlet=a.get("outlet"),
        outlet_domain=a.get("outlet_domain"),
        title=a.get("title"),
        author=a.get("author"),
        section=a.get("section"),
        published=_parse_day(a.get("published")),
        published_from=a.get("published_from"),
        language=a.get("language"),
        language_score=a.get("language_score"),
    )


def _entity(e: Data) -> EntityRecord:
    return EntityRecord(
        id=str(e["id"]),
        name=str(e.get("name") or ""),
        type=str(e.get("type") or ""),
        aliases=tuple(str(a) for a in e.get("aliases") or ()),
        roles=tuple(
            EntityRole(
                article=str(r["article"]), text=str(r["text"]), start=int(r["start"]), end=int(r["end"])
            )
            for r in e.get("roles") or ()
        ),
        articles=tuple(str(a) for a in e.get("articles") or ()),
        mentions=tuple(
            EntityMention(
                article=str(m["article"]),
                start=int(m["start"]),
                end=int(m["end"]),
                text=str(m["text"]),
                kind=m.get("kind") or "name",
            )
            for m in e.get("mentions") or ()
        ),
    )


def _timex(t: Data) -> TimexRecord:
    value = str(t.get("value") or "")
    first, last = _parse_day(t.get("first_day")), _parse_day(t.get("last_day"))
    if "first_day" not in t and (span := calendar_span(value)):  # a file from before the days were kept
        first, last = span.first, span.last
    return TimexRecord(
        article=str(t["article"]),
        field=str(t.get("field") or "body"),
        text=str(t.get("text") or ""),
        start=int(t["start"]),
        end=int(t["end"]),
        value=value,
        type=str(t.get("type") or "DATE"),
        mod=t.get("mod"),
        anchor=_parse_day(t.get("anchor")),
        anchor_inferred=bool(t.get("anchor_inferred")),
        first_day=first,
        last_day=last,
    )


def _quote(q: Data) -> QuoteRecord:
    return QuoteRecord(
        id=str(q.get("id") or f"q-{q['article']}-{q.get('start')}"),
        article=str(q["article"]),
        text=str(q.get("text") or ""),
        start=int(q["start"]),
        end=int(q["end"]),
        kind=q.get("kind") or "direct",
        speaker_entity=q.get("speaker_entity"),
        speaker=q.get("speaker"),
        cue=q.get("cue"),
        via=q.get("via"),
    )


def _claim(c: Data) -> ClaimRecord:
    outlet_states = c.get("source_kind", "outlet") == "outlet" or not c.get("attributed_to")
    return ClaimRecord(
        id=str(c["id"]),
        article=str(c["article"]),
        text=str(c.get("text") or ""),
        start=int(c["start"]),
        end=int(c["end"]),
        certainty=c.get("certainty") or "asserted",
        attributed_to=None if outlet_states else str(c["attributed_to"]),
        polarity=c.get("polarity") or "positive",
        hedges=tuple(c.get("hedges") or ()),
        entities=tuple(c.get("entities") or ()),
        numbers=tuple(c.get("numbers") or ()),
        context=str(c.get("context") or ""),
        predicates=tuple(c.get("predicates") or ()),
        hedged_terms=tuple(c.get("hedged_terms") or ()),
        phrases=tuple((int(a), int(b)) for a, b in c.get("phrases") or ()),
        part_of=str(c["part_of"]) if c.get("part_of") else None,
        lemmas={str(k): str(v) for k, v in (c.get("lemmas") or {}).items()},
    )


def _story(s: Data) -> Story:
    return Story(
        id=int(s["id"]),
        title=str(s.get("title") or ""),
        articles=tuple(str(a) for a in s.get("articles") or ()),
        outlets=tuple(str(o) for o in s.get("outlets") or ()),
        start=_parse_day(s.get("start")),
        end=_parse_day(s.get("end")),
        duplicates=_each(s, "duplicates", _duplicate),
    )


def _duplicate(d: Data) -> Duplicate:
    return Duplicate(
        article=str(d["article"]), original=str(d["original"]), similarity=float(d["similarity"])
    )


def _group(g: Data) -> ClaimGroup:
    return ClaimGroup(
        id=str(g["id"]),
        story=str(g.get("story") or ""),
        claims=tuple(str(c) for c in g.get("claims") or ()),
        text=str(g.get("text") or ""),
        context=str(g.get("context") or ""),
        status=str(g.get("status") or "unique"),
        outlets=tuple(str(o) for o in g.get("outlets") or ()),
        independent_sources=int(g.get("independent_sources") or 0),
        stances={str(k): str(v) for k, v in (g.get("stances") or {}).items()},
        provenance=tuple(
            Provenance(article=str(p["article"]), outlet=str(p["outlet"]), chain=tuple(p.get("chain") or ()))
            for p in g.get("provenance") or ()
        ),
        times=tuple(str(t) for t in g.get("times") or ()),
        numbers=tuple(str(n) for n in g.get("numbers") or ()),
    )


def _difference(d: Data) -> Difference:
    return Difference(
        kind=str(d.get("kind") or ""),
        about=str(d.get("about") or ""),
        spans=tuple(dict(s) for s in d.get("spans") or () if isinstance(s, Mapping)),
        note=str(d.get("note") or ""),
        group=d.get("group"),
    )


def _framing(f: Data) -> FramingTerm:
    return FramingTerm(
        article=str(f["article"]),
        outlet=str(f.get("outlet") or ""),
        term=str(f.get("term") or ""),
        kind=str(f.get("kind") or ""),
        start=int(f.get("start") or 0),
        end=int(f.get("end") or 0),
        context=str(f.get("context") or ""),
    )


def from_json(data: Data) -> ExportDocument:
    """An export document read back from the JSON contract (a file `export` wrote, say).

    Raises:
        KeyError, ValueError, TypeError: a record lacks a field the contract requires.
    """
    meta = data.get("newsweave") or {}
    return ExportDocument(
        articles=_each(data, "articles", _article),
        entities=_each(data, "entities", _entity),
        timexes=_each(data, "timexes", _timex),
        quotes=_each(data, "quotes", _quote),
        claims=_each(data, "claims", _claim),
        stories=_each(data, "stories", _story),
        duplicates=_each(data, "duplicates", _duplicate),
        claim_groups=_each(data, "claim_groups", _group),
        differences=_each(data, "differences", _difference),
        framing=_each(data, "framing", _framing),
        version=str(meta.get("version") or ""),
        exported_at=str(meta.get("exported_at") or ""),
    )
