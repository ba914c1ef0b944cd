"""The seed articles through the CLI and the seeds scorer: floors for every measure built so far.

Runs only where ../shared/seeds is present. Nothing in the code names anything in the seeds;
this test only reads the scorer's verdict.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from newsweave.cli import app
from tests.conftest import needs_shared


def test_foundation_measures_on_the_seeds(tmp_path: Path) -> None:
    seeds = needs_shared("seeds")
    db, out = tmp_path / "seeds.db", tmp_path / "seeds.json"
    runner = CliRunner()
    files = [str(p) for p in sorted(seeds.glob("*.txt"))]
    assert runner.invoke(app, ["--db", str(db), "ingest", *files, "--published", "2024-03-18"]).exit_code == 0
    assert (
        runner.invoke(app, ["--db", str(db), "export", "--format", "json", "--out", str(out)]).exit_code == 0
    )
    scored = subprocess.run(
        [sys.executable, str(seeds / "score_seeds.py"), str(out), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    measures = json.loads(scored.stdout.splitlines()[0])
    assert measures["articles_mapped"] == [2, 2]
    assert measures["metadata"] == [3, 3]
    assert measures["boilerplate_removed"] == [10, 10]
    assert measures["content_kept"] == [37, 37]
    # Language layer. One person is named only by surname in both texts ("Trump"); the gold
    # wants the full name, which needs world knowledge newsweave does not have: 8 of 9.
    assert measures["persons_resolved"][0] >= 8
    assert measures["other_entities_found"][0] >= 20
    assert measures["junk_entities_absent"] == [6, 6]
    assert measures["roles"][0] >= 10
    assert measures["timexes"][0] >= 23
