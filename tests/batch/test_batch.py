"""`newsweave batch` on Ray (local, two workers) against `ingest` + `analyse` in one process.

The corpus: 240 FNC-1 bodies in eight files when the shared data is here, else the repository's
own articles; with a broken file, an empty one and a record read twice. One batch and one
single-process store are built per module and compared in each test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from itertools import cycle
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsweave import open_store
from newsweave.batch.blocks import STORY_ID_STRIDE
from newsweave.batch.plan import BatchPaths, read_block_plans
from newsweave.export import write_tables
from newsweave.tables import TABLE_NAMES
from tests.conftest import DATA, FIXTURES, ROOT

pytest.importorskip("ray", reason="newsweave batch needs the extra newsweave[ray]")

EPOCH = "1733580000"  # SOURCE_DATE_EPOCH: the same times written by both paths
BODIES = 240
FILES = 8


def _env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": "0"}


def _newsweave(*args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "newsweave.cli", *args]
    done = subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def write_corpus(folder: Path, bodies: int = BODIES, files: int = FILES, *, fill: bool = False) -> list[str]:
    """Real articles in `files` JSON Lines files (FNC-1 bodies, else the repository's own), one
    record written twice, plus a binary file and an empty one. `fill`: the repository's few
    articles are repeated (under other ids) up to `bodies`, for tests that need volume."""
    folder.mkdir(parents=True)
    fnc = DATA / "fnc1" / "train_articles.jsonl"
    if fnc.exists():
        with open(fnc, encoding="utf-8") as f:
            rows = [json.loads(line) for _, line in zip(range(bodies), f, strict=False)]
        records = [{"id": r["id"], "text": r["text"]} for r in rows]
    else:
        records = [
            json.loads(line)
            for path in sorted((FIXTURES / "compare").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        records += [
            {"id": p.stem, "text": p.read_text(encoding="utf-8")}
            for p in sorted((ROOT / "examples").glob("*.txt"))
        ]
        if fill:
            base = list(records)
            records = [{**r, "id": f"{r['id']}-{n // len(base)}"} for n, r in zip(range(bodies), cycle(base))]
    records.insert(3, records[2])  # the same record twice in one file: stored once
    per_file = -(-len(records) // files)
    for n in range(files):
        part = records[n * per_file : (n + 1) * per_file]
        if not part:  # a small corpus fills fewer files
            break
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part)
        (folder / f"part-{n:02d}.jsonl").write_text(lines, encoding="utf-8")
    (folder / "broken.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4)
    (folder / "empty.txt").write_bytes(b"")
    return [str(folder)]


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("batch")


@pytest.fixture(scope="module")
def inputs(work: Path) -> list[str]:
    return write_corpus(work / "inputs")


@pytest.fixture(scope="module")
def single(work: Path, inputs: list[str]) -> Path:
    """The single-process store: `ingest` then `analyse`, and its JSON export."""
    db = work / "single.db"
    _newsweave("--db", str(db), "ingest", "-q", "--published", "2024-03-18", *inputs)
    _newsweave("--db", str(db), "export", "--format", "json", "--out", str(work / "single.json"))
    return db


@pytest.fixture(scope="module")
def batch_dir(work: Path, inputs: list[str]) -> Path:
    out = work / "batch"
    # --shard-mb 0: a shard per file, so the two workers share the eight files.
    done = _newsweave(
        "batch", *inputs, "--out", str(out), "--published", "2024-03-18", "--workers", "2", "--shard-mb", "0"
    )
    assert "Batch summary" in done.stderr
    return out


@pytest.fixture(scope="module")
def loaded(work: Path, batch_dir: Path) -> Path:
    db = work / "loaded.db"
    _newsweave("--db", str(db), "load", str(batch_dir))
    _newsweave("--db", str(db), "export", "--format", "json", "--out", str(work / "loaded.json"))
    return db


def test_the_batch_path_gives_the_single_process_export(work: Path, single: Path, loaded: Path) -> None:
    single_export = (work / "single.json").read_bytes()
    assert (work / "loaded.json").read_bytes() == single_export
    document = json.loads(single_export)
    # What was compared is not trivial: stories of several articles, shared claim groups.
    stories = document["stories"]
    assert len(document["articles"]) >= 8
    assert any(len(s["articles"]) >= 2 for s in stories)
    assert any(g["status"] == "shared" for g in document["claim_groups"])


def _shards(batch_dir: Path) -> int:
    return len(json.loads((batch_dir / "shards.json").read_text(encoding="utf-8"))["shards"])


def test_the_batch_used_every_shard_and_one_block(batch_dir: Path, inputs: list[str]) -> None:
    shards = sorted(p.name for p in (batch_dir / "analysed").iterdir())
    files = len(list(Path(inputs[0]).iterdir()))
    assert len(shards) == files == _shards(batch_dir)  # a shard per file (--shard-mb 0)
    assert len(read_block_plans(BatchPaths(batch_dir))) == 1


def test_the_batch_tables_are_the_export_tables(work: Path, single: Path, batch_dir: Path) -> None:
    with open_store(single) as ws:
        write_tables(ws.document(), work / "single-tables", "parquet")
    for table in TABLE_NAMES:
        parts = sorted((batch_dir / "tables" / table).glob("*.parquet"))
        assert [p.name for p in parts] == ["block-00000.parquet"], table
        from_batch = pq.read_table(parts[0])
        alone = pq.read_table(work / "single-tables" / f"{table}.parquet")
        assert from_batch.schema.remove_metadata() == alone.schema.remove_metadata(), table
        assert from_batch.to_pylist() == alone.to_pylist(), table


def test_bad_inputs_are_counted_rows_not_a_failed_batch(single: Path, batch_dir: Path, loaded: Path) -> None:
    rejections = [
        row
        for shard in sorted((batch_dir / "analysed").iterdir())
        for row in pq.read_table(shard / "rejections.parquet").to_pylist()
    ]
    reasons = {(Path(r["source"]).name, r["reason"]) for r in rejections}
    assert ("broken.jsonl.gz", "truncated") in reasons or ("broken.jsonl.gz", "unreadable") in reasons
    assert any(name == "empty.txt" for name, _ in reasons)
    with open_store(single) as alone, open_store(loaded) as merged:
        assert sorted((r.source, r.reason) for r in merged.store.rejections()) == sorted(
            (r.source, r.reason) for r in alone.store.rejections()
        )


@pytest.fixture(scope="module")
def small_blocks(work: Path, inputs: list[str], batch_dir: Path) -> Iterator[Path]:
    """The same analysed shards, cut into blocks of a sixth of the corpus (second stage only)."""
    articles = read_block_plans(BatchPaths(batch_dir))[0].size
    out = work / "small-blocks"
    out.mkdir()
    shutil.copy(batch_dir / "shards.json", out / "shards.json")
    shutil.copytree(batch_dir / "analysed", out / "analysed")
    options = ["--published", "2024-03-18", "--shard-mb", "0", "--block-articles", str(max(2, articles // 6))]
    done = _newsweave("batch", *inputs, "--out", str(out), *options)
    shards = _shards(batch_dir)
    assert f"{shards} ({shards} finished before)" in done.stderr  # the first stage was not run again
    yield out


def test_blocks_hold_every_article_once_and_stories_never_cross_them(
    work: Path, single: Path, small_blocks: Path
) -> None:
    plans = read_block_plans(BatchPaths(small_blocks))
    assert len(plans) > 1
    block_of = {aid: p.number for p in plans for _, ids in p.parts for aid in ids}
    db = work / "small-blocks.db"
    _newsweave("--db", str(db), "load", str(small_blocks))
    with open_store(single) as alone, open_store(db) as merged:
        single_ids = [a.id for a in alone.articles(latest_only=False)]
        merged_ids = [a.id for a in merged.articles(latest_only=False)]
        assert sorted(merged_ids) == sorted(single_ids)
        assert len(set(merged_ids)) == len(merged_ids)
        assert set(block_of) == set(single_ids)
        for story in merged.stories():
            blocks = {block_of[a] for a in story.articles}
            assert blocks == {story.id // STORY_ID_STRIDE}, story.id
        # The language layer's records do not depend on the blocks.
        ids = sorted(single_ids)
        assert [(c.article, c.start, c.text) for c in merged.store.claims(ids)] == [
            (c.article, c.start, c.text) for c in alone.store.claims(ids)
        ]


def test_a_loaded_store_is_loaded_once_and_takes_new_articles(work: Path, small_blocks: Path) -> None:
    db = work / "grows.db"
    _newsweave("--db", str(db), "load", str(small_blocks))
    again = _newsweave("--db", str(db), "load", str(small_blocks))
    assert "loaded 0 blocks" in again.stderr and "loaded before" in again.stderr
    with open_store(db) as ws:
        before = {s.id for s in ws.stories()}
        articles = ws.store.count()
    extra = sorted((ROOT / "examples").glob("*.txt"))
    _newsweave("--db", str(db), "ingest", "-q", "--published", "2024-03-18", *map(str, extra))
    _newsweave("--db", str(db), "analyse")
    with open_store(db) as ws:
        assert ws.store.count() == articles + len(extra)
        placed = {a for s in ws.stories() for a in s.articles}
        new_ids = [
            a.id
            for a in ws.articles()
            if a.source.endswith(".txt") and Path(a.source).parent == ROOT / "examples"
        ]
        assert new_ids and set(new_ids) <= placed
        assert all(ws.story(story_id) for story_id in before)  # every loaded story still leads somewhere


def test_a_batch_cannot_be_loaded_over_the_same_articles(work: Path, single: Path, batch_dir: Path) -> None:
    db = work / "clash.db"
    shutil.copy(single, db)
    command = [sys.executable, "-m", "newsweave.cli", "--db", str(db), "load", str(batch_dir)]
    done = subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "already in this store" in done.stderr
