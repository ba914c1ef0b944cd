"""Merging another newsweave store into this one (`newsweave load`, after `newsweave batch`).

A mixin of `SQLiteStore`. The other store must hold articles and stories this one does not
(`merge_clash` says why not otherwise): then merging is copying, table by table, in one
transaction. Rows two stores may both hold with one meaning (an entity, keyed by its normalised
name; a claim's vector, keyed by its text) are kept once. The story clusterer's counts add up:
document frequencies over disjoint articles sum exactly.

Each merge leaves a mark in the store (`story_meta`), so a merge interrupted, or asked again,
is done once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from newsweave.clock import now_iso
from newsweave.errors import StoreError
from newsweave.model import Rejected

_COPIED = (
    "articles",
    "stage_runs",
    "entities",
    "entity_aliases",
    "mentions",
    "roles",
    "timexes",
    "quotes",
    "claims",
    "stage_notes",
    "duplicates",
    "stories",
    "story_articles",
    "claim_vectors",
    "claim_groups",
    "claim_group_members",
    "differences",
    "framing_terms",
    "story_comparisons",
)
"""Copied row for row, in this order (what a row refers to is copied before it). Not the
clusterer's provisional articles: what a store brings in is final (its counters of arrival
mean nothing beside this store's)."""
_KEPT_ONCE = frozenset({"entities", "entity_aliases", "claim_vectors"})


class MergeTables:
    _conn: sqlite3.Connection
    path: str

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[None]: ...  # from LanguageTables

    def has_mark(self, mark: str) -> bool:
        return self._conn.execute("SELECT 1 FROM story_meta WHERE key = ?", (mark,)).fetchone() is not None

    @contextmanager
    def _attached(self, path: Path) -> Iterator[None]:
        self._conn.execute("ATTACH DATABASE ? AS other", (str(path),))
        try:
            yield
        finally:
            self._conn.execute("DETACH DATABASE other")

    def _columns(self, table: str) -> str:
        names = [row[1] for row in self._conn.execute(f"PRAGMA main.table_info({table})")]
        return ", ".join(f'"{n}"' for n in names)

    def _has_rowid(self, table: str) -> bool:
        sql = self._conn.execute("SELECT sql FROM main.sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        return "WITHOUT ROWID" not in str(sql).upper()

    def _merge_clash(self) -> str | None:
        ours = self._conn.execute("PRAGMA main.user_version").fetchone()[0]
        theirs = self._conn.execute("PRAGMA other.user_version").fetchone()[0]
        if ours != theirs:
            return f"it has schema version {theirs} and this store {ours}: made by another newsweave"
        articles = self._conn.execute(
            "SELECT COUNT(*) FROM other.articles WHERE key IN (SELECT key FROM main.articles)"
        ).fetchone()[0]
        if articles:
            return (
                f"{articles} of its articles (or other versions of them) are already in this store, "
                "from another batch or an ingest"
            )
        stories = self._conn.execute(
            "SELECT COUNT(*) FROM other.stories WHERE id IN (SELECT id FROM main.stories)"
        ).fetchone()[0]
        if stories:
            return f"{stories} of its story ids are taken in this store: load a batch into a new store"
        return None

    def merge_store(self, path: Path, mark: str) -> tuple[int, int]:
        """Copy the store at `path` into this one, all or nothing, and leave `mark`; returns the
        articles and stories it brought. Raises `StoreError` saying why, when it cannot."""
        try:
            with self._attached(path):
                if (why := self._merge_clash()) is not None:
                    raise StoreError(f"cannot merge {path} into {self.path}: {why}")
                with self.transaction():
                    self._copy_other(mark)
                articles = self._conn.execute("SELECT COUNT(*) FROM other.articles").fetchone()[0]
                stories = self._conn.execute(
                    "SELECT COUNT(*) FROM other.stories WHERE merged_into IS NULL"
                ).fetchone()[0]
        except sqlite3.Error as e:
            raise StoreError(f"cannot merge {path} into {self.path}: {e}") from e
        return int(articles), int(stories)

    def _copy_other(self, mark: str) -> None:
        conn = self._conn
        for table in _COPIED:
            cols = self._columns(table)
            verb = "INSERT OR IGNORE" if table in _KEPT_ONCE else "INSERT"
            order = " ORDER BY rowid" if self._has_rowid(table) else ""
            conn.execute(f"{verb} INTO main.{table} ({cols}) SELECT {cols} FROM other.{table}{order}")
        conn.execute(
            "INSERT INTO main.story_filings (article_id, story_id) "
            "SELECT article_id, story_id FROM other.story_filings ORDER BY seq"
        )
        # A term's first sighting (`born`, 0 when not kept) is the earlier one.
        conn.execute(
            "INSERT INTO main.story_terms (term, df, born) "
            "SELECT term, df, born FROM other.story_terms WHERE true "
            "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df, "
            "born = CASE WHEN born = 0 THEN excluded.born WHEN excluded.born = 0 THEN born "
            "ELSE min(born, excluded.born) END"
        )
        documents = conn.execute("SELECT value FROM other.story_meta WHERE key = 'documents'").fetchone()
        conn.execute(
            "INSERT INTO main.story_meta (key, value) VALUES ('documents', ?) "
            "ON CONFLICT (key) DO UPDATE "
            "SET value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)",
            (str(int(documents[0]) if documents else 0),),
        )
        conn.execute("INSERT INTO main.story_meta (key, value) VALUES (?, ?)", (mark, now_iso()))

    def add_rejections_once(self, rejected: Sequence[Rejected], mark: str) -> int:
        """Log these rejections and leave `mark`, in one transaction; nothing if `mark` is there."""
        if self.has_mark(mark):
            return 0
        now = now_iso()
        with self.transaction():
            self._conn.executemany(
                "INSERT INTO rejections (source, reason, detail, at) VALUES (?, ?, ?, ?)",
                [(r.source, r.reason, r.detail, now) for r in rejected],
            )
            self._conn.execute("INSERT INTO story_meta (key, value) VALUES (?, ?)", (mark, now))
        return len(rejected)
