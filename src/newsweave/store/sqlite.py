"""The SQLite store: one file, WAL journal, schema versioned by `migrations`.

Identity: an article is its canonical URL (else its id within the file it came from, else its
path); a version is that identity plus its normalised content. Storing the same content again
adds nothing; new content under a known identity becomes the next version. Every batch is one
transaction, so a process killed mid-ingest leaves whole batches only, and running the same
command again completes the job. Several processes may open one store at once, a new one too:
the busy timeout is set before anything touches the file, the switch to WAL is retried, and the
schema is migrated under the write lock (`migrations.migrate`).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sqlite3
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import courlan

from newsweave.clock import now_iso
from newsweave.errors import ArticleNotFound, StoreError
from newsweave.model import Article, CleanArticle, Rejected, RemovedLine, StoreOutcome
from newsweave.store.compare import CompareTables
from newsweave.store.language import LanguageTables
from newsweave.store.merge import MergeTables
from newsweave.store.migrations import migrate
from newsweave.store.search import SearchTables
from newsweave.store.stories import StoryTables

_SPACE = re.compile(r"\s+")
BUSY_TIMEOUT = 10.0
"""Seconds a connection waits for another process's lock before it gives up."""
_COLUMNS = (
    "id",
    "key",
    "version",
    "is_latest",
    "content_hash",
    "ingested_at",
    "source",
    "input_format",
    "external_id",
    "url",
    "outlet",
    "outlet_domain",
    "title",
    "author",
    "section",
    "published",
    "published_from",
    "language",
    "language_score",
    "body",
    "captions",
    "removed",
    "notes",
)


def _canonical_url(url: str | None) -> str | None:
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    try:
        return str(courlan.normalize_url(url, strict=True))
    except ValueError:
        return url


def _source_file(source: str) -> str:
    return source.split("#", 1)[0]


UPLOAD_PREFIX = "upload:"


def article_key(article: CleanArticle) -> str:
    """The identity an article keeps across versions."""
    if canonical := _canonical_url(article.url):
        return "url:" + canonical
    if article.external_id:
        return f"id:{Path(_source_file(article.source)).name}:{article.external_id}"
    if article.source == "<stdin>":
        return "stdin:" + content_hash(article)
    if article.source.startswith(UPLOAD_PREFIX):  # an upload: its name (and record), not a temporary path
        return article.source
    return "path:" + str(Path(article.source).resolve())


def content_hash(article: CleanArticle) -> str:
    """Hash of the normalised title and body: whitespace and case do not make a new version."""
    text = _SPACE.sub(" ", f"{article.title or ''}\n{article.body}").strip().casefold()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_id(key: str, digest: str) -> str:
    """An article's id: its key and content, so the same text at the same place has one id."""
    return hashlib.sha1(f"{key}\0{digest}".encode()).hexdigest()[:16]


def _now() -> str:
    return now_iso()


def _busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(error) or "busy" in str(error)


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the database to WAL, retrying while another process holds the lock it needs.

    The busy timeout does not cover this switch: when several processes open a new file at once,
    SQLite can answer SQLITE_BUSY at once (with the timeout already set, 1 to 50 of 900 opens
    failed in 300 three-process races, by machine load; none with this retry, in over 3,000
    races: `bench/concurrency.py`)."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as e:
            if not _busy(e) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.005, 0.05))


def _row_to_article(row: sqlite3.Row) -> Article:
    values: dict[str, Any] = dict(row)
    values["is_latest"] = bool(values["is_latest"])
    values["published"] = date.fromisoformat(values["published"]) if values["published"] else None
    values["captions"] = tuple(json.loads(values["captions"]))
    values["removed"] = tuple(RemovedLine(**r) for r in json.loads(values["removed"]))
    values["notes"] = tuple(json.loads(values["notes"]))
    return Article(**values)


class SQLiteStore(LanguageTables, StoryTables, CompareTables, SearchTables, MergeTables):
    """Articles, their versions and the ingest log in one SQLite file, and what the analysis
    stages found in them."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # The busy timeout comes first, before anything reads or writes the file: another
            # process may be creating, switching or migrating it at this very moment.
            self._conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
            )
            self._conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            self._conn.row_factory = sqlite3.Row
            _use_wal(self._conn)
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            migrate(self._conn, self.path)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"cannot open database {self.path}: {e}; is it a newsweave database?") from e

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Writing

    def _store_one(self, article: CleanArticle, now: str) -> tuple[str, StoreOutcome]:
        key, digest = article_key(article), content_hash(article)
        found = self._conn.execute(
            "SELECT id FROM articles WHERE key = ? AND content_hash = ?", (key, digest)
        ).fetchone()
        if found is None and key.startswith("path:"):
            # The same file under another path is the same article, not a new one.
            found = self._conn.execute(
                "SELECT id FROM articles WHERE content_hash = ? AND key LIKE 'path:%'", (digest,)
            ).fetchone()
        if found is not None:
            return found["id"], "unchanged"
        previous = self._conn.execute(
            "SELECT MAX(version) AS v FROM articles WHERE key = ?", (key,)
        ).fetchone()["v"]
        version = (previous or 0) + 1
        if previous:
            self._conn.execute("UPDATE articles SET is_latest = 0 WHERE key = ?", (key,))
        new_id = article_id(key, digest)
        row = {
            "id": new_id,
            "key": key,
            "version": version,
            "is_latest": 1,
            "content_hash": digest,
            "ingested_at": now,
            "source": article.source,
            "input_format": article.input_format,
            "external_id": article.external_id,
            "url": article.url,
            "outlet": article.outlet,
            "outlet_domain": article.outlet_domain,
            "title": article.title,
            "author": article.author,
            "section": article.section,
            "published": article.published.isoformat() if article.published else None,
            "published_from": article.published_from,
            "language": article.language,
            "language_score": article.language_score,
            "body": article.body,
            "captions": json.dumps(list(article.captions), ensure_ascii=False),
            "removed": json.dumps(
                [{"text": r.text, "reason": r.reason} for r in article.removed], ensure_ascii=False
            ),
            "notes": json.dumps(list(article.notes), ensure_ascii=False),
        }
        self._conn.execute(
            f"INSERT INTO articles ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
            [row[c] for c in _COLUMNS],
        )
        return new_id, "new_version" if previous else "added"

    def store_batch(
        self, articles: Sequence[CleanArticle], rejected: Sequence[Rejected] = ()
    ) -> list[tuple[str, StoreOutcome]]:
        """Store a batch of articles and rejections in one transaction; all or nothing."""
        now = _now()
        try:
            with self.transaction():
                outcomes = [self._store_one(a, now) for a in articles]
                self._conn.executemany(
                    "INSERT INTO rejections (source, reason, detail, at) VALUES (?, ?, ?, ?)",
                    [(r.source, r.reason, r.detail, now) for r in rejected],
                )
        except sqlite3.Error as e:
            raise StoreError(f"cannot write to {self.path}: {e}") from e
        return outcomes

    # Reading

    def get(self, article_id: str) -> Article:
        """The article with this id, or the only one whose id starts with it."""
        rows = self._conn.execute(
            "SELECT * FROM articles WHERE id = ? OR id LIKE ? ORDER BY id = ? DESC LIMIT 2",
            (article_id, article_id.replace("%", "") + "%", article_id),
        ).fetchall()
        if not rows or (len(rows) > 1 and rows[0]["id"] != article_id):
            why = "no article" if not rows else "more than one article"
            raise ArticleNotFound(f"{why} with id {article_id!r}; `newsweave ls` lists the ids")
        return _row_to_article(rows[0])

    def articles(
        self, *, latest_only: bool = True, ids: Sequence[str] | None = None, limit: int | None = None
    ) -> Iterator[Article]:
        """Stored articles in ingest order, latest versions only unless asked otherwise."""
        where, params = [], []  # type: ignore[var-annotated]
        if latest_only:
            where.append("is_latest = 1")
        if ids is not None:
            where.append(f"id IN ({', '.join('?' * len(ids))})")
            params.extend(ids)
        sql = "SELECT * FROM articles" + (f" WHERE {' AND '.join(where)}" if where else "")
        sql += " ORDER BY rowid" + (f" LIMIT {int(limit)}" if limit is not None else "")
        for row in self._conn.execute(sql, params):
            yield _row_to_article(row)

    def count(self, *, latest_only: bool = True) -> int:
        sql = "SELECT COUNT(*) FROM articles" + (" WHERE is_latest = 1" if latest_only else "")
        return int(self._conn.execute(sql).fetchone()[0])

    def versions(self, article_id: str) -> list[Article]:
        """Every version of the article with this id, oldest first."""
        key = self.get(article_id).key
        rows = self._conn.execute("SELECT * FROM articles WHERE key = ? ORDER BY version", (key,))
        return [_row_to_article(r) for r in rows]

    def rejections(self, limit: int = 1000) -> list[Rejected]:
        rows = self._conn.execute(
            "SELECT source, reason, detail FROM rejections ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [Rejected(source=r["source"], reason=r["reason"], detail=r["detail"]) for r in rows]

    # Analysis stage bookkeeping

    def pending(self, stage: str, stage_version: int) -> list[str]:
        """Ids of latest articles that `stage` (at this version) has not processed yet."""
        rows = self._conn.execute(
            "SELECT a.id FROM articles a LEFT JOIN stage_runs s ON s.article_id = a.id AND s.stage = ? "
            "WHERE a.is_latest = 1 AND (s.stage_version IS NULL OR s.stage_version < ?) ORDER BY a.rowid",
            (stage, stage_version),
        )
        return [r["id"] for r in rows]

    def mark_done(self, stage: str, stage_version: int, article_ids: Sequence[str]) -> None:
        now = _now()
        with self.transaction():
            self._conn.executemany(
                "INSERT OR REPLACE INTO stage_runs (article_id, stage, stage_version, done_at) "
                "VALUES (?, ?, ?, ?)",
                [(i, stage, stage_version, now) for i in article_ids],
            )
