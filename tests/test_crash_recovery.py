"""A process killed with SIGKILL mid-ingest leaves a consistent database; re-running completes it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import FIXTURES

ARTICLES = 2_000


def _write_corpus(path: Path) -> None:
    """2,000 distinct articles as JSON Lines, built from the fixture articles' paragraphs."""
    paragraphs = []
    for fixture in sorted((FIXTURES / "text").glob("*.txt")):
        paragraphs += [p for p in fixture.read_text(encoding="utf-8").split("\n") if len(p.split()) > 12]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(ARTICLES):
            body = "\n\n".join(paragraphs[(i + k) % len(paragraphs)] for k in range(6))
            record = {"id": f"art-{i}", "title": f"Dispatch number {i}", "text": f"Dispatch {i}.\n\n{body}"}
            f.write(json.dumps(record) + "\n")


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def _ingest_command(db: Path, corpus: Path) -> list[str]:
    return [sys.executable, "-m", "newsweave.cli", "--db", str(db), "ingest", str(corpus), "--quiet"]


def test_sigkill_mid_ingest_then_rerun_stores_each_article_once(tmp_path: Path) -> None:
    corpus, db = tmp_path / "corpus.jsonl", tmp_path / "crash.db"
    _write_corpus(corpus)
    env = {**os.environ, "NEWSWEAVE_BATCH_SIZE": "25"}
    proc = subprocess.Popen(_ingest_command(db, corpus), env=env)
    deadline = time.monotonic() + 120
    while _count(db) < 200 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, "ingest finished before it could be killed; the corpus is too small"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored_at_kill = _count(db)
    assert 0 < stored_at_kill < ARTICLES
    assert stored_at_kill % 25 == 0  # whole batches only

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    subprocess.run(_ingest_command(db, corpus), env=env, check=True)
    with sqlite3.connect(db) as conn:
        total, distinct = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT external_id) FROM articles"
        ).fetchone()
    assert total == distinct == ARTICLES
