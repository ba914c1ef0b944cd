"""WARC and WARC.gz files (warcio): each HTML response record is one page, as in CC-NEWS."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

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
    """Yield one document per HTML response; other records (requests, metadata…) are passed over."""
    pages = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or not _is_html_page(record):
                continue
            pages += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{source}#{pages}"
            payload = record.content_stream().read(max_page_bytes + 1)
            if getattr(record.raw_stream, "limit", 0) > 0 and len(payload) <= max_page_bytes:
                # The record promised more bytes than the file holds: the WARC was cut here.
                yield Rejected(
                    source=source,
                    reason="truncated",
                    detail=f"WARC ends inside record {pages} ({url}); kept the {pages - 1} page(s) before it",
                )
                return
            if len(payload) > max_page_bytes:
                yield Rejected(
                    source=where,
                    reason="too_large",
                    detail=f"{url}: page larger than the {human_size(max_page_bytes)} limit",
                )
                continue
            yield read_html(payload, source=where, url=url, input_format="warc")
    except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as e:
        yield Rejected(
            source=source,
            reason="truncated",
            detail=f"WARC stream broken after {pages} page(s): {e}".strip(),
        )
