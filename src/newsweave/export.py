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

from newsweave import __version__, compare
from newsweave.compare.vectors import stored_encoder
from newsweave.model import Article
from newsweave.store import SQLiteStore

ExportFormat = Literal["json", "jsonl", "parquet"]

# Keys of the JSON contract that later stages fill; present (empty) so readers can rely on them.
_LATER_KEYS = ("claim_groups", "differences")


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


def entity_records(store: SQLiteStore, article_ids: set[str]) -> list[dict[str, Any]]:
    """Entities mentioned in these articles, with every alias, role and mention."""
    aliases = store.aliases_of()
    mentions: dict[str, list[dict[str, Any]]] = {}
    for m in store.mention_rows():
        if m["article_id"] in article_ids and m["entity_id"]:
            mentions.setdefault(m["entity_id"], []).append(
                {
                    "article": m["article_id"],
                    "start": m["start"],
                    "end": m["end"],
                    "text": m["text"],
                    "kind": m["kind"],
                }
            )
    roles: dict[str, list[dict[str, Any]]] = {}
    for r in store.role_rows():
        if r["article_id"] in article_ids and r["entity_id"]:
            roles.setdefault(r["entity_id"], []).append(
                {"article": r["article_id"], "text": r["text"], "start": r["start"], "end": r["end"]}
            )
    return [
        {
            "id": e["id"],
            "name": e["name"],
            "type": e["type"],
            "aliases": aliases.get(e["id"], []),
            "roles": roles.get(e["id"], []),
            "articles": sorted({m["article"] for m in mentions[e["id"]]}),
            "mentions": mentions[e["id"]],
        }
        for e in store.entity_rows()
        if e["id"] in mentions
    ]


def timex_records(store: SQLiteStore, article_ids: set[str]) -> list[dict[str, Any]]:
    return [
        {
            "article": t["article_id"],
            "field": t["field"],
            "text": t["text"],
            "start": t["start"],
            "end": t["end"],
            "value": t["value"],
            "type": t["type"],
            "mod": t["mod"],
            "anchor": t["anchor"],
            "anchor_inferred": bool(t["anchor_inferred"]),
        }
        for t in store.timex_rows()
        if t["article_id"] in article_ids
    ]


def quote_records(store: SQLiteStore, article_ids: set[str]) -> list[dict[str, Any]]:
    """Quotes with their speaker's store-wide entity id where the speaker resolved to one."""
    entity_of = store.local_entity_ids()
    return [
        {
            "id": f"q-{q['article_id']}-{q['start']}",
            "article": q["article_id"],
            "text": q["text"],
            "start": q["start"],
            "end": q["end"],
            "kind": q["kind"],
            "speaker_entity": entity_of.get((q["article_id"], q["local_name"])) if q["local_name"] else None,
            "speaker": q["speaker"],
            "cue": q["cue"],
            "via": q["via"],
        }
        for q in store.quote_rows()
        if q["article_id"] in article_ids
    ]


def claim_records(store: SQLiteStore, articles: dict[str, Article]) -> list[dict[str, Any]]:
    """Claims; one the outlet states itself is attributed to the outlet by name."""
    out = []
    for c in store.claim_rows():
        if c["article_id"] not in articles:
            continue
        outlet = articles[c["article_id"]].outlet
        details = json.loads(c["details"])
        out.append(
            {
                "id": f"c-{c['article_id']}-{c['start']}",
                "article": c["article_id"],
                "text": c["text"],
                "start": c["start"],
                "end": c["end"],
                "attributed_to": c["attributed_to"] or outlet,
                "source_kind": "named source" if c["attributed_to"] else "outlet",
                "certainty": c["certainty"],
                "polarity": c["polarity"],
                **details,
            }
        )
    return out


def story_records(store: SQLiteStore, article_ids: set[str]) -> list[dict[str, Any]]:
    """Stories with at least one of these articles; their article lists keep only these."""
    from newsweave.stories.records import load_stories

    out = []
    for story in load_stories(store):
        record = story.as_dict()
        record["articles"] = [a for a in story.articles if a in article_ids]
        record["duplicates"] = [d for d in record["duplicates"] if d["article"] in article_ids]
        if record["articles"]:
            out.append(record)
    return out


def duplicate_records(store: SQLiteStore, article_ids: set[str]) -> list[dict[str, Any]]:
    """Which article is a copy (wire copy, syndication, light edit) of which original."""
    return [
        {"article": d["article_id"], "original": d["original_id"], "similarity": d["similarity"]}
        for d in store.duplicate_rows()
        if d["article_id"] in article_ids
    ]


def export_document(store: SQLiteStore, articles: Iterable[Article]) -> dict[str, Any]:
    """The whole JSON export as one object."""
    kept = {a.id: a for a in articles}
    records = [article_record(a) for a in kept.values()]
    ids = set(kept)
    document: dict[str, Any] = {
        "newsweave": {"version": __version__, "exported_at": datetime.now(UTC).isoformat(timespec="seconds")},
        "articles": records,
        "entities": entity_records(store, ids),
        "timexes": timex_records(store, ids),
        "quotes": quote_records(store, ids),
        "claims": claim_records(store, kept),
        "stories": story_records(store, ids),
        "duplicates": duplicate_records(store, ids),
    }
    document.update({key: [] for key in _LATER_KEYS})
    compare.compare_document(document, encode=stored_encoder(store))
    return document


def write_json(store: SQLiteStore, articles: Iterable[Article], out: IO[str]) -> int:
    document = export_document(store, articles)
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
