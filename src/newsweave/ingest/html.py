"""HTML pages: main text and metadata with trafilatura, the date with htmldate.

Photo captions (`<figcaption>`) are read before extraction so that they are kept apart from
the body instead of being lost or mixed into it.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date

import htmldate
import lxml.html
import trafilatura
from lxml import etree
from trafilatura import metadata as _meta

from newsweave.ingest._common import parse_date
from newsweave.model import Document, InputFormat, Rejected

_SPACE = re.compile(r"\s+")
_MAX_CAPTION_CHARS = 600
# A page with no line this long (in words, or in characters for unspaced scripts) is a menu or
# a form, not an article.
_MIN_SENTENCE_WORDS = 8
_MIN_SENTENCE_CHARS = 50


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


def _is_sentence_like(line: str) -> bool:
    return len(line.split()) >= _MIN_SENTENCE_WORDS or len(line.strip()) >= _MIN_SENTENCE_CHARS


def _page_date(tree: lxml.html.HtmlElement, url: str | None) -> date | None:
    try:
        found = htmldate.find_date(tree, url=url, original_date=True, extensive_search=False)
    except (ValueError, TypeError):
        return None
    return parse_date(found)


def _page_metadata(tree: lxml.html.HtmlElement, url: str | None) -> _meta.Document:
    """Title, author, site name and URL with trafilatura's metadata steps.

    The same steps as `trafilatura.extract_metadata`, less categories, tags and licence
    (unused), the author search over the page's markup (a third of the page's whole cost;
    meta tags, JSON-LD and the text's byline give the author) and the slow date search (the
    date comes from htmldate's fast pass).
    """
    found = _meta.examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None  # a single word is a handle, not a name (trafilatura's rule)
    # trafilatura's JSON-LD reader can raise anything on broken markup; the page is still read.
    with contextlib.suppress(Exception):
        found = _meta.extract_meta_json(tree, found)
    found.title = found.title or _meta.extract_title(tree)
    found.url = found.url or _meta.extract_url(tree, url)
    found.sitename = (found.sitename or _meta.extract_sitename(tree) or "").lstrip("@") or None
    return found


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
    meta = _page_metadata(tree, url)
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,  # readers' comments are not the outlet's text
    )
    text = (doc.text if isinstance(doc, trafilatura.settings.Document) else None) or ""
    if not any(_is_sentence_like(line) for line in text.splitlines()):
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
        captions_marked=True,
        url=url or meta.url or None,
        external_id=external_id,
        outlet=outlet or meta.sitename or None,
        title=title or meta.title or None,
        author=author or meta.author or None,
        published=published or _page_date(tree, url or meta.url),
    )
