"""RSS and Atom feeds (feedparser): one article per entry, from its full content or summary."""

from __future__ import annotations

import re
from collections.abc import Iterator

import feedparser
import lxml.html
from lxml import etree

from newsweave.ingest._common import parse_date
from newsweave.model import Document, Rejected

_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "figure"}
_SPACE = re.compile(r"[ \t\r\f\v]+")


def html_fragment_text(fragment: str) -> str:
    """Text of an HTML fragment with one line per block element (feeds carry such fragments)."""
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, "script", "style", with_tail=False)
    parts: list[str] = []
    for node in root.iter():
        if isinstance(node.tag, str) and node.tag in _BLOCK_TAGS:
            parts.append("\n")
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        if node.tail and node is not root:
            parts.append(node.tail)
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _entry_text(entry: feedparser.FeedParserDict) -> str:
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary", "")
    return html_fragment_text(best if len(best) >= len(summary) else summary)


def read_feed(data: bytes, *, source: str) -> Iterator[Document | Rejected]:
    """Yield one document per feed entry; an entry with no text is rejected on its own."""
    parsed = feedparser.parse(data)
    entries = parsed.get("entries", [])
    if not entries:
        problem = parsed.get("bozo_exception")
        detail = f"no entries ({problem})" if problem else "a feed with no entries"
        yield Rejected(source=source, reason="malformed" if problem else "empty", detail=detail)
        return
    outlet = parsed.feed.get("title") or None
    for n, entry in enumerate(entries, start=1):
        where = f"{source}#{n}"
        text = _entry_text(entry)
        title = entry.get("title") or None
        if not text and not title:
            yield Rejected(source=where, reason="empty", detail="entry has no title and no text")
            continue
        yield Document(
            source=where,
            input_format="feed",
            text=text,
            external_id=entry.get("id") or None,
            url=entry.get("link") or None,
            outlet=outlet,
            title=title,
            author=entry.get("author") or None,
            published=parse_date(entry.get("published_parsed") or entry.get("updated_parsed")),
        )
