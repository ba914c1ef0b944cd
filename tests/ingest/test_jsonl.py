"""JSON Lines: one article per line, read as the shared development data is laid out."""

from __future__ import annotations

import io
import itertools
import json
from datetime import date

import pytest

from newsweave.ingest.jsonl import read_jsonl
from newsweave.model import Document, Rejected
from tests.conftest import FIXTURES, needs_shared


def _read(lines: list[str], max_line_bytes: int = 1_000_000) -> list[Document | Rejected]:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    return list(read_jsonl(io.BytesIO(data), source="in.jsonl", max_line_bytes=max_line_bytes))


def test_fields_map_onto_the_article() -> None:
    record = {
        "id": "r-17",
        "url": "https://example.org/a",
        "source": "Example Times",
        "title": "T",
        "author": ["A. Writer", "B. Writer"],
        "published": "2024-02-29T10:00:00Z",
        "text": "Body text.",
    }
    (doc,) = _read([json.dumps(record)])
    assert isinstance(doc, Document)
    assert (doc.external_id, doc.outlet, doc.author, doc.published) == (
        "r-17",
        "Example Times",
        "A. Writer, B. Writer",
        date(2024, 2, 29),
    )


def test_html_field_is_extracted() -> None:
    html = (FIXTURES / "html" / "metro_transit.html").read_text(encoding="utf-8")
    (doc,) = _read([json.dumps({"id": "p1", "html": html})])
    assert isinstance(doc, Document)
    assert doc.external_id == "p1"
    assert doc.input_format == "jsonl"
    assert "tram network" in doc.text


def test_bad_lines_are_rejected_one_by_one_and_reading_goes_on() -> None:
    lines = [
        json.dumps({"id": "1", "text": "First."}),
        "{not json",
        "[1, 2]",
        json.dumps({"id": "4"}),
        "x" * 500,
        json.dumps({"id": "6", "text": "Last."}),
    ]
    results = _read(lines, max_line_bytes=300)
    assert [r.reason if isinstance(r, Rejected) else "ok" for r in results] == [
        "ok",
        "malformed",
        "malformed",
        "empty",
        "too_large",
        "ok",
    ]
    assert [r.source for r in results if isinstance(r, Rejected)] == [
        "in.jsonl#2",
        "in.jsonl#3",
        "in.jsonl#4",
        "in.jsonl#5",
    ]


def test_headline_only_records_are_kept() -> None:
    (doc,) = _read([json.dumps({"id": "h", "title": "Fed holds rates steady", "text": None})])
    assert isinstance(doc, Document) and doc.title == "Fed holds rates steady" and doc.text == ""


@pytest.mark.parametrize(
    "name",
    [
        "fnc1/train_articles.jsonl",
        "tempeval3/docs.jsonl",
        "polnear/docs.jsonl",
        "ecbplus/docs.jsonl",
        "uci_news/articles.jsonl",
    ],
)
def test_shared_data_files_read_as_they_are(name: str) -> None:
    path = needs_shared("data", name)
    with open(path, "rb") as f:
        head = list(itertools.islice(read_jsonl(f, source=name, max_line_bytes=5_000_000), 50))
    assert head and all(isinstance(d, Document) for d in head)
    with open(path, encoding="utf-8") as f:
        first = json.loads(f.readline())
    assert head[0].external_id == first["id"]  # type: ignore[union-attr]
    if "dct" in first:
        assert head[0].published == date.fromisoformat(first["dct"])  # type: ignore[union-attr]
