"""Output safety: hostile article text and metadata reach every output as visible, inert text.

Two outlets report one council vote. Their outlet, author, url, id, title and text carry what a
hostile page can: terminal escapes (a CSI colour, an OSC title-set, an OSC 8 hyperlink), a C1
CSI, bidi overrides and isolates, zero-width characters, Rich markup and an emoji code. The
articles go through the real ingest, clean, store and analysis; every printed or written
report must hold none of those characters, and must still show the words around them.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import newsweave
import newsweave.cli
from newsweave.cli import app
from newsweave.contract import to_json
from newsweave.document import ExportDocument
from newsweave.report import build_report, render_articles_page, render_document, render_terminal

OSC_TITLE = "\x1b]0;pwned\x07"
RED = "\x1b[31m"
C1_CSI = "\x9b"
RLO = "\u202e"
MARKUP = "[bold]funding[/bold]"

HERALD = {
    "id": f"hh-0311{OSC_TITLE}",
    "url": f"https://harbourherald.example/news/{RLO}gpj.exe\u200b",
    "outlet": f"Harbour Herald{RED}{C1_CSI}2J{RLO}\u200b",
    "author": "Mara Quinn \x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
    "title": f"Council approves {RLO}tidal barrier\u202c {MARKUP} :fire:",
    "published": "2025-03-11",
    "text": (
        f"Corran Bay council voted on Tuesday to spend 12 million pounds on a tidal barrier.{OSC_TITLE} "
        "Work on the barrier is due to begin in May.\n\n"
        f'"We cannot wait for the next flood," said Mayor Ellen Hart. {RLO}The vote passed 9 to 3.\n\n'
        "Critics said the council had not published the full cost of the project [link=https://evil.example]"
        "here[/link]."
    ),
}
WESTSHORE = {
    "id": f"wr-881{RLO}",
    "url": f"https://westshore.example/{RED}barrier",
    "outlet": f"Westshore Radio{C1_CSI}31m\u2067",
    "author": f"\u200bTom Reyes\x7f{OSC_TITLE}",
    "title": f"Tidal barrier {RED}vote{RED} passes in Corran Bay",
    "published": "2025-03-11",
    "text": (
        "Corran Bay council voted on Tuesday to build a tidal barrier costing 12 million pounds. "
        "Construction of the barrier will start in May.\n\n"
        f'Mayor Ellen Hart said: "We cannot wait for the next flood." {RLO}Three councillors voted against.'
    ),
}

# What may never reach a screen or a page: C0 controls but newline and tab, DEL, C1 controls,
# bidi embeddings, overrides, isolates and marks, zero-width characters.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
runner = CliRunner()


def assert_inert(text: str) -> None:
    found = sorted({f"U+{ord(c):04X}" for c in _UNSAFE.findall(text)})
    assert not found, f"unsafe characters in the output: {', '.join(found)}"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ExportDocument]:
    """The two articles ingested and analysed in a real store: its path and its document."""
    folder = tmp_path_factory.mktemp("hostile")
    feed = folder / "wire.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in (HERALD, WESTSHORE)), encoding="utf-8")
    db = folder / "hostile.db"
    with newsweave.open_store(db) as nw:
        report = nw.ingest([feed])
        assert report.added == 2, report
        document = nw.document()
    assert any(OSC_TITLE in (a.external_id or "") for a in document.articles)
    return db, document


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A console wide enough that no table folds a cell, so whole strings can be looked for."""
    monkeypatch.setattr(newsweave.cli, "out", Console(width=400))
    yield


def _cli(db: Path, *args: str) -> str:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.stdout + result.stderr


def _ids(db: Path) -> list[str]:
    return [json.loads(line)["id"] for line in _cli(db, "ls", "--json").splitlines() if line.strip()]


def _story_id(db: Path) -> str:
    line = _cli(db, "stories", "--json").splitlines()[0]
    return str(json.loads(line)["id"])


@pytest.mark.parametrize("command", ["ls", "show", "stories", "story"])
def test_cli_prints_hostile_fields_inert(
    hostile: tuple[Path, ExportDocument], wide: None, command: str
) -> None:
    db, _ = hostile
    args = {
        "ls": ["ls"],
        "show": ["show", _ids(db)[0]],
        "stories": ["stories"],
        "story": ["story", _story_id(db)],
    }[command]
    out = _cli(db, *args)
    assert_inert(out)
    assert "Harbour Herald" in out or "Westshore Radio" in out


def test_cli_show_keeps_every_field_visible(hostile: tuple[Path, ExportDocument], wide: None) -> None:
    db, document = hostile
    herald = next(a for a in document.articles if (a.url or "").startswith("https://harbourherald"))
    out = _cli(db, "show", herald.id)
    assert_inert(out)
    assert r"Harbour Herald\x1b[31m\x9b2J\u202e\u200b" in out  # the outlet, each control shown
    assert r"harbourherald.example/news/\u202egpj.exe\u200b" in out  # the url
    assert r"Mara Quinn \x1b]8;;https://evil.example\x07click" in out  # the author's hyperlink
    assert r"hh-0311\x1b]0;pwned\x07" in out  # the external id
    assert MARKUP in out and ":fire:" in out  # Rich markup and emoji codes shown as typed
    assert "[link=https://evil.example]here[/link]" in out  # in the body too


def test_cli_json_lines_are_inert_and_faithful(hostile: tuple[Path, ExportDocument]) -> None:
    db, document = hostile
    out = _cli(db, "ls", "--json")
    assert_inert(out)
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert {r["outlet"] for r in rows} == {a.outlet for a in document.articles}  # the data unchanged


def test_cli_rejection_line_is_inert(tmp_path: Path) -> None:
    bad = tmp_path / f"wire{OSC_TITLE}{RLO}.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(app, ["--db", str(tmp_path / "empty.db"), "ingest", str(bad)])
    out = result.stdout + result.stderr
    assert_inert(out)
    assert "pwned" in out and "binary" in out


def test_terminal_report_is_inert(hostile: tuple[Path, ExportDocument]) -> None:
    _, document = hostile
    buffer = io.StringIO()
    render_terminal(build_report(document), Console(file=buffer, width=400))
    text = buffer.getvalue()
    assert_inert(text)
    assert r"Harbour Herald\x1b[31m\x9b2J\u202e\u200b" in text
    assert MARKUP in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_written_report_is_inert(hostile: tuple[Path, ExportDocument], fmt: str) -> None:
    _, document = hostile
    text = render_document(document, fmt)  # type: ignore[arg-type]
    assert_inert(text)
    assert "Harbour Herald" in text and "Westshore Radio" in text
    shown = r"\\u202e" if fmt == "md" else r"\u202e"  # Markdown escapes the backslash itself
    assert shown in text


def test_articles_page_is_inert(hostile: tuple[Path, ExportDocument]) -> None:
    _, document = hostile
    page = render_articles_page(document.articles)
    assert_inert(page)
    assert r"Mara Quinn \x1b]8;;https://evil.example\x07click" in page


@pytest.mark.parametrize("fmt", ["terminal", "md", "html"])
def test_report_from_a_hostile_export_is_inert(
    hostile: tuple[Path, ExportDocument], wide: None, tmp_path: Path, fmt: str
) -> None:
    """An export file is input too: article ids in it may hold anything."""
    _, document = hostile
    text = json.dumps(to_json(document), ensure_ascii=False)
    for i, a in enumerate(document.articles):
        text = text.replace(a.id, json.dumps(f"{a.id[:6]}{OSC_TITLE}{RLO}{i}")[1:-1])
    export = tmp_path / "export.json"
    export.write_text(text, encoding="utf-8")
    out = _cli(tmp_path / "unused.db", "report", "--from-export", str(export), "--format", fmt)
    assert_inert(out)
    assert "pwned" in out
