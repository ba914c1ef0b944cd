"""The Python API: open a store, ingest, read articles back, export.

import newsweave
with newsweave.open_store("news.db") as nw:
    report = nw.ingest(["articles/"], published=date(2024, 3, 18))
    for article in nw.articles():
        print(article.outlet, article.title)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from newsweave import pipeline
from newsweave.contract import to_json
from newsweave.document import ExportDocument
from newsweave.export import export_document
from newsweave.ingest import expand_inputs
from newsweave.model import Article, IngestReport
from newsweave.settings import Settings, load_settings
from newsweave.store import SQLiteStore
from newsweave.stories.records import Story, load_stories, load_story


class Workspace:
    """A newsweave database and the operations on it."""

    def __init__(self, db: str | Path | None = None, *, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()
        self.store = SQLiteStore(db if db is not None else self.settings.db)
        self._stages: list[pipeline.AnalysisStage] | None = None

    @property
    def stages(self) -> list[pipeline.AnalysisStage]:
        """This workspace's analysis stages, built from its settings on first use."""
        if self._stages is None:
            self._stages = pipeline.build_stages(self.settings)
        return self._stages

    def ingest(self, paths: Iterable[str | Path], *, published: date | None = None) -> IngestReport:
        """Ingest files, directories or globs (`"-"` reads standard input).

        Args:
            paths: what to read.
            published: publication date for inputs that carry none.
        """
        return pipeline.ingest(
            self.store,
            expand_inputs(str(p) for p in paths),
            settings=self.settings,
            published_default=published,
        )

    def articles(self, *, latest_only: bool = True, limit: int | None = None) -> Iterator[Article]:
        """Stored articles in ingest order."""
        return self.store.articles(latest_only=latest_only, limit=limit)

    def article(self, article_id: str) -> Article:
        """One article by id (or a unique prefix of it)."""
        return self.store.get(article_id)

    def versions(self, article_id: str) -> list[Article]:
        """Every stored version of an article, oldest first."""
        return self.store.versions(article_id)

    def analyse(self, on_progress: pipeline.StageProgress | None = None) -> dict[str, int]:
        """Run every analysis stage still pending; returns how many articles each processed.

        Args:
            on_progress: called with (stage, articles done, articles pending) after each chunk.
        """
        return pipeline.analyse_pending(self.store, self.stages, on_progress)

    def stories(self) -> list[Story]:
        """Stories found so far, largest first, after running pending analysis."""
        self.analyse()
        return load_stories(self.store)

    def story(self, story_id: int) -> Story:
        """One story by id (a merged story's old id leads to the story it joined)."""
        self.analyse()
        return load_story(self.store, story_id)

    def document(self, article_ids: Sequence[str] | None = None) -> ExportDocument:
        """Every record of these articles (default: all latest), typed, after running pending
        analysis: what `export` writes and a report shows."""
        self.analyse()
        return export_document(self.store, self.store.articles(ids=article_ids))

    def story_document(self, story_id: int) -> ExportDocument:
        """The records of one story's articles, after running pending analysis; it reads that
        story's records only, whatever else the store holds."""
        story = self.story(story_id)
        return export_document(self.store, self.store.articles(ids=list(story.articles), latest_only=False))

    def export(self, article_ids: Sequence[str] | None = None) -> dict[str, Any]:
        """The JSON export (the contract in docs) of these articles, after running pending analysis."""
        return to_json(self.document(article_ids))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(db: str | Path | None = None, *, settings: Settings | None = None) -> Workspace:
    """Open (or create) a newsweave database; `db` defaults to the `db` setting."""
    return Workspace(db, settings=settings)
