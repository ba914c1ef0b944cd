"""The JSON contract: one serializer and one loader, so an export file rebuilds the same report."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newsweave import open_store
from newsweave.cli import app
from newsweave.contract import from_json, to_json
from tests.conftest import FIXTURES

STORY = FIXTURES / "compare" / "ferry_fire.jsonl"
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?( UTC|\+00:00)?")


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("contract") / "story.db"
    with open_store(db) as ws:
        ws.ingest([STORY])
        ws.analyse()
    return db


@pytest.fixture(scope="module")
def exported(analysed: Path) -> dict[str, Any]:
    with open_store(analysed) as ws:
        return ws.export()


def test_an_export_read_back_writes_the_same_export(exported: dict[str, Any]) -> None:
    assert exported["claims"] and exported["claim_groups"] and exported["timexes"]
    assert any(c["lemmas"] for c in exported["claims"])
    assert to_json(from_json(exported)) == exported


def test_a_claim_the_outlet_states_is_the_outlets_in_the_file_and_nobodys_in_the_record(
    exported: dict[str, Any],
) -> None:
    outlets = {a["id"]: a["outlet"] for a in exported["articles"]}
    own = next(c for c in exported["claims"] if c["source_kind"] == "outlet")
    assert own["attributed_to"] == outlets[own["article"]]
    assert next(c for c in from_json(exported).claims if c.id == own["id"]).attributed_to is None


def test_time_expressions_carry_their_days(exported: dict[str, Any]) -> None:
    dated = [t for t in from_json(exported).timexes if t.first_day is not None]
    assert dated and all(t.last_day is not None and t.first_day <= t.last_day for t in dated)


def test_the_report_from_an_export_file_is_the_report_from_the_store(
    analysed: Path, exported: dict[str, Any], tmp_path: Path
) -> None:
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps(exported), encoding="utf-8")
    runner = CliRunner()
    from_store = runner.invoke(app, ["--db", str(analysed), "report", "-f", "md"])
    from_file = runner.invoke(app, ["report", "--from-export", str(export_file), "-f", "md"])
    assert from_store.exit_code == from_file.exit_code == 0, from_file.output
    assert "## Brief" in from_store.output
    assert _STAMP.sub("", from_file.output) == _STAMP.sub("", from_store.output)


def test_a_file_that_is_no_export_is_refused_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text('{"claims": [{"text": "no id"}]}', encoding="utf-8")
    result = CliRunner().invoke(app, ["report", "--from-export", str(bad), "-f", "md"])
    assert result.exit_code == 1
    assert "notes.json" in result.output and "not a newsweave JSON export" in result.output
