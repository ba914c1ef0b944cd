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

from newsweave.errors import ConfigError, PipelineError
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


def write_atomically(path: Path, text: str) -> None:
    """Write beside the final name and move there: a reader never sees half a plan."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)


def enter_batch_folder(cwd: str, work: str) -> None:
    """Work from the folder the batch was started in: relative inputs are read, and the keys of
    their articles made, from there (`work` names the shard or block, for the message)."""
    if not cwd:
        return
    if not os.path.isdir(cwd):
        raise PipelineError(
            f"{work}: this worker has no folder {cwd}, where the batch was started; "
            "give the inputs as absolute paths on storage every worker shares"
        )
    os.chdir(cwd)


def saved_plan(path: Path, shards: Sequence[Shard], options: Mapping[str, object]) -> list[Shard]:
    """The plan saved at `path`, which must be this one (same inputs, from the same folder, with
    the same `options`: what the first stage's output depends on); saved when there is none."""
    # As JSON reads it back (tuples as lists), so that it compares with the saved one.
    plan = json.loads(json.dumps({"options": dict(options), "shards": [asdict(s) for s in shards]}))
    if path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved != plan:
            raise ConfigError(f"{path.parent} holds another batch: {_difference(saved, plan)}")
        return list(shards)
    write_atomically(path, json.dumps(plan, ensure_ascii=False, indent=1))
    return list(shards)


def _difference(saved: dict[str, Any], plan: dict[str, Any]) -> str:
    """What differs between a saved plan and this one, said so a person can act on it."""
    then, now = saved["options"], plan["options"]
    changed = sorted(k for k in then.keys() | now.keys() if then.get(k) != now.get(k))
    if changed:
        return ", ".join(f"{k} was {then.get(k)!r}, now {now.get(k)!r}" for k in changed) + (
            "; run it as before, or give another --out"
        )

    def inputs(p: dict[str, Any]) -> list[Any]:
        return [(s["paths"], s["unreadable"]) for s in p["shards"]]

    if inputs(saved) == inputs(plan):  # the same inputs as given, read from another folder
        was = sorted({s["cwd"] for s in saved["shards"]})
        return f"it was started in {', '.join(was)}: run it from there, or give another --out"
    return "other inputs, or inputs that changed; give another --out, or delete that folder to start again"


def _shard(raw: Mapping[str, Any]) -> Shard:
    return Shard(
        number=raw["number"],
        paths=tuple(raw["paths"]),
        cwd=raw["cwd"],
        unreadable=tuple((s, d) for s, d in raw["unreadable"]),
    )


def read_saved_shards(path: Path) -> list[Shard]:
    return [_shard(raw) for raw in json.loads(path.read_text(encoding="utf-8"))["shards"]]


def shard_from_json(value: str) -> Shard:
    return _shard(json.loads(value))


def shard_to_json(shard: Shard) -> str:
    return json.dumps(asdict(shard), ensure_ascii=False)
