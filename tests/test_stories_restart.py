"""A clusterer read back from the store between chunks places articles as the one kept in memory.

Issue 16, item 3: a kill at any point, then the re-run, ends with the export of an uninterrupted
run. The stories stage commits its results chunk by chunk; a process killed after a chunk (or
analysis simply run in several processes) starts the next chunk from the store. Whatever the
clusterer keeps between chunks must therefore be in the store, as it is in memory: the articles
still provisional (which the next chunk may still move) with their weights, every filing in the
blocking indexes in order, the stories' sums unrounded, and pair scores that come out of a
clusterer read back to the same bits as out of the one kept.

Each corpus is analysed by the stories stage in small chunks: by one stage that keeps its
clusterer in memory, and with the clusterer dropped and read back from the store before every
chunk (in this process, or in a process per chunk, each with its own hash seed). Story
membership, story ids, scores and titles must be the same. And at each chunk, a clusterer read
back from the store must place the chunk's articles as the one kept, and hold its state after.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from newsweave.nlp.stage import LanguageStage
from newsweave.pipeline import analyse_pending
from newsweave.store import SQLiteStore
from newsweave.stories.cluster import Assignment, OnlineClusterer
from newsweave.stories.features import StoryFeatures
from newsweave.stories.stage import STAGE, VERSION, StoriesStage, _State
from newsweave.workspace import Workspace
from tests.conftest import FIXTURES, ROOT, needs_shared

REAL_BODIES = 300


def _repository_articles(folder: Path) -> list[Path]:
    """The repository's own articles (17): the crash test's corpus (`test_crash_recovery.py`)."""
    sources = [
        *sorted((FIXTURES / "text").glob("*.txt")),
        *sorted((FIXTURES / "compare").glob("*.jsonl")),
        *sorted((FIXTURES / "feeds").iterdir()),
        FIXTURES / "html" / "metro_transit.html",
        *sorted((ROOT / "examples").glob("*.txt")),
    ]
    folder.mkdir()
    for source in sources:
        shutil.copy(source, folder / source.name)
    return [folder / s.name for s in sources]


def _real_bodies(folder: Path) -> list[Path]:
    """The first FNC-1 bodies of the shared development data, as one JSON Lines file."""
    rows = needs_shared("data", "fnc1", "train_articles.jsonl").read_text(encoding="utf-8").splitlines()
    folder.mkdir()
    corpus = folder / "fnc1.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for line in rows[:REAL_BODIES]:
            record = json.loads(line)
            out.write(
                json.dumps({"id": record["id"], "title": record.get("title"), "text": record["text"]}) + "\n"
            )
    return [corpus]


@pytest.fixture(scope="module")
def repository_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's articles ingested and through the language layer (names for stories)."""
    tmp = tmp_path_factory.mktemp("repository")
    db = tmp / "base.db"
    with Workspace(db) as ws:
        ws.ingest(_repository_articles(tmp / "news"), published=date(2025, 6, 12))
        analyse_pending(ws.store, [LanguageStage()])
    return db


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few hundred real bodies (stories built without the language layer: capitalised names)."""
    tmp = tmp_path_factory.mktemp("real")
    db = tmp / "base.db"
    with Workspace(db) as ws:
        ws.ingest(_real_bodies(tmp / "news"), published=date(2015, 3, 1))
    return db


class _Restarting:
    """The stories stage as a process started for each chunk would run it: the clusterer is
    read back from the store every time."""

    def __init__(self) -> None:
        self.stage = StoriesStage()

    def run(self, store: SQLiteStore, article_ids: Sequence[str]) -> None:
        self.stage.forget()
        self.stage.run(store, article_ids)


class _Checking:
    """The stories stage kept in memory, checking at each chunk that a clusterer read back from
    the store places the chunk's articles as it does, from pair scores equal to the last bit,
    and holds the same state afterwards."""

    def __init__(self) -> None:
        self.stage = StoriesStage()
        self.chunks = 0
        self._read_back: OnlineClusterer | None = None

    def run(self, store: SQLiteStore, article_ids: Sequence[str]) -> None:
        self.chunks += 1
        kept = self.stage._state(store).clusterer
        shadow = self._read_back or _State(store, self.stage.backend).clusterer
        add_batch = kept.add_batch

        def both(batch: Sequence[StoryFeatures]) -> list[Assignment]:
            theirs, ours = shadow.add_batch(batch), add_batch(batch)
            assert theirs == ours, f"chunk {self.chunks}: placed otherwise"
            if batch:  # (an empty batch scores nothing)
                assert shadow._last_pairs[1].tobytes() == kept._last_pairs[1].tobytes(), "pair scores differ"
            return ours

        kept.add_batch = both  # type: ignore[method-assign]
        try:
            self.stage.run(store, article_ids)
        finally:
            del kept.add_batch
        self._read_back = _State(store, self.stage.backend).clusterer
        assert _snapshot(self._read_back) == _snapshot(kept), f"chunk {self.chunks}: the stored state differs"


def _snapshot(clusterer: OnlineClusterer) -> dict[str, Any]:
    """What a clusterer decides from, keyed by words and story ids (its integer ids are labels)."""
    term, phrase, name = clusterer.term_df.key_of, clusterer.phrase_df.key_of, clusterer.name_df.key_of

    def readable(weights: dict[int, float], keys: list[str]) -> list[tuple[str, float]]:
        return [(keys[i], w) for i, w in weights.items()]  # in order: sums are added in this order

    phrases_once = [p for p, df in clusterer.phrase_df.items() if df == 1]
    return {
        "documents": clusterer.documents,
        "df": (dict(clusterer.term_df), dict(clusterer.phrase_df), dict(clusterer.name_df)),
        "phrases born": {p: clusterer.phrase_df.first_seen(p) for p in phrases_once},
        "forgotten at": clusterer.forgotten_at,
        # the blocking indexes as filed, story ids as filed (a merged one is followed when read)
        "keys": {key: list(posting) for key, posting in clusterer.keys._postings.items()},
        "lsh": [{b: list(stories) for b, stories in table.items()} for table in clusterer.lsh._buckets],
        "stories": {
            s.id: (
                s.size,
                s.start,
                s.end,
                readable(s.terms, term),
                readable(s.name_weights, name),
                readable(s.marks, name),
                readable(s.phrases, phrase),
                list(s.names.items()),
                list(s.mark_counts.items()),
                [h for h, _ in s.heads],
                None if s.vector is None else s.vector.tobytes(),
            )
            for s in clusterer.stories.values()
        },
        "merged": {s: clusterer.story_of(s) for s in clusterer.parent},
        "provisional": [
            (
                article_id,
                clusterer.story_of(story),
                article.weighed_at,
                article.counts.arrived,
                readable(article.terms, term),
                readable(article.names, name),
                readable(article.marks, name),
                readable(article.phrases, phrase),
                clusterer._filed[article_id],
            )
            for article_id, (article, story) in clusterer.provisional.items()
        ],
    }


def _analysed(base: Path, tmp_path: Path, name: str, stage: Any, chunks: Sequence[int]) -> dict[str, Any]:
    """Stories of a copy of `base` after the stories stage, run on chunks of these sizes (the last
    repeated) as `analyse` runs it: membership with scores, and the stories with their titles."""
    db = tmp_path / f"{name}.db"
    shutil.copy(base, db)
    with SQLiteStore(db) as store:
        pending = store.pending(STAGE, VERSION)
        for size in _sizes(chunks, len(pending)):
            ids, pending = pending[:size], pending[size:]
            stage.run(store, ids)
            store.mark_done(STAGE, VERSION, ids)
        return _stories(store._conn)


def _sizes(chunks: Sequence[int], total: int) -> list[int]:
    sizes = list(chunks)
    while sum(sizes) < total:
        sizes.append(sizes[-1])
    return sizes


def _stories(conn: sqlite3.Connection) -> dict[str, Any]:
    members = conn.execute("SELECT article_id, story_id, score FROM story_articles ORDER BY article_id")
    stories = conn.execute('SELECT id, title, size, start, "end", merged_into FROM stories ORDER BY id')
    return {"members": [tuple(r) for r in members], "stories": [tuple(r) for r in stories]}


# One chunk of the stories stage in a process of its own, with a hash seed of its own.
_ONE_CHUNK = """
import sys
from newsweave.store import SQLiteStore
from newsweave.stories.stage import StoriesStage
stage = StoriesStage()
with SQLiteStore(sys.argv[1]) as store:
    ids = store.pending(stage.name, stage.version)[: int(sys.argv[2])]
    stage.run(store, ids)
    store.mark_done(stage.name, stage.version, ids)
"""


@pytest.mark.parametrize("chunk", [1, 3, 4])
def test_repository_articles_restarted_between_chunks(
    repository_store: Path, tmp_path: Path, chunk: int
) -> None:
    in_memory = _analysed(repository_store, tmp_path, "kept", StoriesStage(), [chunk])
    restarted = _analysed(repository_store, tmp_path, "restarted", _Restarting(), [chunk])
    assert len(in_memory["members"]) == 16  # of 17: one has no body to place
    assert restarted == in_memory


def test_repository_articles_in_a_process_per_chunk(repository_store: Path, tmp_path: Path) -> None:
    in_memory = _analysed(repository_store, tmp_path, "kept", StoriesStage(), [4])
    db = tmp_path / "processes.db"
    shutil.copy(repository_store, db)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWEAVE_")}
    for seed in range(-(-17 // 4)):
        command = [sys.executable, "-c", _ONE_CHUNK, str(db), "4"]
        subprocess.run(command, env={**env, "PYTHONHASHSEED": str(seed)}, check=True, timeout=120)
    with SQLiteStore(db) as store:
        assert not store.pending(STAGE, VERSION)
        assert _stories(store._conn) == in_memory


@pytest.mark.parametrize("chunk", [1, 4])
def test_the_state_read_back_is_the_state_in_memory(
    repository_store: Path, tmp_path: Path, chunk: int
) -> None:
    checking = _Checking()
    _analysed(repository_store, tmp_path, "checked", checking, [chunk])
    assert checking.chunks == -(-17 // chunk)  # each chunk checked


@pytest.mark.slow
def test_real_bodies_restarted_between_chunks(real_store: Path, tmp_path: Path) -> None:
    in_memory = _analysed(real_store, tmp_path, "kept", StoriesStage(), [32])
    restarted = _analysed(real_store, tmp_path, "restarted", _Restarting(), [32])
    assert len({story for _, story, _ in in_memory["members"]}) > 20
    assert restarted == in_memory


@pytest.mark.slow
def test_real_bodies_state_read_back(real_store: Path, tmp_path: Path) -> None:
    # Chunks under 5% of the articles read after the first 200: provisional articles then keep
    # their weights and pair scores from one chunk to the next (`reweigh_growth`), which a
    # clusterer read back from the store must score again to the same bits.
    checking = _Checking()
    _analysed(real_store, tmp_path, "checked", checking, [200, 8])
    assert checking.chunks == 1 + -(-(REAL_BODIES - 200) // 8)
