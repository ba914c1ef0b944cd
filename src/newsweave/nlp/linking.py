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
4. Full person names that are forms of one name ("Peter K. Lindqvist" / "Peter Lindqvist", a suffix
   or nickname apart: `name_variants`) become one entity, named by the fuller form, when the two
   are mentioned in the same news: in one article, or each with an entity few articles mention
   (a country half the store names is no evidence).
Ids are derived from the normalised canonical name, so re-running is stable.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

from newsweave.nlp.entities import KINSHIP_WORDS, initials, normalise_name
from newsweave.nlp.name_variants import (
    PersonName,
    fuller,
    is_given_name,
    parse_person_name,
    same_person_name,
)
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
        _merge_name_variants(store, article_ids)
        store.drop_unmentioned_entities()


def _merge_name_variants(store: SQLiteStore, article_ids: Sequence[str]) -> None:
    """Forms of one person's name become one entity (rule 4), for the people of these articles."""
    touched = {r["id"] for a in article_ids for r in store.article_entities(a) if r["type"] == "PERSON"}
    by_last: dict[str, list[tuple[str, str, PersonName]]] = {}
    people = store.entities_of_type("PERSON")
    # The tagger sometimes types a person's name as an organisation ("Dave Ortiz celebrated his
    # victory"): a given name, then a surname some person of the store has, is a person's.
    surnames = {p.last for r in people if (p := parse_person_name(r["name"])) is not None}
    for row in [*people, *store.entities_of_type("ORG")]:
        parsed = parse_person_name(row["name"])
        if parsed is None or (
            row["type"] != "PERSON" and (parsed.last not in surnames or not is_given_name(parsed.first))
        ):
            continue
        by_last.setdefault(parsed.last, []).append((row["id"], row["name"], parsed))
    for forms in by_last.values():
        if len(forms) > 1 and any(pid in touched for pid, _, _ in forms):
            _merge_forms(store, forms)
    _join_lone_words(store, touched, article_ids)


def _join_lone_words(store: SQLiteStore, touched: set[str], article_ids: Sequence[str]) -> None:
    """A person named by one word in these articles ("Margaret", "Ortiz") whom no full name of
    the article explains is the one full-named person of the same news with that first name (or
    a nickname of it) or that last name; with two such people it stays apart. Only these
    articles' mentions move: another article's "Margaret" may be someone else."""
    full = [(r["id"], p) for r in store.entities_of_type("PERSON") if (p := parse_person_name(r["name"]))]
    for entity_id in sorted(touched):
        row = store.entity(entity_id)
        if row is None or len(row["name"].split()) != 1:
            continue
        word = normalise_name(row["name"])
        named = [
            fid
            for fid, p in full
            if word == p.last or same_person_name(PersonName(word, (), p.last, p.suffix), p)
        ]
        company = [fid for fid in named if store.share_company(entity_id, fid)]
        if len(company) == 1:
            for article_id in article_ids:
                store.reassign_in_article(article_id, entity_id, company[0])


def _merge_forms(store: SQLiteStore, people: list[tuple[str, str, PersonName]]) -> None:
    """Each shorter form joins the fuller form it matches, when it matches every form already
    joined there and no other fuller form it could be ("Chris Ortiz" with both "Christopher
    Ortiz" and "Christina Ortiz" in the store stays apart)."""
    people = sorted(people, key=lambda p: (-len(p[1].split()), -len(p[1]), p[1]))
    groups: dict[str, list[PersonName]] = {}  # the live entity -> the name forms merged into it
    for loser, other, other_parsed in people:
        fits = [
            winner
            for winner, forms in groups.items()
            if all(same_person_name(form, other_parsed) for form in forms)
            and _same_person(store, winner, forms[0], loser, other_parsed)
        ]
        if len(fits) == 1:
            winner = fits[0]
            store.merge_entity(loser, winner)
            name = store.entity(winner)
            store.upsert_entity(winner, fuller(name["name"] if name else other, other), "PERSON", [])
            groups[winner].append(other_parsed)
        elif not fits:
            groups[loser] = [other_parsed]
        # matching two people: the form cannot tell which, so it stays apart


def _same_person(store: SQLiteStore, a_id: str, a: PersonName, b_id: str, b: PersonName) -> bool:
    """Forms of one name, a bare one not described as the suffixed one's relative, in the same
    news. The name test runs first: the store is asked only about names that match."""
    if not same_person_name(a, b):
        return False
    if a.suffix != b.suffix:
        bare = a_id if not a.suffix else b_id
        texts = store.role_texts(bare)
        if any(w in KINSHIP_WORDS for t in texts for w in normalise_name(t).split()):
            return False
    return store.share_company(a_id, b_id)
