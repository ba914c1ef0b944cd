"""Helpers shared by the readers: decoding bytes, telling binary from text, parsing dates."""

from __future__ import annotations

import codecs
import re
import time
from datetime import date, datetime
from typing import Any

import charset_normalizer
from dateutil import parser as _dateparser

from newsweave.model import Rejected

# Signatures of common binary formats, so the message can say what the file looks like.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3", "an SQLite database"),
    (b"\x28\xb5\x2f\xfd", "a Zstandard archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"RIFF", "a RIFF media file"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_MAX_CONTROL_SHARE = 0.01


def binary_kind(head: bytes) -> str | None:
    """Say what binary format `head` (the first bytes of a file) looks like, or None if text."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    sample = head[:8192]
    if b"\x00" in sample:
        return "binary data (NUL bytes)"
    return None


# Letters and punctuation of Western European text; other scripts decoded as cp1252 show
# long runs of these instead of a sprinkle.
_WESTERN = set("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœŒšŠžŽŸ€‘’“”„–—…•°£¥©®«»·¡¿ªº§¶")
_MAX_WESTERN_SHARE = 0.15


def _as_western(data: bytes) -> str | None:
    """The text as cp1252 (the web's usual legacy encoding) when it reads as Western text."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    non_ascii = [c for c in text if ord(c) > 127]
    letters = sum(c.isalpha() for c in text)
    if not non_ascii or not letters:
        return None
    plausible = sum(c in _WESTERN for c in non_ascii) / len(non_ascii)
    return text if plausible >= 0.9 and len(non_ascii) / letters <= _MAX_WESTERN_SHARE else None


def decode_text(data: bytes, source: str) -> tuple[str, str | None] | Rejected:
    """Decode bytes as text: a BOM, else UTF-8, else the most likely legacy encoding.

    Returns the text and a note when it was not UTF-8, or `Rejected` when no encoding gives
    readable text.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as e:
                return Rejected(source=source, reason="encoding", detail=f"invalid {encoding}: {e.reason}")
    try:
        text, note = data.decode("utf-8"), None
    except UnicodeDecodeError:
        if (western := _as_western(data)) is not None:
            return western, "not valid UTF-8; decoded as cp1252"
        best = charset_normalizer.from_bytes(data[:200_000]).best()
        if best is None or best.encoding is None:
            return Rejected(
                source=source,
                reason="encoding",
                detail="not UTF-8 and no other text encoding fits; convert it to UTF-8",
            )
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            return Rejected(source=source, reason="encoding", detail=f"cannot decode as {best.encoding}")
        note = f"not valid UTF-8; decoded as {best.encoding}"
    if text and len(_CONTROL.findall(text[:100_000])) / min(len(text), 100_000) > _MAX_CONTROL_SHARE:
        return Rejected(source=source, reason="encoding", detail="decoded text is full of control characters")
    return text, note


# Publication dates outside these years are typing errors or placeholders ("0000-00-00").
_FIRST_YEAR, _LAST_YEAR = 1800, 2200


def parse_date(value: Any) -> date | None:
    """A publication date from whatever a source gives: date, datetime, struct_time or string;
    None for anything that is not a plausible calendar date (never an exception)."""
    try:
        found = _as_date(value)
    except (ValueError, OverflowError, TypeError):
        return None
    return found if found is not None and _FIRST_YEAR <= found.year <= _LAST_YEAR else None


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, time.struct_time):
        # feedparser gives year -1 or 0 for "0000-00-00": date() refuses it, parse_date catches.
        return date(value.tm_year, value.tm_mon, value.tm_mday)
    text = str(value).strip()
    if not text or len(text) > 100:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    parsed = _dateparser.parse(text, default=datetime(1, 1, 1), ignoretz=True)
    # A string without a year (parsed.year == 1) is not a publication date.
    return parsed.date() if parsed.year > 1 else None


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def without_surrogates(text: str) -> tuple[str, int]:
    """The text with each unpaired surrogate (JSON's "\\ud800", which no UTF-8 can store)
    replaced by U+FFFD, and how many there were."""
    return _SURROGATE.subn("\ufffd", text)


def human_size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"
