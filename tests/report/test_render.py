"""The HTML page: self-contained, and article text shown as text, never as markup."""

from __future__ import annotations

import re
from datetime import date

from newsweave.model import Article, RemovedLine
from newsweave.report.render import render_articles_page

HOSTILE = 'Officials said <script>alert("x")</script> and <img src=x onerror="alert(1)"> were found.'


def _article(**kw: object) -> Article:
    fields: dict[str, object] = {
        "id": "abc123",
        "key": "path:/a.txt",
        "version": 1,
        "is_latest": True,
        "content_hash": "h",
        "ingested_at": "2026-01-01T00:00:00+00:00",
        "source": "/a.txt",
        "input_format": "text",
        "body": "First paragraph.\n\n" + HOSTILE,
        "title": 'Title with "quotes" & <b>tags</b>',
        "outlet": "The <Evil> Gazette",
        "published": date(2024, 3, 18),
        "published_from": "given",
        "captions": ("<svg onload=alert(2)> caption",),
        "removed": (RemovedLine(text="<iframe src=x></iframe> Read more", reason="promo"),),
    }
    fields.update(kw)
    return Article(**fields)  # type: ignore[arg-type]


def test_article_markup_is_escaped_everywhere() -> None:
    page = render_articles_page([_article()])
    for raw in ("<script>alert", "<img src=x", "<svg onload", "<iframe", "<b>tags</b>", "<Evil>"):
        assert raw not in page
    assert "&lt;script&gt;alert" in page
    assert "&lt;img src=x onerror=" in page


def test_page_is_self_contained_and_forbids_scripts() -> None:
    page = render_articles_page([_article()])
    assert not re.search(r"<(script|link)\b", page)
    assert not re.search(r"""(src|href)=["']?https?://""", page)
    assert "default-src 'none'" in page


def test_every_paragraph_caption_and_cut_is_on_the_page() -> None:
    page = render_articles_page([_article()])
    assert page.count("<p>") >= 2
    assert "caption" in page and "promo" in page
    assert "2024-03-18 (given)" in page
