"""The comparison stage: each story's articles compared, the result stored per story.

It runs after the stories stage. A story is compared again only when its input changed: its
fingerprint is the set of its articles (ids are content hashes, so an edited article is a new id)
with their copy links, and the versions of the language layer and of this stage. Claim vectors
come from the store when a text was encoded before (copies and re-runs encode nothing).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsweave.compare import compare_story
from newsweave.compare.records import Comparison
from newsweave.compare.vectors import stored_encoder
from newsweave.document import read_records
from newsweave.nlp.stage import VERSION as LANGUAGE_VERSION

if TYPE_CHECKING:
    from newsweave.store import SQLiteStore

STAGE = "compare"
# 2: claims share words by their lemmas, not their first six letters;
# 3: differences only where outlets disagree about one thing (figures story-wide, hedges on the
# shared words, charges not routine attribution, posts not descriptions); framing leaves names
# and the story's own quoted terms alone; near-ties of a best match within 0.03;
# 4: a claim left alone joins another outlet's claim that holds its words (held_elsewhere);
# 5: conflicts from one outlet denying what another states, a figure put in different years, a
# thing hedged by one outlet and named outright by another; ordinals and clock times no figures.
# 6: each claim of a cross-outlet group cut to the part the group shares (compare/cores.py).
# 7: two outlets' near-identical claims join before a shared deed does.
# 8: framing leaves out words in indirect speech, and quoted phrases reported or cited as labels.
# 9: framing finds a quoted phrase's sentence with the report's sentence rule (a title's or an
# initial's period, "Mr." or "B.", no longer starts a sentence).
VERSION = 9
_SAVE_EVERY = 64  # stories per transaction: a crash loses at most this many comparisons


Member = tuple[str, str | None]
"""An article of a story, and the article it is a copy of (None for an original)."""


def story_members(store: SQLiteStore) -> dict[int, list[Member]]:
    """Each live story's articles, in the order they joined it."""
    members: dict[int, list[Member]] = defaultdict(list)
    for m in store.story_members():
        members[m["story_id"]].append((m["article_id"], m["original_id"]))
    return members


def fingerprint(members: Sequence[Member]) -> str:
    """What a story was compared on: its articles, their copy links, and the stage versions."""
    key = json.dumps([VERSION, LANGUAGE_VERSION, sorted(f"{a}>{o or ''}" for a, o in members)])
    return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def compare_stored_story(store: SQLiteStore, story: int, article_ids: Sequence[str]) -> Comparison:
    """Compare one story from the records the earlier stages stored, its articles in the order
    they joined it (the order the comparison meets their claims in)."""
    records = read_records(store, store.articles(ids=list(article_ids), latest_only=False))
    rank = {a: i for i, a in enumerate(article_ids)}
    return compare_story(
        str(story),
        sorted(records.articles, key=lambda a: rank[a.id]),
        sorted(records.claims, key=lambda c: (rank[c.article], c.start)),
        sorted(records.quotes, key=lambda q: (rank[q.article], q.start)),
        # by the first article that names them, then by name (a stable sort keeps that order)
        sorted(records.entities, key=lambda e: min(rank[a] for a in e.articles)),
        sorted(records.timexes, key=lambda t: (rank[t.article], t.start)),
        duplicate_of={d.article: d.original for d in records.duplicates},
        encode=stored_encoder(store),
    )


class CompareStage:
    """Claim groups, differences and framing for every story whose articles changed."""

    name = STAGE
    version = VERSION
    chunk = 1_000_000
    """Articles are only the trigger: one run compares every story whose fingerprint changed."""

    def run(self, store: SQLiteStore, article_ids: Sequence[str]) -> None:
        current = story_members(store)
        stored = store.comparison_fingerprints()
        gone = [s for s in stored if s not in current]
        if gone:
            store.drop_comparisons(gone)
        done: list[tuple[int, str, Comparison]] = []
        for story, members in current.items():
            key = fingerprint(members)
            if stored.get(story) == key:
                continue
            articles = [article for article, _ in members]
            done.append((story, key, compare_stored_story(store, story, articles)))
            if len(done) >= _SAVE_EVERY:
                store.save_comparisons(done)
                done = []
        if done:
            store.save_comparisons(done)
