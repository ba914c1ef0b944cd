"""The `newsweave` command. Each command is a thin wrapper over the Python API."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, ParamSpec

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsweave import __version__
from newsweave.errors import ConfigError, NewsweaveError
from newsweave.export import ExportFormat, write_json, write_jsonl, write_parquet
from newsweave.ingest import InputRef, expand_inputs
from newsweave.model import Article, IngestReport, Rejected
from newsweave.nlp.stage import VERSION as LANGUAGE_VERSION
from newsweave.pipeline import ingest as run_ingest
from newsweave.report.render import render_articles_page
from newsweave.settings import load_settings
from newsweave.workspace import Workspace

P = ParamSpec("P")
app = typer.Typer(
    name="newsweave",
    help="Turn many news articles into one verified story. Start with `newsweave demo`.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="NEWSWEAVE_DB",
        help="SQLite database file (default: newsweave.db).",
        show_default=False,
    ),
]


def _reports_errors(command: Callable[P, None]) -> Callable[P, None]:
    """Turn a newsweave error into one line on stderr and exit code 1 (no traceback)."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except NewsweaveError as e:
            err.print(f"[red]error:[/] {escape(str(e))}", soft_wrap=True)
            raise typer.Exit(1) from e

    return run


_COLUMNS = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())


class _State:
    db: Path | None = None


def _version(value: bool) -> None:
    if value:
        out.print(f"newsweave {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    db: DbOption = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    _State.db = db


@contextmanager
def _workspace() -> Iterator[Workspace]:
    with Workspace(_State.db, settings=load_settings()) as ws:
        yield ws


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise ConfigError(f"--published {value!r} is not a date; write it as YYYY-MM-DD") from e


def _print_summary(report: IngestReport) -> None:
    table = Table(title="Ingest summary", show_header=False, title_justify="left")
    table.add_row("ingested", str(report.added))
    table.add_row("new versions", str(report.new_versions))
    table.add_row("already stored", str(report.unchanged))
    for reason, n in report.skipped_by_reason.items():
        table.add_row(f"skipped: {reason}", str(n), style="yellow")
    err.print(table)


def ingest_paths(ws: Workspace, paths: list[str], published: date | None, quiet: bool) -> IngestReport:
    """Ingest with a progress bar over input files and one line for each rejected input."""
    inputs = list(expand_inputs(paths))
    files = sum(isinstance(i, InputRef) for i in inputs)

    def rejected(r: Rejected) -> None:
        err.print(f"[yellow]skipped[/] {escape(r.source)}: {r.reason}: {escape(r.detail)}", soft_wrap=True)

    with Progress(*_COLUMNS, console=err, transient=True, disable=quiet or files < 20) as progress:
        task = progress.add_task("ingesting", total=files)
        report = run_ingest(
            ws.store,
            inputs,
            settings=ws.settings,
            published_default=published,
            on_input_done=lambda _path: progress.advance(task),
            on_rejected=rejected,
        )
    for note in report.notes:
        err.print(f"[dim]note[/] {escape(note)}", soft_wrap=True)
    if not quiet:
        _print_summary(report)
    return report


@app.command()
@_reports_errors
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Files, directories or globs; `-` reads standard input.")
    ],
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for inputs that carry none.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Read articles (text, HTML, RSS/Atom, JSON Lines, WARC), clean them and store them.

    Ingesting the same input twice adds nothing; a changed article becomes a new version. Bad
    input is reported one line per file and skipped; the run goes on.
    """
    when = _parse_date(published)
    with _workspace() as ws:
        ingest_paths(ws, paths, when, quiet)


@app.command("ls")
@_reports_errors
def list_articles(
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
    all_versions: Annotated[
        bool, typer.Option("--all-versions", help="Include superseded versions.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List stored articles: id, outlet, date, language and title."""
    with _workspace() as ws:
        articles = list(ws.articles(latest_only=not all_versions, limit=limit))
        total = ws.store.count(latest_only=not all_versions)
    if as_json:
        for a in articles:
            record = {
                "id": a.id,
                "outlet": a.outlet,
                "published": str(a.published or ""),
                "language": a.language,
                "title": a.title,
                "source": a.source,
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{total} article{'s' * (total != 1)}", title_justify="left")
    for column in ("id", "outlet", "published", "lang", "v", "title"):
        table.add_column(column, overflow="fold")
    for a in articles:
        table.add_row(
            a.id,
            escape(a.outlet or ""),
            str(a.published or ""),
            a.language or "",
            str(a.version),
            escape(a.title or a.body[:70]),
        )
    out.print(table)


@app.command()
@_reports_errors
def show(article_id: Annotated[str, typer.Argument(help="Article id, or a unique prefix of it.")]) -> None:
    """Show one article: metadata, clean body, captions, and what was removed and why."""
    with _workspace() as ws:
        a = ws.article(article_id)
        _show_article(a)
        _show_language(ws, a)


def _show_language(ws: Workspace, a: Article) -> None:
    if note := ws.store.stage_note(a.id, "language"):
        out.print(f"[yellow]language layer skipped[/]: {escape(note)}")
        return
    if a.id in ws.store.pending("language", LANGUAGE_VERSION):
        out.print("[dim]not analysed yet: run `newsweave analyse` for entities, roles and dates[/]")
        return
    names = {e["id"]: e["name"] for e in ws.store.entity_rows()}
    entities = Table(title="entities", title_justify="left")
    for column in ("entity", "type", "mentions", "roles"):
        entities.add_column(column, overflow="fold")
    mentions: dict[str, list[str]] = {}
    types: dict[str, str] = {}
    for m in ws.store.mention_rows(a.id):
        if m["entity_id"]:
            mentions.setdefault(m["entity_id"], []).append(m["text"])
            types.setdefault(m["entity_id"], m["type"])
    roles: dict[str, list[str]] = {}
    for r in ws.store.role_rows(a.id):
        roles.setdefault(r["entity_id"], []).append(r["text"])
    for entity, texts in mentions.items():
        entities.add_row(
            escape(names.get(entity, entity)),
            types[entity],
            escape(", ".join(dict.fromkeys(texts))),
            escape("; ".join(roles.get(entity, []))),
        )
    out.print(entities)
    times = Table(title="time expressions", title_justify="left")
    for column in ("text", "value", "where"):
        times.add_column(column)
    for t in ws.store.timex_rows(a.id):
        inferred = " (anchor inferred)" if t["anchor_inferred"] else ""
        times.add_row(escape(t["text"]), t["value"] + inferred, t["field"])
    out.print(times)


@app.command()
@_reports_errors
def analyse() -> None:
    """Run the analysis stages (entities, roles, dates…) on every article not yet analysed."""
    with _workspace() as ws, Progress(*_COLUMNS, console=err, transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def advance(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done)

        counts = ws.analyse(on_progress=advance)
    for stage, n in counts.items():
        err.print(f"{stage}: analysed {n} article{'s' * (n != 1)}")


def _show_article(a: Article) -> None:
    meta = Table.grid(padding=(0, 2))
    for label, value in (
        ("id", a.id),
        ("source", a.source),
        ("url", a.url),
        ("outlet", a.outlet),
        ("title", a.title),
        ("section", a.section),
        ("author", a.author),
        ("published", f"{a.published} ({a.published_from})" if a.published else None),
        ("language", f"{a.language} ({a.language_score})" if a.language else None),
        ("version", str(a.version)),
    ):
        if value:
            meta.add_row(f"[bold]{label}[/]", escape(value))
    out.print(meta)
    out.print(Panel(escape(a.body or "(empty body)"), title="body", title_align="left"))
    for caption in a.captions:
        out.print(f"[cyan]caption[/] {escape(caption)}")
    for r in a.removed:
        out.print(f"[red]removed[/] [bold]{r.reason}[/]: {escape(r.text)}")


@app.command()
@_reports_errors
def export(
    format: Annotated[
        str, typer.Option("--format", "-f", help="json (the contract), jsonl or parquet.")
    ] = "json",
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output file; default stdout (json, jsonl).")
    ] = None,
) -> None:
    """Export everything stored, after running any analysis still pending."""
    fmt: ExportFormat
    if format not in ("json", "jsonl", "parquet"):
        raise ConfigError(f"--format {format!r} is not one of json, jsonl, parquet")
    fmt = format  # type: ignore[assignment]
    with _workspace() as ws:
        ws.analyse()
        articles = ws.articles()
        if fmt == "parquet":
            if out_path is None:
                raise ConfigError("--format parquet needs --out FILE")
            n = write_parquet(articles, out_path)
        elif out_path is None:
            n = (
                write_json(ws.store, articles, sys.stdout)
                if fmt == "json"
                else write_jsonl(articles, sys.stdout)
            )
        else:
            with open(out_path, "w", encoding="utf-8") as f:
                n = write_json(ws.store, articles, f) if fmt == "json" else write_jsonl(articles, f)
    if out_path is not None:
        err.print(f"wrote {n} article{'s' * (n != 1)} to {escape(str(out_path))}")


@app.command()
@_reports_errors
def report(
    out_path: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "newsweave.html"
    ),
) -> None:
    """Write a single-file HTML page of the stored articles (works offline, prints well)."""
    with _workspace() as ws:
        ws.analyse()
        out_path.write_text(render_articles_page(ws.articles()), encoding="utf-8")
    err.print(f"wrote {escape(str(out_path))}")


@app.command()
@_reports_errors
def demo(
    examples: Annotated[Path, typer.Argument(help="Folder of articles to run on.")] = Path("examples"),
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for articles that carry none.")
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Where the database, export and page go.")] = Path(
        "demo-output"
    ),
) -> None:
    """Run the whole pipeline on the bundled example and write its JSON export and HTML page."""
    if not examples.is_dir():
        raise ConfigError(f"example folder {examples} not found; run the demo from the repository root")
    out_dir.mkdir(parents=True, exist_ok=True)
    when = _parse_date(published)
    db = _State.db or out_dir / "demo.db"
    with Workspace(db, settings=load_settings()) as ws:
        ingest_paths(ws, [str(examples)], when, quiet=False)
        ws.analyse()
        articles = list(ws.articles())
        with open(out_dir / "export.json", "w", encoding="utf-8") as f:
            write_json(ws.store, articles, f)
        (out_dir / "report.html").write_text(
            render_articles_page(articles, title="newsweave demo"), encoding="utf-8"
        )
        export = json.loads((out_dir / "export.json").read_text(encoding="utf-8"))
    _print_articles(articles)
    _print_language_summary(export)
    out.print(f"JSON export: {escape(str(out_dir / 'export.json'))}")
    out.print(f"HTML page:   {escape(str(out_dir / 'report.html'))}")


def _print_language_summary(export: dict[str, Any]) -> None:
    """Who is involved (with the outlets' roles) and who said what, from the export."""
    people = [e for e in export["entities"] if e["type"] == "PERSON"]
    who = Table(title="Who's who (people)", title_justify="left")
    for column in ("person", "articles", "called", "roles"):
        who.add_column(column, overflow="fold")
    for e in sorted(people, key=lambda e: -len(e["mentions"]))[:12]:
        roles = "; ".join(dict.fromkeys(r["text"] for r in e["roles"]))
        who.add_row(
            escape(e["name"]), str(len(e["articles"])), escape(", ".join(e["aliases"])), escape(roles)
        )
    out.print(who)
    names = {e["id"]: e["name"] for e in export["entities"]}
    board = Table(title="Quotes", title_justify="left")
    for column in ("speaker", "kind", "words"):
        board.add_column(column, overflow="fold")
    for q in export["quotes"]:
        if q["kind"] != "indirect":
            speaker = names.get(q["speaker_entity"] or "", q["speaker"] or "?")
            words = q["text"] if len(q["text"]) <= 90 else q["text"][:87] + "…"
            board.add_row(escape(speaker), q["kind"], escape(words))
    out.print(board)
    hedged = sum(c["certainty"] == "hedged" for c in export["claims"])
    sourced = sum(c["source_kind"] != "outlet" for c in export["claims"])
    out.print(
        f"{len(export['entities'])} entities, {len(export['timexes'])} dates and times, "
        f"{len(export['quotes'])} quotes, {len(export['claims'])} claims "
        f"({hedged} hedged, {sourced} attributed to a named source)"
    )


def _print_articles(articles: list[Article]) -> None:
    table = Table(title="Articles", title_justify="left")
    for column in ("outlet", "title", "published", "lang", "body", "captions", "removed"):
        table.add_column(column, overflow="fold")
    for a in articles:
        reasons = ", ".join(sorted({r.reason for r in a.removed}))
        table.add_row(
            escape(a.outlet or "?"),
            escape(a.title or "(no title line)"),
            str(a.published or ""),
            a.language or "",
            f"{len(a.body.split())} words",
            str(len(a.captions)),
            f"{len(a.removed)} ({reasons})" if a.removed else "0",
        )
    out.print(table)


def main() -> None:
    """Entry point of the `newsweave` script."""
    app()


if __name__ == "__main__":
    main()
