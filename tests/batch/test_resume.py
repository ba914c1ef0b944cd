"""A batch killed mid-run and started again ends with every article exactly once."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from newsweave import open_store
from newsweave.compare import stage as compare
from newsweave.nlp import stage as language
from newsweave.stories import stage as stories
from tests.batch.test_batch import write_corpus

pytest.importorskip("ray", reason="newsweave batch needs the extra newsweave[ray]")

FILES = 12


def _command(inputs: list[str], out: Path) -> list[str]:
    options = ["--published", "2024-03-18", "--shard-mb", "0", "--block-articles", "15", "-q"]
    return [sys.executable, "-m", "newsweave.cli", "batch", *inputs, "--out", str(out), *options]


def _kill_when(inputs: list[str], out: Path, ready: Callable[[], bool]) -> None:
    """Start the batch; SIGKILL it, and everything it started, once `ready()` holds."""
    process = subprocess.Popen(
        _command(inputs, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 600
    try:
        while not ready():
            assert process.poll() is None, "the batch finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _count(folder: Path, pattern: str) -> int:
    return len(list(folder.glob(pattern))) if folder.exists() else 0


def test_a_batch_killed_in_each_stage_finishes_with_every_article_once(tmp_path: Path) -> None:
    inputs = write_corpus(tmp_path / "inputs", bodies=90, files=FILES, fill=True)
    out = tmp_path / "out"
    # Killed in the first stage, after three shards…
    _kill_when(inputs, out, lambda: _count(out / "analysed", "*/_DONE.json") >= 3)
    shards_done = _count(out / "analysed", "*/_DONE.json")
    shards = len(json.loads((out / "shards.json").read_text(encoding="utf-8"))["shards"])
    assert 3 <= shards_done < shards
    # …then in the second, after one block.
    _kill_when(inputs, out, lambda: _count(out / "blocks", "block-*.db") >= 1)
    blocks_done = _count(out / "blocks", "block-*.db")
    done = subprocess.run(
        [c for c in _command(inputs, out) if c != "-q"], capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"{shards} ({shards} finished before)" in done.stderr
    # A killed driver's Ray workers may finish the block in hand before they notice: at least
    # the blocks seen finished were skipped.
    blocks_before = re.search(r"blocks\W+(\d+) \((\d+) finished before\)", done.stderr)
    assert blocks_before is not None, done.stderr
    assert blocks_done <= int(blocks_before[2]) <= int(blocks_before[1])
    db = tmp_path / "loaded.db"
    loaded = subprocess.run(
        [sys.executable, "-m", "newsweave.cli", "--db", str(db), "load", str(out)],
        capture_output=True,
        text=True,
    )
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    # The reference: the same inputs ingested in one process (no analysis needed to know the articles).
    alone = tmp_path / "alone.db"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "newsweave.cli",
            "--db",
            str(alone),
            "ingest",
            "-q",
            "--published",
            "2024-03-18",
            *inputs,
        ],
        check=True,
        capture_output=True,
    )
    with open_store(db) as merged, open_store(alone) as reference:
        ids = [a.id for a in merged.articles(latest_only=False)]
        assert len(ids) == len(set(ids))
        assert sorted(ids) == sorted(a.id for a in reference.articles(latest_only=False))
        placed = [a for s in merged.stories() for a in s.articles]
        assert sorted(placed) == sorted(ids)  # each in one story, none twice
        for stage in (language, stories, compare):
            assert merged.store.pending(stage.STAGE, stage.VERSION) == [], stage.STAGE
