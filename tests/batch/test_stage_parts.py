"""The batch's parts without Ray: a shard analysed in this process, its tables read back, the
saved plans, the folder's lock, and merging stores."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from newsweave.batch import records
from newsweave.batch.analyse import ShardAnalyser, as_article
from newsweave.batch.block import read_table
from newsweave.batch.run import _only_run
from newsweave.batch.shards import plan_shards, saved_plan
from newsweave.errors import ConfigError, StoreError
from newsweave.model import CleanArticle
from newsweave.nlp import stage as language
from newsweave.settings import Settings
from newsweave.store import SQLiteStore
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))


@pytest.fixture(scope="module")
def shard_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stage-one")
    shard = plan_shards([str(p) for p in EXAMPLES])[0]
    counts = ShardAnalyser(out, Settings(), None).analyse(shard)
    assert counts.articles == len(EXAMPLES) and counts.rejected == 0
    return out / "analysed" / shard.name


def test_a_shard_reads_back_as_the_records_the_language_layer_made(shard_folder: Path) -> None:
    rows = read_table(shard_folder, "articles")
    articles = [as_article(records.clean_article(r)) for r in rows]
    assert [a.id for a in articles] == [r["id"] for r in rows]
    tables = {name: read_table(shard_folder, name) for name in records.LANGUAGE_TABLES}
    read_back = list(records.analyses([a.id for a in articles], tables))
    made_here = {a.article_id: a for a in language.analyses_of(articles, n_process=1)}
    assert read_back == [made_here[a.id] for a in articles]
    assert sum(len(a.claims) for a in read_back) > 10 and sum(len(a.quotes) for a in read_back) > 0


def test_a_shard_is_analysed_once(shard_folder: Path) -> None:
    shard = plan_shards([str(p) for p in EXAMPLES])[0]
    again = ShardAnalyser(shard_folder.parents[1], Settings(), None).analyse(shard)
    assert again.skipped and again.articles == len(EXAMPLES)


def test_an_article_the_language_layer_fails_on_is_rejected_and_the_rest_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = language.analyses_of
    poison = EXAMPLES[0].read_text(encoding="utf-8")[:200]

    def failing(articles, n_process=None):  # type: ignore[no-untyped-def]
        if any(a.body.startswith(poison[:100]) for a in articles):
            raise RuntimeError("a component failed")
        return real(articles, n_process=n_process)

    monkeypatch.setattr(language, "analyses_of", failing)
    shard = plan_shards([str(p) for p in EXAMPLES])[0]
    counts = ShardAnalyser(tmp_path, Settings(), None).analyse(shard)
    assert counts.articles == len(EXAMPLES) - 1 and counts.rejected == 1
    folder = tmp_path / "analysed" / shard.name
    [rejection] = read_table(folder, "rejections")
    assert rejection["source"] == str(EXAMPLES[0]) and "a component failed" in rejection["detail"]
    assert len(read_table(folder, "articles")) == len(EXAMPLES) - 1


def test_a_batch_started_again_with_other_options_is_refused_saying_which(tmp_path: Path) -> None:
    shards = plan_shards([str(p) for p in EXAMPLES])
    plan = tmp_path / "shards.json"
    saved_plan(plan, shards, {"published": "2024-03-18", "settings": asdict(Settings())})
    assert saved_plan(plan, shards, {"published": "2024-03-18", "settings": asdict(Settings())}) == shards
    with pytest.raises(ConfigError, match=r"published was '2024-03-18', now '2024-03-19'"):
        saved_plan(plan, shards, {"published": "2024-03-19", "settings": asdict(Settings())})
    with pytest.raises(ConfigError, match="another batch: other inputs"):
        saved_plan(plan, shards[:0], {"published": "2024-03-18", "settings": asdict(Settings())})


def test_one_batch_folder_has_one_driver(tmp_path: Path) -> None:
    refused = pytest.raises(ConfigError, match="another `newsweave batch` is running")
    with _only_run(tmp_path), refused, _only_run(tmp_path):
        pass
    with _only_run(tmp_path):  # released when the first ended
        pass


def _article(body: str) -> CleanArticle:
    return CleanArticle(
        source="feed.jsonl",
        input_format="jsonl",
        body=body,
        url="https://example.org/harbour",
        title="Harbour",
    )


def test_merging_refuses_another_version_of_an_article_the_store_holds(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "block.db") as block:
        block.store_batch([_article("The harbour opened on Monday after two years of work.")])
    with SQLiteStore(tmp_path / "target.db") as target:
        target.store_batch([_article("The harbour opened on Monday.")])
        with pytest.raises(StoreError, match="other versions of them"):
            target.merge_store(tmp_path / "block.db", "loaded:test")
        assert target.count(latest_only=False) == 1 and not target.has_mark("loaded:test")


def test_a_block_whose_working_store_was_swept_is_not_marked_done(tmp_path: Path) -> None:
    """A batch started again sweeps a stopped run's files while that run's worker may still be
    writing: its store must not reach `blocks/` empty or cut short (a load would then refuse
    it, or worse, load part of a block)."""
    from newsweave.batch.block import BlockPlan, _checkpoint
    from newsweave.errors import PipelineError

    plan = BlockPlan(0, (), str(tmp_path))
    gone = tmp_path / ".block-00000.123.db"
    with pytest.raises(PipelineError, match="went while it was written"):
        _checkpoint(gone, 5, plan)
    assert not gone.exists()  # opening it did not make an empty store
    with SQLiteStore(gone) as store:
        assert store.count(latest_only=False) == 0
    with pytest.raises(PipelineError, match="0 of 5 articles"):
        _checkpoint(gone, 5, plan)
    _checkpoint(gone, 0, plan)  # a whole (if empty) store passes
