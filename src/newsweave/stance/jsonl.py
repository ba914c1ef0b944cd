"""Stance over JSON Lines, for outside evaluation: `{id, claim, body}` in, `{id, stance, score}` out.

A bad line (not JSON, not an object, a missing or non-text field) is reported with the file and
line number and skipped; the other lines are still judged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from newsweave.stance.model import StancePair, load_model

BATCH = 256


@dataclass(frozen=True, slots=True, kw_only=True)
class BadLine:
    """A line that could not be read, as data: the file, the line number and what was wrong."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


def read_pairs(lines: IO[str], source: str) -> Iterator[tuple[Any, StancePair] | BadLine]:
    """(original id, pair) for each good line, a `BadLine` for each bad one; blank lines are skipped."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            yield BadLine(source=source, line=number, reason=f"not JSON ({e.msg})")
            continue
        if not isinstance(record, dict):
            yield BadLine(
                source=source, line=number, reason=f"expected an object, got {type(record).__name__}"
            )
            continue
        missing = [k for k in ("id", "claim", "body") if k not in record]
        if missing:
            yield BadLine(source=source, line=number, reason=f"missing {', '.join(missing)}")
            continue
        if not isinstance(record["id"], str | int) or isinstance(record["id"], bool):
            yield BadLine(source=source, line=number, reason="`id` must be a string or an integer")
            continue
        wrong = [k for k in ("claim", "body") if not isinstance(record[k], str)]
        if wrong:
            yield BadLine(source=source, line=number, reason=f"{', '.join(wrong)} must be text")
            continue
        yield record["id"], StancePair(id=str(record["id"]), claim=record["claim"], body=record["body"])


def judge_jsonl(
    lines: IO[str],
    out: IO[str],
    *,
    source: str,
    on_bad: Callable[[BadLine], None] = lambda _bad: None,
    on_batch: Callable[[int], None] = lambda _n: None,
) -> tuple[int, int]:
    """Write one `{id, stance, score}` line per good input line, in input order; (written, bad)."""
    model = load_model()
    written = bad = 0
    batch: list[tuple[Any, StancePair]] = []

    def flush() -> None:
        nonlocal written
        for (original_id, _), p in zip(batch, model.predict([pair for _, pair in batch]), strict=True):
            out.write(json.dumps({"id": original_id, "stance": p.stance, "score": p.score}) + "\n")
        written += len(batch)
        on_batch(len(batch))
        batch.clear()

    for item in read_pairs(lines, source):
        if isinstance(item, BadLine):
            bad += 1
            on_bad(item)
            continue
        batch.append(item)
        if len(batch) == BATCH:
            flush()
    if batch:
        flush()
    return written, bad
