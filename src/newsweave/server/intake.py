"""Writing to the store from the API: ingest (files, JSON articles, fetched pages), then analysis.

Everything goes through the pipeline's own readers and cleaner. Writes are one at a time per
server (a lock): SQLite has one writer anyway, and the analysis stages keep state between runs
(the stories stage's clusterer) that two runs at once would trip over. A call returns once the
analysis is done, so what it answers with is already searchable and in its story; the analysis
covers every article still pending in the store, not only the ones just sent.
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newsweave import pipeline
from newsweave.ingest import InputRef
from newsweave.model import CleanArticle, Document, IngestReport, Rejected, StoreOutcome
from newsweave.settings import Settings
from newsweave.store import SQLiteStore


class _RecordingStore(SQLiteStore):
    """The store, noting the id of every article a batch stored or found already stored (the
    pipeline's report keeps counts only, and an API caller wants the ids)."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        self.stored: list[str] = []

    def store_batch(
        self, articles: Sequence[CleanArticle], rejected: Sequence[Rejected] = ()
    ) -> list[tuple[str, StoreOutcome]]:
        outcomes = super().store_batch(articles, rejected)
        self.stored.extend(article_id for article_id, _ in outcomes)
        return outcomes


@dataclass(slots=True, kw_only=True)
class Ingested:
    report: IngestReport
    articles: list[str]
    """Ids stored or found already stored, in input order, each once."""
    analysed: dict[str, int] = field(default_factory=dict)
    outcomes: list[str | Rejected] = field(default_factory=list)
    """For `Intake.documents`: each document's article id, or why it was not stored."""


def _safe_name(name: str) -> str:
    """A file name for an upload: its last path part, nothing that climbs out of the folder."""
    base = Path(name.replace("\\", "/")).name.strip().lstrip(".")
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in base)[:100] or "upload"


class Intake:
    """The API's writes to one store: one at a time, analysis after each."""

    def __init__(self, db: Path, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._lock = threading.Lock()
        self._store: _RecordingStore | None = None
        self._stages: list[pipeline.AnalysisStage] | None = None

    def _open(self) -> _RecordingStore:
        # One connection and one set of stages for the server's life: the stories stage keeps
        # its clusterer between runs only while it sees the same store object.
        if self._store is None:
            self._store = _RecordingStore(self.db)
        if self._stages is None:
            self._stages = pipeline.build_stages(self.settings)
        self._store.stored = []
        return self._store

    def _analysed(self, store: _RecordingStore, report: IngestReport) -> Ingested:
        assert self._stages is not None
        ids = list(dict.fromkeys(store.stored))
        return Ingested(report=report, articles=ids, analysed=pipeline.analyse_pending(store, self._stages))

    def files(self, paths: Iterable[Path], *, published: date | None, label: str | None = None) -> Ingested:
        """Ingest files with the readers the CLI uses (format sniffed from the bytes), then analyse;
        `label` names a single file in the store instead of its (temporary) path."""
        with self._lock:
            store = self._open()
            report = pipeline.ingest(
                store,
                [InputRef(str(p), label=label) for p in paths],
                settings=self.settings,
                published_default=published,
            )
            return self._analysed(store, report)

    def upload(self, name: str, data: Iterable[bytes], *, published: date | None) -> Ingested:
        """Ingest one uploaded file, written to a temporary folder under its own (made safe) name."""
        with tempfile.TemporaryDirectory(prefix="newsweave-upload-") as folder:
            safe = _safe_name(name)
            path = Path(folder, safe)
            with path.open("wb") as out:
                for chunk in data:
                    out.write(chunk)
            # Stored as `upload:NAME`: a corrected file uploaded again under its name is a new
            # version of the same article, and no temporary path reaches a client.
            return self.files([path], published=published, label=f"upload:{safe}")

    def article(self, record: dict[str, Any]) -> Ingested:
        """Ingest one article given as JSON-ready data (the fields of a JSON Lines record), read by
        the JSON Lines reader from a temporary file."""
        with tempfile.TemporaryDirectory(prefix="newsweave-article-") as folder:
            path = Path(folder, "article.jsonl")
            # ASCII escapes: a lone surrogate in the text reaches the reader, which replaces it.
            path.write_text(json.dumps(record, ensure_ascii=True) + "\n", encoding="utf-8")
            return self.files([path], published=None)

    def documents(self, docs: Sequence[Document | Rejected], *, published: date | None) -> Ingested:
        """Clean and store documents a reader already made (fetched pages), then analyse."""
        items = [pipeline.clean_safely(doc, published, self.settings) for doc in docs]
        report = IngestReport()
        outcomes: list[str | Rejected] = []
        with self._lock:
            store = self._open()
            for item in items:
                # One article a transaction: an article the store refuses costs only itself.
                if not isinstance(item, Rejected):
                    try:
                        ((article_id, outcome),) = store.store_batch([item])
                        report.count(outcome)
                        outcomes.append(article_id)
                        continue
                    except ValueError as e:  # text SQLite cannot take (a lone surrogate, say)
                        item = Rejected(source=item.source, reason="unreadable", detail=str(e)[:500])
                store.store_batch([], [item])
                report.rejected.append(item)
                outcomes.append(item)
            ingested = self._analysed(store, report)
        ingested.outcomes = outcomes
        return ingested

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
