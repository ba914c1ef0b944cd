"""The export document: what the stages stored about some articles, as the JSON contract's data
(`../shared/seeds/README.md`, `docs/architecture.md`).

Everything is read for the articles asked for, by SQL on their ids, so a document of one story
costs the same in a store of three articles as in one of a million. The comparison stage reads
its inputs here too; `read_document` adds the comparison it stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newsweave._version import __version__
from newsweave.model import Article

if TYPE_CHECKING:
    from newsweave.store import SQLiteStore
    from newsweave.stories.records import Story


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


def entity_records(store: SQLiteStore, article_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Entities mentioned in these articles, with every alias, and their roles and mentions in
    these articles."""
    mentions: dict[str, list[dict[str, Any]]] = {}
    for m in store.mention_rows(article_ids):
        if m["entity_id"]:
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
    for r in store.role_rows(article_ids):
        if r["entity_id"]:
            roles.setdefault(r["entity_id"], []).append(
                {"article": r["article_id"], "text": r["text"], "start": r["start"], "end": r["end"]}
            )
    ids = sorted(mentions)
    aliases = store.aliases_of(ids)
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
        for e in store.entity_rows(ids)
    ]


def timex_records(store: SQLiteStore, article_ids: Sequence[str]) -> list[dict[str, Any]]:
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
        for t in store.timex_rows(article_ids)
    ]


def quote_records(store: SQLiteStore, article_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Quotes with their speaker's store-wide entity id where the speaker resolved to one."""
    entity_of = {
        (m["article_id"], m["local_name"]): m["entity_id"]
        for m in store.mention_rows(article_ids)
        if m["entity_id"]
    }
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
        for q in store.quote_rows(article_ids)
    ]


def claim_records(store: SQLiteStore, articles: dict[str, Article]) -> list[dict[str, Any]]:
    """Claims; one the outlet states itself is attributed to the outlet by name."""
    out = []
    for c in store.claim_rows(list(articles)):
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


def stories_of(store: SQLiteStore, article_ids: Sequence[str]) -> list[Story]:
    """Stories holding any of these articles, largest first; their article lists keep only these."""
    from dataclasses import replace

    from newsweave.stories.records import load_stories

    wanted = set(article_ids)
    out = []
    for story in load_stories(store, store.story_ids_of(article_ids)):
        kept = tuple(a for a in story.articles if a in wanted)
        if kept:
            duplicates = tuple(d for d in story.duplicates if d.article in wanted)
            out.append(replace(story, articles=kept, duplicates=duplicates))
    out.sort(key=lambda s: (-len(s.articles), -(s.end.toordinal() if s.end else 0), s.id))
    return out


def duplicate_records(store: SQLiteStore, article_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Which article is a copy (wire copy, syndication, light edit) of which original."""
    return [
        {"article": d["article_id"], "original": d["original_id"], "similarity": d["similarity"]}
        for d in store.duplicate_rows(article_ids)
    ]


def read_records(store: SQLiteStore, articles: Iterable[Article]) -> dict[str, Any]:
    """The language layer's and the stories stage's records of these articles."""
    kept = {a.id: a for a in articles}
    ids = list(kept)
    return {
        "articles": [article_record(a) for a in kept.values()],
        "entities": entity_records(store, ids),
        "timexes": timex_records(store, ids),
        "quotes": quote_records(store, ids),
        "claims": claim_records(store, kept),
        "stories": [s.as_dict() for s in stories_of(store, ids)],
        "duplicates": duplicate_records(store, ids),
    }


def comparison_records(
    store: SQLiteStore, story_ids: Sequence[int], article_ids: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    """The stored comparison of these stories, seen from these articles: a group keeps the claims
    of these articles (and is left out when it has none), a difference or framing term is kept
    when it cites one of them."""
    wanted = set(article_ids)
    groups = []
    for g in store.claim_groups(story_ids):
        record = _plain(asdict(g))
        kept = [i for i, p in enumerate(g.provenance) if p.article in wanted]
        if not kept:
            continue
        if len(kept) < len(g.claims):
            record["claims"] = [record["claims"][i] for i in kept]
            record["provenance"] = [record["provenance"][i] for i in kept]
            record["stances"] = {a: s for a, s in record["stances"].items() if a in wanted}
        groups.append(record)
    return {
        "claim_groups": groups,
        "differences": [
            _plain(asdict(d))
            for d in store.differences(story_ids)
            if any(s.get("article") in wanted for s in d.spans)
        ],
        "framing": [_plain(asdict(f)) for f in store.framing_terms(story_ids) if f.article in wanted],
    }


def read_document(store: SQLiteStore, articles: Iterable[Article]) -> dict[str, Any]:
    """The whole JSON export of these articles: their records and their stories' comparison.

    It only reads: the comparison is the compare stage's, stored per story."""
    records = read_records(store, articles)
    ids = [a["id"] for a in records["articles"]]
    document: dict[str, Any] = {
        "newsweave": {"version": __version__, "exported_at": datetime.now(UTC).isoformat(timespec="seconds")},
        **records,
    }
    document.update(comparison_records(store, [s["id"] for s in records["stories"]], ids))
    return document


def _plain(value: Any) -> Any:
    """JSON shapes: tuples become lists, as they would after a round trip through a file."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
