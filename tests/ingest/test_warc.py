"""WARC and WARC.gz: HTML responses become articles; other records are passed over."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsweave.ingest import InputRef, read_input
from newsweave.model import Document, Rejected
from tests.conftest import FIXTURES

# warcio's writer leaves its spooled temporary files to the garbage collector (writing only).
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def write_warc(path: Path, pages: list[tuple[str, bytes]], gzip: bool = True) -> Path:
    """A WARC laid out like CC-NEWS: a warcinfo record, then request/response pairs."""
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsweave-tests"}))
        for url, body in pages:
            request = writer.create_warc_record(
                url,
                "request",
                http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True),
            )
            writer.write_record(request)
            content_type = "text/html; charset=utf-8" if body.lstrip().startswith(b"<") else "image/png"
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )
    return path


def _pages() -> list[tuple[str, bytes]]:
    article = (FIXTURES / "html" / "metro_transit.html").read_bytes()
    index = (FIXTURES / "html" / "index_page.html").read_bytes()
    return [
        ("https://metroledger.example/news/tram", article),
        ("https://metroledger.example/img/logo.png", b"\x89PNG\r\n\x1a\nbinary"),
        ("https://metroledger.example/sections", index),
    ]


def test_gzipped_warc_yields_html_responses(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", _pages())
    results = list(read_input(InputRef(str(path))))
    docs = [r for r in results if isinstance(r, Document)]
    assert [d.url for d in docs] == ["https://metroledger.example/news/tram"]
    assert docs[0].input_format == "warc" and "tram network" in docs[0].text
    assert [(r.reason) for r in results if isinstance(r, Rejected)] == ["no_article"]


def test_plain_warc_without_extension_is_sniffed(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.bin", _pages()[:1], gzip=False)
    (doc,) = read_input(InputRef(str(path)))
    assert isinstance(doc, Document)


def test_truncated_warc_keeps_what_was_read_and_says_so(tmp_path: Path) -> None:
    pages = _pages()[:1] * 3
    full = write_warc(tmp_path / "full.warc.gz", pages).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(full[: int(len(full) * 0.8)])
    results = list(read_input(InputRef(str(cut))))
    assert sum(isinstance(r, Document) for r in results) == 2
    last = results[-1]
    assert isinstance(last, Rejected) and last.reason == "truncated" and "cut.warc.gz" in last.message()
