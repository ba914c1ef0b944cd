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


class _WrongType(ValueError):
    """A field holds a value of a type it cannot have ("text": {"a": 1})."""


def _first(record: dict[str, Any], names: tuple[str, ...]) -> tuple[str, Any]:
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            return name, value
    return names[0], None


def _string(name: str, value: Any, *, lists: bool = False, numbers: bool = False) -> str | None:
    """A field's text: a string; a number where an id may be one; a list of strings where a
    field may name several (authors). Anything else is refused, naming the field: a body that
    is an object is a broken export, not text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if numbers and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if lists and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(v.strip() for v in value if v.strip()) or None
    expected = "a string" + (" or a number" if numbers else "") + (" or a list of strings" if lists else "")
    raise _WrongType(f'field "{name}" is {type(value).__name__}, not {expected}')


def _record(record: dict[str, Any], where: str) -> Document | Rejected:
    try:
        return _document(record, where)
    except _WrongType as e:
        return Rejected(source=where, reason="malformed", detail=str(e))


def _document(record: dict[str, Any], where: str) -> Document | Rejected:
    external_id = _string("id", record.get("id"), numbers=True)
    url = _string("url", record.get("url"))
    outlet = _string(*_first(record, _OUTLET_FIELDS))
    title = _string("title", record.get("title"))
    author = _string(*_first(record, ("author", "authors")), lists=True)
    date_field, date_value = _first(record, _DATE_FIELDS)
    published = parse_date(_string(date_field, date_value, numbers=True))
    text = _string(*_first(record, _TEXT_FIELDS))
    html = _string("html", record.get("html"))
    if not text and html:
        return read_html(
            html,
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
        text=text or "",
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
        except RecursionError:
            # The C parser recurses once per level: a line of 100,000 "[" runs out of stack.
            yield Rejected(source=where, reason="malformed", detail="JSON nested too deeply")
            continue
        if not isinstance(record, dict):
            yield Rejected(source=where, reason="malformed", detail="line is JSON but not an object")
            continue
        yield _record(record, where)
