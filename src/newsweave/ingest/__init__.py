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
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import IO, Any

from newsweave.ingest._common import binary_kind, human_size, without_surrogates
from newsweave.ingest.feeds import read_feed
from newsweave.ingest.html import read_html
from newsweave.ingest.jsonl import read_jsonl
from newsweave.ingest.text import read_text
from newsweave.ingest.warc import read_warc
from newsweave.model import Document, InputFormat, Rejected

__all__ = ["STDIN", "InputRef", "Limits", "expand_inputs", "read_input", "read_inputs"]

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


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """How much one input may make newsweave do; past a limit the input ends with a message."""

    max_document_bytes: int = 5_000_000
    """One article: a text or HTML file, a JSON Lines line, a WARC page."""
    max_records: int = 1_000_000
    """Articles and rejections read from one file."""
    max_decompressed_bytes: int = 20_000_000_000
    """Bytes a compressed file may expand to."""
    max_rejected_in_a_row: int = 1_000
    """Records rejected one after another before the rest of the file is taken for garbage."""


# A compressed file that expands more than this many times over, past the first 64 MB, is a
# decompression bomb: news text and HTML compress 3 to 20 times.
_MAX_EXPANSION = 100
_EXPANSION_GRACE = 64_000_000


class _TooLarge(Exception):
    """A compressed input expands past its limit."""


class _Capped(io.RawIOBase):
    """The decompressed bytes of `inner`, counted, stopped past `limit` or past `_MAX_EXPANSION`
    times the compressed bytes read from `outer` so far."""

    def __init__(self, inner: IO[bytes], outer: IO[bytes], limit: int) -> None:
        self.inner, self.outer, self.limit, self.total = inner, outer, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        self.total += len(data)
        if self.total > self.limit:
            raise _TooLarge(f"decompresses to more than {human_size(self.limit)}")
        if self.total > _EXPANSION_GRACE:
            try:
                compressed = self.outer.tell()
            except (OSError, ValueError):  # a pipe: only the absolute limit holds
                compressed = 0
            if compressed and self.total > _MAX_EXPANSION * compressed:
                raise _TooLarge(f"expands more than {_MAX_EXPANSION} times over (a decompression bomb)")
        buffer[: len(data)] = data
        return len(data)


@dataclass(frozen=True, slots=True)
class InputRef:
    """One input file, or standard input."""

    path: str
    label: str | None = None
    """What the input is called in the store and in messages, when not its path (an upload
    read from a temporary file is `upload:NAME`, whatever folder it was written to)."""

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
    raw: IO[bytes], source: str, name: str, limits: Limits, compressed: bool = False
) -> Iterator[Document | Rejected]:
    with _peekable(raw) as stream:
        yield from _read_buffered(stream, source, name, limits, compressed)


def _skip_leading_space(stream: io.BufferedReader, limit: int) -> bytes:
    """The first bytes after any leading whitespace (which may run past one peek), consumed up
    to `limit` bytes of it; empty when the input holds nothing else."""
    skipped = 0
    while skipped <= limit:
        head = stream.peek(_HEAD_BYTES)[:_HEAD_BYTES]
        if not head:
            return b""
        blank = len(head) - len(head.lstrip(b" \t\r\n\f\v"))
        if blank < len(head):
            stream.read(blank)
            return stream.peek(_HEAD_BYTES)[:_HEAD_BYTES]
        stream.read(blank)
        skipped += blank
    return b""


def _read_buffered(
    stream: io.BufferedReader,
    source: str,
    name: str,
    limits: Limits,
    compressed: bool,
) -> Iterator[Document | Rejected]:
    max_bytes = limits.max_document_bytes
    head = stream.peek(_HEAD_BYTES)[:_HEAD_BYTES]
    if not head.strip():
        head = _skip_leading_space(stream, max_bytes)
        if not head:
            yield Rejected(source=source, reason="empty", detail="the file is empty or only whitespace")
            return
    if head.startswith(b"\x1f\x8b") and not compressed:
        if _gunzip_head(head).startswith(b"WARC/"):
            yield from read_warc(stream, source=source, max_page_bytes=max_bytes)
        else:
            inner = _Capped(gzip.GzipFile(fileobj=stream), stream, limits.max_decompressed_bytes)  # type: ignore[arg-type]
            yield from _read_stream(inner, source, name.removesuffix(".gz"), limits, compressed=True)  # type: ignore[arg-type]
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


def read_input(ref: InputRef, *, limits: Limits | None = None) -> Iterator[Document | Rejected]:
    """Every document in one input, within `limits`. Whatever the bytes, nothing is raised:
    a broken or unreadable input, or one past a limit, ends with a `Rejected` that says why."""
    limits = limits or Limits()
    source = "<stdin>" if ref.is_stdin else (ref.label or ref.path)
    try:
        if ref.is_stdin:
            yield from _within(_read_stream(sys.stdin.buffer, source, "", limits), source, limits)
            return
        with open(ref.path, "rb") as raw:
            yield from _within(_read_stream(raw, source, ref.path, limits), source, limits)
    except (EOFError, zlib.error, gzip.BadGzipFile) as e:
        yield Rejected(source=source, reason="truncated", detail=f"compressed stream ends early ({e})")
    except _TooLarge as e:
        yield Rejected(source=source, reason="too_large", detail=f"{e}; the rest of the file is skipped")
    except OSError as e:
        yield Rejected(source=source, reason="unreadable", detail=e.strerror or str(e))
    except Exception as e:  # a reader's bug on one hostile input (RecursionError too) must not end the run
        yield Rejected(
            source=source, reason="unreadable", detail=f"the reader failed ({type(e).__name__}: {e})"[:500]
        )


def _within(
    items: Iterator[Document | Rejected], source: str, limits: Limits
) -> Iterator[Document | Rejected]:
    """The input's documents, storable (no unpaired surrogates), until it passes a limit."""
    in_a_row = 0
    for n, item in enumerate(items, start=1):
        if n > limits.max_records:
            yield Rejected(
                source=source,
                reason="too_many_records",
                detail=f"more than {limits.max_records:,} records; the rest of the file is skipped "
                "(raise NEWSWEAVE_MAX_RECORDS_PER_FILE to read them)",
            )
            return
        if isinstance(item, Rejected):
            in_a_row += 1
            yield item
            if in_a_row >= limits.max_rejected_in_a_row:
                yield Rejected(
                    source=source,
                    reason="malformed",
                    detail=f"{in_a_row:,} records in a row rejected; the rest of the file is skipped",
                )
                return
        else:
            in_a_row = 0
            yield _storable(item)


def _storable(doc: Document) -> Document:
    """The document with every unpaired surrogate replaced by U+FFFD, and a note saying so."""
    changes: dict[str, Any] = {}
    replaced = 0
    for f in fields(doc):
        value = getattr(doc, f.name)
        if isinstance(value, str):
            clean, n = without_surrogates(value)
            if n:
                changes[f.name], replaced = clean, replaced + n
        elif isinstance(value, tuple) and f.name != "notes":
            cleaned = [without_surrogates(v) if isinstance(v, str) else (v, 0) for v in value]
            if count := sum(n for _, n in cleaned):
                changes[f.name], replaced = tuple(v for v, _ in cleaned), replaced + count
    if not replaced:
        return doc
    note = f"{replaced} unpaired surrogate code point(s) replaced by U+FFFD"
    return replace(doc, **changes, notes=(*doc.notes, note))


def read_inputs(paths: Iterable[str], *, limits: Limits | None = None) -> Iterator[Document | Rejected]:
    """Every document in every input, in order."""
    for ref in expand_inputs(paths):
        if isinstance(ref, Rejected):
            yield ref
        else:
            yield from read_input(ref, limits=limits)
