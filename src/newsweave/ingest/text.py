"""Plain-text articles: one file, one article. Structure (title, captions…) is read by `clean`."""

from __future__ import annotations

from newsweave.ingest._common import decode_text
from newsweave.model import Document, Rejected


def read_text(data: bytes, *, source: str) -> Document | Rejected:
    """Decode a plain-text article; what its lines mean is the cleaner's job."""
    decoded = decode_text(data, source)
    if isinstance(decoded, Rejected):
        return decoded
    text, note = decoded
    if not text.strip():
        return Rejected(source=source, reason="empty", detail="only whitespace")
    return Document(source=source, input_format="text", text=text, notes=(note,) if note else ())
