"""Store tables of the language layer: entities (store-wide), mentions, roles, time expressions.

A mixin of `SQLiteStore`: the SQL stays in the store package, the rules in `nlp/linking.py`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from newsweave.model import LanguageAnalysis


class LanguageTables:
    _conn: sqlite3.Connection

    def write_language(self, analyses: Sequence[LanguageAnalysis], stage: str) -> None:
        """Replace the language-layer rows of these articles, in one transaction."""
        ids = [(a.article_id,) for a in analyses]
        with self.transaction():
            for table in ("mentions", "roles", "timexes", "quotes", "claims"):
                self._conn.executemany(f"DELETE FROM {table} WHERE article_id = ?", ids)
            self._conn.executemany(
                "DELETE FROM stage_notes WHERE article_id = ? AND stage = ?", [(i, stage) for (i,) in ids]
            )
            for a in analyses:
                self._conn.executemany(
                    'INSERT OR IGNORE INTO mentions (article_id, start, "end", text, kind, type, local_name) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (a.article_id, m.start, m.end, m.text, m.kind, m.type, m.local_name)
                        for m in a.mentions
                    ],
                )
                self._conn.executemany(
                    'INSERT OR IGNORE INTO roles (article_id, start, "end", text, local_name) '
                    "VALUES (?, ?, ?, ?, ?)",
                    [(a.article_id, r.start, r.end, r.text, r.local_name) for r in a.roles],
                )
                self._conn.executemany(
                    'INSERT OR IGNORE INTO timexes (article_id, field, start, "end", text, value, type, mod, '
                    "anchor, anchor_inferred) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            a.article_id,
                            t.field,
                            t.start,
                            t.end,
                            t.text,
                            t.value,
                            t.type,
                            t.mod,
                            t.anchor.isoformat() if t.anchor else None,
                            int(t.anchor_inferred),
                        )
                        for t in a.timexes
                    ],
                )
                self._conn.executemany(
                    'INSERT OR IGNORE INTO quotes (article_id, start, "end", text, kind, speaker, '
                    "local_name, cue, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (a.article_id, q.start, q.end, q.text, q.kind, q.speaker, q.local_name, q.cue, q.via)
                        for q in a.quotes
                    ],
                )
                self._conn.executemany(
                    'INSERT OR IGNORE INTO claims (article_id, start, "end", text, certainty, attributed_to, '
                    "polarity, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            a.article_id,
                            c.start,
                            c.end,
                            c.text,
                            c.certainty,
                            c.attributed_to,
                            c.polarity,
                            json.dumps(
                                {
                                    "hedges": c.hedges,
                                    "entities": c.entities,
                                    "numbers": c.numbers,
                                    "context": c.context,
                                }
                            ),
                        )
                        for c in a.claims
                    ],
                )
                if a.skipped:
                    self._conn.execute(
                        "INSERT INTO stage_notes (article_id, stage, note) VALUES (?, ?, ?)",
                        (a.article_id, stage, a.skipped),
                    )

    # Entities

    def local_names(self, article_id: str) -> list[sqlite3.Row]:
        """(local_name, type, names) of each entity an article mentions by name."""
        return self._conn.execute(
            "SELECT local_name, type, group_concat(text, '\x1f') AS names FROM mentions "
            "WHERE article_id = ? AND kind = 'name' GROUP BY local_name ORDER BY MIN(start)",
            (article_id,),
        ).fetchall()

    def entity(self, entity_id: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._conn.execute(
            "SELECT * FROM entities WHERE id = ?", (entity_id,)
        ).fetchone()
        return row

    def entities_with_alias(self, norm: str) -> list[sqlite3.Row]:
        return self._conn.execute(
            "SELECT e.* FROM entities e JOIN entity_aliases a ON a.entity_id = e.id WHERE a.norm = ?", (norm,)
        ).fetchall()

    def upsert_entity(
        self, entity_id: str, name: str, type_: str, aliases: Iterable[tuple[str, str]]
    ) -> None:
        self._conn.execute(
            "INSERT INTO entities (id, name, type) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type",
            (entity_id, name, type_),
        )
        self._conn.executemany(
            "INSERT OR IGNORE INTO entity_aliases (entity_id, norm, alias) VALUES (?, ?, ?)",
            [(entity_id, norm, alias) for norm, alias in aliases],
        )

    def assign_entity(self, article_id: str, local_name: str, entity_id: str) -> None:
        for table in ("mentions", "roles"):
            self._conn.execute(
                f"UPDATE {table} SET entity_id = ? WHERE article_id = ? AND local_name = ?",
                (entity_id, article_id, local_name),
            )

    def merge_entity(self, loser: str, winner: str) -> None:
        """Every mention, role and alias of `loser` now belongs to `winner`; `loser` is gone."""
        for table in ("mentions", "roles"):
            self._conn.execute(f"UPDATE {table} SET entity_id = ? WHERE entity_id = ?", (winner, loser))
        self._conn.execute(
            "INSERT OR IGNORE INTO entity_aliases (entity_id, norm, alias) "
            "SELECT ?, norm, alias FROM entity_aliases WHERE entity_id = ?",
            (winner, loser),
        )
        self._conn.execute("DELETE FROM entities WHERE id = ?", (loser,))

    def article_entities(self, article_id: str) -> list[sqlite3.Row]:
        return self._conn.execute(
            "SELECT DISTINCT e.* FROM entities e JOIN mentions m ON m.entity_id = e.id "
            "WHERE m.article_id = ?",
            (article_id,),
        ).fetchall()

    def reassign_in_article(self, article_id: str, loser: str, winner: str) -> None:
        for table in ("mentions", "roles"):
            self._conn.execute(
                f"UPDATE {table} SET entity_id = ? WHERE article_id = ? AND entity_id = ?",
                (winner, article_id, loser),
            )
        self._conn.execute(
            "INSERT OR IGNORE INTO entity_aliases (entity_id, norm, alias) "
            "SELECT ?, norm, alias FROM entity_aliases WHERE entity_id = ?",
            (winner, loser),
        )

    def drop_unmentioned_entities(self) -> None:
        self._conn.execute(
            "DELETE FROM entities WHERE id NOT IN (SELECT entity_id FROM mentions "
            "WHERE entity_id IS NOT NULL)"
        )

    def co_mentioned(self, entity_id: str, article_id: str) -> int:
        """How many other entities of `article_id` appear in articles that mention `entity_id`."""
        row = self._conn.execute(
            "SELECT COUNT(DISTINCT m2.entity_id) FROM mentions m1 JOIN mentions m2 "
            "ON m2.article_id = m1.article_id AND m2.entity_id != m1.entity_id "
            "WHERE m1.entity_id = ? AND m1.article_id != ? AND m2.entity_id IN "
            "(SELECT entity_id FROM mentions WHERE article_id = ?)",
            (entity_id, article_id, article_id),
        ).fetchone()
        return int(row[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction: committed whole, or rolled back whole on any error."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # Reading for export and display

    def entity_rows(self, entity_ids: Sequence[str] | None = None) -> list[sqlite3.Row]:
        """Entities mentioned in a latest article version (or these entities), by name."""
        if entity_ids is None:
            return self._conn.execute(
                "SELECT e.id, e.name, e.type FROM entities e WHERE e.id IN "
                "(SELECT entity_id FROM mentions m JOIN articles a ON a.id = m.article_id "
                "WHERE a.is_latest = 1) ORDER BY e.name"
            ).fetchall()
        rows = self._in("SELECT id, name, type FROM entities WHERE id IN ({})", entity_ids)
        return sorted(rows, key=lambda r: (r["name"], r["id"]))

    def aliases_of(self, entity_ids: Sequence[str] | None = None) -> dict[str, list[str]]:
        """Every alias of these entities (of all entities when None), alphabetically."""
        if entity_ids is None:
            rows = self._conn.execute("SELECT entity_id, alias FROM entity_aliases").fetchall()
        else:
            rows = self._in("SELECT entity_id, alias FROM entity_aliases WHERE entity_id IN ({})", entity_ids)
        out: dict[str, list[str]] = {}
        for row in sorted(rows, key=lambda r: r["alias"]):
            out.setdefault(row["entity_id"], []).append(row["alias"])
        return out

    def _in(self, sql: str, values: Sequence[str]) -> list[sqlite3.Row]:
        """`sql` with its `{}` filled by placeholders for `values`, run in chunks that SQLite
        accepts (500 bound values each)."""
        rows: list[sqlite3.Row] = []
        for start in range(0, len(values), 500):
            chunk = list(values[start : start + 500])
            rows.extend(self._conn.execute(sql.format(",".join("?" * len(chunk))), chunk))
        return rows

    def _article_rows(
        self, table: str, columns: str, article_ids: str | Sequence[str] | None
    ) -> list[sqlite3.Row]:
        """Rows of one table for one article, some articles, or all (None), by article then start."""
        sql = f"SELECT article_id, {columns} FROM {table}"
        if article_ids is None:
            return self._conn.execute(sql + " ORDER BY article_id, start").fetchall()
        ids = [article_ids] if isinstance(article_ids, str) else list(article_ids)
        rows = self._in(sql + " WHERE article_id IN ({})", ids)
        return sorted(rows, key=lambda r: (r["article_id"], r["start"]))

    def mention_rows(self, article_ids: str | Sequence[str] | None = None) -> list[sqlite3.Row]:
        return self._article_rows(
            "mentions", 'start, "end", text, kind, type, local_name, entity_id', article_ids
        )

    def role_rows(self, article_ids: str | Sequence[str] | None = None) -> list[sqlite3.Row]:
        return self._article_rows("roles", 'start, "end", text, local_name, entity_id', article_ids)

    def timex_rows(self, article_ids: str | Sequence[str] | None = None) -> list[sqlite3.Row]:
        columns = 'field, start, "end", text, value, type, mod, anchor, anchor_inferred'
        return self._article_rows("timexes", columns, article_ids)

    def quote_rows(self, article_ids: str | Sequence[str] | None = None) -> list[sqlite3.Row]:
        return self._article_rows(
            "quotes", 'start, "end", text, kind, speaker, local_name, cue, via', article_ids
        )

    def claim_rows(self, article_ids: str | Sequence[str] | None = None) -> list[sqlite3.Row]:
        columns = 'start, "end", text, certainty, attributed_to, polarity, details'
        return self._article_rows("claims", columns, article_ids)

    def stage_note(self, article_id: str, stage: str) -> str | None:
        row = self._conn.execute(
            "SELECT note FROM stage_notes WHERE article_id = ? AND stage = ?", (article_id, stage)
        ).fetchone()
        return None if row is None else str(row[0])

    # Claim vectors (comparison)

    def claim_vectors(self, model: str, text_hashes: Sequence[str]) -> dict[str, bytes]:
        """Stored vectors of these claim texts, by hash; missing ones are left out."""
        found: dict[str, bytes] = {}
        for start in range(0, len(text_hashes), 500):  # SQLite's limit on bound parameters
            chunk = list(text_hashes[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT text_hash, vector FROM claim_vectors WHERE model = ? AND text_hash IN ({marks})",
                [model, *chunk],
            )
            found.update((r["text_hash"], bytes(r["vector"])) for r in rows)
        return found

    def save_claim_vectors(self, model: str, vectors: dict[str, bytes]) -> None:
        with self.transaction():
            self._conn.executemany(
                "INSERT OR IGNORE INTO claim_vectors (text_hash, model, vector) VALUES (?, ?, ?)",
                [(h, model, v) for h, v in vectors.items()],
            )
