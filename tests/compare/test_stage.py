"""The comparison as a stage: stored per story, re-run only for stories whose articles changed,
read (never computed) by `export` and `report`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newsweave import open_store
from newsweave.cli import app
from newsweave.compare import stage as compare_stage
from newsweave.compare.cores import whole_id
from newsweave.store import SQLiteStore
from newsweave.workspace import Workspace
from tests.conftest import FIXTURES

FERRY = FIXTURES / "compare" / "ferry_fire.jsonl"
GALLERY = FIXTURES / "compare" / "gallery_theft.jsonl"


@pytest.fixture
def analysed(tmp_path: Path) -> Path:
    db = tmp_path / "two-stories.db"
    with open_store(db) as ws:
        ws.ingest([FERRY, GALLERY])
        ws.analyse()
    return db


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the story of every comparison that runs."""
    calls: list[int] = []
    real = compare_stage.compare_stored_story

    def spy(store: SQLiteStore, story: int, article_ids: Any) -> Any:
        calls.append(story)
        return real(store, story, article_ids)

    monkeypatch.setattr(compare_stage, "compare_stored_story", spy)
    return calls


def test_groups_differences_and_framing_are_tables_of_the_store(analysed: Path) -> None:
    with sqlite3.connect(analysed) as conn:
        counts = {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("claim_groups", "claim_group_members", "differences", "framing_terms")
        }
        stories = conn.execute("SELECT COUNT(*) FROM story_comparisons").fetchone()[0]
        claims = {f"c-{a}-{s}" for a, s in conn.execute("SELECT article_id, start FROM claims")}
        members = [m for (m,) in conn.execute("SELECT claim_id FROM claim_group_members")]
    assert stories == 2
    # every claim is in a group, itself or by the parts the comparison cut out of it
    assert {whole_id(m) for m in members} == claims
    assert counts["claim_groups"] < len(claims)  # some claims of two outlets share a group
    assert counts["differences"] > 0 and counts["framing_terms"] > 0


def test_export_of_an_analysed_store_runs_no_comparison(
    analysed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting(monkeypatch)
    with open_store(analysed) as ws:
        first, again = ws.export(), ws.export()
    assert calls == []
    assert first["claim_groups"] == again["claim_groups"] and first["claim_groups"]
    assert {g["story"] for g in first["claim_groups"]} == {str(s["id"]) for s in first["stories"]}
    shared = [g for g in first["claim_groups"] if g["status"] == "shared"]
    assert shared and all(len(g["outlets"]) >= 2 for g in shared)


def test_only_a_story_whose_articles_changed_is_compared_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = GALLERY.read_text(encoding="utf-8").splitlines(keepends=True)
    first, last = tmp_path / "first.jsonl", tmp_path / "last.jsonl"
    first.write_text("".join(lines[:-1]), encoding="utf-8")
    last.write_text(lines[-1], encoding="utf-8")
    with open_store(tmp_path / "s.db") as ws:
        ws.ingest([FERRY, first])
        ws.analyse()
        calls = _counting(monkeypatch)
        ws.analyse()
        assert calls == []  # nothing changed: nothing compared
        ws.ingest([last])
        ws.analyse()
        gallery = next(
            s for s in ws.stories() if any("gallery" in (a.url or "") for a in _articles(ws, s.articles))
        )
    assert calls == [gallery.id]


def _articles(ws: Workspace, ids: tuple[str, ...]) -> Iterator[Any]:
    return ws.store.articles(ids=list(ids))


def test_report_of_one_story_reads_only_that_story(analysed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(analysed) as ws:
        stories = ws.stories()
        chosen = next(s for s in stories if len(s.articles) > 1)
        others = {a for s in stories if s.id != chosen.id for a in s.articles}
    read: list[Any] = []
    for method in ("articles", "entities", "timexes", "quotes", "claims", "duplicate_rows", "story_ids_of"):
        real = getattr(SQLiteStore, method)

        def spy(self: SQLiteStore, *args: Any, _real: Any = real, _name: str = method, **kwargs: Any) -> Any:
            ids = kwargs.get("ids", kwargs.get("article_ids", args[0] if args else None))
            read.append((_name, None if ids is None else set(ids)))
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(SQLiteStore, method, spy)
    result = CliRunner().invoke(app, ["--db", str(analysed), "report", "--story", str(chosen.id), "-f", "md"])
    assert result.exit_code == 0, result.output
    assert read, "the report read nothing"
    # Every read names its articles (no whole-table scan), and none of another story's.
    assert all(ids is not None and not ids & others for _, ids in read), read
    assert chosen.title in result.output
