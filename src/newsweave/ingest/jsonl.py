"""JSON Lines: one article per line, read line by line so memory stays flat.

Fields: `id` (kept as `external_id`), `url`, `outlet` (or `source`), `title`, `author`,
`published` (or `date`, `dct`), and `text` or `html`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from newsweave.ingest._common import human_size, parse_date
from newsweave.ingest.html import read_html
from newsweave.model import Document, Rejected

_OUTLET_FIELDS = ("outlet", "source", "site_name", "sitename", "publisher")
_DATE_FIELDS = ("published", "date", "dct", "pubdate", "published_at")
_TEXT_FIELDS = ("text", "body", "content")


def _first(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            return value
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v)
    return str(value).strip() or None


def _record(record: dict[str, Any], where: str) -> Document | Rejected:
    external_id = _as_text(record.get("id"))
    url = _as_text(record.get("url"))
    outlet = _as_text(_first(record, _OUTLET_FIELDS))
    title = _as_text(record.get("title"))
    author = _as_text(record.get("author") or record.get("authors"))
    published = parse_date(_first(record, _DATE_FIELDS))
    text = _first(record, _TEXT_FIELDS)
    html = record.get("html")
    if not text and html:
        return read_html(
            str(html),
            source=where,
            url=url,
            input_format="jsonl",
            external_id=external_id,
            outlet=outlet,
            title=title,
            author=author,
            published=published,
        )
    if not text and not title:
        return Rejected(source=where, reason="empty", detail="record has no text, html or title")
    return Document(
        source=where,
        input_format="jsonl",
        text=str(text or ""),
        external_id=external_id,
        url=url,
        outlet=outlet,
        title=title,
        author=author,
        published=published,
    )


def _skip_rest_of_line(stream: IO[bytes], chunk: int) -> None:
    while True:
        piece = stream.readline(chunk)
        if not piece or piece.endswith(b"\n"):
            return


def read_jsonl(stream: IO[bytes], *, source: str, max_line_bytes: int) -> Iterator[Document | Rejected]:
    """Yield one document per line; a bad line is rejected on its own and reading goes on."""
    n = 0
    while True:
        raw = stream.readline(max_line_bytes + 1)
        if not raw:
            return
        n += 1
        where = f"{source}#{n}"
        if len(raw) > max_line_bytes and not raw.endswith(b"\n"):
            _skip_rest_of_line(stream, max_line_bytes)
            yield Rejected(
                source=where,
                reason="too_large",
                detail=f"line longer than the {human_size(max_line_bytes)} limit",
            )
            continue
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            yield Rejected(source=where, reason="malformed", detail=f"not valid JSON ({e})")
            continue
        if not isinstance(record, dict):
            yield Rejected(source=where, reason="malformed", detail="line is JSON but not an object")
            continue
        yield _record(record, where)
