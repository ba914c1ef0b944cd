"""Shared fixtures: where the fixture files and the shared development data live."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsweave.model import Article
from newsweave.settings import Settings
from newsweave.store import SQLiteStore

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSWEAVE_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "data"
SEEDS = SHARED / "seeds"


def needs_shared(*parts: str) -> Path:
    """The path under ../shared, or skip the test with the reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here: this test needs the shared development data")
    return path


@pytest.fixture
def settings() -> Settings:
    return Settings(batch_size=50)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "test.db") as s:
        yield s


def make_article(id: str, outlet: str, body: str) -> Article:
    """A bare stored article, for tests that build their records by hand."""
    return Article(
        id=id,
        key=f"path:/{id}.txt",
        version=1,
        is_latest=True,
        content_hash=id,
        ingested_at="2025-03-11T00:00:00+00:00",
        source=f"/{id}.txt",
        input_format="text",
        body=body,
        outlet=outlet,
    )
