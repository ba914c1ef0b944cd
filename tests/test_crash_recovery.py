"""Processes killed with SIGKILL at random points leave a consistent store, and running the same
command again completes the job with the result of a run that was never interrupted.

Ingest: 40 kills of `ingest` (a JSON Lines corpus of 300 articles, 5 a batch). Each kill lands
at a seeded random point: three in four one to three commits after the run starts storing
articles the last one did not, plus up to 10 ms; one in four at a random time of a whole run
(reading, migrating a new store, or going over what is stored already). After each kill:
`PRAGMA integrity_check` is ok (and the full-text index's own check), the store holds whole
batches only, exactly the rows an uninterrupted run stores first (so each article once, every
column whole), and each row's content hash is the hash of its stored title and body. When a
store is complete, an uninterrupted `ingest` adds nothing and every row equals the reference's;
the next kills start a new store.

Analyse: at least 10 kills of `analyse` on the repository's own articles (17: the fixture
texts, the comparison stories, the feeds, the news page and `examples/`). The chunks are made
small (4 articles a language chunk and 2 stories a comparison save, instead of 256 and 64) so
17 articles give the commit points a large corpus has; each kill lands a seeded random 1 to 3
commits and up to 0.25 s into the run, and each restart continues where the last left off.
After each kill: integrity and foreign keys are ok; every article's language records are all
there (those of the uninterrupted run) or not there at all; an article marked done is analysed
and linked; an article the stories stage marked done is in a story; a compared story has its
whole comparison. When the work is done, `export --format json` is byte for byte the
uninterrupted run's (SOURCE_DATE_EPOCH fixes the two timestamps that would differ,
`ingested_at` and `exported_at`).

The kills of `ingest` fork from this process after it has imported newsweave (a kill costs the
work, not Python's start-up); `analyse` runs as a process of its own, killed with its group.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from newsweave.model import CleanArticle
from newsweave.store import content_hash
from tests.conftest import FIXTURES, ROOT

SEED = 20261207
EPOCH = "1733580000"  # SOURCE_DATE_EPOCH: the same `ingested_at` and `exported_at` in every run
ARTICLES = 300
BATCH = 5
INGEST_KILLS = 40
ANALYSE_KILLS = 10
# Small analysis chunks, so the 17 articles give many commit points (see the docstring).
_CHUNKS = (
    "import newsweave.nlp.stage as language, newsweave.compare.stage as compare\n"
    "language.LanguageStage.chunk = 4\n"
    "compare._SAVE_EVERY = 2\n"
    "from newsweave.cli import main\n"
    "main()\n"
)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWEAVE_")}
    return {**env, "SOURCE_DATE_EPOCH": EPOCH, "NEWSWEAVE_BATCH_SIZE": str(BATCH)}


@contextmanager
def _connect(db: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(db, timeout=10)) as conn:
        yield conn


def _integrity(db: Path) -> None:
    with _connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts'").fetchone():
            # the full-text index agrees with the articles (raises if it does not)
            conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")


# Ingest


def _write_corpus(path: Path) -> None:
    """Distinct articles as JSON Lines, built from the fixture articles' paragraphs."""
    paragraphs = []
    for fixture in sorted((FIXTURES / "text").glob("*.txt")):
        paragraphs += [p for p in fixture.read_text(encoding="utf-8").split("\n") if len(p.split()) > 12]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(ARTICLES):
            body = "\n\n".join(paragraphs[(i + k) % len(paragraphs)] for k in range(3))
            record = {"id": f"art-{i}", "title": f"Dispatch number {i}", "text": f"Dispatch {i}.\n\n{body}"}
            f.write(json.dumps(record) + "\n")


def _ingest_child(db: str, corpus: str, cwd: str) -> None:
    """`newsweave --db DB ingest CORPUS --quiet`, in a process forked from this one."""
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(_env())
    sys.argv = ["newsweave", "--db", db, "ingest", corpus, "--quiet"]
    from newsweave.cli import main

    main()


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with _connect(db) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


def _rows(db: Path, table: str) -> list[tuple[Any, ...]]:
    with _connect(db) as conn:
        return conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()


def _check_ingest_kill(db: Path, reference: list[tuple[Any, ...]]) -> int:
    """Whole batches only, each article once and whole, as the uninterrupted run stored it;
    returns how many are stored."""
    if not db.exists():
        return 0
    _integrity(db)
    with _connect(db) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone():
            return 0  # killed before the first migration committed: an empty file, nothing lost
    rows = _rows(db, "articles")
    assert len(rows) % BATCH == 0, f"{len(rows)} articles stored: not whole batches of {BATCH}"
    assert rows == reference[: len(rows)], "the stored articles are not the first ones of the corpus, whole"
    with _connect(db) as conn:
        for source, title, body, digest in conn.execute(
            "SELECT source, title, body, content_hash FROM articles"
        ):
            article = CleanArticle(source=source, input_format="jsonl", title=title, body=body)
            assert digest == content_hash(article), f"{source}: title or body not whole"
    return len(rows)


def _data_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def _await_commits(db: Path, process: Any, commits: int) -> None:
    """Return once another process has committed changes to `db` this many times (a commit
    that changes nothing, such as a batch of articles already stored, does not count), or has
    ended."""
    alive = process.is_alive if hasattr(process, "is_alive") else lambda: process.poll() is None
    deadline = time.monotonic() + 120
    while not db.exists() and alive() and time.monotonic() < deadline:
        time.sleep(0.0005)
    if not alive():
        return
    with _connect(db) as conn:
        seen, last = 0, _data_version(conn)
        while seen < commits and alive() and time.monotonic() < deadline:
            time.sleep(0.0005)
            if (version := _data_version(conn)) != last:
                seen, last = seen + 1, version


def _ingest_kills(tmp_path: Path, rng: random.Random) -> dict[str, int]:
    corpus, db, reference = tmp_path / "corpus.jsonl", tmp_path / "ingest.db", tmp_path / "ingest-ref.db"
    _write_corpus(corpus)
    # What a forked `ingest` would load first, loaded here once: the CLI, the readers and
    # cleaners, the language identifier's model.
    import newsweave.cli
    import newsweave.workspace  # noqa: F401
    from newsweave.language import identify_language

    assert identify_language("A sentence long enough for the identifier to say it is English.")
    fork = multiprocessing.get_context("fork")

    def start(target: Path) -> Any:
        process = fork.Process(target=_ingest_child, args=(str(target), str(corpus), str(tmp_path)))
        process.start()
        return process

    # The uninterrupted run: the reference, and how long a whole run takes.
    started = time.monotonic()
    process = start(reference)
    process.join(timeout=120)
    whole_run = time.monotonic() - started
    print(f"\nan uninterrupted ingest of {ARTICLES} articles: {whole_run:.2f} s")
    assert process.exitcode == 0 and _stored(reference) == ARTICLES
    expected = _rows(reference, "articles")

    kills = {"while storing new batches": 0, "anywhere in the run": 0}
    finished_first = campaigns = 0
    while sum(kills.values()) < INGEST_KILLS:
        for path in tmp_path.glob("ingest.db*"):  # a new store, once the last one was complete
            path.unlink()
        campaigns += 1
        stored = 0
        while stored < ARTICLES and sum(kills.values()) < INGEST_KILLS:
            process = start(db)
            if rng.random() < 0.25:
                process.join(timeout=rng.uniform(0.0, whole_run))
                where = "anywhere in the run"
            else:  # one to three batches into what this run adds, and a few milliseconds
                _await_commits(db, process, rng.randint(1, 3))
                process.join(timeout=rng.uniform(0.0, 0.01))
                where = "while storing new batches"
            if process.is_alive():
                os.kill(process.pid, signal.SIGKILL)
                kills[where] += 1
            else:
                finished_first += 1
            process.join()
            stored = _check_ingest_kill(db, expected)

        completion = start(db)
        completion.join(timeout=120)
        assert completion.exitcode == 0
        assert _check_ingest_kill(db, expected) == ARTICLES
        for table in ("articles", "rejections"):
            assert _rows(db, table) == _rows(reference, table), f"{table} differ from the uninterrupted run's"
    kills.update({"runs that finished first": finished_first, "stores completed": campaigns})
    return kills


# Analyse

_LANGUAGE = {
    "mentions": 'start, "end", text, kind, type, local_name',
    "roles": 'start, "end", text, local_name',
    "timexes": 'field, start, "end", text, value, type, mod, anchor, anchor_inferred, first_day, last_day',
    "quotes": 'start, "end", text, kind, speaker, local_name, cue, via',
    "claims": 'start, "end", text, certainty, attributed_to, polarity, details',
}


def _language_records(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Each article's language-layer records (entity ids aside: linking comes after)."""
    records: dict[str, list[tuple[Any, ...]]] = {}
    for table, columns in _LANGUAGE.items():
        for row in conn.execute(f"SELECT article_id, {columns} FROM {table} ORDER BY 1, 2, 3, 4"):
            records.setdefault(row[0], []).append((table, *row[1:]))
    for row in conn.execute("SELECT article_id, note FROM stage_notes WHERE stage = 'language'"):
        records.setdefault(row[0], []).append(("note", row[1]))
    return records


def _comparisons(conn: sqlite3.Connection) -> dict[int, tuple[Any, ...]]:
    """Each compared story's fingerprint and how many groups, differences and terms it has."""
    return {
        story: (
            fingerprint,
            *(
                conn.execute(f"SELECT COUNT(*) FROM {table} WHERE story_id = ?", (story,)).fetchone()[0]
                for table in ("claim_groups", "differences", "framing_terms")
            ),
        )
        for story, fingerprint in conn.execute("SELECT story_id, fingerprint FROM story_comparisons")
    }


def _check_analyse_kill(db: Path, reference: Path, articles: int) -> tuple[str, int]:
    """Every committed unit whole; returns the stage the kill stopped in and how many analysed
    articles the restart does again (written, not yet marked done)."""
    _integrity(db)
    with _connect(reference) as ref, _connect(db) as conn:
        expected, found = _language_records(ref), _language_records(conn)
        done = {
            stage: {r[0] for r in conn.execute("SELECT article_id FROM stage_runs WHERE stage = ?", (stage,))}
            for stage in ("language", "stories", "compare")
        }
        for article_id, records in found.items():
            assert records == expected.get(article_id), f"article {article_id}: language records half written"
        for article_id in done["language"]:
            assert found.get(article_id) == expected.get(article_id), (
                f"{article_id} marked done, not analysed"
            )
        unlinked = conn.execute(
            "SELECT COUNT(*) FROM mentions m JOIN stage_runs s ON s.article_id = m.article_id "
            "AND s.stage = 'language' WHERE m.entity_id IS NULL"
        ).fetchone()[0]
        assert unlinked == 0, "an article marked done has mentions not linked to entities"
        unplaced = conn.execute(
            "SELECT COUNT(*) FROM stage_runs s WHERE s.stage = 'stories' AND NOT EXISTS "
            "(SELECT 1 FROM story_articles a WHERE a.article_id = s.article_id) AND NOT EXISTS "
            "(SELECT 1 FROM stage_notes n WHERE n.article_id = s.article_id AND n.stage = 'stories')"
        ).fetchone()[0]
        assert unplaced == 0, "an article marked done by the stories stage is in no story"
        compared, reference_compared = _comparisons(conn), _comparisons(ref)
        for story, summary in compared.items():
            assert summary == reference_compared.get(story), f"story {story}: comparison half written"
    redo = len(set(found) - done["language"])
    stage = next(
        (s for s in ("language", "stories", "compare") if len(done[s]) < articles), "past its last commit"
    )
    return stage, redo


def _analyse_corpus(folder: Path) -> list[str]:
    """The repository's own articles: fixture texts, comparison stories, feeds, a page, examples."""
    folder.mkdir()
    sources = [
        *sorted((FIXTURES / "text").glob("*.txt")),
        *sorted((FIXTURES / "compare").glob("*.jsonl")),
        *sorted((FIXTURES / "feeds").iterdir()),
        FIXTURES / "html" / "metro_transit.html",
        *sorted((ROOT / "examples").glob("*.txt")),
    ]
    for source in sources:
        shutil.copy(source, folder / source.name)
    return [str(folder / s.name) for s in sources]


def _command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", _CHUNKS, "--db", str(db), *args]


def _run(db: Path, cwd: Path, *args: str) -> None:
    subprocess.run(_command(db, *args), cwd=cwd, env=_env(), check=True, capture_output=True, timeout=300)


def _analyse_until_killed(db: Path, cwd: Path, rng: random.Random) -> bool:
    """Start `analyse`; SIGKILL it 1 to 3 commits and up to 0.25 s in. False if it finished first."""
    commits, jitter = rng.randint(1, 3), rng.uniform(0.0, 0.25)
    process = subprocess.Popen(
        _command(db, "analyse"),
        cwd=cwd,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its group is killed: nothing it started lives on
    )
    try:
        _await_commits(db, process, commits)
        if process.poll() is None:
            time.sleep(jitter)
    finally:
        finished = process.poll() is not None
        if not finished:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert not finished or process.returncode == 0
    return not finished


def test_sigkill_at_random_points_then_rerun_gives_the_uninterrupted_result(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    news, base = tmp_path / "news", tmp_path / "analyse-base.db"
    _run(base, tmp_path, "ingest", "--quiet", "--published", "2025-06-12", *_analyse_corpus(news))
    reference, reference_json = tmp_path / "analyse-ref.db", tmp_path / "analyse-ref.json"
    assert not Path(f"{base}-wal").exists()  # the file alone is the whole store
    shutil.copy(base, reference)
    # The uninterrupted analysis runs meanwhile, in a process of its own.
    log = tmp_path / "analyse-ref.log"
    with log.open("w") as stderr:
        uninterrupted = subprocess.Popen(
            _command(reference, "export", "--format", "json", "--out", str(reference_json)),
            cwd=tmp_path,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        started = time.monotonic()
        ingest_kills = _ingest_kills(tmp_path, rng)
        ingest_seconds = time.monotonic() - started
        assert uninterrupted.wait(timeout=300) == 0, log.read_text()
    finally:
        if uninterrupted.poll() is None:
            uninterrupted.kill()
            uninterrupted.wait()

    with _connect(base) as conn:
        articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    stopped_in: dict[str, int] = {}
    redone, campaigns, kills = [], 0, 0
    started = time.monotonic()
    while kills < ANALYSE_KILLS:
        db = tmp_path / f"analyse-{campaigns}.db"
        shutil.copy(base, db)
        campaigns += 1
        while kills < ANALYSE_KILLS and _analyse_until_killed(db, tmp_path, rng):
            kills += 1
            stage, redo = _check_analyse_kill(db, reference, articles)
            stopped_in[stage] = stopped_in.get(stage, 0) + 1
            redone.append(redo)
        out = tmp_path / f"analyse-{campaigns}.json"
        _run(db, tmp_path, "export", "--format", "json", "--out", str(out))
        _check_analyse_kill(db, reference, articles)
        assert out.read_bytes() == reference_json.read_bytes(), (
            "the export differs from the uninterrupted run's"
        )
    analyse_seconds = time.monotonic() - started

    print(
        f"\ningest: {ingest_kills} ({ingest_seconds:.1f} s); analyse: {kills} kills in {campaigns} "
        f"run(s) to completion, stopped in {stopped_in}, articles analysed again after each kill "
        f"{redone} ({analyse_seconds:.1f} s)"
    )
    assert ingest_kills["while storing new batches"] + ingest_kills["anywhere in the run"] >= INGEST_KILLS
