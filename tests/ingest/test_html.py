"""The HTML reader on a realistic news page, with hostile markup inside the article."""

from __future__ import annotations

import json

from newsweave.clean import clean_document
from newsweave.ingest.html import read_html
from newsweave.model import Document, Rejected
from tests.conftest import FIXTURES

PAGE = FIXTURES / "html" / "metro_transit.html"
GOLD = json.loads(PAGE.with_suffix(".gold.json").read_text(encoding="utf-8"))


def _article() -> Document:
    doc = read_html(PAGE.read_bytes(), source=str(PAGE))
    assert isinstance(doc, Document)
    return doc


def test_metadata_from_the_page() -> None:
    doc = _article()
    assert doc.title == GOLD["title"]
    assert doc.outlet == GOLD["outlet"]
    assert doc.author == GOLD["author"]
    assert doc.published is not None and doc.published.isoformat() == GOLD["published"]


def test_main_text_without_navigation_comments_or_scripts() -> None:
    body = clean_document(_article()).body
    for snippet in GOLD["must_contain"]:
        assert snippet in body
    for snippet in GOLD["must_not_contain"]:
        assert snippet not in body


def test_figure_captions_kept_apart() -> None:
    article = clean_document(_article())
    assert list(article.captions) == GOLD["captions"]


def test_container_metadata_wins_over_the_page() -> None:
    doc = read_html(PAGE.read_text(encoding="utf-8"), source="x", title="Given title", outlet="Given outlet")
    assert isinstance(doc, Document)
    assert (doc.title, doc.outlet) == ("Given title", "Given outlet")


def test_page_without_an_article_is_rejected_with_a_reason() -> None:
    result = read_html((FIXTURES / "html" / "index_page.html").read_bytes(), source="index_page.html")
    assert isinstance(result, Rejected)
    assert result.reason == "no_article"
    assert "index_page.html" in result.message()


def test_url_gives_the_outlet_domain() -> None:
    article = clean_document(
        read_html(PAGE.read_bytes(), source="p", url="https://www.metroledger.example/n/1")
    )  # type: ignore[arg-type]
    assert article.outlet_domain == "metroledger.example"
