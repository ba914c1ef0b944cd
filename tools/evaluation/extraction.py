"""HTML extraction scored on pages with gold snippets (trafilatura's evaluation set).

A page's `gold_with` snippets must appear in the extracted text and its `gold_without`
snippets must not. Text is compared after NFKC, whitespace collapse and lower-casing, as in the
seeds scorer.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trafilatura

from newsweave.clean import clean_document
from newsweave.ingest.html import read_html
from newsweave.model import Rejected

_SPACE = re.compile(r"\s+")

Extractor = Callable[[str], str]


def normalise(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def load_pages(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Pages from a JSON Lines file (gzip or plain) with `html`, `gold_with`, `gold_without`."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                return
            yield json.loads(line)


def newsweave_text(html: str) -> str:
    """The text newsweave keeps as the article: its title and its clean body."""
    doc = read_html(html, source="page")
    if isinstance(doc, Rejected):
        return ""
    article = clean_document(doc)
    return f"{article.title or ''}\n{article.body}"


def newsweave_body(html: str) -> str:
    """The clean body alone (the title is kept apart, in its own field)."""
    doc = read_html(html, source="page")
    return "" if isinstance(doc, Rejected) else clean_document(doc).body


def trafilatura_text(html: str) -> str:
    """Bare trafilatura with its defaults."""
    return trafilatura.extract(html) or ""


@dataclass(frozen=True, slots=True)
class ExtractionScore:
    with_found: int
    with_total: int
    without_absent: int
    without_total: int

    @property
    def with_share(self) -> float:
        return self.with_found / self.with_total if self.with_total else 0.0

    @property
    def without_share(self) -> float:
        return self.without_absent / self.without_total if self.without_total else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "gold_with_found": round(self.with_share, 4),
            "gold_without_absent": round(self.without_share, 4),
            "gold_with_total": self.with_total,
            "gold_without_total": self.without_total,
        }


def score(pages: Iterable[dict[str, Any]], extractors: dict[str, Extractor]) -> dict[str, ExtractionScore]:
    """Score each extractor on the same pages, in one pass over them."""
    counts = {name: [0, 0, 0, 0] for name in extractors}
    for page in pages:
        with_snippets = [normalise(str(s)) for s in page.get("gold_with") or []]
        without_snippets = [normalise(str(s)) for s in page.get("gold_without") or []]
        for name, extract in extractors.items():
            text = normalise(extract(str(page["html"])))
            c = counts[name]
            c[0] += sum(s in text for s in with_snippets)
            c[1] += len(with_snippets)
            c[2] += sum(s not in text for s in without_snippets)
            c[3] += len(without_snippets)
    return {name: ExtractionScore(*c) for name, c in counts.items()}
