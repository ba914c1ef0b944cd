"""Store tables of the language layer: entities (store-wide), mentions, roles, time expressions.

A mixin of `SQLiteStore`: the SQL stays in the store package, the rules in `nlp/linking.py`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from newsweave.model import (
    ClaimRecord,
    EntityMention,
    EntityRecord,
    EntityRole,
    LanguageAnalysis,
    QuoteRecord,
    TimexRecord,
)
from newsweave.store._sql import rows_in


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
                    "anchor, anchor_inferred, first_day, last_day) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                            t.first_day.isoformat() if t.first_day else None,
                            t.last_day.isoformat() if t.last_day else None,
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
                                    "predicates": c.predicates,
                                    "hedged_terms": c.hedged_terms,
                                    "phrases": c.phrases,
                                    "lemmas": dict(c.lemmas),
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

    def entities_of_type(self, type_: str) -> list[sqlite3.Row]:
        return self._conn.execute("SELECT * FROM entities WHERE type = ?", (type_,)).fetchall()

    def role_texts(self, entity_id: str) -> list[str]:
        rows = self._conn.execute("SELECT DISTINCT text FROM roles WHERE entity_id = ?", (entity_id,))
        return [str(r[0]) for r in rows]

    def share_company(self, first: str, second: str, *, rare: int = 50) -> bool:
        """Whether two names live in the same news: one article mentions both, or some entity
        mentioned in at most `rare` articles is mentioned with each. A country or an agency
        that half the store mentions says nothing; a small town, a company or a third person
        named with both does."""
        together = self._conn.execute(
            "SELECT 1 FROM mentions a JOIN mentions b ON b.article_id = a.article_id "
            "WHERE a.entity_id = ? AND b.entity_id = ? LIMIT 1",
            (first, second),
        ).fetchone()
        if together is not None:
            return True
        row = self._conn.execute(
            "WITH a_articles AS (SELECT DISTINCT article_id FROM mentions WHERE entity_id = ?), "
            "b_articles AS (SELECT DISTINCT article_id FROM mentions WHERE entity_id = ?), "
            "a_company AS (SELECT DISTINCT m.entity_id FROM mentions m JOIN a_articles USING (article_id)), "
            "b_company AS (SELECT DISTINCT m.entity_id FROM mentions m JOIN b_articles USING (article_id)) "
            "SELECT 1 FROM a_company JOIN b_company USING (entity_id) "
            "WHERE entity_id NOT IN (?, ?) AND entity_id IS NOT NULL AND "
            "(SELECT COUNT(DISTINCT article_id) FROM mentions m "
            " WHERE m.entity_id = a_company.entity_id) <= ? LIMIT 1",
            (first, second, first, second, rare),
        ).fetchone()
        return row is not None

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

    def _of_articles(self, table: str, columns: str, article_ids: Sequence[str]) -> list[sqlite3.Row]:
        """Rows of one table for these articles, by article then start."""
        rows = rows_in(
            self._conn, f"SELECT article_id, {columns} FROM {table} WHERE article_id IN ({{}})", article_ids
        )
        return sorted(rows, key=lambda r: (r["article_id"], r["start"]))

    def entities(self, article_ids: Sequence[str]) -> list[EntityRecord]:
        """Entities these articles mention, by name, with every alias they have store-wide and
        their mentions and roles in these articles."""
        mentions: dict[str, list[EntityMention]] = {}
        for m in self._of_articles("mentions", 'start, "end", text, kind, entity_id', article_ids):
            if m["entity_id"]:
                mentions.setdefault(m["entity_id"], []).append(
                    EntityMention(
                        article=m["article_id"],
                        start=m["start"],
                        end=m["end"],
                        text=m["text"],
                        kind=m["kind"],
                    )
                )
        roles: dict[str, list[EntityRole]] = {}
        for r in self._of_articles("roles", 'start, "end", text, entity_id', article_ids):
            if r["entity_id"]:
                roles.setdefault(r["entity_id"], []).append(
                    EntityRole(article=r["article_id"], text=r["text"], start=r["start"], end=r["end"])
                )
        ids = sorted(mentions)
        aliases: dict[str, list[str]] = {}
        for a in rows_in(
            self._conn, "SELECT entity_id, alias FROM entity_aliases WHERE entity_id IN ({})", ids
        ):
            aliases.setdefault(a["entity_id"], []).append(a["alias"])
        rows = rows_in(self._conn, "SELECT id, name, type FROM entities WHERE id IN ({})", ids)
        return [
            EntityRecord(
                id=e["id"],
                name=e["name"],
                type=e["type"],
                aliases=tuple(sorted(aliases.get(e["id"], []))),
                roles=tuple(roles.get(e["id"], [])),
                articles=tuple(sorted({m.article for m in mentions[e["id"]]})),
                mentions=tuple(mentions[e["id"]]),
            )
            for e in sorted(rows, key=lambda r: (r["name"], r["id"]))
        ]

    def timexes(self, article_ids: Sequence[str]) -> list[TimexRecord]:
        columns = 'field, start, "end", text, value, type, mod, anchor, anchor_inferred, first_day, last_day'
        return [
            TimexRecord(
                article=t["article_id"],
                field=t["field"],
                text=t["text"],
                start=t["start"],
                end=t["end"],
                value=t["value"],
                type=t["type"],
                mod=t["mod"],
                anchor=_day(t["anchor"]),
                anchor_inferred=bool(t["anchor_inferred"]),
                first_day=_day(t["first_day"]),
                last_day=_day(t["last_day"]),
            )
            for t in self._of_articles("timexes", columns, article_ids)
        ]

    def quotes(self, article_ids: Sequence[str]) -> list[QuoteRecord]:
        """Quotes of these articles, each with its speaker's entity where the speaker resolved."""
        columns = (
            'start, "end", text, kind, speaker, cue, via, (SELECT m.entity_id FROM mentions m '
            "WHERE m.article_id = quotes.article_id AND m.local_name = quotes.local_name "
            "AND m.entity_id IS NOT NULL LIMIT 1) AS speaker_entity"
        )
        return [
            QuoteRecord(
                id=f"q-{q['article_id']}-{q['start']}",
                article=q["article_id"],
                text=q["text"],
                start=q["start"],
                end=q["end"],
                kind=q["kind"],
                speaker_entity=q["speaker_entity"],
                speaker=q["speaker"],
                cue=q["cue"],
                via=q["via"],
            )
            for q in self._of_articles("quotes", columns, article_ids)
        ]

    def claims(self, article_ids: Sequence[str]) -> list[ClaimRecord]:
        columns = 'start, "end", text, certainty, attributed_to, polarity, details'
        out = []
        for c in self._of_articles("claims", columns, article_ids):
            details = json.loads(c["details"])
            out.append(
                ClaimRecord(
                    id=f"c-{c['article_id']}-{c['start']}",
                    article=c["article_id"],
                    text=c["text"],
                    start=c["start"],
                    end=c["end"],
                    certainty=c["certainty"],
                    attributed_to=c["attributed_to"],
                    polarity=c["polarity"],
                    hedges=tuple(details.get("hedges", ())),
                    entities=tuple(details.get("entities", ())),
                    numbers=tuple(details.get("numbers", ())),
                    context=str(details.get("context") or ""),
                    predicates=tuple(details.get("predicates") or ()),
                    hedged_terms=tuple(details.get("hedged_terms") or ()),
                    phrases=tuple((int(a), int(b)) for a, b in details.get("phrases") or ()),
                    lemmas=dict(details.get("lemmas") or {}),
                )
            )
        return out

    def has_mentions(self, article_id: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM mentions WHERE article_id = ? LIMIT 1", (article_id,))
        return row.fetchone() is not None

    def stage_note(self, article_id: str, stage: str) -> str | None:
        row = self._conn.execute(
            "SELECT note FROM stage_notes WHERE article_id = ? AND stage = ?", (article_id, stage)
        ).fetchone()
        return None if row is None else str(row[0])

    # Claim vectors (comparison)

    def claim_vectors(self, model: str, text_hashes: Sequence[str]) -> dict[str, bytes]:
        """Stored vectors of these claim texts, by hash; missing ones are left out."""
        sql = "SELECT text_hash, vector FROM claim_vectors WHERE model = ? AND text_hash IN ({})"
        return {r["text_hash"]: bytes(r["vector"]) for r in rows_in(self._conn, sql, text_hashes, model)}

    def save_claim_vectors(self, model: str, vectors: dict[str, bytes]) -> None:
        with self.transaction():
            self._conn.executemany(
                "INSERT OR IGNORE INTO claim_vectors (text_hash, model, vector) VALUES (?, ?, ?)",
                [(h, model, v) for h, v in vectors.items()],
            )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
