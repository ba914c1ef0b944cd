"""The command line, through Typer's runner, on the fixture articles."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from tests.conftest import FIXTURES

runner = CliRunner()


def _run(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    code, _, err = _run(
        path, "ingest", str(FIXTURES / "text"), str(FIXTURES / "html"), "--published", "2025-01-15"
    )
    assert code == 0, err
    return path


def test_ingest_reports_each_bad_file_and_a_summary(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    code, _, err = _run(db, "ingest", str(bad), str(FIXTURES / "text"))
    assert code == 0
    assert f"{bad}: binary" in err
    assert "already stored" in err and "skipped: binary" in err
    assert "Traceback" not in err


def test_ls_lists_articles(db: Path) -> None:
    code, out, _ = _run(db, "ls", "--json")
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert code == 0 and len(rows) == 6
    assert {"Harbour Herald", "The Metro Ledger"} <= {r["outlet"] for r in rows}


def test_show_prints_body_captions_and_removed_lines(db: Path) -> None:
    rows = [json.loads(line) for line in _run(db, "ls", "--json")[1].splitlines() if line.strip()]
    harbour = next(r["id"] for r in rows if r["outlet"] == "Harbour Herald")
    code, out, _ = _run(db, "show", harbour[:8])
    assert code == 0
    assert "tidal barrier failed" in out
    assert "caption" in out and "Shopkeepers wade through floodwater" in out
    assert "promo" in out and "Sign up to Morning Briefing" in out


def test_show_unknown_id_is_one_line_and_exit_1(db: Path) -> None:
    code, _, err = _run(db, "show", "0000000000")
    assert code == 1 and err.strip().startswith("error: no article") and len(err.strip().splitlines()) == 1


def test_export_json_follows_the_contract(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    assert _run(db, "export", "--format", "json", "--out", str(out))[0] == 0
    data = json.loads(out.read_text())
    for key in (
        "articles",
        "entities",
        "timexes",
        "quotes",
        "claims",
        "claim_groups",
        "differences",
        "stories",
    ):
        assert isinstance(data[key], list)
    article = data["articles"][0]
    for field in (
        "id",
        "source",
        "external_id",
        "outlet",
        "title",
        "section",
        "published",
        "body",
        "captions",
        "removed",
    ):
        assert field in article
    assert all(a["published"] for a in data["articles"])


def test_export_json_of_unrelated_reports(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    assert _run(db, "export", "--out", str(out))[0] == 0
    data = json.loads(out.read_text())
    # The fixtures are five unrelated English reports and one Spanish one: each English report is
    # a story of its own with claims, the Spanish one is not analysed, and with one outlet per
    # story there is nothing to set side by side.
    english = {a["id"] for a in data["articles"] if a["language"] == "en"}
    assert len(data["articles"]) == 6 and len(english) == 5
    assert sorted(s["articles"] for s in data["stories"]) == sorted([a] for a in english)
    assert {c["article"] for c in data["claims"]} == english
    grouped = [claim for group in data["claim_groups"] for claim in group["claims"]]
    assert sorted(grouped) == sorted(c["id"] for c in data["claims"])  # each claim in one group
    assert all(len(group["outlets"]) == 1 for group in data["claim_groups"])
    assert data["differences"] == []


def test_export_jsonl_and_parquet_write_a_folder_of_tables(db: Path, tmp_path: Path) -> None:
    assert _run(db, "export", "--format", "jsonl", "--out", str(tmp_path / "jsonl"))[0] == 0
    assert len((tmp_path / "jsonl" / "articles.jsonl").read_text().splitlines()) == 6
    assert _run(db, "export", "--format", "parquet", "--out", str(tmp_path / "parquet"))[0] == 0
    table = pq.read_table(tmp_path / "parquet" / "articles.parquet")
    assert table.num_rows == 6 and "removed" in table.column_names
    assert (tmp_path / "parquet" / "claims.parquet").exists()


@pytest.mark.parametrize("args", [["--format", "json"], ["--format", "jsonld", "--story", "1"]])
def test_export_out_dash_is_standard_output(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(db, "export", *args, "--out", "-")
    assert code == 0, err
    data = json.loads(out)
    assert len(data["articles"]) == 6 if "articles" in data else data["@context"] == "https://schema.org"
    assert not (tmp_path / "-").exists() and "wrote" not in err


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_export_tables_to_standard_output_is_an_error(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = _run(db, "export", "--format", fmt, "--out", "-")
    assert code == 1 and "--out DIR" in err and not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    ("args", "start"), [(["--story", "1"], "<!doctype html>"), (["--format", "md"], "# 5 stories")]
)
def test_report_out_dash_is_standard_output(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], start: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(db, "report", "--out", "-", *args)
    assert code == 0, err
    assert out.lstrip().lower().startswith(start.lower())
    assert not (tmp_path / "-").exists() and "wrote" not in err


def test_html_of_several_stories_to_standard_output_asks_for_a_file(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(db, "report", "--out", "-")
    assert code == 1 and "5 stories" in err and "--out FILE.html" in err and not out


def test_unknown_export_format_is_an_error(db: Path) -> None:
    code, _, err = _run(db, "export", "--format", "xml")
    assert code == 1 and "json, jsonl, parquet" in err


def test_report_of_several_stories_writes_an_index_and_one_escaped_page_per_story(
    db: Path, tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    assert _run(db, "report", "--out", str(page))[0] == 0
    index = page.read_text()
    files = sorted(tmp_path.glob("page.story-*.html"))
    assert len(files) == 5 and all(f'href="{f.name}"' in index for f in files)
    pages = {f.name: f.read_text() for f in files}
    flood = [html for html in pages.values() if "Flood barrier fails" in html]
    assert len(flood) == 1 and "<script" not in index.lower()
    sections = ("brief", "timeline", "whos-who", "quotes", "matrix", "differences", "framing", "sources")
    for html in pages.values():
        assert "<script" not in html.lower()
        assert all(f'<section id="{section}">' in html for section in sections)


def test_report_prints_in_the_terminal_without_out(db: Path) -> None:
    code, out, err = _run(db, "report")
    assert code == 0, err
    for heading in ("Brief", "Timeline", "Who's who", "Quote board", "Claims by outlet", "Sources"):
        assert f"\n{heading}\n" in out
    assert "Harbour Herald" in out


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["--out", "r.md"], "# "),
        (["--format", "md", "--out", "r.txt"], "# "),
        (["--out", "r.json"], "{"),
        (["--format", "html", "--out", "r.page"], "<!doctype html>"),
    ],
)
def test_report_format_from_option_or_suffix(db: Path, tmp_path: Path, args: list[str], start: str) -> None:
    args = [a if not a.startswith("r.") else str(tmp_path / a) for a in args]
    code, _, err = _run(db, "report", *args)
    assert code == 0, err
    assert Path(args[-1]).read_text(encoding="utf-8").startswith(start)


def test_report_json_is_the_export_contract(db: Path) -> None:
    code, out, _ = _run(db, "report", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert {"articles", "claims", "claim_groups", "differences", "stories"} <= set(document)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "html, md, json, terminal"),
        (["--format", "terminal", "--out", "x.txt"], "drop --out"),
        (["--story", "no-such-story"], "is not a story"),
    ],
)
def test_report_errors_are_one_line(db: Path, args: list[str], message: str) -> None:
    code, _, err = _run(db, "report", *args)
    assert code == 1 and message in err and "Traceback" not in err


def test_demo_runs_on_a_folder_and_writes_export_and_page(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = runner.invoke(
        app, ["demo", str(FIXTURES / "text"), "--out", str(out), "--published", "2025-01-15"]
    )
    assert result.exit_code == 0, result.stderr
    assert "Harbour" in result.stdout
    assert len(json.loads((out / "export.json").read_text())["articles"]) == 5
    assert (out / "report.html").read_text().startswith("<!doctype html>")
    assert (out / "report.md").read_text().startswith("# ")
    for name in ("export.json", "report.html", "report.md"):
        assert str(out / name) in result.stdout
    # it ends with the story report, its sources last
    tail = result.stdout[result.stdout.index("\nBrief\n") :]
    assert "\nClaims by outlet\n" in tail and "\nSources\n" in tail


def test_db_from_the_environment(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    result = runner.invoke(app, ["ingest", str(FIXTURES / "feeds")], env={"NEWSWEAVE_DB": str(db)})
    assert result.exit_code == 0 and db.exists()


@pytest.mark.parametrize("command", ["ingest", "ls", "show", "analyse", "export", "report", "demo"])
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.stdout


def test_help_needs_no_analysis_library() -> None:
    # `newsweave --help` should answer at once: the command module alone must not pull in the
    # libraries the stages use (each costs up to a second to import).
    heavy = ("numpy", "scipy", "sklearn", "spacy", "torch", "trafilatura", "datasketch", "pyarrow")
    script = f"import sys, newsweave.cli; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_ingest_from_standard_input(tmp_path: Path) -> None:
    text = (FIXTURES / "text" / "wire_port_strike.txt").read_bytes()
    result = runner.invoke(app, ["--db", str(tmp_path / "s.db"), "ingest", "-"], input=text)
    assert result.exit_code == 0, result.stderr
    _, out, _ = _run(tmp_path / "s.db", "ls", "--json")
    (row,) = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert row["outlet"] == "Global Wire Service" and row["source"] == "<stdin>"


def test_analyse_then_show_lists_entities_and_dates(db: Path) -> None:
    code, _, err = _run(db, "analyse")
    assert code == 0 and "language: analysed 6 articles" in err
    rows = [json.loads(line) for line in _run(db, "ls", "--json")[1].splitlines() if line.strip()]
    wire = next(r["id"] for r in rows if r["outlet"] == "Global Wire Service")
    code, out, _ = _run(db, "show", wire)
    assert code == 0 and "entities" in out and "Inês Carvalho" in out
    assert "time expressions" in out and "Oct" in out
