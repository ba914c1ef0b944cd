"""A helper the store's tables share: one query over many ids, in chunks SQLite accepts."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

_MAX_BOUND = 500  # SQLite's limit on bound parameters is 999 in older builds; stay well under


def rows_in(conn: sqlite3.Connection, sql: str, values: Sequence[Any], *before: Any) -> list[sqlite3.Row]:
    """Rows of `sql`, whose `{}` stands for the placeholders of `values` (an `IN (...)` list),
    run chunk by chunk; `before` are parameters bound ahead of the list."""
    rows: list[sqlite3.Row] = []
    for start in range(0, len(values), _MAX_BOUND):
        chunk = list(values[start : start + _MAX_BOUND])
        rows.extend(conn.execute(sql.format(", ".join("?" * len(chunk))), [*before, *chunk]))
    return rows
