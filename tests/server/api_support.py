"""What the REST API's tests share: a store of the two example articles, ingested and analysed
once per test process, copies of it for tests that write, the test client, and the words of an
article as the search index reads them.

The two examples (examples/) are one real story told by two outlets, so every endpoint has
something true to show: a story with claim groups, differences and framing, entities with roles
and quotes. The tests name nothing the examples contain (tests/test_no_seed_rules.py): what they
search for and expect is read from the stored articles and their analysis (`Indexed`).
"""

from __future__ import annotations

import atexit
import functools
import re
import shutil
import sqlite3
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import FastAPI

import newsweave
from newsweave.server import create_app

with warnings.catch_warnings():
    # Starlette's test client warns that it wants `httpx2`; the pinned environment has httpx.
    from starlette.exceptions import StarletteDeprecationWarning

    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PUBLISHED = date(2024, 3, 18)

__all__ = [
    "EXAMPLES",
    "Indexed",
    "TestClient",
    "copy_store",
    "distinctive",
    "examples_db",
    "make_app",
    "shared",
    "stems",
]


@functools.cache
def examples_db() -> Path:
    """The examples, ingested with a publication date and analysed, once per test process
    (both API test modules read it; tests that write take a `copy_store` of it)."""
    folder = Path(tempfile.mkdtemp(prefix="newsweave-api-tests-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    db = folder / "examples.db"
    with newsweave.open_store(db) as ws:
        ws.ingest([EXAMPLES], published=PUBLISHED)
        ws.analyse()
    return db


def copy_store(source: Path, target: Path) -> Path:
    """A copy of a store (SQLite's backup, so the WAL's pages come along) for a test that writes."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def make_app(db: Path, *, token: str | None = None, **config: Any) -> FastAPI:
    """The app over `db`; `config` overrides fields of its `ServerConfig` (read per request)."""
    app = create_app(db, token=token)
    if config:
        app.state.config = replace(app.state.config, **config)
    return app


# The words of an article as the search index reads them


INDEX_TOKENIZER = "porter unicode61 remove_diacritics 2"
"""How the search index splits and stems text (migration 8's `articles_fts`): words, lower case
and without accents, reduced to their English (Porter) stems."""
_WORD = re.compile(r"[^\W_]+")  # unicode61's words: runs of letters and digits


def stems(words: Sequence[str]) -> list[str]:
    """Each word's stem, as SQLite's own tokenizer makes it (an index of its own, in memory)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{INDEX_TOKENIZER}')")
        conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        conn.executemany("INSERT INTO t (rowid, x) VALUES (?, ?)", enumerate(words, start=1))
        found = dict(conn.execute("SELECT doc, term FROM v"))
    finally:
        conn.close()
    return [found.get(i, "") for i in range(1, len(words) + 1)]


@dataclass(frozen=True, slots=True)
class Indexed:
    """A stored article as its search index entry: the words of each indexed column (title,
    body, outlet) in order, each with its stem. What a test searches for is chosen from these,
    so no test names what an article says."""

    id: str
    outlet: str
    columns: tuple[tuple[tuple[str, str], ...], ...]

    @classmethod
    def of(cls, article: Any) -> Indexed:
        """From a stored article (the store's `Article`: `id`, `title`, `body`, `outlet`)."""
        columns = []
        for text in (article.title, article.body, article.outlet):
            words = [w.lower() for w in _WORD.findall(text or "")]
            columns.append(tuple(zip(words, stems(words), strict=True)))
        return cls(id=article.id, outlet=article.outlet or "", columns=tuple(columns))

    @property
    def words(self) -> dict[str, str]:
        """Every word (of letters only, so it reads as a word) and its stem."""
        return {w: s for column in self.columns for w, s in column if w.isalpha()}

    @property
    def terms(self) -> set[str]:
        """Every stem: what a search word must reduce to for this article to match."""
        return {s for column in self.columns for _, s in column}

    def runs(self, size: int) -> Iterator[tuple[tuple[str, str], ...]]:
        """Runs of `size` consecutive words within one column (a phrase never spans two)."""
        for column in self.columns:
            for i in range(len(column) - size + 1):
                yield column[i : i + size]

    def has_phrase(self, phrase_stems: Sequence[str]) -> bool:
        return any(tuple(s for _, s in run) == tuple(phrase_stems) for run in self.runs(len(phrase_stems)))


def distinctive(words: dict[str, str], *, not_in: Sequence[Indexed] = ()) -> list[str]:
    """`words` whose stems none of `not_in` has, longest first (a long word is a telling one),
    then in alphabetical order so the choice never varies."""
    taken = set().union(*(other.terms for other in not_in))
    return sorted((w for w, s in words.items() if s not in taken), key=lambda w: (-len(w), w))


def shared(articles: Sequence[Indexed]) -> dict[str, str]:
    """The words (and stems) of the first article whose stems every article has."""
    return {w: s for w, s in articles[0].words.items() if all(s in a.terms for a in articles[1:])}
