"""What the REST API's tests share: a store of the two example articles, ingested and analysed
once per test process, copies of it for tests that write, and the test client.

The two examples (examples/) are one real story told by two outlets, so every endpoint has
something true to show: a story with claim groups, differences and framing, entities with roles
and quotes.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import sqlite3
import tempfile
import warnings
from dataclasses import replace
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

__all__ = ["EXAMPLES", "TestClient", "copy_store", "examples_db", "make_app"]


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
