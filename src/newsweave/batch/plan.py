"""Where a batch keeps its work, and the plans of its two stages.

    DIR/shards.json             the inputs, in shards (first stage)
    DIR/analysed/shard-N/       each shard's tables, once complete (`records.py`)
    DIR/blocks.json             the articles of each block (second stage)
    DIR/blocks/block-N.db       each block's store, once complete
    DIR/tables/TABLE/block-N.parquet   the export's tables, one file per block

Both plans are saved before their stage starts and read back by a run started again, so it
skips finished work and redoes only the rest.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsweave.batch.block import BlockPlan
from newsweave.batch.blocks import BlockArticle, plan_blocks
from newsweave.batch.shards import Shard, read_saved_shards, write_atomically
from newsweave.errors import ConfigError


@dataclass(frozen=True, slots=True)
class BatchPaths:
    out: Path

    @property
    def shard_plan(self) -> Path:
        return self.out / "shards.json"

    @property
    def analysed(self) -> Path:
        return self.out / "analysed"

    @property
    def block_plan(self) -> Path:
        return self.out / "blocks.json"

    @property
    def tables(self) -> Path:
        return self.out / "tables"


def read_shard_plan(paths: BatchPaths) -> list[Shard]:
    if not paths.shard_plan.is_file():
        raise ConfigError(
            f"{paths.out} holds no batch (no shards.json): run `newsweave batch … --out {paths.out}`"
        )
    return read_saved_shards(paths.shard_plan)


def read_block_plans(paths: BatchPaths) -> list[BlockPlan]:
    if not paths.block_plan.is_file():
        raise ConfigError(
            f"the batch in {paths.out} has not reached its second stage: run `newsweave batch` again"
        )
    return [
        BlockPlan(raw["number"], tuple((shard, tuple(ids)) for shard, ids in raw["parts"]), raw["cwd"])
        for raw in json.loads(paths.block_plan.read_text(encoding="utf-8"))["blocks"]
    ]


def _blocking_rows(paths: BatchPaths, shards: Sequence[Shard]) -> tuple[list[BlockArticle], list[str]]:
    """Every article read, first reading only, with what blocking needs; and its shard's name."""
    import pyarrow.parquet as pq

    from newsweave.nlp.entities import normalise_name

    articles: list[BlockArticle] = []
    home: list[str] = []
    seen: set[str] = set()
    seen_files: set[tuple[str, str] | None] = set()
    for shard in shards:
        folder = paths.analysed / shard.name
        names: dict[str, set[str]] = {}
        mentions = pq.read_table(folder / "mentions.parquet", columns=["article_id", "kind", "local_name"])
        for aid, kind, local in zip(*(mentions[c].to_pylist() for c in mentions.column_names), strict=True):
            if kind == "name" and local:
                names.setdefault(aid, set()).add(normalise_name(local))
        columns = ["id", "key", "content_hash", "published"]
        for row in pq.read_table(folder / "articles.parquet", columns=columns).to_pylist():
            # Stored once, from the first reading, as `ingest` does: the same article in two
            # shards, and the same file's text under another path.
            same_file = ("path", row["content_hash"]) if row["key"].startswith("path:") else None
            if row["id"] in seen or same_file in seen_files:
                continue
            seen.add(row["id"])
            if same_file:
                seen_files.add(same_file)
            articles.append(
                BlockArticle(row["id"], row["key"], row["published"], frozenset(names.get(row["id"], ())))
            )
            home.append(shard.name)
    return articles, home


def plan_and_save_blocks(
    paths: BatchPaths, shards: Sequence[Shard], *, window_days: int, max_block: int, max_name_articles: int
) -> list[BlockPlan]:
    """The blocks of the analysed shards (`blocks.plan_blocks`), saved; the saved ones if any
    (planned with these options: a run started again with others is refused, saying which)."""
    options = {"window_days": window_days, "block_articles": max_block, "max_names": max_name_articles}
    if paths.block_plan.is_file():
        saved = json.loads(paths.block_plan.read_text(encoding="utf-8"))["options"]
        if saved != options:
            changed = ", ".join(
                f"{k} was {saved.get(k)}, now {v}" for k, v in options.items() if saved.get(k) != v
            )
            raise ConfigError(
                f"the blocks of {paths.out} were planned with other options ({changed}): run it as "
                f"before, or delete {paths.block_plan.name}, blocks/ and tables/ to plan them again"
            )
        return read_block_plans(paths)
    articles, home = _blocking_rows(paths, shards)
    blocks = plan_blocks(
        articles, window_days=window_days, max_block=max_block, max_name_articles=max_name_articles
    )
    plans = []
    for number, positions in enumerate(blocks):
        parts: list[tuple[str, list[str]]] = []
        for i in positions:
            if not parts or parts[-1][0] != home[i]:
                parts.append((home[i], []))
            parts[-1][1].append(articles[i].id)
        plans.append(BlockPlan(number, tuple((s, tuple(ids)) for s, ids in parts), shards[0].cwd))
    saved = [{"number": p.number, "cwd": p.cwd, "parts": [[s, list(i)] for s, i in p.parts]} for p in plans]
    write_atomically(paths.block_plan, json.dumps({"options": options, "blocks": saved}))
    return plans
