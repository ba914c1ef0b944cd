"""Store tables of the stories stage: near-duplicate links, stories and their articles, and the
clusterer's state (document frequencies, story centroids, index keys) so that a later run adds
articles to existing stories without recomputing anything.

A mixin of `SQLiteStore`: the SQL stays in the store package, the rules in `stories/`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from newsweave.clock import now_iso
from newsweave.store._sql import rows_in


def _now() -> str:
    return now_iso()


def to_blob(values: NDArray[Any] | None) -> bytes | None:
    return None if values is None else np.ascontiguousarray(values).tobytes()


def from_blob(blob: bytes | None, dtype: type[np.generic]) -> NDArray[Any] | None:
    return None if blob is None else np.frombuffer(blob, dtype=dtype).copy()


class StoryTables:
    _conn: sqlite3.Connection

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[None]: ...  # from LanguageTables

    # Writing (the stage calls these inside one transaction)

    def save_story_run(
        self,
        *,
        members: Sequence[tuple[str, int, float, Sequence[str], Sequence[int], bytes | None]],
        duplicates: Sequence[tuple[str, str, float]],
        stories: Sequence[Mapping[str, Any]],
        merges: Sequence[tuple[int, int]],
        df_changes: Mapping[str, int],
        moves: Sequence[tuple[str, int, float]] = (),
        documents: int,
        notes: Sequence[tuple[str, str]],
        stage: str,
        filings: Sequence[tuple[str, int]] = (),
        provisional: Sequence[Mapping[str, Any]] = (),
        settled: Sequence[str] = (),
        phrases_born: Mapping[str, int] | None = None,
        forgotten_at: int | None = None,
    ) -> None:
        """Everything one run of the stage decided, all or nothing.

        Besides the stories: `filings`, (article, story) each time an article was filed in the
        clusterer's indexes, in order; `provisional`, the articles still provisional that changed
        (rows of `story_provisional`), and `settled`, those no longer provisional; when new
        phrases were first seen (`phrases_born`, by term) and when phrases were last forgotten.
        """
        now = _now()
        with self.transaction():
            ids = [(m[0],) for m in members] + [(n[0],) for n in notes]
            self._conn.executemany("DELETE FROM story_articles WHERE article_id = ?", ids)
            self._conn.executemany("DELETE FROM duplicates WHERE article_id = ?", ids)
            self._conn.executemany(
                "DELETE FROM stage_notes WHERE article_id = ? AND stage = ?", [(i, stage) for (i,) in ids]
            )
            self._conn.executemany(
                "INSERT INTO story_articles (article_id, story_id, score, keys, lsh, minhash) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (a, s, sc, json.dumps(list(k)), json.dumps(list(sig)), mh)
                    for a, s, sc, k, sig, mh in members
                ],
            )
            self._conn.executemany(
                "INSERT INTO duplicates (article_id, original_id, similarity) VALUES (?, ?, ?)", duplicates
            )
            self._conn.executemany(
                "INSERT INTO stage_notes (article_id, stage, note) VALUES (?, ?, ?)",
                [(a, stage, note) for a, note in notes],
            )
            # Provisional articles regrouped by this run, and their copies with them.
            self._conn.executemany(
                "UPDATE story_articles SET story_id = ?, score = ? WHERE article_id = ?",
                [(story, score, article_id) for article_id, story, score in moves],
            )
            self._conn.executemany(
                "UPDATE story_articles SET story_id = ? WHERE article_id IN "
                "(SELECT article_id FROM duplicates WHERE original_id = ?)",
                [(story, article_id) for article_id, story, _ in moves],
            )
            for kept, gone in merges:
                self._conn.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (kept, gone))
                self._conn.execute(
                    "INSERT INTO stories (id, merged_into, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET merged_into = excluded.merged_into, "
                    "state = '{}', vector = NULL, heads = NULL, updated_at = excluded.updated_at",
                    (gone, kept, now),
                )
                self._conn.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (kept, gone))
            self._conn.executemany(
                'INSERT INTO stories (id, title, size, start, "end", state, vector, heads, updated_at) '
                "VALUES (:id, :title, :size, :start, :end, :state, :vector, :heads, :updated_at) "
                "ON CONFLICT (id) DO UPDATE SET title = excluded.title, size = excluded.size, "
                'start = excluded.start, "end" = excluded."end", state = excluded.state, '
                "vector = excluded.vector, heads = excluded.heads, merged_into = NULL, "
                "updated_at = excluded.updated_at",
                [{**s, "updated_at": now} for s in stories],
            )
            born = phrases_born or {}
            self._conn.executemany(
                "INSERT INTO story_terms (term, df, born) VALUES (?, ?, ?) "
                "ON CONFLICT (term) DO UPDATE SET df = excluded.df",
                [(term, df, born.get(term, 0)) for term, df in df_changes.items() if df],
            )
            # A count of 0: the clusterer forgot the term (a phrase seen once, long ago).
            self._conn.executemany(
                "DELETE FROM story_terms WHERE term = ?",
                [(term,) for term, df in df_changes.items() if not df],
            )
            self._conn.executemany("INSERT INTO story_filings (article_id, story_id) VALUES (?, ?)", filings)
            self._conn.executemany(
                "DELETE FROM story_provisional WHERE article_id = ?", [(a,) for a in settled]
            )
            self._conn.executemany(
                "INSERT INTO story_provisional (article_id, story_id, arrived, weighed_at, names, "
                "weights, vector) VALUES (:article_id, :story_id, :arrived, :weighed_at, :names, "
                ":weights, :vector) ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, "
                "arrived = excluded.arrived, weighed_at = excluded.weighed_at, names = excluded.names, "
                "weights = excluded.weights, vector = excluded.vector",
                provisional,
            )
            meta = {"documents": documents, "forgotten_at": forgotten_at}
            self._conn.executemany(
                "INSERT INTO story_meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [(key, str(value)) for key, value in meta.items() if value is not None],
            )

    # Reading the clusterer's state back

    def story_documents(self) -> int:
        row = self._conn.execute("SELECT value FROM story_meta WHERE key = 'documents'").fetchone()
        return int(row["value"]) if row else 0

    def highest_story_id(self) -> int:
        """The highest story id this store has used (merged stories included); 0 for none."""
        row = self._conn.execute(
            "SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM stories UNION ALL "
            "SELECT MAX(merged_into) FROM stories)"
        ).fetchone()
        return int(row[0] or 0)

    def story_first_id(self) -> int:
        """The id this store's first story takes (1 unless `set_story_first_id` said otherwise)."""
        row = self._conn.execute("SELECT value FROM story_meta WHERE key = 'first_story'").fetchone()
        return int(row["value"]) if row else 1

    def set_story_first_id(self, first: int) -> None:
        """Number this store's stories from `first`: stores built apart (`newsweave batch`, one
        per block) then merge without renumbering anything."""
        with self.transaction():
            self._conn.execute(
                "INSERT INTO story_meta (key, value) VALUES ('first_story', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(first),),
            )

    def story_forgotten_at(self) -> int | None:
        """The collection's size when the clusterer last forgot phrases (None: not saved)."""
        row = self._conn.execute("SELECT value FROM story_meta WHERE key = 'forgotten_at'").fetchone()
        return int(row["value"]) if row else None

    def story_term_df(self) -> Iterator[tuple[str, int]]:
        for row in self._conn.execute("SELECT term, df FROM story_terms"):
            yield row["term"], row["df"]

    def story_terms_born(self) -> dict[str, int]:
        """When each term counted once was first seen (those saved with the time: `born`)."""
        rows = self._conn.execute("SELECT term, born FROM story_terms WHERE df = 1 AND born > 0")
        return {r["term"]: r["born"] for r in rows}

    def story_filing_rows(self) -> Iterator[sqlite3.Row]:
        """(story_id, keys, lsh) each time an article was filed in the clusterer's indexes, in order."""
        yield from self._conn.execute(
            "SELECT f.story_id, s.keys, s.lsh FROM story_filings f "
            "JOIN story_articles s ON s.article_id = f.article_id ORDER BY f.seq"
        )

    def story_provisional_rows(self) -> list[sqlite3.Row]:
        """The articles still provisional, oldest first, with the keys they were filed under."""
        return self._conn.execute(
            "SELECT p.*, s.keys, s.lsh FROM story_provisional p "
            "JOIN story_articles s ON s.article_id = p.article_id ORDER BY p.arrived"
        ).fetchall()

    def story_state_rows(self) -> Iterator[sqlite3.Row]:
        yield from self._conn.execute("SELECT * FROM stories WHERE merged_into IS NULL ORDER BY id")

    def merged_stories(self) -> dict[int, int]:
        rows = self._conn.execute("SELECT id, merged_into FROM stories WHERE merged_into IS NOT NULL")
        return {r["id"]: r["merged_into"] for r in rows}

    def story_member_rows(self) -> Iterator[sqlite3.Row]:
        """Every article placed in a story, in the order it was filed."""
        yield from self._conn.execute(
            "SELECT s.article_id, s.story_id, s.keys, s.lsh, s.minhash, d.original_id FROM story_articles s "
            "LEFT JOIN duplicates d ON d.article_id = s.article_id ORDER BY s.rowid"
        )

    # Reading stories

    def story_rows(self) -> list[sqlite3.Row]:
        """Live stories, largest first, with their article count."""
        return self._conn.execute(
            'SELECT s.id, s.title, s.start, s."end", COUNT(m.article_id) AS articles FROM stories s '
            "JOIN story_articles m ON m.story_id = s.id WHERE s.merged_into IS NULL "
            'GROUP BY s.id ORDER BY articles DESC, s."end" DESC, s.id'
        ).fetchall()

    def story_row(self, story_id: int) -> sqlite3.Row | None:
        """A story by id; a merged story's id leads to the story it was merged into."""
        for _ in range(64):
            row: sqlite3.Row | None = self._conn.execute(
                "SELECT * FROM stories WHERE id = ?", (story_id,)
            ).fetchone()
            if row is None or row["merged_into"] is None:
                return row
            story_id = row["merged_into"]
        return None

    def story_members(self, story_ids: Iterable[int] | None = None) -> list[sqlite3.Row]:
        """(story_id, article_id, score, original_id) of members, in the order they were filed."""
        sql = (
            "SELECT s.story_id, s.article_id, s.score, d.original_id, d.similarity FROM story_articles s "
            "LEFT JOIN duplicates d ON d.article_id = s.article_id"
        )
        params: list[int] = []
        if story_ids is not None:
            params = list(story_ids)
            sql += f" WHERE s.story_id IN ({', '.join('?' * len(params))})"
        return self._conn.execute(sql + " ORDER BY s.rowid", params).fetchall()

    def duplicate_rows(self, article_ids: Sequence[str] | None = None) -> list[sqlite3.Row]:
        """Copy links (of these copies, or all), in the order they were found."""
        sql = "SELECT rowid, article_id, original_id, similarity FROM duplicates"
        if article_ids is None:
            return self._conn.execute(sql + " ORDER BY rowid").fetchall()
        return sorted(
            rows_in(self._conn, sql + " WHERE article_id IN ({})", article_ids), key=lambda r: r["rowid"]
        )

    def story_ids_of(self, article_ids: Sequence[str]) -> list[int]:
        """The stories these articles are in, in the order each was first filed."""
        found: dict[int, int] = {}
        sql = (
            "SELECT story_id, MIN(rowid) AS first FROM story_articles WHERE article_id IN ({}) "
            "GROUP BY story_id"
        )
        for r in rows_in(self._conn, sql, article_ids):
            found[r["story_id"]] = min(r["first"], found.get(r["story_id"], r["first"]))
        return sorted(found, key=found.__getitem__)

    def names_for_stories(self, article_ids: Sequence[str]) -> dict[str, list[str]]:
        """Store-wide entity names each article mentions (from the language layer)."""
        out: dict[str, list[str]] = {}
        sql = (
            "SELECT DISTINCT m.article_id, e.name FROM mentions m JOIN entities e ON e.id = m.entity_id "
            "WHERE m.kind = 'name' AND m.article_id IN ({})"
        )
        for r in rows_in(self._conn, sql, article_ids):
            out.setdefault(r["article_id"], []).append(r["name"])
        return out
