"""The Python API: its exact public surface, and a round trip through it."""

from __future__ import annotations

from datetime import date
from importlib.metadata import version
from pathlib import Path

import newsweave
from tests.conftest import FIXTURES

PUBLIC = {
    "Article",
    "ArticleNotFound",
    "ConfigError",
    "IngestError",
    "IngestReport",
    "ModelNotInstalled",
    "NewsweaveError",
    "PipelineError",
    "Rejected",
    "RemovedLine",
    "SchemaVersionError",
    "Settings",
    "StoreError",
    "Workspace",
    "__version__",
    "load_settings",
    "open_store",
}


def test_public_api_is_exactly_what_all_lists() -> None:
    assert set(newsweave.__all__) == PUBLIC
    assert all(hasattr(newsweave, name) for name in newsweave.__all__)


def test_version_is_the_installed_distributions() -> None:
    assert newsweave.__version__ == version("newsweave")


def test_error_tree() -> None:
    for name in ("IngestError", "PipelineError", "StoreError", "ConfigError"):
        assert issubclass(getattr(newsweave, name), newsweave.NewsweaveError)
    assert issubclass(newsweave.SchemaVersionError, newsweave.StoreError)
    assert issubclass(newsweave.ModelNotInstalled, newsweave.PipelineError)


def test_open_ingest_iterate_fetch_export(tmp_path: Path) -> None:
    with newsweave.open_store(tmp_path / "api.db") as nw:
        report = nw.ingest(
            [FIXTURES / "text" / "valley_school_board.txt", FIXTURES / "feeds"], published=date(2025, 5, 1)
        )
        assert (report.added, [r.reason for r in report.rejected]) == (4, ["empty"])
        articles = list(nw.articles())
        assert articles[0].outlet == "Valley Courier"
        assert articles[0].published == date(2025, 3, 3)  # the text's own dateline beats the default
        assert articles[0].published_from == "text"
        assert nw.article(articles[1].id).title == articles[1].title
        exported = nw.export()
        assert [a["id"] for a in exported["articles"]] == [a.id for a in articles]
