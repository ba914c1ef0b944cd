"""Processes racing to create one store: how many runs fail.

The hostile tester's experiment, as commands: each run starts two `newsweave --db NEW.db ingest
FILE` and one `newsweave --db NEW.db ls` at the same moment on a database that does not exist
yet, the two files sharing half their articles (identity is the URL). A run fails when any of
the three exits non-zero, or the store afterwards does not hold every article exactly once, or
`PRAGMA integrity_check` is not ok.

Then the open race alone, many times: three processes open (`SQLiteStore(NEW.db)`) one new
store at the same instant, released by a barrier, with the WAL switch retried as the store does
and, for comparison, tried once (as it was before: the busy timeout does not cover it).

    python bench/concurrency.py [--runs 30] [--races 300]

Set PYTHONPATH to another copy of `src/` to measure other code (the issue's "before" figure).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # `_common`

from _common import ROOT, machine, write_result

PER_FILE = 40
OVERLAP = 20


def write_corpora(folder: Path) -> tuple[Path, Path, int]:
    paragraphs = []
    for fixture in sorted((ROOT / "tests" / "fixtures" / "text").glob("*.txt")):
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
    start = PER_FILE - OVERLAP
    first.write_text("".join(record(i) + "\n" for i in range(PER_FILE)), encoding="utf-8")
    second.write_text("".join(record(i) + "\n" for i in range(start, start + PER_FILE)), encoding="utf-8")
    return first, second, start + PER_FILE


def one_run(folder: Path, first: Path, second: Path, total: int) -> list[str]:
    """The failures of one run (empty: it succeeded)."""
    db = folder / "new.db"
    cli = [sys.executable, "-m", "newsweave.cli", "--db", str(db)]
    commands = [
        [*cli, "ingest", str(first), "--quiet"],
        [*cli, "ingest", str(second), "--quiet"],
        [*cli, "ls"],
    ]
    processes = [
        subprocess.Popen(c, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for c in commands
    ]
    failures = []
    for name, p in zip(("ingest 1", "ingest 2", "ls"), processes, strict=True):
        _, stderr = p.communicate(timeout=120)
        if p.returncode != 0:
            last = (stderr.strip().splitlines() or ["?"])[-1]
            failures.append(f"{name}: {last}")
    try:
        with sqlite3.connect(db) as conn:
            if (check := conn.execute("PRAGMA integrity_check").fetchone()[0]) != "ok":
                failures.append(f"integrity_check: {check}")
            rows, keys = conn.execute("SELECT COUNT(*), COUNT(DISTINCT key) FROM articles").fetchone()
            if not rows == keys == total:
                failures.append(f"stored {rows} rows, {keys} articles; expected {total}")
    except sqlite3.Error as e:
        failures.append(f"store unreadable: {e}")
    return failures


def _opener(paths: list[str], retry: bool, barrier: Any, results: Any) -> None:
    from newsweave.store import sqlite as store

    if not retry:

        def once(conn: sqlite3.Connection) -> None:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()

        store._use_wal = once
    for path in paths:
        barrier.wait(timeout=60)
        try:
            store.SQLiteStore(path).close()
            results.put(None)
        except Exception as e:
            results.put(f"{type(e).__name__}: {e}".replace(path, "NEW.db").split("; is it a")[0])


def open_races(races: int, retry: bool) -> dict[str, Any]:
    """Three processes open each of `races` new stores at once; what failed."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(3), context.Queue()
    with tempfile.TemporaryDirectory() as tmp:
        paths = [str(Path(tmp) / f"{n}.db") for n in range(races)]
        processes = [context.Process(target=_opener, args=(paths, retry, barrier, results)) for _ in range(3)]
        for process in processes:
            process.start()
        outcomes = Counter(results.get(timeout=120) for _ in range(3 * races))
        for process in processes:
            process.join()
    failures = {k: n for k, n in outcomes.items() if k is not None}
    return {"opens": 3 * races, "failed": sum(failures.values()), "failures": failures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--races", type=int, default=300, help="open races, each way (0: none)")
    parser.add_argument("--name", default="concurrency", help="results file name (bench/results/NAME.json)")
    args = parser.parse_args()
    import newsweave

    failed_runs, kinds = 0, Counter()  # type: ignore[var-annotated]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        first, second, total = write_corpora(Path(tmp))
        for n in range(args.runs):
            folder = Path(tmp) / f"run-{n}"
            folder.mkdir()
            failures = one_run(folder, first, second, total)
            failed_runs += bool(failures)
            for f in failures:
                kinds[f.replace(str(folder / "new.db"), "NEW.db").split("; is it a")[0][:120]] += 1
            print(f"run {n}: {'; '.join(failures) or 'ok'}", file=sys.stderr)
    seconds = round(time.perf_counter() - started, 1)
    races = {}
    if args.races:
        races = {
            "races": args.races,
            "wal_switch_retried": open_races(args.races, retry=True),
            "wal_switch_tried_once": open_races(args.races, retry=False),
        }
    write_result(
        args.name,
        {
            "machine": machine(),
            "code": str(Path(newsweave.__file__).parent),
            "runs": args.runs,
            "processes_per_run": 3,
            "failed_runs": failed_runs,
            "failures": dict(kinds.most_common()),
            "seconds": seconds,
            "open_races": races,
        },
    )


if __name__ == "__main__":
    main()
