"""Wiring the stages together: read → clean → store, in batches, and the analysis stages after.

Each stage is an importable function; this module only moves records between them, so the CLI,
the Python API and a distributed runner share one code path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from newsweave.clean import clean_document
from newsweave.errors import StoreError
from newsweave.ingest import InputRef, Limits, read_input
from newsweave.model import CleanArticle, Document, IngestReport, Rejected, StoreOutcome
from newsweave.settings import Settings
from newsweave.store import SQLiteStore

ProgressHook = Callable[[str], None]
RecordsHook = Callable[[int], None]
"""Called with the number of records read so far, every `RECORDS_PER_TICK` records."""
RECORDS_PER_TICK = 1_000
RejectHook = Callable[[Rejected], None]


def clean_or_reject(
    doc: Document, *, published_default: date | None, settings: Settings
) -> CleanArticle | Rejected:
    """Clean one document; one whose body and title are both empty afterwards is rejected."""
    article = clean_document(
        doc, published_default=published_default, language_sample_chars=settings.language_sample_chars
    )
    if not article.body and not article.title:
        return Rejected(
            source=doc.source, reason="no_article", detail="nothing is left once boilerplate is removed"
        )
    if len(article.body) > settings.max_article_chars:
        # Analysing it would take minutes and gigabytes, and past spaCy's own limit it would fail
        # every later analysis of the store.
        return Rejected(
            source=doc.source,
            reason="too_long",
            detail=f"body of {len(article.body):,} characters, longer than the "
            f"{settings.max_article_chars:,} analysed (raise NEWSWEAVE_MAX_ARTICLE_CHARS to keep it)",
        )
    return article


def clean_safely(
    doc: Document | Rejected, published_default: date | None, settings: Settings
) -> CleanArticle | Rejected:
    """`clean_or_reject`, where a cleaner's failure on one hostile page rejects that page only
    (a record the reader already rejected passes through)."""
    if isinstance(doc, Rejected):
        return doc
    try:
        return clean_or_reject(doc, published_default=published_default, settings=settings)
    except Exception as e:  # a cleaner's bug on one hostile page must not end the run
        return Rejected(
            source=doc.source, reason="unreadable", detail=f"cleaning failed ({type(e).__name__}: {e})"[:500]
        )


def read_limits(settings: Settings) -> Limits:
    return Limits(
        max_document_bytes=settings.max_document_bytes,
        max_records=settings.max_records_per_file,
        max_decompressed_bytes=settings.max_decompressed_bytes,
    )


@dataclass(slots=True)
class _Batch:
    store: SQLiteStore
    report: IngestReport
    size: int
    articles: list[CleanArticle]
    rejected: list[Rejected]

    def add(self, item: CleanArticle | Rejected) -> None:
        if isinstance(item, Rejected):
            self.rejected.append(item)
            self.report.rejected.append(item)
        else:
            self.articles.append(item)
            self.report.notes.extend(f"{item.source}: {note}" for note in item.notes)
        if len(self.articles) + len(self.rejected) >= self.size:
            self.flush()

    def flush(self) -> None:
        if not self.articles and not self.rejected:
            return
        try:
            outcomes = self.store.store_batch(self.articles, self.rejected)
        except StoreError:
            raise  # the database itself failed (disk full, locked): no later batch can do better
        except Exception:  # one article the store cannot take must not cost the batch
            outcomes = self._one_by_one()
        # Counts only: a report that kept every id would grow with the corpus.
        for _, outcome in outcomes:
            self.report.count(outcome)
        self.articles, self.rejected = [], []

    def _one_by_one(self) -> list[tuple[str, StoreOutcome]]:
        """The batch again, an article a transaction, each one the store refuses rejected."""
        outcomes: list[tuple[str, StoreOutcome]] = []
        refused: list[Rejected] = []
        for article in self.articles:
            try:
                outcomes += self.store.store_batch([article])
            except StoreError:
                raise
            except Exception as e:
                detail = f"cannot be stored ({type(e).__name__}: {e})"[:500]
                refused.append(Rejected(source=article.source, reason="unreadable", detail=detail))
        self.report.rejected.extend(refused)
        self.store.store_batch([], [*self.rejected, *refused])
        return outcomes


def ingest(
    store: SQLiteStore,
    inputs: Iterable[InputRef | Rejected],
    *,
    settings: Settings,
    published_default: date | None = None,
    on_input_done: ProgressHook | None = None,
    on_rejected: RejectHook | None = None,
    on_records: RecordsHook | None = None,
) -> IngestReport:
    """Read, clean and store every input (see `ingest.expand_inputs`); bad input is counted.

    Nothing is raised for bad input: each becomes a `Rejected` in the report and the ingest log.
    """
    report = IngestReport()
    batch = _Batch(store, report, settings.batch_size, [], [])
    records = 0
    for ref in inputs:
        docs = [ref] if isinstance(ref, Rejected) else read_input(ref, limits=read_limits(settings))
        for doc in docs:
            item = clean_safely(doc, published_default, settings)
            if isinstance(item, Rejected) and on_rejected:
                on_rejected(item)
            batch.add(item)
            records += 1
            if on_records and records % RECORDS_PER_TICK == 0:
                on_records(records)  # one file can hold a million records: show that it moves
        if on_input_done:
            on_input_done(ref.source if isinstance(ref, Rejected) else ref.path)
    batch.flush()
    return report


class AnalysisStage(Protocol):
    """A later stage (language layer, quotes, stories…) that runs over stored articles."""

    name: str
    version: int

    chunk: int
    """Articles per run: progress is kept (and a crash loses) at most this many."""

    def run(self, store: SQLiteStore, article_ids: Sequence[str]) -> None: ...


def build_stages(settings: Settings, *, language: AnalysisStage | None = None) -> list[AnalysisStage]:
    """A fresh set of analysis stages, in the order they run, configured by `settings`;
    `language` replaces the language stage (`newsweave batch` brings records made on its workers).

    Each workspace builds its own: a stage's caches (the clusterer, say) belong to one store and
    one configuration. Only read-only model weights are shared within a process.
    """
    # Imported here: the stages pull in spaCy, scikit-learn and numpy, which `ingest` or `--help`
    # never need.
    from newsweave.compare.stage import CompareStage
    from newsweave.nlp.stage import LanguageStage
    from newsweave.stories.stage import StoriesStage

    return [language or LanguageStage(), StoriesStage(embedding=settings.stories_embedding), CompareStage()]


StageProgress = Callable[[str, int, int], None]


def analyse_pending(
    store: SQLiteStore, stages: Sequence[AnalysisStage], on_progress: StageProgress | None = None
) -> dict[str, int]:
    """Run every analysis stage on the articles it has not seen; returns counts per stage."""
    done: dict[str, int] = {}
    for stage in stages:
        ids = store.pending(stage.name, stage.version)
        for start in range(0, len(ids), stage.chunk):
            chunk = ids[start : start + stage.chunk]
            stage.run(store, chunk)
            store.mark_done(stage.name, stage.version, chunk)
            if on_progress:
                on_progress(stage.name, start + len(chunk), len(ids))
        done[stage.name] = len(ids)
    return done
