"""Ray is an optional extra: the single-process path never imports it, and `batch` without it
says how to install it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsweave.batch.run import run_batch
from newsweave.errors import ConfigError
from newsweave.settings import Settings
from tests.conftest import ROOT

_SINGLE_PROCESS = """
import sys
from newsweave import open_store
with open_store(sys.argv[1]) as ws:
    ws.ingest(sys.argv[2:])
    ws.analyse()
    ws.export()
print(sorted(m for m in sys.modules if m == "ray" or m.startswith("ray.")))
"""


def test_ingest_analyse_and_export_import_no_ray(tmp_path: Path) -> None:
    examples = [str(p) for p in sorted((ROOT / "examples").glob("*.txt"))]
    done = subprocess.run(
        [sys.executable, "-c", _SINGLE_PROCESS, str(tmp_path / "s.db"), *examples],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_batch_without_ray_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` fails, as where it is not installed
    article = "A short article about a harbour that opened on Monday."
    (tmp_path / "a.txt").write_text(article, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"newsweave\[ray\]"):
        run_batch([str(tmp_path / "a.txt")], tmp_path / "out", settings=Settings())
