"""The hostile inputs kept in tests/fixtures/hostile (written by `tests.ingest.hostile_fixtures`),
ingested together as a user would: each bad one is a named rejection, the good records around
them are stored, and the store analyses and exports as usual afterwards."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from newsweave import open_store
from newsweave.cli import app
from tests.conftest import FIXTURES

HOSTILE = FIXTURES / "hostile"


def test_the_hostile_folder_ingests_with_every_bad_input_named(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    result = CliRunner().invoke(app, ["--db", str(db), "ingest", "-q", str(HOSTILE)])
    assert result.exit_code == 0, result.output
    with open_store(db) as ws:
        rejected = {(Path(r.source.split("#")[0]).name, r.reason) for r in ws.store.rejections()}
        assert rejected == {
            ("damaged_page.warc", "corrupt"),
            ("empty.txt", "empty"),
            ("image.png", "binary"),
            ("nested_deep.jsonl", "malformed"),
            ("truncated.warc.gz", "truncated"),
            ("wrong_types.jsonl", "malformed"),
        }
        stored = sorted(Path(a.source.split("#")[0]).name for a in ws.articles())
        ws.analyse()
        exported = ws.export()
    # Every good record is kept beside the bad ones: the cut WARC's whole pages, the damaged
    # WARC's sound page, the JSON Lines record after a lone surrogate (and that one, repaired).
    assert stored == [
        "damaged_page.warc",
        "escape_sequences.jsonl",
        "leading_whitespace.txt",
        "lone_surrogate.jsonl",
        "lone_surrogate.jsonl",
        "truncated.warc.gz",
        "truncated.warc.gz",
        "year_zero.atom",
        "year_zero.rss",
    ]
    assert len(exported["articles"]) == len(stored) and exported["claims"]
