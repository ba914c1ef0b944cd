"""The export document: every record the stages stored about some articles, typed.

`read_document` reads them for the articles asked for, by SQL on their ids, so a document of one
story costs the same in a store of three articles as in one of a million. The comparison stage
reads its inputs with `read_records`; `read_document` adds the stories and their stored
comparison. The JSON contract is written and read back by `contract.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from newsweave._version import __version__
from newsweave.clock import now_iso
from newsweave.compare.cores import part_records
from newsweave.compare.framing import FramingTerm
from newsweave.compare.records import ClaimGroup, Difference
from newsweave.model import Article, ClaimRecord, EntityRecord, QuoteRecord, TimexRecord
from newsweave.stories.records import Duplicate, Story

if TYPE_CHECKING:
    from newsweave.store import SQLiteStore


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportDocument:
    """What the stages stored about some articles: the language layer's and the stories stage's
    records and the comparison of their stories. The export, and what a report shows."""

    articles: tuple[Article, ...]
    entities: tuple[EntityRecord, ...] = ()
    timexes: tuple[TimexRecord, ...] = ()
    quotes: tuple[QuoteRecord, ...] = ()
    claims: tuple[ClaimRecord, ...] = ()
    stories: tuple[Story, ...] = ()
    duplicates: tuple[Duplicate, ...] = ()
    claim_groups: tuple[ClaimGroup, ...] = ()
    differences: tuple[Difference, ...] = ()
    framing: tuple[FramingTerm, ...] = ()
    version: str = __version__
    exported_at: str = field(default_factory=now_iso)


def stories_of(store: SQLiteStore, article_ids: Sequence[str]) -> list[Story]:
    """Stories holding any of these articles, largest first; their article lists keep only these."""
    from newsweave.stories.records import load_stories

    wanted = set(article_ids)
    out = []
    for story in load_stories(store, store.story_ids_of(article_ids)):
        kept = tuple(a for a in story.articles if a in wanted)
        if kept:
            duplicates = tuple(d for d in story.duplicates if d.article in wanted)
            out.append(replace(story, articles=kept, duplicates=duplicates))
    out.sort(key=lambda s: (-len(s.articles), -(s.end.toordinal() if s.end else 0), s.id))
    return out


def read_records(store: SQLiteStore, articles: Iterable[Article]) -> ExportDocument:
    """The language layer's records of these articles and their copy links (no stories, no
    comparison): what the compare stage reads for one story."""
    kept = tuple({a.id: a for a in articles}.values())
    ids = [a.id for a in kept]
    return ExportDocument(
        articles=kept,
        entities=tuple(store.entities(ids)),
        timexes=tuple(store.timexes(ids)),
        quotes=tuple(store.quotes(ids)),
        claims=tuple(store.claims(ids)),
        duplicates=tuple(
            Duplicate(article=d["article_id"], original=d["original_id"], similarity=d["similarity"])
            for d in store.duplicate_rows(ids)
        ),
    )


def _seen_from(groups: Iterable[ClaimGroup], wanted: set[str]) -> Iterable[ClaimGroup]:
    """Groups restricted to the claims of these articles (a group with none is left out)."""
    for g in groups:
        kept = [i for i, p in enumerate(g.provenance) if p.article in wanted]
        if len(kept) == len(g.claims):
            yield g
        elif kept:
            yield replace(
                g,
                claims=tuple(g.claims[i] for i in kept),
                provenance=tuple(g.provenance[i] for i in kept),
                stances={a: s for a, s in g.stances.items() if a in wanted},
            )


def read_document(store: SQLiteStore, articles: Iterable[Article]) -> ExportDocument:
    """The export of these articles: their records and their stories' stored comparison, seen
    from these articles (a difference or framing term is kept when it cites one of them).

    It only reads: the comparison is the compare stage's, stored per story."""
    records = read_records(store, articles)
    ids = [a.id for a in records.articles]
    wanted = set(ids)
    found = tuple(stories_of(store, ids))
    stories = [s.id for s in found]
    groups = tuple(_seen_from(store.claim_groups(stories), wanted))
    # The parts of claims the comparison cut out (what a group shares, what is left beside it)
    # are records too: cut from the stored claims by the span their ids name.
    parts = part_records(records.claims, (c for g in groups for c in g.claims))
    return replace(
        records,
        claims=(*records.claims, *parts),
        stories=found,
        claim_groups=groups,
        differences=tuple(
            d for d in store.differences(stories) if any(s.get("article") in wanted for s in d.spans)
        ),
        framing=tuple(f for f in store.framing_terms(stories) if f.article in wanted),
    )
