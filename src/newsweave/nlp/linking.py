"""Entities across articles: one id for one real-world entity in the whole store.

Each article names its entities by their fullest name within it (`local_name`). Linking:
1. A full name (two words or more) is its own entity, shared by every article that uses it;
   a single-word entity already in the store that this full name's article calls by that word
   ("Alvarez") is merged into it.
2. A single word ("Alvarez", "NATO") joins the entity that has it as an alias or whose full name
   contains it, when one candidate is clear; among several, the one sharing the most other
   entities with the article wins.
3. Within one article, a single-word person left alone is the one full-named person of the
   article whose name contains that word.
Ids are derived from the normalised canonical name, so re-running is stable.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

from newsweave.nlp.entities import initials, normalise_name
from newsweave.store import SQLiteStore


def entity_id(name: str) -> str:
    return "e" + hashlib.sha1(normalise_name(name).encode()).hexdigest()[:12]


def _aliases(names: Sequence[str]) -> list[tuple[str, str]]:
    return [(normalise_name(n), n) for n in dict.fromkeys(names)]


def _single_word_target(store: SQLiteStore, norm: str, article_id: str) -> str | None:
    candidates = {row["id"]: row for row in store.entities_with_alias(norm) if len(row["name"].split()) > 1}
    if not candidates:
        return None
    if len(candidates) == 1:
        return str(next(iter(candidates)))
    scores = Counter({i: store.co_mentioned(i, article_id) for i in candidates})
    (best, top), *rest = scores.most_common()
    return str(best) if top > 0 and (not rest or rest[0][1] < top) else None


def _link_article(store: SQLiteStore, article_id: str) -> None:
    for row in store.local_names(article_id):
        local, type_, names = row["local_name"], row["type"], row["names"].split("\x1f")
        norm = normalise_name(local)
        aliases = _aliases([local, *names])
        if len(norm.split()) > 1:
            target = entity_id(local)
            existing = store.entity(target)
            store.upsert_entity(target, existing["name"] if existing else local, type_, aliases)
            # Single-word entities this article's own mentions name ("Alvarez") become this entity.
            for short_norm, _ in aliases:
                short = entity_id(short_norm)
                if short != target and store.entity(short) is not None and len(short_norm.split()) == 1:
                    store.merge_entity(short, target)
        else:
            target = _single_word_target(store, norm, article_id) or entity_id(local)
            existing = store.entity(target)
            store.upsert_entity(target, existing["name"] if existing else local, type_, aliases)
        store.assign_entity(article_id, local, target)


def _name_words(name: str) -> set[str]:
    return set(normalise_name(name).split())


def _settle_single_words(store: SQLiteStore, article_id: str) -> None:
    """A lone-word person in an article is its one full-named person containing that word; an
    acronym is its one entity with those initials."""
    rows = store.article_entities(article_id)
    full = [r for r in rows if len(r["name"].split()) > 1]
    for row in rows:
        name = row["name"]
        if len(name.split()) != 1:
            continue
        word = normalise_name(name)
        if row["type"] == "PERSON":
            matches = [f for f in full if f["type"] == "PERSON" and word in _name_words(f["name"])]
        elif name.replace(".", "").isupper():
            matches = [f for f in full if initials(f["name"]) == name.replace(".", "").upper()]
        else:
            continue
        if len(matches) == 1:
            store.reassign_in_article(article_id, row["id"], matches[0]["id"])


def link_entities(store: SQLiteStore, article_ids: Sequence[str]) -> None:
    """Give every mention in these articles its store-wide entity."""
    with store.transaction():
        for article_id in article_ids:
            _link_article(store, article_id)
        for article_id in article_ids:
            _settle_single_words(store, article_id)
        store.drop_unmentioned_entities()
