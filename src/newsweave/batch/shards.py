"""The first stage's unit of work: a shard, one input file or a run of small ones.

A shard is analysed by one worker and written as one folder; the folder appears (by a rename)
only once every table in it is complete, so a run started again skips exactly the shards that
finished. The plan is saved with the output: a run started again over other inputs is refused
rather than mixed in.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from newsweave.errors import ConfigError
from newsweave.ingest import InputRef, expand_inputs
from newsweave.model import Rejected

SHARD_BYTES = 64 * 1024 * 1024
"""Small inputs are grouped until a shard holds this many bytes of them (a CC-NEWS WARC file,
about 1 GB, is a shard of its own)."""
SHARD_FILES = 1_000
"""…or this many files."""


@dataclass(frozen=True, slots=True)
class Shard:
    number: int
    paths: tuple[str, ...]
    """As given (relative to `cwd`): an article's source reads as it would after `ingest`."""
    cwd: str = ""
    """The folder the batch was started in; workers read relative paths from it."""
    unreadable: tuple[tuple[str, str], ...] = ()
    """(input as given, why) for inputs that named no readable file: rejected in this shard."""

    @property
    def name(self) -> str:
        return f"shard-{self.number:05d}"

    def inputs(self) -> list[InputRef | Rejected]:
        refs: list[InputRef | Rejected] = [InputRef(p) for p in self.paths]
        refs += [Rejected(source=s, reason="unreadable", detail=d) for s, d in self.unreadable]
        return refs


def plan_shards(
    paths: Iterable[str], *, shard_bytes: int = SHARD_BYTES, shard_files: int = SHARD_FILES
) -> list[Shard]:
    """The inputs (files, directories, globs) in shards, in the order given."""
    shards: list[Shard] = []
    current: list[str] = []
    size = 0
    unreadable: list[tuple[str, str]] = []
    cwd = os.getcwd()

    def close() -> None:
        nonlocal current, size
        if current:
            shards.append(Shard(len(shards), tuple(current), cwd))
        current, size = [], 0

    for ref in expand_inputs(paths):
        if isinstance(ref, Rejected):
            unreadable.append((ref.source, ref.detail))
            continue
        if ref.is_stdin:
            raise ConfigError(
                "newsweave batch reads files, not standard input (`-`): save it to a file first"
            )
        try:
            length = os.path.getsize(ref.path)
        except OSError:
            length = 0  # the reader says why it cannot read it
        if current and (size + length > shard_bytes or len(current) >= shard_files):
            close()
        current.append(ref.path)
        size += length
    close()
    if unreadable:
        shards.append(Shard(len(shards), (), cwd, tuple(unreadable)))
    return shards


def _plan(shards: Sequence[Shard], options: Mapping[str, object]) -> dict[str, object]:
    return {"options": dict(options), "shards": [asdict(s) for s in shards]}


def saved_plan(path: Path, shards: Sequence[Shard], options: Mapping[str, object]) -> list[Shard]:
    """The plan saved at `path`, which must be this one (same inputs, from the same folder, with
    the same `options`: what the first stage's output depends on); saved when there is none."""
    plan = _plan(shards, options)
    if path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved != json.loads(json.dumps(plan)):
            raise ConfigError(f"{path.parent} holds another batch: {_difference(saved, plan)}")
        return list(shards)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(part, path)
    return list(shards)


def _difference(saved: dict[str, Any], plan: dict[str, Any]) -> str:
    """What differs between a saved plan and this one, said so a person can act on it."""
    then = {k: v for k, v in saved["options"].items()}
    now = json.loads(json.dumps(plan["options"]))
    changed = sorted(k for k in then.keys() | now.keys() if then.get(k) != now.get(k))
    if changed:
        return ", ".join(f"{k} was {then.get(k)!r}, now {now.get(k)!r}" for k in changed) + (
            "; run it as before, or give another --out"
        )
    inputs_then = [(s["paths"], s["unreadable"]) for s in saved["shards"]]
    inputs_now = [(list(s["paths"]), [list(u) for u in s["unreadable"]]) for s in plan["shards"]]
    if inputs_then == inputs_now:  # the same inputs as given, read from another folder
        was = sorted({s["cwd"] for s in saved["shards"]})
        return f"it was started in {', '.join(was)}: run it from there, or give another --out"
    return "other inputs, or inputs that changed; give another --out, or delete that folder to start again"


def read_saved_shards(path: Path) -> list[Shard]:
    saved = json.loads(path.read_text(encoding="utf-8"))
    return [shard_from_json(json.dumps(raw)) for raw in saved["shards"]]


def shard_from_json(value: str) -> Shard:
    raw = json.loads(value)
    return Shard(
        number=raw["number"],
        paths=tuple(raw["paths"]),
        cwd=raw["cwd"],
        unreadable=tuple((s, d) for s, d in raw["unreadable"]),
    )


def shard_to_json(shard: Shard) -> str:
    return json.dumps(asdict(shard), ensure_ascii=False)
