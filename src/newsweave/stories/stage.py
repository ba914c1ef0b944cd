"""The stories stage: near-duplicates linked, then each new article placed in a story.

Incremental: a run reads only the articles still pending, and the clusterer's state (document
frequencies, story centroids, index keys, MinHashes, the articles still provisional) is kept in
the store, so a later `analyse` adds articles to the existing stories without recomputing the
earlier ones. The state is loaded once per process and reused while nothing else has written to
the store; read back, it is the state the run left in memory, to the last bit, so a process
killed after any chunk, or analysis split over several processes, ends with the stories of one
uninterrupted run.

English articles with a body only: others are skipped with a note saying why. Copies of an
article are placed in their original's story, flagged, and not clustered themselves.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from newsweave.errors import PipelineError
from newsweave.model import Article
from newsweave.store.stories import from_blob, to_blob
from newsweave.stories.cluster import (
    BATCH,
    Assignment,
    ClusterConfig,
    OnlineClusterer,
    SavedArticle,
    StoryState,
)
from newsweave.stories.features import StoryFeatures, make_features
from newsweave.stories.neardup import NearDuplicateIndex, find_duplicates
from newsweave.stories.titles import story_title
from newsweave.stories.vectors import Backend, dimensions, embedding_text, encode

if TYPE_CHECKING:
    from newsweave.store import SQLiteStore

STAGE = "stories"
VERSION = 2


def skip_reason(article: Article) -> str | None:
    if not article.body.strip():
        return "no body text (headline only): nothing to place in a story"
    if article.language not in (None, "en"):
        return f"language is {article.language!r}; stories are built from English articles only"
    return None


class _State:
    """The clusterer and the near-duplicate index of one store, as saved in it."""

    def __init__(self, store: SQLiteStore, backend: Backend) -> None:
        self.backend = backend
        self.clusterer = OnlineClusterer(dimensions(backend), ClusterConfig())
        self.neardup = NearDuplicateIndex()
        self.story_of_article: dict[str, int] = {}
        self.documents = store.story_documents()
        self._load(store)

    def _load(self, store: SQLiteStore) -> None:
        term_df: dict[str, int] = {}
        phrase_df: dict[str, int] = {}
        name_df: dict[str, int] = {}
        for key, df in store.story_term_df():
            if key.startswith("w:"):  # words and phrases (a phrase has a space)
                (phrase_df if " " in key else term_df)[key[2:]] = df
            else:
                name_df[key[2:]] = df
        stories = [_story_from_row(row) for row in store.story_state_rows()]
        hashes: list[tuple[str, Any, str | None]] = []
        for row in store.story_member_rows():
            self.story_of_article[row["article_id"]] = row["story_id"]
            if row["minhash"] is not None:
                hashes.append((row["article_id"], from_blob(row["minhash"], np.uint32), row["original_id"]))
        filed = [
            (row["story_id"], json.loads(row["keys"]), json.loads(row["lsh"]))
            for row in store.story_filing_rows()
        ]
        self.clusterer.restore(
            documents=self.documents,
            term_df=term_df,
            phrase_df=phrase_df,
            name_df=name_df,
            stories=stories,
            merged=store.merged_stories(),
            filed=filed,
            provisional=_provisional_from_rows(store),
            forgotten_at=store.story_forgotten_at(),
            phrases_born={term[2:]: born for term, born in store.story_terms_born().items()},
            first_id=store.story_first_id(),
        )
        self.neardup.load(hashes)


def _provisional_from_rows(store: SQLiteStore) -> list[SavedArticle]:
    """The saved provisional articles, oldest first, their features read again from the store
    (with the names and vector they were placed with: the language layer may have run since)."""
    rows = store.story_provisional_rows()
    articles = {a.id: a for a in store.articles(ids=[r["article_id"] for r in rows], latest_only=False)}
    saved = []
    for row in rows:
        article = articles[row["article_id"]]
        names = frozenset(json.loads(row["names"]))
        features = make_features(
            article_id=article.id,
            title=article.title,
            body=article.body,
            published=article.published,
            outlet=article.outlet,
            vector=np.frombuffer(row["vector"], dtype=np.float32).copy(),
            names=names,
        )
        saved.append(
            SavedArticle(
                features=replace(features, names=names),
                story=row["story_id"],
                arrived=row["arrived"],
                weighed_at=row["weighed_at"],
                weights=json.loads(row["weights"]),
                keys=json.loads(row["keys"]),
                signatures=json.loads(row["lsh"]),
            )
        )
    return saved


def _provisional_record(saved: SavedArticle) -> dict[str, Any]:
    features = saved.features
    return {
        "article_id": features.article_id,
        "story_id": saved.story,
        "arrived": saved.arrived,
        "weighed_at": saved.weighed_at,
        "names": json.dumps(sorted(features.names), ensure_ascii=False),
        "weights": json.dumps(saved.weights, ensure_ascii=False),
        "vector": to_blob(features.vector),
    }


def _story_from_row(row: Any) -> tuple[StoryState, dict[str, dict[str, float]]]:
    """A saved story, and its sums keyed by word (the clusterer keys them by id again)."""
    state = json.loads(row["state"])
    vector = from_blob(row["vector"], np.float32)
    heads_vectors = from_blob(row["heads"], np.float32)
    titles: list[str] = state.get("heads", [])
    heads = []
    if heads_vectors is not None and titles:
        heads = list(zip(titles, heads_vectors.reshape(len(titles), -1), strict=True))
    story = StoryState(
        id=row["id"],
        size=row["size"],
        vector=vector,
        names=Counter(state.get("names", {})),
        mark_counts=Counter(state.get("mark_counts", {})),
        start=date.fromisoformat(row["start"]) if row["start"] else None,
        end=date.fromisoformat(row["end"]) if row["end"] else None,
        heads=heads,
    )
    return story, {part: state.get(part, {}) for part in ("terms", "name_weights", "marks", "phrases")}


def _story_record(story: StoryState, clusterer: OnlineClusterer) -> dict[str, Any]:
    centre = None if story.vector is None else story.vector / story.vector_norm
    sums = clusterer.readable_sums(story)
    return {
        "id": story.id,
        "title": story_title(story.heads, centre, story.names, sums["terms"]),
        "size": story.size,
        "start": story.start.isoformat() if story.start else None,
        "end": story.end.isoformat() if story.end else None,
        "state": json.dumps(
            {
                **sums,  # unrounded: a story read back scores as the one in memory, to the last bit
                "names": dict(story.names),
                "mark_counts": dict(story.mark_counts),
                "heads": [h for h, _ in story.heads],
            },
            ensure_ascii=False,
        ),
        "vector": to_blob(story.vector),
        "heads": to_blob(np.stack([v for _, v in story.heads])) if story.heads else None,
    }


def _backend(name: str) -> Backend:
    if name not in ("static", "minilm", "none"):
        raise PipelineError(f"stories_embedding {name!r} is not one of static, minilm, none")
    return name  # type: ignore[return-value]


class StoriesStage:
    """Near-duplicate links and story membership for articles not yet placed.

    One instance serves one workspace: it keeps that store's clusterer in memory between runs,
    and reads it back from the store when another process has written to it since.
    """

    name = STAGE
    version = VERSION
    chunk = BATCH
    """A batch of the clusterer: grouped at once, with the articles still provisional."""

    def __init__(self, *, embedding: str = "static") -> None:
        self.backend = _backend(embedding)
        self._cached: tuple[SQLiteStore, int, _State] | None = None

    def forget(self) -> None:
        """Drop the clusterer kept in memory; the next run reads it back from the store."""
        self._cached = None

    def _state(self, store: SQLiteStore) -> _State:
        generation = store.story_documents()
        if self._cached is not None and self._cached[0] is store and self._cached[1] == generation:
            return self._cached[2]
        state = _State(store, self.backend)
        self._cached = (store, generation, state)
        return state

    def run(self, store: SQLiteStore, article_ids: Sequence[str]) -> None:
        state = self._state(store)
        try:
            self._run(store, state, article_ids)
        except BaseException:
            self._cached = None  # the clusterer may be ahead of the store: read it back next time
            raise
        self._cached = (store, state.clusterer.documents, state)

    def _run(self, store: SQLiteStore, state: _State, article_ids: Sequence[str]) -> None:
        backend = self.backend
        articles = list(store.articles(ids=list(article_ids), latest_only=False))
        notes = [(a.id, reason) for a in articles if (reason := skip_reason(a)) is not None]
        readable = sorted(
            (a for a in articles if skip_reason(a) is None and a.id not in state.story_of_article),
            key=lambda a: a.published or date.max,
        )
        links, minhashes = find_duplicates(state.neardup, [(a.id, a.body) for a in readable])
        copies = {link.article_id: link for link in links}
        originals = [a for a in readable if a.id not in copies]
        features = _features(store, originals, backend)
        clusterer = state.clusterer
        term_before = {t for f in features for t in f.terms}
        phrase_before = {p for f in features for p in f.phrases}
        name_before = {n for f in features for n in f.names} | {"#" + m for f in features for m in f.marks}
        assignments = clusterer.add_batch(features)
        story_of = {a.article_id: a.story for a in assignments}
        members = [_member(a, minhashes.get(a.article_id)) for a in assignments if not a.moved]
        # Articles of earlier runs that the new ones showed to belong elsewhere (their copies follow).
        moves = [(a.article_id, a.story, a.score) for a in assignments if a.moved]
        for article_id, link in copies.items():
            original_story = story_of.get(link.original_id, state.story_of_article.get(link.original_id))
            if original_story is None:  # the original was never placed (cannot happen once indexed)
                continue
            story = clusterer.story_of(original_story)
            story_of[article_id] = story
            members.append((article_id, story, link.similarity, [], [], to_blob(minhashes[article_id])))
        members = [(a, clusterer.story_of(s), sc, k, sig, mh) for a, s, sc, k, sig, mh in members]
        df_changes = {f"w:{t}": clusterer.term_df[t] for t in term_before}
        df_changes.update({f"w:{p}": clusterer.phrase_df[p] for p in phrase_before})
        df_changes.update({f"w:{p}": 0 for p in clusterer.forgotten})  # 0: deleted
        df_changes.update({f"n:{n}": clusterer.name_df[n] for n in name_before})
        unsaved = sorted(clusterer.unsaved)
        store.save_story_run(
            members=members,
            duplicates=[(c.article_id, c.original_id, c.similarity) for c in copies.values()],
            stories=[_story_record(clusterer.stories[s], clusterer) for s in sorted(clusterer.dirty)],
            merges=list(clusterer.merges),
            moves=[(a, clusterer.story_of(s), sc) for a, s, sc in moves],
            df_changes=df_changes,
            documents=clusterer.documents,
            notes=notes,
            stage=STAGE,
            filings=[(a.article_id, a.story) for a in assignments],
            provisional=[_provisional_record(clusterer.saved_article(a)) for a in unsaved],
            settled=sorted(clusterer.settled),
            phrases_born={f"w:{p}": clusterer.phrase_df.first_seen(p) for p in phrase_before},
            forgotten_at=clusterer.forgotten_at,
        )
        clusterer.dirty.clear()
        clusterer.merges.clear()
        clusterer.forgotten.clear()
        clusterer.unsaved.clear()
        clusterer.settled.clear()
        state.story_of_article.update((m[0], m[1]) for m in members)
        state.story_of_article.update((a, clusterer.story_of(s)) for a, s, _ in moves)


def _member(
    assignment: Assignment, minhash: Any
) -> tuple[str, int, float, Sequence[str], Sequence[int], bytes | None]:
    return (
        assignment.article_id,
        assignment.story,
        assignment.score,
        assignment.keys,
        assignment.signatures,
        to_blob(minhash),
    )


def _features(store: SQLiteStore, articles: Sequence[Article], backend: Backend) -> list[StoryFeatures]:
    if not articles:
        return []
    vectors = encode([embedding_text(a.title, a.body) for a in articles], backend)
    names = store.names_for_stories([a.id for a in articles])
    return [
        make_features(
            article_id=a.id,
            title=a.title,
            body=a.body,
            published=a.published,
            outlet=a.outlet,
            vector=vectors[i],
            names=names.get(a.id),
        )
        for i, a in enumerate(articles)
    ]
