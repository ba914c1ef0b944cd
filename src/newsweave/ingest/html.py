"""HTML pages: main text and metadata with trafilatura, the date with htmldate as a fallback.

Photo captions (`<figcaption>`) are read before extraction so that they are kept apart from
the body instead of being lost or mixed into it.
"""

from __future__ import annotations

import re
from datetime import date

import htmldate
import lxml.html
import trafilatura
from lxml import etree

from newsweave.ingest._common import parse_date
from newsweave.model import Document, InputFormat, Rejected

_SPACE = re.compile(r"\s+")
_MAX_CAPTION_CHARS = 600
# A page whose longest line has fewer words is a menu or a form, not an article.
_MIN_SENTENCE_WORDS = 8


def _parse(html: str | bytes) -> lxml.html.HtmlElement | None:
    try:
        tree = trafilatura.load_html(html)
    except (ValueError, etree.ParserError):
        return None
    return tree


def _figure_captions(tree: lxml.html.HtmlElement) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for node in tree.iter("figcaption"):
        text = _SPACE.sub(" ", node.text_content()).strip()
        if text and len(text) <= _MAX_CAPTION_CHARS:
            seen.setdefault(text, None)
    return tuple(seen)


def _fallback_date(tree: lxml.html.HtmlElement) -> date | None:
    try:
        found = htmldate.find_date(tree, original_date=True, extensive_search=False)
    except (ValueError, TypeError):
        return None
    return parse_date(found)


def read_html(
    html: str | bytes,
    *,
    source: str,
    url: str | None = None,
    input_format: InputFormat = "html",
    external_id: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    author: str | None = None,
    published: date | None = None,
) -> Document | Rejected:
    """Extract one article from an HTML page.

    The keyword metadata is what the container already gave (e.g. a JSON Lines record's
    `title`); it wins over what the page says.
    """
    tree = _parse(html)
    if tree is None:
        return Rejected(source=source, reason="no_article", detail="not parseable as HTML")
    captions = _figure_captions(tree)
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = doc.text if doc is not None else ""
    if not any(len(line.split()) >= _MIN_SENTENCE_WORDS for line in text.splitlines()):
        return Rejected(
            source=source,
            reason="no_article",
            detail="the page has no main text (navigation, a form or an index page?)",
        )
    return Document(
        source=source,
        input_format=input_format,
        text=text,
        captions=captions,
        url=url or doc.url or None,
        external_id=external_id,
        outlet=outlet or doc.sitename or None,
        title=title or doc.title or None,
        author=author or doc.author or None,
        published=published or parse_date(doc.date) or _fallback_date(tree),
    )
