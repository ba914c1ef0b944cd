"""Several processes on one store that does not exist yet: all of them succeed.

Each round, two writer processes (the Python API: `open_store(db).ingest([file])`) and one
reader process are released at the same instant on a database path that nobody has created:
all three race to create the file, switch it to WAL and migrate the schema, then the writers
store overlapping sets of articles while the reader reads. Every process must succeed, every
article must end stored exactly once (the overlap counted `added` by exactly one writer), and
`PRAGMA integrity_check` must say ok.

The processes start once and run every round (a barrier releases each round), so a round
costs the race, not Python's start-up; the writers warm up on a private store first, so in
round 0 they too meet at the start line instead of loading models.
"""

from __future__ import annotations

import json
import multiprocessing
import queue
import sqlite3
import time
from pathlib import Path
from typing import Any

from newsweave.store.migrations import SCHEMA_VERSION
from tests.conftest import FIXTURES

ROUNDS = 30
PER_WRITER = 40
OVERLAP = 20  # the second writer's first 20 articles are the first writer's last 20
BATCH = 8  # articles per transaction, so the two writers' batches interleave
READS = 12
BARRIER_TIMEOUT = 60.0  # seconds a process waits for the others at a round's start line
DEADLINE = 300.0  # seconds for all rounds; they take about 5 on this machine

_FIELDS = ("id", "key", "content_hash", "ingested_at", "source", "url", "title", "body")


def _write_corpora(folder: Path) -> tuple[Path, Path, int]:
    """Two JSON Lines files whose articles overlap; identity is the URL, so an article in both
    files is one article."""
    paragraphs = []
    for fixture in sorted((FIXTURES / "text").glob("*.txt")):
        paragraphs += [p for p in fixture.read_text(encoding="utf-8").split("\n") if len(p.split()) > 12]

    def record(i: int) -> str:
        body = "\n\n".join(paragraphs[(i + k) % len(paragraphs)] for k in range(4))
        return json.dumps(
            {
                "url": f"https://example.org/news/{i}",
                "title": f"Report number {i}",
                "text": f"Report {i}.\n\n{body}",
            }
        )

    first, second = folder / "first.jsonl", folder / "second.jsonl"
    start = PER_WRITER - OVERLAP
    first.write_text("".join(record(i) + "\n" for i in range(PER_WRITER)), encoding="utf-8")
    second.write_text("".join(record(i) + "\n" for i in range(start, start + PER_WRITER)), encoding="utf-8")
    return first, second, start + PER_WRITER


def _writer(name: str, dbs: list[str], corpus: str, warm_db: str, barrier: Any, results: Any) -> None:
    from newsweave import open_store
    from newsweave.settings import Settings

    settings = Settings(batch_size=BATCH)
    with open_store(warm_db, settings=settings) as ws:  # imports and models loaded before round 0
        ws.ingest([corpus])
    for n, db in enumerate(dbs):
        barrier.wait(timeout=BARRIER_TIMEOUT)
        try:
            with open_store(db, settings=settings) as ws:
                report = ws.ingest([corpus])
            results.put((n, name, None, (report.added, report.unchanged, len(report.rejected))))
        except Exception as e:  # reported to the test, which fails with it
            results.put((n, name, f"{type(e).__name__}: {e}", None))


def _reader(dbs: list[str], barrier: Any, results: Any) -> None:
    from newsweave import open_store

    for n, db in enumerate(dbs):
        barrier.wait(timeout=BARRIER_TIMEOUT)
        try:
            seen: list[int] = []
            with open_store(db) as ws:
                for _ in range(READS):
                    articles = list(ws.articles())
                    half = [a.id for a in articles if not all(getattr(a, f) for f in _FIELDS)]
                    if half:
                        raise AssertionError(f"articles read half-written: {half}")
                    seen.append(len(articles))
                    time.sleep(0.01)
            if seen != sorted(seen):
                raise AssertionError(f"the article count went down while reading: {seen}")
            results.put((n, "reader", None, seen))
        except Exception as e:
            results.put((n, "reader", f"{type(e).__name__}: {e}", None))


def test_two_writers_and_a_reader_create_one_store_at_once(tmp_path: Path) -> None:
    first, second, total = _write_corpora(tmp_path)
    dbs = [str(tmp_path / f"round-{n}" / "new.db") for n in range(ROUNDS)]
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(3), context.Queue()
    processes = [
        context.Process(
            target=_writer, args=("first", dbs, str(first), str(tmp_path / "warm-1.db"), barrier, results)
        ),
        context.Process(
            target=_writer, args=("second", dbs, str(second), str(tmp_path / "warm-2.db"), barrier, results)
        ),
        context.Process(target=_reader, args=(dbs, barrier, results)),
    ]
    for p in processes:
        p.start()
    outcomes: dict[int, dict[str, Any]] = {n: {} for n in range(ROUNDS)}
    errors: list[str] = []
    deadline = time.monotonic() + DEADLINE
    try:
        for _ in range(3 * ROUNDS):
            n, who, error, value = results.get(timeout=max(1.0, deadline - time.monotonic()))
            outcomes[n][who] = value
            if error is not None:
                errors.append(f"round {n}, {who}: {error}")
    except queue.Empty:
        errors.append("a process stopped answering (hung on a lock, or died)")
    finally:
        for p in processes:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
                p.join()
    assert not errors, f"{len(errors)} failures in {ROUNDS} rounds:\n" + "\n".join(errors)
    assert all(p.exitcode == 0 for p in processes)

    for n, db in enumerate(dbs):
        added = sum(outcomes[n][w][0] for w in ("first", "second"))
        unchanged = sum(outcomes[n][w][1] for w in ("first", "second"))
        assert (added, unchanged) == (total, 2 * PER_WRITER - total), f"round {n}: {outcomes[n]}"
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"round {n}"
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal", f"round {n}"
            assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            rows, keys, urls = conn.execute(
                "SELECT COUNT(*), COUNT(DISTINCT key), COUNT(DISTINCT url) FROM articles"
            ).fetchone()
            assert rows == keys == urls == total, f"round {n}: {rows} rows, {keys} keys"
        assert max(outcomes[n]["reader"]) <= total
