"""The store: identity and versions, idempotent ingest, schema versions, bad database files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsweave.errors import ArticleNotFound, SchemaVersionError, StoreError
from newsweave.ingest import expand_inputs
from newsweave.model import CleanArticle, Rejected
from newsweave.pipeline import ingest
from newsweave.settings import Settings
from newsweave.store import SQLiteStore, article_key
from newsweave.store.migrations import SCHEMA_VERSION
from tests.conftest import FIXTURES


def _article(body: str, **kw: object) -> CleanArticle:
    return CleanArticle(source=str(kw.pop("source", "a.txt")), input_format="text", body=body, **kw)  # type: ignore[arg-type]


def _ingest(store: SQLiteStore, settings: Settings, *paths: Path) -> tuple[int, int, int]:
    report = ingest(store, expand_inputs(str(p) for p in paths), settings=settings)
    return report.added, report.new_versions, report.unchanged


def test_ingesting_twice_adds_nothing(store: SQLiteStore, settings: Settings) -> None:
    inputs = (FIXTURES / "text", FIXTURES / "feeds", FIXTURES / "html")
    first = _ingest(store, settings, *inputs)
    count = store.count()
    second = _ingest(store, settings, *inputs)
    assert first[0] == count == 9  # 5 text files, 3 feed entries, 1 page (the index page has no article)
    assert second == (0, 0, count)
    assert store.count(latest_only=False) == count


def test_changed_article_becomes_a_new_version(
    store: SQLiteStore, tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "story.txt"
    path.write_text(
        "Bridge reopens after repairs\n\nThe bridge reopened on Monday after six weeks of repairs."
    )
    assert _ingest(store, settings, path) == (1, 0, 0)
    path.write_text(
        "Bridge reopens after repairs\n\nThe bridge reopened on Tuesday after seven weeks of repairs."
    )
    assert _ingest(store, settings, path) == (0, 1, 0)
    (latest,) = store.articles()
    versions = store.versions(latest.id)
    assert [v.version for v in versions] == [1, 2]
    assert [v.is_latest for v in versions] == [False, True]
    assert "Tuesday" in latest.body


def test_whitespace_and_case_do_not_make_a_version(store: SQLiteStore) -> None:
    store.store_batch([_article("The mayor resigned on Friday.")])
    ((_, outcome),) = store.store_batch([_article("The  MAYOR resigned\non Friday.")])
    assert outcome == "unchanged"


def test_same_file_under_another_path_is_the_same_article(store: SQLiteStore) -> None:
    store.store_batch([_article("Same text.", source="/data/a.txt")])
    ((_, outcome),) = store.store_batch([_article("Same text.", source="/copy/a.txt")])
    assert outcome == "unchanged"


def test_identity_prefers_canonical_url_then_external_id() -> None:
    with_url = _article("x", url="https://WWW.Example.com/story?utm_source=feed", external_id="e1")
    assert article_key(with_url) == "url:https://www.example.com/story"
    assert article_key(_article("x", external_id="e1", source="/d/set.jsonl#4")) == "id:set.jsonl:e1"


def test_same_wire_text_from_two_outlets_is_two_articles(store: SQLiteStore) -> None:
    store.store_batch(
        [
            _article("Wire copy.", url="https://one.example/a"),
            _article("Wire copy.", url="https://two.example/b"),
        ]
    )
    assert store.count() == 2


def test_rejections_are_logged(store: SQLiteStore) -> None:
    store.store_batch([], [Rejected(source="bad.bin", reason="binary", detail="looks like a PNG image")])
    assert store.rejections()[0].source == "bad.bin"


def test_get_by_prefix_and_unknown_id(store: SQLiteStore) -> None:
    ((article_id, _),) = store.store_batch([_article("Body.")])
    assert store.get(article_id[:6]).id == article_id
    with pytest.raises(ArticleNotFound, match="newsweave ls"):
        store.get("ffffffffffff")


def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaVersionError, match="upgrade newsweave"):
        SQLiteStore(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 200)
    with pytest.raises(StoreError, match=r"notes\.db"):
        SQLiteStore(path)


def test_reopening_keeps_everything(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db") as store:
        store.store_batch([_article("Kept across sessions.")])
    with SQLiteStore(tmp_path / "s.db") as store:
        assert [a.body for a in store.articles()] == ["Kept across sessions."]


def test_stage_bookkeeping(store: SQLiteStore) -> None:
    ids = [i for i, _ in store.store_batch([_article("One."), _article("Two.", source="b.txt")])]
    assert store.pending("entities", 1) == ids
    store.mark_done("entities", 1, ids[:1])
    assert store.pending("entities", 1) == ids[1:]
    assert store.pending("entities", 2) == ids  # a new stage version redoes everything
