"""Hostile input: each record that once ended a whole `ingest` (or poisoned a store) is now a
counted, named rejection or a stored article, and the run goes on.

Each case here was found by a hostile tester on the code before; each test fails there."""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from newsweave import open_store
from newsweave.cli import app
from newsweave.ingest import InputRef, Limits, read_input
from newsweave.model import Document, Rejected
from newsweave.settings import Settings
from tests.conftest import FIXTURES
from tests.ingest.test_warc import _pages, write_warc

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

_STORY = (
    "The harbour council met on Monday and approved the budget for the coming year after a long "
    "debate about the cost of the new sea wall."
)


def _line(**fields: object) -> str:
    return json.dumps(fields) + "\n"


def _ok_line(n: int) -> str:
    return _line(id=f"ok-{n}", title=f"Council report {n}", text=f"{_STORY} Report {n}.")


def _ingest(
    tmp_path: Path, *files: Path, settings: Settings | None = None
) -> tuple[list[str], list[Rejected]]:
    with open_store(tmp_path / "store.db", settings=settings) as ws:
        report = ws.ingest(files)
        return [a.external_id or a.source for a in ws.articles()], report.rejected


def test_lone_surrogate_in_json_lines_is_stored_as_replacement_character(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    # json.dumps writes "\ud800" as the escape a broken exporter leaves; json.loads gives it back.
    path.write_text(_line(id="s-1", title="Harbour vote", text=_STORY + " \ud800 end.") + _ok_line(2))
    stored, rejected = _ingest(tmp_path, path)
    assert stored == ["s-1", "ok-2"] and rejected == []
    with open_store(tmp_path / "store.db") as ws:
        body = next(a.body for a in ws.articles() if a.external_id == "s-1")
    assert "\ufffd" in body and "\ud800" not in body


@pytest.mark.parametrize(
    ("name", "feed"),
    [
        (
            "zero.rss",
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour News</title><item>'
            f"<title>Council vote</title><description>{_STORY}</description>"
            "<pubDate>0000-00-00</pubDate></item></channel></rss>",
        ),
        (
            "zero.atom",
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Harbour News</title><entry><title>Council vote</title><updated>0000-00-00</updated>"
            f"<content>{_STORY}</content></entry></feed>",
        ),
    ],
)
def test_feed_date_of_year_zero_is_no_date(tmp_path: Path, name: str, feed: str) -> None:
    path = tmp_path / name
    path.write_text(feed)
    (doc,) = read_input(InputRef(str(path)))
    assert isinstance(doc, Document) and doc.published is None and doc.title == "Council vote"


def test_json_nested_a_hundred_thousand_deep_is_one_rejected_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text('{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}\n" + _ok_line(2))
    stored, rejected = _ingest(tmp_path, path)
    assert stored == ["ok-2"]
    assert [(r.source, r.reason, r.detail) for r in rejected] == [
        (f"{path}#1", "malformed", "JSON nested too deeply")
    ]


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"id": "t-1", "title": "T", "text": {"a": 1}}, "text"),
        ({"id": {"x": 1}, "title": "T", "text": _STORY}, "id"),
        ({"id": "t-3", "title": ["a", "b"], "text": _STORY}, "title"),
        ({"id": "t-4", "title": "T", "text": _STORY, "published": {"y": 2024}}, "published"),
        ({"id": "t-5", "title": "T", "html": 12, "text": None}, "html"),
    ],
)
def test_json_field_of_the_wrong_type_is_rejected_naming_it(
    tmp_path: Path, record: dict[str, object], field: str
) -> None:
    path = tmp_path / "types.jsonl"
    path.write_text(json.dumps(record) + "\n")
    (result,) = read_input(InputRef(str(path)))
    assert isinstance(result, Rejected) and result.reason == "malformed"
    assert f'field "{field}"' in result.detail


def test_json_fields_of_the_right_types_are_read(tmp_path: Path) -> None:
    path = tmp_path / "ok.jsonl"
    path.write_text(
        _line(id=7, title="T", text=_STORY, authors=["Ann Lee", "Bo Chan"], published="2024-03-18")
    )
    (doc,) = read_input(InputRef(str(path)))
    assert isinstance(doc, Document)
    assert (doc.external_id, doc.author, str(doc.published)) == ("7", "Ann Lee, Bo Chan", "2024-03-18")


def test_article_past_the_analysed_length_is_rejected_at_ingest(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text((_STORY + "\n\n") * 9_000)  # 1.14 MB, under the 5 MB file limit
    small = tmp_path / "small.txt"
    small.write_text("Council vote\n\n" + _STORY)
    stored, rejected = _ingest(tmp_path, big, small)
    assert len(stored) == 1
    assert [(r.source, r.reason) for r in rejected] == [(str(big), "too_long")]
    assert "NEWSWEAVE_MAX_ARTICLE_CHARS" in rejected[0].detail


def test_a_stored_article_past_what_spacy_reads_is_skipped_not_fatal(tmp_path: Path) -> None:
    """A store that took one in before the ingest limit (or with the limit raised) still
    analyses every other article, every time."""
    roomy = Settings(max_article_chars=2_000_000, max_document_bytes=3_000_000)
    huge = tmp_path / "huge.txt"
    huge.write_text("Long read\n\n" + (_STORY + "\n\n") * 8_000)  # 1.1 million characters
    story = FIXTURES / "text" / "harbour_flood.txt"
    with open_store(tmp_path / "store.db", settings=roomy) as ws:
        ws.ingest([huge, story])
        ws.analyse()
        exported = ws.export()
    by_source = {a["source"]: a for a in exported["articles"]}
    assert set(by_source) == {str(huge), str(story)}
    with sqlite3.connect(tmp_path / "store.db") as conn:
        notes = dict(
            conn.execute("SELECT a.source, n.note FROM stage_notes n JOIN articles a ON a.id = n.article_id")
        )
    assert "past the 1,000,000" in notes[str(huge)]
    analysed = {c["article"] for c in exported["claims"]}
    assert analysed == {by_source[str(story)]["id"]}


def test_a_run_of_broken_lines_ends_the_file_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "garbage.jsonl.gz"
    with gzip.open(path, "wt") as f:
        f.write("{not json\n" * 50_000)
    results = list(read_input(InputRef(str(path)), limits=Limits(max_rejected_in_a_row=1_000)))
    assert len(results) == 1_001
    assert results[-1].source == str(path) and "1,000 records in a row rejected" in results[-1].detail


def test_records_past_the_per_file_limit_are_skipped_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text("".join(_ok_line(n) for n in range(30)))
    results = list(read_input(InputRef(str(path)), limits=Limits(max_records=20)))
    assert sum(isinstance(r, Document) for r in results) == 20
    last = results[-1]
    assert isinstance(last, Rejected) and last.reason == "too_many_records"
    assert "NEWSWEAVE_MAX_RECORDS_PER_FILE" in last.detail


def test_decompression_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl.gz"
    with gzip.open(path, "wt") as f:
        for n in range(20_000):
            f.write(_ok_line(n))
    results = list(read_input(InputRef(str(path)), limits=Limits(max_decompressed_bytes=1_000_000)))
    last = results[-1]
    assert isinstance(last, Rejected) and last.reason == "too_large"
    assert "decompresses to more than 1.0 MB" in last.detail
    assert 0 < sum(isinstance(r, Document) for r in results) < 20_000


def test_gzip_bomb_is_refused_by_its_expansion(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    with gzip.open(path, "wb", compresslevel=9) as f:
        chunk = b"The council met. " * 60_000  # 1 MB that compresses a thousandfold
        for _ in range(80):
            f.write(chunk)
    results = list(read_input(InputRef(str(path)), limits=Limits(max_document_bytes=200_000_000)))
    assert [(r.reason, "decompression bomb" in r.detail) for r in results if isinstance(r, Rejected)] == [
        ("too_large", True)
    ]


def test_article_after_a_long_run_of_whitespace_is_read(tmp_path: Path) -> None:
    path = tmp_path / "padded.txt"
    path.write_text(" " * 70_000 + "\n" * 100 + "Council vote\n\n" + _STORY + "\n")
    (doc,) = read_input(InputRef(str(path)))
    assert isinstance(doc, Document) and _STORY in doc.text


def test_only_whitespace_is_still_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n" * 100_000)
    (result,) = read_input(InputRef(str(path)))
    assert isinstance(result, Rejected) and result.reason == "empty"


def _record_ends(path: Path) -> list[int]:
    """Where each record of a WARC ends, in the file's bytes."""
    ends = []
    with open(path, "rb") as f:
        records = ArchiveIterator(f)
        for record in records:
            record.content_stream().read()
            records.read_to_end(record)
            offset, length = records.member_info
            ends.append(offset + length)
    return ends


@pytest.mark.parametrize("into_next", [1, 10, 200])
def test_warc_cut_inside_a_record_says_so(tmp_path: Path, into_next: int) -> None:
    """Cut a few bytes into the first response: warcio passed the cut member over in silence."""
    pages = [(f"https://metroledger.example/news/{n}", _pages()[0][1]) for n in range(5)]
    full = write_warc(tmp_path / "full.warc.gz", pages)
    first_response_starts = _record_ends(full)[1]  # after the warcinfo and the first request
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(full.read_bytes()[: first_response_starts + into_next])
    results = list(read_input(InputRef(str(cut))))
    assert [r.reason for r in results if isinstance(r, Rejected)] == ["truncated"]
    assert not any(isinstance(r, Document) for r in results)
    assert [type(r) for r in read_input(InputRef(str(full)))] == [Document] * 5


def test_warc_page_with_damaged_bytes_is_rejected_as_corrupt(tmp_path: Path) -> None:
    pages = [(f"https://metroledger.example/news/{n}", _pages()[0][1]) for n in range(3)]
    raw = write_warc(tmp_path / "plain.warc", pages, gzip=False).read_bytes()
    at = raw.index(b"tram network")
    damaged = tmp_path / "damaged.warc"
    damaged.write_bytes(raw[:at] + b"XXXX network" + raw[at + 12 :])
    results = list(read_input(InputRef(str(damaged))))
    assert [getattr(r, "reason", "doc") for r in results] == ["corrupt", "doc", "doc"]
    assert "digest" in results[0].detail and results[0].source == f"{damaged}#1"


def test_a_reader_failure_rejects_its_file_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library bug on one hostile page (simulated here) costs that file, not the command."""
    import newsweave.ingest as ingest

    def broken(*args: object, **kwargs: object) -> object:
        raise IndexError("list index out of range")

    monkeypatch.setattr(ingest, "read_html", broken)
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>" + _STORY + "</p></body></html>")
    text = tmp_path / "story.txt"
    text.write_text("Council vote\n\n" + _STORY)
    stored, rejected = _ingest(tmp_path, page, text)
    assert len(stored) == 1
    assert [(r.source, r.reason) for r in rejected] == [(str(page), "unreadable")]
    assert "IndexError" in rejected[0].detail


def test_ingest_exits_non_zero_when_every_input_was_rejected(tmp_path: Path) -> None:
    empty, garbage = tmp_path / "empty.txt", tmp_path / "garbage.jsonl"
    empty.write_text("")
    garbage.write_text("{broken\n")
    runner = CliRunner()
    db = str(tmp_path / "store.db")
    failed = runner.invoke(app, ["--db", db, "ingest", "-q", str(empty), str(garbage)])
    assert failed.exit_code == 1 and "every input was rejected" in failed.output
    story = tmp_path / "story.txt"
    story.write_text("Council vote\n\n" + _STORY)
    mixed = runner.invoke(app, ["--db", db, "ingest", "-q", str(empty), str(story)])
    assert mixed.exit_code == 0


def test_a_long_file_reports_records_as_it_goes(tmp_path: Path) -> None:
    """A million-record file must not look hung: the ingest tells its caller every 1,000."""
    from newsweave.ingest import expand_inputs
    from newsweave.pipeline import ingest
    from newsweave.store import SQLiteStore

    path = tmp_path / "many.jsonl"
    path.write_text("".join(_ok_line(n) for n in range(2_500)))
    ticks: list[int] = []
    with SQLiteStore(tmp_path / "store.db") as store:
        report = ingest(store, expand_inputs([str(path)]), settings=Settings(), on_records=ticks.append)
    assert ticks == [1_000, 2_000] and report.added == 2_500


def test_an_article_the_store_refuses_costs_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch around an article the store cannot take (here its hashing fails, as a lone
    surrogate once made it) is stored, and that article is a named rejection."""
    import newsweave.store.sqlite as sqlite_store

    real_hash = sqlite_store.content_hash

    def failing(article: object) -> str:
        if "poisoned" in str(getattr(article, "body", "")):
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return real_hash(article)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite_store, "content_hash", failing)
    path = tmp_path / "batch.jsonl"
    lines = [_ok_line(n) for n in range(5)]
    lines.insert(2, _line(id="bad", title="Poison", text=_STORY + " poisoned"))
    path.write_text("".join(lines))
    stored, rejected = _ingest(tmp_path, path)
    assert sorted(stored) == [f"ok-{n}" for n in range(5)]
    assert [(r.source, r.reason) for r in rejected] == [(f"{path}#3", "unreadable")]
    assert "UnicodeEncodeError" in rejected[0].detail
