"""Property tests: whatever bytes come in, every reader yields articles or named rejections and
never raises, and what it yields can be stored.

Bounded for CI (the `ci` profile, the default); `HYPOTHESIS_PROFILE=long` runs the longer search
documented in docs/reliability.md (`NEWSWEAVE_FUZZ_EXAMPLES` examples a test, 4,000 by default)."""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsweave import open_store
from newsweave.ingest import InputRef, Limits, read_input
from newsweave.model import Document, Rejected

# warcio's writer leaves its spooled temporary files to the garbage collector (writing only).
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("NEWSWEAVE_FUZZ_EXAMPLES", "4000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_LIMITS = Limits(max_document_bytes=200_000, max_records=500, max_rejected_in_a_row=200)

# Text that exercises decoding: any code point (lone surrogates included), control characters,
# quotes, bidi controls, markup.
_ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec=None, exclude_categories=()),
        st.sampled_from(["<", ">", "&", '"', "\u202e", "\x1b", "\x00", "\ud800", "\n", " "]),
    ),
    max_size=300,
)


@contextmanager
def _file(name: str, data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, name)
        path.write_bytes(data)
        yield path


def _storable(item: Document | Rejected) -> None:
    """A document's strings can be written as UTF-8 (the store's encoding); a rejection names
    its source and a reason."""
    if isinstance(item, Rejected):
        assert item.source and item.reason and item.detail
        return
    for value in (item.text, item.html, item.title, item.author, item.outlet, item.url, item.external_id):
        if value is not None:
            value.encode("utf-8")


def _read_all(path: Path) -> list[Document | Rejected]:
    results = list(read_input(InputRef(str(path)), limits=_LIMITS))
    for item in results:
        _storable(item)
    return results


@given(
    data=st.binary(max_size=4_000),
    name=st.sampled_from(["a.txt", "a.html", "a.jsonl", "a.rss", "a.warc", "a"]),
)
def test_any_bytes_under_any_name(data: bytes, name: str) -> None:
    with _file(name, data) as path:
        assert _read_all(path)  # at least one result: an article or a rejection saying why


@given(data=st.binary(max_size=4_000))
def test_any_bytes_gzipped(data: bytes) -> None:
    with _file("a.jsonl.gz", gzip.compress(data)) as path:
        _read_all(path)


@given(text=_ANY_TEXT, encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]))
def test_plain_text_in_any_encoding(text: str, encoding: str) -> None:
    data = text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")
    with _file("a.txt", data) as path:
        (result,) = _read_all(path)
        assert isinstance(result, Document | Rejected)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | _ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_ANY_TEXT, inner, max_size=4),
    max_leaves=20,
)
_FIELDS = [
    "id",
    "url",
    "outlet",
    "source",
    "title",
    "author",
    "authors",
    "published",
    "date",
    "text",
    "body",
    "html",
]


@given(records=st.lists(st.dictionaries(st.sampled_from(_FIELDS), _JSON, max_size=8), min_size=1, max_size=8))
def test_json_lines_of_any_shape(records: list[dict[str, object]]) -> None:
    lines = "".join(json.dumps(r) + "\n" for r in records)
    with _file("a.jsonl", lines.encode("utf-8", errors="surrogatepass")) as path:
        results = _read_all(path)
        # One result a record: each line is read or rejected on its own.
        assert len(results) == len(records)


_DATES = st.one_of(
    st.sampled_from(["0000-00-00", "9999-99-99", "", "yesterday", "Tue, 31 Feb 2023 25:61:00 GMT", "-1"]),
    st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S GMT")),
    _ANY_TEXT,
)


def _xml(text: str) -> str:
    return "".join(c for c in text if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd"))


@given(
    title=_ANY_TEXT,
    body=_ANY_TEXT,
    date=_DATES,
    atom=st.booleans(),
)
def test_feeds_with_any_fields(title: str, body: str, date: str, atom: bool) -> None:
    esc = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    t, b, d = ("".join(esc.get(c, c) for c in _xml(x)) for x in (title, body, date))
    if atom:
        feed = (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Feed</title>'
            f"<entry><title>{t}</title><updated>{d}</updated><content>{b}</content></entry></feed>"
        )
    else:
        feed = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>'
            f"<item><title>{t}</title><pubDate>{d}</pubDate><description>{b}</description></item></channel></rss>"
        )
    with _file("a.rss", feed.encode("utf-8")) as path:
        _read_all(path)


_TAGS = st.sampled_from(
    ["p", "div", "script", "style", "article", "h1", "figure", "figcaption", "a", "svg", "iframe"]
)


@given(
    parts=st.lists(st.tuples(_TAGS, _ANY_TEXT), max_size=12),
    charset=st.sampled_from(["utf-8", "latin-1", "x-bogus"]),
)
def test_html_of_any_structure(parts: list[tuple[str, str]], charset: str) -> None:
    body = "".join(f"<{tag} onload='x()'>{text}</{tag}>" for tag, text in parts)
    page = f'<html><head><meta charset="{charset}"><title>t</title></head><body>{body}</body></html>'
    with _file("a.html", page.encode("utf-8", errors="surrogatepass")) as path:
        (result,) = _read_all(path)
        assert isinstance(result, Document | Rejected)


def _warc(pages: list[bytes], gzipped: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    for n, body in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://x.example/{n}", "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    return out.getvalue()


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(
    pages=st.lists(st.binary(max_size=600), min_size=1, max_size=4),
    gzipped=st.booleans(),
    cut=st.floats(min_value=0.0, max_value=1.0),
    flip=st.integers(min_value=0, max_value=10_000),
)
def test_warc_cut_or_damaged_anywhere(pages: list[bytes], gzipped: bool, cut: float, flip: int) -> None:
    data = bytearray(_warc(pages, gzipped))
    data = data[: max(1, int(len(data) * cut))] if cut < 1 else data
    if flip < len(data):
        data[flip] ^= 0xFF
    with _file("a.warc.gz" if gzipped else "a.warc", bytes(data)) as path:
        _read_all(path)


@settings(max_examples=15)
@given(records=st.lists(st.dictionaries(st.sampled_from(_FIELDS), _JSON, max_size=8), min_size=1, max_size=6))
def test_python_api_ingest_keeps_every_record_accounted_for(records: list[dict[str, object]]) -> None:
    """Through the Python API into a real store: nothing raises, each record is stored or
    rejected, and a second ingest of the same file adds nothing."""
    lines = "".join(json.dumps(r) + "\n" for r in records).encode("utf-8", errors="surrogatepass")
    with _file("a.jsonl", lines) as path, open_store(path.with_suffix(".db")) as ws:
        first = ws.ingest([path])
        assert first.added + first.unchanged + first.new_versions + len(first.rejected) == len(records)
        again = ws.ingest([path])
        assert again.added == 0 and again.new_versions == 0
        assert ws.store.count() == first.added
