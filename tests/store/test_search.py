"""Full-text search in the store (migration 8, `store/search.py`) on real articles: the five
fixture articles and the two examples, analysed, so entity filters and stories have something
true to find.

The examples are the project's seed articles, which no test may name
(tests/test_no_seed_rules.py): what a test looks for in them is read from the store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsweave
from newsweave.model import EntityRecord
from newsweave.store import SQLiteStore
from newsweave.store.migrations import MIGRATIONS, _statements
from newsweave.store.search import MAX_TERMS, SearchFilters, match_expression
from tests.conftest import FIXTURES, ROOT
from tests.server.api_support import Indexed, distinctive, shared

TEXTS = FIXTURES / "text"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def searched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    db = tmp_path_factory.mktemp("search") / "search.db"
    with newsweave.open_store(db) as ws:
        ws.ingest([TEXTS, EXAMPLES], published=date(2024, 3, 18))
        ws.analyse()
    with SQLiteStore(db) as store:
        yield store


@pytest.fixture(scope="module")
def indexed(searched: SQLiteStore) -> list[Indexed]:
    """Every stored article as the index reads it, in ingest order."""
    return [Indexed.of(article) for article in searched.articles()]


@pytest.fixture(scope="module")
def examples(searched: SQLiteStore, indexed: list[Indexed]) -> list[Indexed]:
    """The two examples (one story, two outlets), known by where they were read from."""
    ids = {a.id for a in searched.articles() if Path(a.source).parent == EXAMPLES}
    pair = [a for a in indexed if a.id in ids]
    assert len(pair) == 2 and pair[0].outlet != pair[1].outlet
    return pair


def _titles(store: SQLiteStore, query: str) -> list[str]:
    return [hit.title or "" for hit in store.search_articles(query).items]


# The query: user words, quoted


@pytest.mark.parametrize(
    ("typed", "expression"),
    [
        ("flood barrier", '"flood" "barrier"'),
        ('"storm surge" harbour', '"storm surge" "harbour"'),
        ("harb*", '"harb"*'),
        ("ha*", '"ha"'),  # too short a prefix: the word itself
        ('bob" OR 1=1 --', '"bob" "or" "1 1"'),  # words joined by punctuation stay a phrase
        ("NEAR(a b) AND NOT c", '"near a" "b" "and" "not" "c"'),
        ("Bücher café", '"bücher" "café"'),
        ("x\x00y", '"x y"'),
        ('"unclosed phrase', '"unclosed phrase"'),
        ("*** ((( ---", ""),
        ("", ""),
    ],
)
def test_match_expression_quotes_every_word(typed: str, expression: str) -> None:
    assert match_expression(typed) == expression


def test_match_expression_keeps_a_bounded_number_of_terms() -> None:
    assert match_expression(" ".join(f"w{i}" for i in range(100))).count('"') == 2 * MAX_TERMS


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_is_a_valid_query(searched: SQLiteStore, typed: str) -> None:
    page = searched.search_articles(typed, limit=3)
    assert page.total >= len(page.items)
    searched.search_stories(typed, limit=3)


# Finding articles


def test_words_are_stemmed_and_accents_ignored(searched: SQLiteStore) -> None:
    assert _titles(searched, "flooding barriers")[0].startswith("Flood barrier fails")
    assert _titles(searched, "proximo presupuestario") == [
        "El Gobierno regional adelanta las elecciones al 12 de mayo"
    ]


def test_a_phrase_must_appear_as_written(searched: SQLiteStore) -> None:
    assert searched.search_articles('"storm surge"').total == 1
    assert searched.search_articles('"surge storm"').total == 0


def test_a_title_match_ranks_above_a_body_match(searched: SQLiteStore) -> None:
    hits = searched.search_articles("strike").items
    assert hits[0].title == "Dockworkers extend strike at three southern ports as talks stall"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)  # type: ignore[misc]


def test_the_snippet_marks_the_words_found(searched: SQLiteStore) -> None:
    (hit,) = searched.search_articles("hypothermia").items
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["hypothermia"]


def test_the_outlet_is_searched_too(searched: SQLiteStore, indexed: list[Indexed]) -> None:
    # A word of one article's outlet that no title or body has, nor any other outlet.
    article, word = next(
        (a, w)
        for a in indexed
        for w, s in a.columns[2]
        if not any(s in b.terms for b in indexed if b is not a)
        and not any(s == t for column in a.columns[:2] for _, t in column)
    )
    assert [hit.id for hit in searched.search_articles(word).items] == [article.id]


def test_pages_add_up_to_the_total(searched: SQLiteStore) -> None:
    everything = searched.search_articles(None, limit=100)
    assert everything.total == 7 == len(everything.items)
    paged = [
        hit.id
        for offset in range(0, 7, 3)
        for hit in searched.search_articles(None, limit=3, offset=offset).items
    ]
    assert paged == [hit.id for hit in everything.items]
    beyond = searched.search_articles(None, limit=3, offset=50)
    assert (beyond.items, beyond.total) == ((), 7)
    days = [hit.published for hit in everything.items]
    assert days == sorted(days, reverse=True)  # type: ignore[type-var]  # newest first


@pytest.mark.parametrize(
    ("filters", "total"),
    [
        (SearchFilters(outlet="harbour herald"), 1),
        (SearchFilters(published_from=date(2025, 1, 1)), 1),  # the school board's own date
        (SearchFilters(published_to=date(2024, 3, 18)), 6),
        (SearchFilters(published_from=date(2024, 3, 19), published_to=date(2024, 12, 31)), 0),
    ],
)
def test_filters(searched: SQLiteStore, filters: SearchFilters, total: int) -> None:
    assert searched.search_articles(None, filters).total == total


def test_entity_filter(searched: SQLiteStore, indexed: list[Indexed]) -> None:
    person = _leading_person(searched)
    profile = searched.entity_profile(person.id)
    assert profile is not None and profile.articles == len(person.articles) == 2
    # A word every article naming the person has, and some other article too.
    naming = [a for a in indexed if a.id in person.articles]
    others = [a for a in indexed if a.id not in person.articles]
    word = next(w for w in distinctive(shared(naming)) if any(w in a.words for a in others))
    assert searched.search_articles(word).total > 2
    found = searched.search_articles(word, SearchFilters(entity=profile.id))
    assert {hit.id for hit in found.items} == set(person.articles)
    assert searched.search_articles("harbour").total >= 1
    assert searched.search_articles("harbour", SearchFilters(entity=profile.id)).total == 0


def _leading_person(store: SQLiteStore) -> EntityRecord:
    """The person named in the most articles, then most often."""
    people = [e for e in store.entities([a.id for a in store.articles()]) if e.type == "PERSON"]
    return max(people, key=lambda e: (len(e.articles), len(e.mentions)))


# Stories


def test_a_story_matches_when_any_of_its_articles_does(
    searched: SQLiteStore, indexed: list[Indexed], examples: list[Indexed]
) -> None:
    # Three consecutive words of one example, each in the other too but never in that order,
    # and in no other article.
    one, other = examples
    phrase = next(
        " ".join(w for w, _ in run)
        for run in one.runs(3)
        if all(w.isalpha() and len(w) >= 4 and s in other.terms for w, s in run)
        and not any(a.has_phrase([s for _, s in run]) for a in indexed if a is not one)
    )
    (story,) = searched.search_stories(f'"{phrase}"').items
    assert story.id == searched.search_stories(None).items[0].id  # the examples' story
    assert story.title in {searched.get(a.id).title for a in examples}
    assert (story.articles, story.matched) == (2, 1)
    assert set(story.outlets) == {one.outlet, other.outlet}
    assert story.start == story.end == date(2024, 3, 18)


def test_stories_without_a_query_come_largest_first(searched: SQLiteStore, examples: list[Indexed]) -> None:
    page = searched.search_stories(None)
    assert page.total == len(page.items) >= 5
    assert page.items[0].articles == 2 and all(s.articles == 1 for s in page.items[1:])
    assert searched.search_stories(None, SearchFilters(outlet=examples[0].outlet)).total == 1


# The index follows the table


def test_new_versions_replace_old_ones_in_results(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "Council approves ferry timetable\n\nThe ferry will run hourly from May.\n", encoding="utf-8"
    )
    with newsweave.open_store(tmp_path / "v.db") as ws:
        ws.ingest([page])
        page.write_text(
            "Council approves ferry timetable\n\nThe tram will run hourly from May.\n", encoding="utf-8"
        )
        ws.ingest([page])
        store = ws.store
        assert store.count(latest_only=False) == 2
        assert store.search_articles("tram").total == 1
        assert store.search_articles('"ferry will run"').total == 0  # only in the old version's body


def test_triggers_keep_the_index_in_step(tmp_path: Path) -> None:
    with newsweave.open_store(tmp_path / "t.db") as ws:
        ws.ingest([TEXTS / "harbour_flood.txt"])
        conn = ws.store._conn
        conn.execute("UPDATE articles SET title = 'Quay inundated'")
        assert ws.store.search_articles("inundated").total == 1
        assert ws.store.search_articles('"storm surge swamps"').total == 0  # the old title
        conn.execute("DELETE FROM articles")
        assert ws.store.search_articles("quay").total == 0
        conn.execute(
            "INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')"
        )  # raises if out of step


def test_the_migration_indexes_articles_already_stored(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:7], start=1):
        for statement in _statements(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
    row = {
        "id": "a1",
        "key": "path:/x",
        "version": 1,
        "content_hash": "h",
        "ingested_at": "2024-01-01",
        "source": "/x.txt",
        "input_format": "text",
        "title": "Old news",
        "body": "A lighthouse keeper retired.",
    }
    conn.execute(
        f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
    )
    conn.close()
    with SQLiteStore(db) as store:
        assert [hit.id for hit in store.search_articles("lighthouse keepers").items] == ["a1"]
