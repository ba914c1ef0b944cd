"""Finding inputs and sniffing their format; every kind of bad input is reported and skipped."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsweave.ingest import InputRef, Limits, expand_inputs, read_input, read_inputs
from newsweave.model import Document, Rejected
from tests.conftest import FIXTURES

LIMIT = 1_000_000
ARTICLE = (FIXTURES / "text" / "harbour_flood.txt").read_bytes()


def _read(path: Path) -> list[Document | Rejected]:
    return list(read_input(InputRef(str(path)), limits=Limits(max_document_bytes=LIMIT)))


def _only_rejection(path: Path) -> Rejected:
    (result,) = _read(path)
    assert isinstance(result, Rejected), result
    assert str(path) in result.message()
    return result


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("photo.jpg.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 10, "binary"),
        ("blob.dat", bytes(range(256)) * 40, "binary"),
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "binary"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \n\n\t \n", "empty"),
        (
            "control.txt",
            b"Some text\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e\x0f\x10\x11" * 50,
            "encoding",
        ),
    ],
)
def test_bad_files_are_rejected_with_the_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert _only_rejection(path).reason == reason


def test_ten_megabyte_single_line_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "one_line.txt"
    path.write_bytes(b"word " * 2_000_000)
    rejected = _only_rejection(path)
    assert rejected.reason == "too_large" and "MB" in rejected.detail


def test_truncated_gzip_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": str(i), "text": f"Article number {i} says something. " * 40}) for i in range(200)
    ]
    data = gzip.compress("\n".join(lines).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    results = _read(path)
    assert 0 < sum(isinstance(r, Document) for r in results) < 200
    assert isinstance(results[-1], Rejected) and results[-1].reason == "truncated"


def test_legacy_encoding_is_decoded_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    text = (
        "Café owners in Málaga protest\n\nThe café owners of Málaga protested on Monday against a new "
        "tax on terraces, saying it would cost them €1,200 a year."
    )
    path.write_bytes(text.encode("cp1252"))
    (doc,) = _read(path)
    assert isinstance(doc, Document)
    assert "Málaga" in doc.text and "€1,200" in doc.text
    assert doc.notes and "not valid UTF-8" in doc.notes[0]


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes(ARTICLE.decode().encode("utf-16"))
    (doc,) = _read(path)
    assert isinstance(doc, Document) and "tidal barrier" in doc.text


def test_html_in_a_txt_file_is_sniffed_as_html(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes((FIXTURES / "html" / "metro_transit.html").read_bytes())
    (doc,) = _read(path)
    assert isinstance(doc, Document) and doc.input_format == "html"


def test_feed_and_jsonl_are_sniffed_without_extensions(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.write_bytes((FIXTURES / "feeds" / "science_desk.atom").read_bytes())
    jsonl = tmp_path / "records"
    jsonl.write_text(json.dumps({"id": "1", "text": "A line of text."}) + "\n")
    assert _read(feed)[0].input_format == "feed"  # type: ignore[union-attr]
    assert _read(jsonl)[0].input_format == "jsonl"  # type: ignore[union-attr]


def test_missing_path_and_empty_glob_are_reported(tmp_path: Path) -> None:
    results = list(expand_inputs([str(tmp_path / "nope.txt"), str(tmp_path / "*.none")]))
    assert [(r.reason, r.detail) for r in results if isinstance(r, Rejected)] == [
        ("unreadable", "no such file or directory"),
        ("unreadable", "the pattern matches no file"),
    ]


def test_directory_is_walked_in_order_skipping_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for rel in ("b/2.txt", "a.txt", ".hidden.txt", ".git/x.txt"):
        (tmp_path / rel).write_bytes(ARTICLE)
    refs = [r.path for r in expand_inputs([str(tmp_path)]) if isinstance(r, InputRef)]
    assert refs == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "2.txt")]


def test_directory_of_thousands_of_mixed_files(tmp_path: Path) -> None:
    for i in range(2_000):
        path = tmp_path / f"{i:05d}.txt"
        if i % 100 == 7:
            path.write_bytes(b"")
        elif i % 100 == 9:
            path.write_bytes(b"\x00\x01binary" * 100)
        else:
            path.write_bytes(ARTICLE.replace(b"212", str(i).encode()))
    results = list(read_inputs([str(tmp_path)], limits=Limits(max_document_bytes=LIMIT)))
    rejected = [r for r in results if isinstance(r, Rejected)]
    assert len(results) == 2_000
    assert sorted({r.reason for r in rejected}) == ["binary", "empty"] and len(rejected) == 40


def test_cyrillic_legacy_encoding_is_not_taken_for_western(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.txt"
    text = (
        "Москва объявила о новых мерах\n\nПравительство в понедельник объявило о новых мерах "
        "по поддержке экономики и малого бизнеса."
    )
    path.write_bytes(text.encode("cp1251"))
    (doc,) = _read(path)
    assert isinstance(doc, Document) and "Правительство" in doc.text
