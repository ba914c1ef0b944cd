"""Response bodies kept until the store changes: a story page is costly to build (its whole
analysis read, its brief and timeline worked out, a megabyte of JSON for a 37-article story) and
is the same for every reader until something is written.

"Until the store changes" is SQLite's own signal: `PRAGMA data_version`, read on a connection of
the cache's own, changes whenever any other connection, in this process or another (a `newsweave
ingest` running beside the server), commits to the database. Any commit empties the cache; a body
built while a commit happened is not kept.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path
from typing import NewType

Version = NewType("Version", int)


class UntilStoreChanges:
    """Bodies by key, least recently used dropped past `max_bytes`."""

    def __init__(self, db: Path, *, max_bytes: int = 64_000_000) -> None:
        self.db = db
        self.max_bytes = max_bytes
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._version: int | None = None
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0

    def _current(self) -> Version:
        """The store's version now; the cache is emptied when it moved. Call under the lock."""
        if self._conn is None:
            self._conn = sqlite3.connect(self.db, isolation_level=None, check_same_thread=False)
            self._version = None  # a new connection counts from its own start
        version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self._version:
            self._bodies.clear()
            self._size = 0
            self._version = version
        return Version(version)

    def get(self, key: str) -> tuple[bytes | None, Version]:
        """The body kept for `key` (None if there is none), and the store's version to hand
        back to `put` with a body built now."""
        with self._lock:
            version = self._current()
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
            return body, version

    def put(self, key: str, body: bytes, built_at: Version) -> None:
        """Keep `body`, unless the store changed since `built_at` (it may show either state)."""
        if len(body) > self.max_bytes:
            return
        with self._lock:
            if self._current() != built_at:
                return
            self._size += len(body) - len(self._bodies.get(key, b""))
            self._bodies[key] = body
            self._bodies.move_to_end(key)
            while self._size > self.max_bytes:
                _, dropped = self._bodies.popitem(last=False)
                self._size -= len(dropped)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
