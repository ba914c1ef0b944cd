"""WARC and WARC.gz files (warcio): each HTML response record is one page, as in CC-NEWS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator

from newsweave.ingest._common import human_size
from newsweave.ingest.html import read_html
from newsweave.model import Document, Rejected

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _is_html_page(record: object) -> bool:
    http = getattr(record, "http_headers", None)
    if http is None:
        return False
    status = http.get_statuscode()
    content_type = (http.get_header("Content-Type") or "").lower()
    return status == "200" and content_type.startswith(_HTML_TYPES)


def read_warc(stream: IO[bytes], *, source: str, max_page_bytes: int) -> Iterator[Document | Rejected]:
    """Yield one document per HTML response; other records (requests, metadata…) are passed over.

    A page whose bytes do not match the digest the crawler recorded is rejected as corrupt, and a
    file that ends inside a record says so after the pages before it."""
    pages = done = 0  # pages met; pages read to their end
    counted = _Counted(stream)
    records = ArchiveIterator(counted, check_digests=True)
    last = None
    try:
        for record in records:
            last = record
            if record.rec_type != "response" or not _is_html_page(record):
                continue
            pages += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{source}#{pages}"
            payload = record.content_stream().read(max_page_bytes + 1)
            if getattr(record.raw_stream, "limit", 0) > 0 and len(payload) <= max_page_bytes:
                break  # the record promised more bytes than the file holds: the WARC was cut here
            done += 1
            if len(payload) > max_page_bytes:
                yield Rejected(
                    source=where,
                    reason="too_large",
                    detail=f"{url}: page larger than the {human_size(max_page_bytes)} limit",
                )
                continue
            if record.digest_checker.passed is False:
                yield Rejected(
                    source=where,
                    reason="corrupt",
                    detail=f"{url}: the page's bytes do not match the digest the crawler recorded",
                )
                continue
            yield read_html(payload, source=where, url=url, input_format="warc")
    except Exception as e:  # warcio fails in many ways on a cut or damaged file
        yield Rejected(
            source=source,
            reason="truncated",
            detail=f"WARC broken after {done} page(s) ({type(e).__name__}: {e}); read the pages before it",
        )
        return
    if _cut_short(records, last, counted):
        yield Rejected(
            source=source,
            reason="truncated",
            detail=f"WARC ends inside a record; read the {done} page(s) before it",
        )


def _cut_short(records: ArchiveIterator, last: object, read: _Counted) -> bool:
    """Whether the file ended inside a record: bytes past the end of the last whole record (a
    gzip member cut short, which warcio passes over in silence), or a record holding fewer bytes
    than its header promised."""
    if last is not None and getattr(getattr(last, "raw_stream", None), "limit", 0) > 0:
        return True
    offset, length = records.member_info or (0, 0)
    after = read.total - (offset + length)
    # Blank lines after the last record of a plain WARC are not a cut; any other byte is.
    return after > 0 and (after > len(read.tail) or bool(read.tail[-after:].strip()))


class _Counted:
    """A byte stream that counts what is read from it (warcio reads a WARC through to its end)
    and keeps the last bytes."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner, self.total, self.tail = inner, 0, b""

    def _seen(self, data: bytes) -> bytes:
        self.total += len(data)
        self.tail = (self.tail + data)[-64:]
        return data

    def read(self, size: int = -1) -> bytes:
        return self._seen(self.inner.read(size))

    def readline(self, size: int = -1) -> bytes:
        return self._seen(self.inner.readline(size))

    def tell(self) -> int:
        return self.total
