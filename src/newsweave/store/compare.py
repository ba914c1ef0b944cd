"""Store tables of the comparison stage: claim groups with their members, differences and
framing terms, per story, and the fingerprint of the articles each story was compared on.

A mixin of `SQLiteStore`: the SQL stays in the store package, the rules in `compare/`. Reads
hand back the comparison's own records (`ClaimGroup`, `Difference`, `FramingTerm`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from newsweave.clock import now_iso
from newsweave.compare.framing import FramingTerm
from newsweave.compare.records import ClaimGroup, Comparison, Difference, Provenance
from newsweave.store._sql import rows_in


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class CompareTables:
    _conn: sqlite3.Connection

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[None]: ...  # from LanguageTables

    # Writing

    def save_comparisons(self, results: Sequence[tuple[int, str, Comparison]]) -> None:
        """Replace the stored comparison of each (story id, fingerprint, comparison), all or nothing."""
        now = now_iso()
        with self.transaction():
            self._forget_comparisons([story for story, _, _ in results])
            for story, fingerprint, comparison in results:
                self._insert_comparison(story, comparison)
                self._conn.execute(
                    "INSERT INTO story_comparisons (story_id, fingerprint, compared_at) VALUES (?, ?, ?)",
                    (story, fingerprint, now),
                )

    def drop_comparisons(self, story_ids: Sequence[int]) -> None:
        """Forget the comparisons of stories that no longer exist (merged into another)."""
        with self.transaction():
            self._forget_comparisons(story_ids)

    def _forget_comparisons(self, story_ids: Sequence[int]) -> None:
        ids = [(s,) for s in story_ids]
        # A group's members go with it (ON DELETE CASCADE; the store turns foreign keys on).
        for table in ("claim_groups", "differences", "framing_terms", "story_comparisons"):
            self._conn.executemany(f"DELETE FROM {table} WHERE story_id = ?", ids)

    def _insert_comparison(self, story: int, comparison: Comparison) -> None:
        self._conn.executemany(
            "INSERT INTO claim_groups (id, story_id, position, text, context, status, outlets, "
            "independent_sources, times, numbers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    g.id,
                    story,
                    n,
                    g.text,
                    g.context,
                    g.status,
                    _json(g.outlets),
                    g.independent_sources,
                    _json(g.times),
                    _json(g.numbers),
                )
                for n, g in enumerate(comparison.groups)
            ],
        )
        self._conn.executemany(
            "INSERT INTO claim_group_members (group_id, position, claim_id, article_id, outlet, stance, "
            "chain) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (g.id, n, claim, p.article, p.outlet, g.stances[p.article], _json(p.chain))
                for g in comparison.groups
                for n, (claim, p) in enumerate(zip(g.claims, g.provenance, strict=True))
            ],
        )
        self._conn.executemany(
            "INSERT INTO differences (story_id, position, kind, about, note, group_id, spans) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (story, n, d.kind, d.about, d.note, d.group, _json(d.spans))
                for n, d in enumerate(comparison.differences)
            ],
        )
        self._conn.executemany(
            "INSERT INTO framing_terms (story_id, position, article_id, outlet, term, kind, start, "
            '"end", context) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [
                (story, n, f.article, f.outlet, f.term, f.kind, f.start, f.end, f.context)
                for n, f in enumerate(comparison.framing)
            ],
        )

    # Reading

    def comparison_fingerprints(self) -> dict[int, str]:
        rows = self._conn.execute("SELECT story_id, fingerprint FROM story_comparisons")
        return {r["story_id"]: r["fingerprint"] for r in rows}

    def claim_groups(self, story_ids: Sequence[int]) -> list[ClaimGroup]:
        """The claim groups of these stories, in the order of `story_ids`, each story's in the
        order its comparison gave."""
        members: dict[str, list[sqlite3.Row]] = {}
        for m in rows_in(
            self._conn,
            "SELECT m.* FROM claim_group_members m JOIN claim_groups g ON g.id = m.group_id "
            "WHERE g.story_id IN ({})",
            story_ids,
        ):
            members.setdefault(m["group_id"], []).append(m)
        for rows in members.values():
            rows.sort(key=lambda m: m["position"])
        rows = self._story_rows("claim_groups", story_ids)
        return [_group(r, members.get(r["id"], [])) for r in rows]

    def differences(self, story_ids: Sequence[int]) -> list[Difference]:
        """The differences of these stories, in the order of `story_ids`."""
        return [
            Difference(
                kind=r["kind"],
                about=r["about"],
                note=r["note"],
                group=r["group_id"],
                spans=tuple(json.loads(r["spans"])),
            )
            for r in self._story_rows("differences", story_ids)
        ]

    def framing_terms(self, story_ids: Sequence[int]) -> list[FramingTerm]:
        """The framing terms of these stories, in the order of `story_ids`."""
        return [
            FramingTerm(
                article=r["article_id"],
                outlet=r["outlet"],
                term=r["term"],
                kind=r["kind"],
                start=r["start"],
                end=r["end"],
                context=r["context"],
            )
            for r in self._story_rows("framing_terms", story_ids)
        ]

    def _story_rows(self, table: str, story_ids: Sequence[int]) -> list[sqlite3.Row]:
        order = {s: i for i, s in enumerate(story_ids)}
        rows = rows_in(self._conn, f"SELECT * FROM {table} WHERE story_id IN ({{}})", story_ids)
        return sorted(rows, key=lambda r: (order[r["story_id"]], r["position"]))


def _group(row: sqlite3.Row, members: Sequence[sqlite3.Row]) -> ClaimGroup:
    return ClaimGroup(
        id=row["id"],
        story=str(row["story_id"]),
        claims=tuple(m["claim_id"] for m in members),
        text=row["text"],
        context=row["context"],
        status=row["status"],
        outlets=tuple(json.loads(row["outlets"])),
        independent_sources=row["independent_sources"],
        stances={m["article_id"]: m["stance"] for m in members},
        provenance=tuple(
            Provenance(article=m["article_id"], outlet=m["outlet"], chain=tuple(json.loads(m["chain"])))
            for m in members
        ),
        times=tuple(json.loads(row["times"])),
        numbers=tuple(json.loads(row["numbers"])),
    )
