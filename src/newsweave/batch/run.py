"""`newsweave batch`: the two stages on Ray, locally or on a cluster.

1. Ray Data streams the shards through a pool of `workers` actors (a stateful `map_batches`
   class: spaCy is loaded once per actor), each writing its shard's tables (`analyse.py`).
2. The blocks (`blocks.py`, planned from the shards) run as Ray tasks, at most `workers` at a
   time, each building its block's store and export tables (`block.py`).

Ray is imported here only, when a batch runs: the rest of newsweave needs none of it. Every
piece of work is skipped when an earlier run finished it, so a batch stopped at any point and
started again redoes only what was unfinished.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newsweave.batch.analyse import ShardAnalyser, ShardCounts, is_done
from newsweave.batch.block import BlockCounts, BlockPlan, block_store_path, build_block
from newsweave.batch.blocks import MAX_BLOCK, MAX_NAME_ARTICLES, WINDOW_DAYS, check_block_options
from newsweave.batch.plan import BatchPaths, plan_and_save_blocks
from newsweave.batch.shards import SHARD_BYTES, Shard, plan_shards, saved_plan, shard_from_json, shard_to_json
from newsweave.errors import ConfigError, PipelineError
from newsweave.machine import CORES_VARIABLE
from newsweave.settings import Settings

_PASSED_ENV = ("SOURCE_DATE_EPOCH", "PYTHONHASHSEED", "NEWSWEAVE_CONFIG")
"""Set for every worker as in the driver: the same times written and the same settings."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchOptions:
    workers: int = 2
    """Actors (first stage) and tasks (second stage) at once: one CPU each."""
    address: str | None = None
    """An existing Ray cluster (`ray://host:10001`, `auto`); none starts Ray on this machine."""
    window_days: int = WINDOW_DAYS
    max_block: int = MAX_BLOCK
    max_name_articles: int = MAX_NAME_ARTICLES
    shard_bytes: int = SHARD_BYTES
    compare: bool = True
    """False: the second stage stops after the stories (no claim groups, differences, framing)."""


@dataclass(slots=True)
class BatchSummary:
    shards: int = 0
    shards_done_before: int = 0
    articles: int = 0
    repeated: int = 0
    rejected: int = 0
    by_reason: Counter[str] = field(default_factory=Counter)
    blocks: int = 0
    blocks_done_before: int = 0
    stories: int = 0
    failed_blocks: list[str] = field(default_factory=list)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    """The most memory one worker held, per stage (MB)."""
    seconds: dict[str, float] = field(default_factory=dict)


Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total) as shards and blocks finish."""


class _ShardWorker:
    """The Ray Data actor of the first stage: one `ShardAnalyser`, kept for the actor's life."""

    def __init__(self, out_dir: str, settings: Settings, published_default: date | None) -> None:
        self.analyser = ShardAnalyser(Path(out_dir), settings, published_default)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        results = [self.analyser.analyse(shard_from_json(str(value))) for value in batch["shard"]]
        return {"counts": [json.dumps(r.as_json()) for r in results]}


def _import_ray() -> Any:
    try:
        import ray
    except ImportError as e:
        raise ConfigError(
            "newsweave batch runs on Ray, which is not installed: pip install 'newsweave[ray]'"
        ) from e
    return ray


def _start(ray: Any, options: BatchOptions) -> bool:
    """Connect to the cluster, or start Ray here; True when this call started it."""
    if ray.is_initialized():
        return False
    env = {name: os.environ[name] for name in _PASSED_ENV if name in os.environ}
    # One CPU per worker, and one core's worth of threads and pools in it.
    env.update({CORES_VARIABLE: "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    env["TOKENIZERS_PARALLELISM"] = "false"
    common: dict[str, Any] = {
        "runtime_env": {"env_vars": env},
        "include_dashboard": False,
        "log_to_driver": False,
        "logging_level": "ERROR",
    }
    if options.address:
        ray.init(address=options.address, **common)
    else:  # "local": a Ray of its own, never one a stopped batch left running
        ray.init(address="local", num_cpus=options.workers, **common)
    logging.getLogger("ray").setLevel(logging.ERROR)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # newsweave shows its own progress, per shard and block
    context.print_on_execution_start = False
    return True


def run_batch(
    inputs: Sequence[str],
    out_dir: Path,
    *,
    settings: Settings,
    published_default: date | None = None,
    options: BatchOptions = BatchOptions(),
    on_progress: Progress | None = None,
) -> BatchSummary:
    """Run (or finish) the batch of `inputs` into `out_dir`; see the module."""
    if options.workers < 1:
        raise ConfigError(f"--workers {options.workers}: give at least 1")
    check_block_options(window_days=options.window_days, max_block=options.max_block)
    paths = BatchPaths(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _only_run(out_dir):
        _sweep_unfinished(out_dir)
        first_stage = {
            "published": published_default.isoformat() if published_default else None,
            "settings": asdict(settings),
            "shard_bytes": options.shard_bytes,
        }
        plan = plan_shards(inputs, shard_bytes=options.shard_bytes)
        shards = saved_plan(paths.shard_plan, plan, first_stage)
        ray = _import_ray()
        started = _start(ray, options)
        try:
            return _both_stages(ray, paths, shards, settings, published_default, options, on_progress)
        finally:
            if started:
                ray.shutdown()


def _both_stages(
    ray: Any,
    paths: BatchPaths,
    shards: Sequence[Shard],
    settings: Settings,
    published_default: date | None,
    options: BatchOptions,
    on_progress: Progress | None,
) -> BatchSummary:
    summary = BatchSummary(shards=len(shards))
    began = time.monotonic()
    _first_stage(ray, shards, paths.out, settings, published_default, options, summary, on_progress)
    summary.seconds["analyse"] = time.monotonic() - began
    began = time.monotonic()
    plans = plan_and_save_blocks(
        paths,
        shards,
        window_days=options.window_days,
        max_block=options.max_block,
        max_name_articles=options.max_name_articles,
    )
    _second_stage(ray, plans, paths.out, settings, options, summary, on_progress)
    summary.seconds["stories and comparison"] = time.monotonic() - began
    return summary


@contextmanager
def _only_run(out_dir: Path) -> Iterator[None]:
    """Hold the batch folder's lock: two drivers over one folder would redo each other's work."""
    with open(out_dir / ".lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise ConfigError(f"another `newsweave batch` is running over {out_dir}: wait for it") from e
        yield


def _sweep_unfinished(out_dir: Path) -> None:
    """Remove what stopped runs left half-written (work folders and stores under a process id)."""
    for pattern in ("analysed/.shard-*.part", "blocks/.block-*.db*", "tables/.block-*.part"):
        for path in out_dir.glob(pattern):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _first_stage(
    ray: Any,
    shards: Sequence[Shard],
    out_dir: Path,
    settings: Settings,
    published_default: date | None,
    options: BatchOptions,
    summary: BatchSummary,
    on_progress: Progress | None,
) -> None:
    todo = [s for s in shards if not is_done(out_dir, s)]
    summary.shards_done_before = len(shards) - len(todo)
    if not todo:
        return
    dataset = ray.data.from_items([{"shard": shard_to_json(s)} for s in todo], override_num_blocks=len(todo))
    analysed = dataset.map_batches(
        _ShardWorker,
        fn_constructor_kwargs={
            "out_dir": str(out_dir.resolve()),
            "settings": settings,
            "published_default": published_default,
        },
        batch_size=1,
        compute=ray.data.ActorPoolStrategy(size=min(options.workers, len(todo))),
        num_cpus=1,
    )
    done = summary.shards_done_before
    try:
        for row in analysed.iter_rows():
            done += 1
            _count_shard(summary, row)
            if on_progress:
                on_progress("analyse", done, len(shards))
    except Exception as e:  # a worker's own failure (bad input is a row, never raised)
        cause = getattr(e, "cause", None) or e
        raise PipelineError(
            f"the first stage stopped: {type(cause).__name__}: {str(cause)[:300]}; "
            "finished shards are kept: run the same `newsweave batch` again to go on"
        ) from e


def _count_shard(summary: BatchSummary, row: dict[str, Any]) -> None:
    counts = ShardCounts(**json.loads(row["counts"]))
    summary.articles += counts.articles
    summary.repeated += counts.repeated
    summary.rejected += counts.rejected
    summary.by_reason.update(counts.by_reason)
    summary.peak_rss_mb["analyse"] = max(summary.peak_rss_mb.get("analyse", 0.0), counts.peak_rss_mb)


def _second_stage(
    ray: Any,
    plans: Sequence[BlockPlan],
    out_dir: Path,
    settings: Settings,
    options: BatchOptions,
    summary: BatchSummary,
    on_progress: Progress | None,
) -> None:
    summary.blocks = len(plans)
    todo = [p for p in plans if not block_store_path(out_dir, p).exists()]
    summary.blocks_done_before = len(plans) - len(todo)
    remote = ray.remote(num_cpus=1, max_retries=0)(build_block)
    running: dict[Any, BlockPlan] = {}
    done = summary.blocks_done_before
    # Largest first: the last blocks to start are the small ones, so no worker is left with a
    # large block to finish alone while the others idle.
    queue = sorted(todo, key=lambda p: (-p.size, p.number))
    while queue or running:
        while queue and len(running) < options.workers:
            plan = queue.pop(0)
            running[remote.remote(plan, out_dir.resolve(), settings, compare=options.compare)] = plan
        ready, _ = ray.wait(list(running), num_returns=1)
        plan = running.pop(ready[0])
        try:
            counts: BlockCounts = ray.get(ready[0])
            summary.stories += counts.stories
            peak = max(summary.peak_rss_mb.get("stories and comparison", 0.0), counts.peak_rss_mb)
            summary.peak_rss_mb["stories and comparison"] = peak
        except Exception as e:  # one block's failure is reported; the others go on
            cause = getattr(e, "cause", None) or e  # a RayTaskError carries the worker's exception
            summary.failed_blocks.append(f"{plan.name}: {type(cause).__name__}: {str(cause)[:300]}")
        done += 1
        if on_progress:
            on_progress("stories and comparison", done, len(plans))
    if summary.failed_blocks:
        raise PipelineError(
            f"{len(summary.failed_blocks)} of {len(plans)} blocks failed "
            f"(first: {summary.failed_blocks[0]}); the others are kept: "
            "run the same `newsweave batch` again to retry them"
        )
