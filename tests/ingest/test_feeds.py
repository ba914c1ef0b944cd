"""RSS and Atom feeds: one article per entry, with the feed's title as the outlet."""

from __future__ import annotations

from datetime import date

from newsweave.clean import clean_document
from newsweave.ingest.feeds import html_fragment_text, read_feed
from newsweave.model import Document, Rejected
from tests.conftest import FIXTURES


def test_rss_entries_become_articles_with_metadata() -> None:
    items = list(read_feed((FIXTURES / "feeds" / "coastal_gazette.rss").read_bytes(), source="cg.rss"))
    docs = [i for i in items if isinstance(i, Document)]
    assert [d.title for d in docs] == [
        "Ferry operator cancels winter timetable after fuel costs soar",
        "Lifeboat crew rescues two kayakers off Gull Point",
    ]
    first = docs[0]
    assert first.outlet == "The Coastal Gazette"
    assert first.author == "Morgan Ellery"
    assert first.published == date(2025, 11, 4)
    assert first.external_id == "cg-2025-1187"
    assert first.url == "https://coastalgazette.example/news/ferry-winter-timetable"
    assert "about 2,300 residents without a scheduled service" in first.text


def test_rss_entry_without_text_is_rejected_alone() -> None:
    items = list(read_feed((FIXTURES / "feeds" / "coastal_gazette.rss").read_bytes(), source="cg.rss"))
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert [(r.source, r.reason) for r in rejected] == [("cg.rss#3", "empty")]


def test_promo_inside_feed_content_is_cleaned() -> None:
    doc = next(iter(read_feed((FIXTURES / "feeds" / "coastal_gazette.rss").read_bytes(), source="cg.rss")))
    assert isinstance(doc, Document)
    article = clean_document(doc)
    assert "petition" not in article.body
    assert [r.reason for r in article.removed] == ["promo"]


def test_atom_entry() -> None:
    (doc,) = read_feed((FIXTURES / "feeds" / "science_desk.atom").read_bytes(), source="sd.atom")
    assert isinstance(doc, Document)
    assert doc.outlet == "Science Desk Weekly"
    assert doc.author == "Ravi Chandrasekar"
    assert doc.published == date(2025, 9, 19)
    assert doc.text.startswith("Astronomers say they have detected water vapour")
    assert "\n" in doc.text  # one line per paragraph


def test_fragment_text_drops_scripts_and_keeps_paragraphs() -> None:
    text = html_fragment_text("<p>First <b>bold</b> line.</p><script>alert(1)</script><p>Second line.</p>")
    assert text == "First bold line.\nSecond line."
