"""The story report's renderers without a browser: HTML, Markdown and the terminal.

Each gets the fixture story with hostile text in every section and must show it as text: no
HTML element, Rich style or Markdown link may come out of an article.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt
from rich.console import Console

from newsweave.document import ExportDocument
from newsweave.report import build_report, render_html, render_markdown, render_terminal
from newsweave.report.records import EMPTY, SECTIONS
from tests.report.conftest import IMG_PAYLOAD, MARKUP, PAYLOAD, without_comparison

HEADINGS = [heading for _, heading, _ in SECTIONS]


@pytest.fixture
def html(hostile_document: ExportDocument) -> str:
    return render_html(build_report(hostile_document))


@pytest.fixture
def markdown(hostile_document: ExportDocument) -> str:
    return render_markdown(build_report(hostile_document))


def _terminal(document: ExportDocument, limit: int = 100) -> str:
    console = Console(record=True, width=160, color_system=None)
    render_terminal(build_report(document), console, limit=limit)
    return console.export_text()


# ---- HTML ---------------------------------------------------------------------------------


def test_html_escapes_article_text_everywhere(html: str) -> None:
    assert not re.search(r"<(script|img|iframe|b)\b", html, re.IGNORECASE)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html
    assert html.count("&lt;script&gt;") >= 8  # title, brief, matrix, quotes, who's who, sources…


def test_html_has_every_section_with_content(html: str) -> None:
    for key, heading, _ in SECTIONS:
        section = re.search(
            rf'<section id="{key.replace("_", "-")}">\s*<h2>(.*?)</h2>(.*?)</section>', html, re.S
        )
        assert section is not None, key
        assert section.group(1).replace("&#39;", "'") == heading
        assert EMPTY[key] not in section.group(2)


def test_html_is_one_self_contained_file_that_prints(html: str) -> None:
    assert not re.search(r"<(script|link|iframe|object|embed)\b", html)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "default-src 'none'" in html and "@media print" in html


def test_every_link_in_the_html_lands_on_an_anchor(html: str) -> None:
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    targets = set(re.findall(r'href="#([^"]+)"', html))
    assert len(targets) > 30
    assert targets <= ids, targets - ids


def test_html_says_what_is_missing_before_the_comparison(pipeline_document: ExportDocument) -> None:
    page = render_html(build_report(without_comparison(pipeline_document)))
    assert EMPTY["brief"] in page and EMPTY["matrix"] in page
    assert "Card-skimming code found" in page  # the sources are there all the same


# ---- Markdown -----------------------------------------------------------------------------


def test_markdown_has_every_section(markdown: str) -> None:
    headings = re.findall(r"^## (.+)$", markdown, re.M)
    assert headings == [h.replace("'", "'") for h in HEADINGS]
    assert markdown.startswith("# Water site hacked")


def test_markdown_renders_hostile_text_as_text(markdown: str) -> None:
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    assert not re.search(r"<(script|img|b)\b", rendered)
    assert "javascript:" not in re.findall(r'href="([^"]*)"', rendered)
    assert "<a " not in rendered
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in rendered
    assert "[click](javascript:alert(1))" in rendered  # shown, not linked


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("# not a heading", "# not a heading"),
        ("- not a list", "- not a list"),
        ("1. not a list", "1. not a list"),
        ("a | b", "a | b"),
        ("*stars* and _underscores_", "*stars* and _underscores_"),
        ("`code` <br>", "`code` &lt;br&gt;"),
        ("&amp; stays &amp;", "&amp;amp; stays &amp;amp;"),
    ],
)
def test_markdown_escapes_article_markup(text: str, shown: str) -> None:
    from newsweave.report.markdown import md

    rendered = MarkdownIt("commonmark").render(f"- {md(text)}")
    assert rendered == f"<ul>\n<li>{shown}</li>\n</ul>\n"


def test_markdown_tables_keep_their_columns(markdown: str) -> None:
    for table in re.findall(r"(?:^\|.*\|\n)+", markdown, re.M):
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in table.splitlines()}
        assert len(widths) == 1, table


# ---- terminal -----------------------------------------------------------------------------


def test_terminal_shows_every_section(story_document: ExportDocument) -> None:
    text = _terminal(story_document)
    for heading in HEADINGS:
        assert re.search(rf"^{re.escape(heading)}$", text, re.M), heading
    assert "Police are investigating the attack" in text
    assert "✗ contradicts" in text


def test_terminal_shows_markup_in_articles_as_text(hostile_document: ExportDocument) -> None:
    text = _terminal(hostile_document)
    assert "[link=https://example.invalid]Whitlock[/link]" in text
    assert "[bold red]Card-skimming[/]" in " ".join(text.split())
    assert PAYLOAD in text and IMG_PAYLOAD in " ".join(text.split())
    assert MARKUP.split()[0] in text


def test_terminal_before_the_comparison(pipeline_document: ExportDocument) -> None:
    text = _terminal(without_comparison(pipeline_document), limit=3)
    assert EMPTY["brief"] in " ".join(text.split())
    assert "more in the HTML report" in text
