"""Readers: turn files, directories, globs or standard input into `Document`s.

The format of each input is sniffed from its first bytes (the extension only breaks ties), so
a `.txt` that is really HTML, or a WARC without `.warc` in its name, is still read right. Bad
input becomes a `Rejected` value with the file and the reason; nothing here raises for it.
"""

from __future__ import annotations

import glob
import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from newsweave.ingest._common import binary_kind, human_size
from newsweave.ingest.feeds import read_feed
from newsweave.ingest.html import read_html
from newsweave.ingest.jsonl import read_jsonl
from newsweave.ingest.text import read_text
from newsweave.ingest.warc import read_warc
from newsweave.model import Document, InputFormat, Rejected

__all__ = ["STDIN", "InputRef", "expand_inputs", "read_input", "read_inputs"]

STDIN = "-"
_HEAD_BYTES = 65_536
_GLOB_CHARS = set("*?[")
_EXTENSION_HINTS: dict[str, InputFormat] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
}


@dataclass(frozen=True, slots=True)
class InputRef:
    """One input file, or standard input."""

    path: str

    @property
    def is_stdin(self) -> bool:
        return self.path == STDIN


def _walk(directory: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root, name)


def expand_inputs(paths: Iterable[str]) -> Iterator[InputRef | Rejected]:
    """Each file named, found under a directory, or matched by a glob; `-` is standard input."""
    for raw in paths:
        if raw == STDIN:
            yield InputRef(STDIN)
            continue
        path = Path(raw)
        if path.is_dir():
            yield from (InputRef(str(p)) for p in _walk(path))
        elif path.exists():
            yield InputRef(str(path))
        elif _GLOB_CHARS & set(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield Rejected(source=raw, reason="unreadable", detail="the pattern matches no file")
            for match in matches:
                yield from expand_inputs([match])
        else:
            yield Rejected(source=raw, reason="unreadable", detail="no such file or directory")


def _sniff(head: bytes, name: str) -> InputFormat | str:
    """The input format from the first bytes; a string describes a binary file instead."""
    if head.startswith(b"WARC/"):
        return "warc"
    if kind := binary_kind(head):
        return kind
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048].lower()
    hint = next((f for ext, f in _EXTENSION_HINTS.items() if name.lower().endswith(ext)), None)
    if start.startswith(b"{") and hint in (None, "jsonl", "text"):
        return "jsonl"
    if (start.startswith(b"<?xml") or start.startswith(b"<rss") or start.startswith(b"<feed")) and (
        b"<rss" in start or b"<feed" in start or b"<rdf:rdf" in start
    ):
        return "feed"
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in start or b"<head" in start:
        return "html"
    return hint if hint in ("feed", "html") and start.startswith(b"<") else "text"


@contextmanager
def _peekable(stream: IO[bytes]) -> Iterator[io.BufferedReader[Any]]:
    """A reader whose `peek` shows the first bytes; the wrapper is detached, never closing `stream`."""
    wrapper = io.BufferedReader(stream, buffer_size=_HEAD_BYTES)  # type: ignore[type-var]
    try:
        yield wrapper
    finally:
        if not wrapper.closed:
            wrapper.detach()


def _read_capped(stream: IO[bytes], source: str, limit: int) -> bytes | Rejected:
    data = stream.read(limit + 1)
    if len(data) > limit:
        return Rejected(
            source=source,
            reason="too_large",
            detail=f"larger than the {human_size(limit)} limit for one article "
            "(raise NEWSWEAVE_MAX_DOCUMENT_BYTES to read it)",
        )
    return data


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(wbits=31).decompress(head, 64)
    except zlib.error:
        return b""


def _read_stream(
    raw: IO[bytes], source: str, name: str, max_bytes: int, compressed: bool = False
) -> Iterator[Document | Rejected]:
    with _peekable(raw) as stream:
        yield from _read_buffered(stream, source, name, max_bytes, compressed)


def _read_buffered(
    stream: io.BufferedReader,
    source: str,
    name: str,
    max_bytes: int,
    compressed: bool,
) -> Iterator[Document | Rejected]:
    head = stream.peek(_HEAD_BYTES)[:_HEAD_BYTES]
    if not head.strip():
        yield Rejected(source=source, reason="empty", detail="the file is empty")
        return
    if head.startswith(b"\x1f\x8b") and not compressed:
        if _gunzip_head(head).startswith(b"WARC/"):
            yield from read_warc(stream, source=source, max_page_bytes=max_bytes)
        else:
            inner = gzip.GzipFile(fileobj=stream)
            yield from _read_stream(inner, source, name.removesuffix(".gz"), max_bytes, compressed=True)  # type: ignore[arg-type]
        return
    fmt = _sniff(head, name)
    if fmt == "warc":
        yield from read_warc(stream, source=source, max_page_bytes=max_bytes)
    elif fmt == "jsonl":
        yield from read_jsonl(stream, source=source, max_line_bytes=max_bytes)
    elif fmt in ("feed", "html", "text"):
        data = _read_capped(stream, source, max_bytes)
        if isinstance(data, Rejected):
            yield data
        elif fmt == "feed":
            yield from read_feed(data, source=source)
        elif fmt == "html":
            yield read_html(data, source=source)
        else:
            yield read_text(data, source=source)
    else:
        yield Rejected(source=source, reason="binary", detail=f"looks like {fmt}, not an article")


def read_input(ref: InputRef, *, max_document_bytes: int) -> Iterator[Document | Rejected]:
    """Every document in one input; a broken or unreadable input ends as one `Rejected`."""
    source = "<stdin>" if ref.is_stdin else ref.path
    try:
        if ref.is_stdin:
            yield from _read_stream(sys.stdin.buffer, source, "", max_document_bytes)
            return
        with open(ref.path, "rb") as raw:
            yield from _read_stream(raw, source, ref.path, max_document_bytes)
    except (EOFError, zlib.error, gzip.BadGzipFile) as e:
        yield Rejected(source=source, reason="truncated", detail=f"compressed stream ends early ({e})")
    except OSError as e:
        yield Rejected(source=source, reason="unreadable", detail=e.strerror or str(e))


def read_inputs(paths: Iterable[str], *, max_document_bytes: int) -> Iterator[Document | Rejected]:
    """Every document in every input, in order."""
    for ref in expand_inputs(paths):
        if isinstance(ref, Rejected):
            yield ref
        else:
            yield from read_input(ref, max_document_bytes=max_document_bytes)
