"""The `newsweave` command. Each command is a thin wrapper over the Python API."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from newsweave._version import __version__
from newsweave.errors import ConfigError, NewsweaveError
from newsweave.safe_text import json_line, safe_name, safe_record, safe_text
from newsweave.settings import load_settings

# Command bodies import the stages they run: the workspace, export and report bring spaCy,
# scikit-learn and torch, and `newsweave --help` should not wait for them.
if TYPE_CHECKING:
    from newsweave.document import ExportDocument
    from newsweave.model import Article, IngestReport, Rejected
    from newsweave.report.records import StoryReport
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
            message = safe_text(str(e), multiline=True)
            err.print(Text.assemble(("error:", "red"), " ", message), soft_wrap=True)
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
    from newsweave.workspace import Workspace

    with Workspace(_State.db, settings=load_settings()) as ws:
        yield ws


def _text(value: object) -> Text:
    """A cell of stored text as a `Text`, so Rich reads no markup or emoji code in it; its
    characters are made safe before (`safe_record`, `safe_text`, `safe_name`)."""
    return Text("" if value is None else str(value))


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
    """Ingest with a progress bar over input files (and records read, for long files), and one
    line for each rejected input, the first 100 of them."""
    from newsweave.ingest import InputRef, expand_inputs
    from newsweave.pipeline import ingest as run_ingest

    inputs = list(expand_inputs(paths))
    files = sum(isinstance(i, InputRef) for i in inputs)

    shown = 0

    def rejected(r: Rejected) -> None:
        nonlocal shown
        shown += 1
        # A file of a million broken records must not print a million lines.
        if shown <= _MAX_REJECTIONS_SHOWN:
            line = f"{safe_name(r.source)}: {r.reason}: {safe_text(r.detail)}"
            err.print(Text.assemble(("skipped", "yellow"), " ", line), soft_wrap=True)

    with Progress(*_COLUMNS, console=err, transient=True, disable=quiet) as progress:
        task = progress.add_task("ingesting", total=files)

        def records_read(n: int) -> None:
            progress.update(task, description=f"ingesting ({n:,} records read)")

        report = run_ingest(
            ws.store,
            inputs,
            settings=ws.settings,
            published_default=published,
            on_input_done=lambda _path: progress.advance(task),
            on_rejected=rejected,
            on_records=records_read,
        )
    if shown > _MAX_REJECTIONS_SHOWN:
        more = shown - _MAX_REJECTIONS_SHOWN
        err.print(f"[yellow]… and {more:,} more skipped[/] (the store's rejection log has them all)")
    for note in report.notes[:_MAX_REJECTIONS_SHOWN]:
        err.print(Text.assemble(("note", "dim"), " ", safe_text(note)), soft_wrap=True)
    if not quiet:
        _print_summary(report)
    return report


_MAX_REJECTIONS_SHOWN = 100


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
        report = ingest_paths(ws, paths, when, quiet)
    if report.rejected and not (report.added or report.new_versions or report.unchanged):
        # A script must see that nothing came in, not only a person reading the summary.
        err.print("[red]nothing stored:[/] every input was rejected")
        raise typer.Exit(1)


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
            sys.stdout.write(json_line(record) + "\n")
        return
    table = Table(title=f"{total} article{'s' * (total != 1)}", title_justify="left")
    for column in ("id", "outlet", "published", "lang", "v", "title"):
        table.add_column(column, overflow="fold")
    for a in map(safe_record, articles):
        table.add_row(
            _text(a.id),
            _text(a.outlet),
            str(a.published or ""),
            _text(a.language),
            str(a.version),
            _text(safe_text(a.title or a.body[:70])),  # one line: a body's start may break lines
        )
    out.print(table)


@app.command()
@_reports_errors
def show(article_id: Annotated[str, typer.Argument(help="Article id, or a unique prefix of it.")]) -> None:
    """Show one article: metadata, clean body, captions, and what was removed and why."""
    with _workspace() as ws:
        a = ws.article(article_id)
        _show_article(safe_record(a))
        _show_language(ws, a)


def _show_language(ws: Workspace, a: Article) -> None:
    from newsweave.nlp.stage import VERSION as LANGUAGE_VERSION

    if note := ws.store.stage_note(a.id, "language"):
        out.print(Text.assemble(("language layer skipped", "yellow"), ": ", safe_text(note)))
        return
    if a.id in ws.store.pending("language", LANGUAGE_VERSION):
        out.print("[dim]not analysed yet: run `newsweave analyse` for entities, roles and dates[/]")
        return
    entities = Table(title="entities", title_justify="left")
    for column in ("entity", "type", "mentions", "roles"):
        entities.add_column(column, overflow="fold")
    for entity in map(safe_record, ws.store.entities([a.id])):
        entities.add_row(
            _text(entity.name),
            _text(entity.type),
            _text(", ".join(dict.fromkeys(m.text for m in entity.mentions))),
            _text("; ".join(r.text for r in entity.roles)),
        )
    out.print(entities)
    times = Table(title="time expressions", title_justify="left")
    for column in ("text", "value", "where"):
        times.add_column(column)
    for t in map(safe_record, ws.store.timexes([a.id])):
        inferred = " (anchor inferred)" if t.anchor_inferred else ""
        times.add_row(_text(t.text), _text(t.value + inferred), _text(t.field))
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


@app.command("stories")
@_reports_errors
def list_stories(
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
    min_size: Annotated[int, typer.Option("--min-size", help="Hide stories with fewer articles.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List the stories found (running any analysis still pending): size, outlets, time span."""
    with _workspace() as ws:
        stories = [s for s in ws.stories() if len(s.articles) >= min_size]
    if as_json:
        for story in stories[:limit]:
            sys.stdout.write(json_line(story.as_dict()) + "\n")
        return
    table = Table(title=f"{len(stories)} stor{'ies' if len(stories) != 1 else 'y'}", title_justify="left")
    for column in ("id", "articles", "copies", "outlets", "from", "to", "title"):
        table.add_column(column, overflow="fold")
    for story in map(safe_record, stories[:limit]):
        more = len(story.outlets) - 4
        outlets = ", ".join(story.outlets[:4]) + (f" +{more}" if more > 0 else "")
        table.add_row(
            str(story.id),
            str(len(story.articles)),
            str(len(story.duplicates)),
            _text(outlets),
            str(story.start or ""),
            str(story.end or ""),
            _text(safe_text(story.title)),
        )
    out.print(table)


@app.command("story")
@_reports_errors
def show_story(story_id: Annotated[int, typer.Argument(help="Story id, from `newsweave stories`.")]) -> None:
    """Show one story: its title, time span, outlets and articles, and which are copies of which."""
    with _workspace() as ws:
        raw = ws.story(story_id)
        found = ws.store.articles(ids=list(raw.articles), latest_only=False)
        articles = {a.id: a for a in map(safe_record, found)}
    story = safe_record(raw)  # its article ids made safe as the articles' are: they still match
    copies = {d.article: d for d in story.duplicates}
    span = f"{story.start or '?'} to {story.end or '?'}" if story.start or story.end else "undated"
    out.print(Text.assemble((f"story {story.id}", "bold"), ": ", safe_text(story.title)))
    out.print(
        f"{len(story.articles)} articles ({story.sources} independent), {len(story.outlets)} outlets, {span}"
    )
    table = Table(title="articles", title_justify="left")
    for column in ("id", "outlet", "published", "title", "copy of"):
        table.add_column(column, overflow="fold")
    for article_id in story.articles:
        a = articles[article_id]
        copy = copies.get(article_id)
        table.add_row(
            _text(a.id),
            _text(a.outlet),
            str(a.published or ""),
            _text(safe_text(a.title or a.body[:70])),
            _text(f"{copy.original} ({copy.similarity:.2f})" if copy else ""),
        )
    out.print(table)


def _show_article(a: Article) -> None:
    """Show an article made safe by `safe_record`."""
    meta = Table.grid(padding=(0, 2))
    for label, value in (
        ("id", a.id),
        ("external id", a.external_id),
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
            meta.add_row(f"[bold]{label}[/]", _text(value))
    out.print(meta)
    out.print(Panel(_text(a.body or "(empty body)"), title="body", title_align="left"))
    for caption in a.captions:
        out.print(Text.assemble(("caption", "cyan"), " ", caption))
    for r in a.removed:
        out.print(Text.assemble(("removed", "red"), " ", (r.reason, "bold"), ": ", r.text))


@app.command()
@_reports_errors
def export(
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="json: the export contract, one file. parquet, csv, jsonl: one table per record kind "
            "(articles, stories, claims, claim_groups, quotes, entities, ...), one file each, into the "
            "folder --out DIR; docs/data.md lists every column. jsonld: one story (--story) as "
            "schema.org JSON-LD.",
        ),
    ] = "json",
    out_path: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="json, jsonld: the file; `-` or none: standard output. parquet, csv, jsonl: the folder "
            "(made if missing; its table files are replaced).",
        ),
    ] = None,
    story: Annotated[
        str | None,
        typer.Option(
            "--story", "-s", help="Only this story's articles, an id from `stories` (jsonld needs it)."
        ),
    ] = None,
) -> None:
    """Export everything stored (or one story), after running any analysis still pending.

    It only reads what the stages stored: a second export computes nothing.
    """
    from contextlib import nullcontext

    from newsweave.export import EXPORT_FORMATS, is_table_format, write_json, write_jsonld, write_tables

    if format not in EXPORT_FORMATS:
        raise ConfigError(f"--format {format!r} is not one of {', '.join(EXPORT_FORMATS)}")
    if out_path is not None and str(out_path) == "-":
        out_path = None  # `-` is standard output, as for `ingest` and `stance`
    story_id = _story_id(story) if story is not None else None
    if is_table_format(format):
        if out_path is None:
            raise ConfigError(f"--format {format} writes one file per table: give --out DIR, a folder")
        if out_path.exists() and not out_path.is_dir():
            raise ConfigError(f"--out {out_path} is a file; --format {format} writes a folder of tables")
    elif format == "jsonld" and story_id is None:
        raise ConfigError("--format jsonld writes one story: give --story ID (`newsweave stories` lists ids)")
    with _workspace() as ws:
        document = ws.document() if story_id is None else ws.story_document(story_id)
    if is_table_format(format) and out_path is not None:
        counts = write_tables(document, out_path, format)
        rows = ", ".join(f"{table} {n}" for table, n in counts.items())
        err.print(f"wrote {len(counts)} tables to {escape(str(out_path))} (rows: {rows})")
        return
    with open(out_path, "w", encoding="utf-8") if out_path else nullcontext(sys.stdout) as f:
        if format == "jsonld":
            write_jsonld(document, f)  # the story's document holds that story only
            what = f"story {document.stories[0].id}"
        else:
            n = write_json(document, f)
            what = f"{n} article{'s' * (n != 1)}"
    if out_path is not None:
        err.print(f"wrote {what} to {escape(str(out_path))}")


@app.command()
@_reports_errors
def report(
    story: Annotated[
        str | None,
        typer.Option(
            "--story",
            "-s",
            help="Only this story: an id from `stories` (a merged story's old id leads to its story).",
        ),
    ] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="html, md, json (the export contract) or terminal. Default: terminal without --out, "
            "else from the file's suffix (.html, .md, .json).",
            show_default=False,
        ),
    ] = None,
    out_path: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="File to write; `-`: standard output (default: print the report)."),
    ] = None,
    from_export: Annotated[
        Path | None,
        typer.Option(
            "--from-export",
            help="Build the report from a JSON export file (`export --format json`) instead of the database.",
        ),
    ] = None,
) -> None:
    """The story report: cited brief, timeline, who's who, quotes, claims by outlet, differences, framing.

    Runs any analysis still pending first. Without --out it prints; with --out it writes a file.

    HTML is one self-contained file: works offline, prints well, every citation links to its sentence.
    """
    from newsweave.report import build_report, build_reports, choose_format, render_document, render_terminal
    from newsweave.report.sections import stories_present

    if out_path is not None and str(out_path) == "-":
        out_path = None  # `-` is standard output, as for `export`
        format = format or "html"
    fmt = choose_format(format, out_path)
    if from_export is not None:
        document = _read_export(from_export)
    else:
        with _workspace() as ws:
            if story is not None:
                story = str(ws.story(_story_id(story)).id)
            document = ws.document() if story is None else ws.story_document(int(story))
    if story is None and fmt != "json" and len(stories_present(document)) > 1:
        _report_stories(build_reports(document), fmt, out_path)
        return
    if fmt == "terminal":
        render_terminal(build_report(document, story=story), out)
        return
    text = render_document(document, fmt, story=story)
    if out_path is None:
        sys.stdout.write(text)
        return
    out_path.write_text(text, encoding="utf-8")
    err.print(f"wrote {escape(str(out_path))}")


def _report_stories(reports: Sequence[StoryReport], fmt: str, out_path: Path | None) -> None:
    """Several stories, each its own report: printed one after another, one Markdown section
    each, or one HTML file each beside an index page."""
    from newsweave.report import render_markdown_stories, render_terminal, story_files

    if fmt == "terminal":
        for report in reports:
            render_terminal(report, out)
            out.print()
        return
    if fmt == "md":
        text = render_markdown_stories(reports)
        if out_path is None:
            sys.stdout.write(text)
        else:
            out_path.write_text(text, encoding="utf-8")
            err.print(f"wrote {escape(str(out_path))}")
        return
    if out_path is None:
        raise ConfigError(
            f"{len(reports)} stories: HTML writes one file per story, so give --out FILE.html "
            "(or --story ID for one story; `newsweave stories` lists them)"
        )
    for path, text in story_files(out_path, reports):
        path.write_text(text, encoding="utf-8")
    err.print(f"wrote {escape(str(out_path))} and {len(reports)} story files beside it")


def _read_export(path: Path) -> ExportDocument:
    from newsweave.contract import from_json

    try:
        return from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ConfigError(f"cannot read the export file {path}: {e}") from e
    except (KeyError, TypeError, ValueError) as e:
        raise ConfigError(f"{path} is not a newsweave JSON export: {e!r}") from e


def _story_id(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"--story {value!r} is not a story id; `newsweave stories` lists them") from None


@app.command()
@_reports_errors
def batch(
    paths: Annotated[
        list[str], typer.Argument(help="Files, directories or globs (WARC, JSON Lines, HTML, text…).")
    ],
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the batch's work and results (made if missing).")
    ],
    workers: Annotated[int, typer.Option(help="Workers at once, one CPU each.")] = 2,
    address: Annotated[
        str | None,
        typer.Option(help="An existing Ray cluster (`auto`, `ray://HOST:10001`); none runs Ray here."),
    ] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for inputs that carry none.")
    ] = None,
    window_days: Annotated[int, typer.Option(help="Days in each time window of the stories' blocks.")] = 7,
    block_articles: Annotated[int, typer.Option(help="Most articles in one block of stories.")] = 20_000,
    shard_mb: Annotated[int, typer.Option(help="Small inputs are grouped in shards of this many MB.")] = 64,
    compare: Annotated[
        bool, typer.Option(help="Compare the outlets of each story; --no-compare stops after the stories.")
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Run the pipeline over a large corpus on Ray (`pip install 'newsweave[ray]'`), into --out DIR.

    The language layer runs per shard of the inputs, then stories and comparison per block of
    articles (a time window, linked by shared names); `newsweave load DIR` merges the result into
    a store. Run the same command again to finish a batch that was stopped: finished shards and
    blocks are skipped. docs/scaling.md explains it.
    """
    from newsweave.batch.run import BatchOptions, run_batch

    options = BatchOptions(
        workers=workers,
        address=address,
        window_days=window_days,
        max_block=block_articles,
        shard_bytes=shard_mb * 1024 * 1024,
        compare=compare,
    )
    with Progress(*_COLUMNS, console=err, transient=True, disable=quiet) as progress:
        tasks: dict[str, TaskID] = {}

        def advance(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done)

        summary = run_batch(
            paths,
            out_dir,
            settings=load_settings(),
            published_default=_parse_date(published),
            options=options,
            on_progress=advance,
        )
    if quiet:
        return
    table = Table(title="Batch summary", show_header=False, title_justify="left")
    table.add_row("shards", f"{summary.shards} ({summary.shards_done_before} finished before)")
    table.add_row("articles analysed (this run)", str(summary.articles))
    table.add_row("read twice in one shard", str(summary.repeated))
    for reason, n in sorted(summary.by_reason.items()):
        table.add_row(f"rejected: {reason}", str(n), style="yellow")
    table.add_row("blocks", f"{summary.blocks} ({summary.blocks_done_before} finished before)")
    table.add_row("stories", str(summary.stories))
    for stage, seconds in summary.seconds.items():
        table.add_row(f"time: {stage}", f"{seconds:.1f} s")
    for stage, mb in summary.peak_rss_mb.items():
        table.add_row(f"peak memory of a worker: {stage}", f"{mb:,.0f} MB")
    err.print(table)
    err.print(f"next: newsweave --db STORE load {escape(str(out_dir))}")


@app.command()
@_reports_errors
def load(
    batch_dir: Annotated[Path, typer.Argument(help="The --out folder of a finished `newsweave batch`.")],
) -> None:
    """Merge a finished batch into the store (--db); run it again after an interruption."""
    from newsweave.batch.load import load_batch

    with _workspace() as ws:
        counts = load_batch(ws.store, batch_dir)
    err.print(
        f"loaded {counts.blocks} block{'s' * (counts.blocks != 1)}: {counts.articles} articles, "
        f"{counts.stories} stories, {counts.rejections} rejections"
        + (f" ({counts.already} loaded before)" if counts.already else "")
    )


@app.command()
@_reports_errors
def demo(
    examples: Annotated[Path, typer.Argument(help="Folder of articles to run on.")] = Path("examples"),
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for articles that carry none.")
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Where the database, export and reports go.")] = Path(
        "demo-output"
    ),
) -> None:
    """Run the whole pipeline on the bundled example, write its export and reports, and show the report."""
    from newsweave.report import build_report, render_document, render_terminal
    from newsweave.workspace import Workspace

    if not examples.is_dir():
        raise ConfigError(f"example folder {examples} not found; run the demo from the repository root")
    out_dir.mkdir(parents=True, exist_ok=True)
    when = _parse_date(published)
    db = _State.db or out_dir / "demo.db"
    with Workspace(db, settings=load_settings()) as ws:
        ingest_paths(ws, [str(examples)], when, quiet=False)
        ws.analyse()
        articles = list(ws.articles())
        document = ws.document()
    files = {
        "JSON export": out_dir / "export.json",
        "HTML report": out_dir / "report.html",
        "Markdown report": out_dir / "report.md",
    }
    files["JSON export"].write_text(render_document(document, "json"), encoding="utf-8")
    files["HTML report"].write_text(render_document(document, "html"), encoding="utf-8")
    files["Markdown report"].write_text(render_document(document, "md"), encoding="utf-8")
    _print_articles(articles)
    for label, path in files.items():
        out.print(f"{label + ':':<17}{escape(str(path))}")
    out.print()
    render_terminal(build_report(document), out)


def _print_articles(articles: list[Article]) -> None:
    table = Table(title="Articles", title_justify="left")
    for column in ("outlet", "title", "published", "lang", "body", "captions", "removed"):
        table.add_column(column, overflow="fold")
    for a in map(safe_record, articles):
        reasons = ", ".join(sorted({r.reason for r in a.removed}))
        table.add_row(
            _text(a.outlet or "?"),
            _text(safe_text(a.title or "(no title line)")),
            str(a.published or ""),
            a.language or "",
            f"{len(a.body.split())} words",
            str(len(a.captions)),
            f"{len(a.removed)} ({reasons})" if a.removed else "0",
        )
    out.print(table)


@app.command()
@_reports_errors
def stance(
    in_path: Annotated[
        Path, typer.Argument(help="JSON Lines, one object a line: `id`, `claim`, `body`; `-` reads stdin.")
    ],
    out_path: Annotated[
        str, typer.Option("--out", "-o", help="JSON Lines to write: `id`, `stance`, `score`; `-` is stdout.")
    ] = "-",
) -> None:
    """Judge each body's stance toward its claim: agree, disagree, discuss or unrelated.

    `score` is the model's probability for the stance given. A bad line is reported with its file
    and line number and skipped; the other lines are still judged.
    """
    from newsweave.stance.jsonl import BadLine, judge_jsonl

    def bad(line: BadLine) -> None:
        err.print(Text.assemble(("skipped", "yellow"), " ", safe_text(str(line))), soft_wrap=True)

    source = "<stdin>" if str(in_path) == "-" else str(in_path)
    try:
        reader = sys.stdin if str(in_path) == "-" else open(in_path, encoding="utf-8")  # noqa: SIM115
    except OSError as e:
        raise ConfigError(f"cannot read {in_path}: {e.strerror}") from e
    try:
        writer = sys.stdout if out_path == "-" else open(out_path, "w", encoding="utf-8")  # noqa: SIM115
    except OSError as e:
        raise ConfigError(f"cannot write {out_path}: {e.strerror}") from e
    try:
        with Progress(*_COLUMNS[:1], TimeElapsedColumn(), console=err, transient=True) as progress:
            task = progress.add_task("judging stance (pairs done: 0)")
            done = 0

            def advance(n: int) -> None:
                nonlocal done
                done += n
                progress.update(task, description=f"judging stance (pairs done: {done})")

            written, skipped = judge_jsonl(reader, writer, source=source, on_bad=bad, on_batch=advance)
    finally:
        if reader is not sys.stdin:
            reader.close()
        if writer is not sys.stdout:
            writer.close()
    where = "" if out_path == "-" else f" to {escape(out_path)}"
    err.print(
        f"wrote {written} stance{'s' * (written != 1)}{where}; "
        f"skipped {skipped} bad line{'s' * (skipped != 1)}",
        soft_wrap=True,
    )


@app.command()
@_reports_errors
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on. Anything but loopback needs a token (see --token).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="NEWSWEAVE_TOKEN",
            help="Bearer token the write endpoints (POST) require. Off loopback without one, a token is "
            "made up and printed once.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the REST API (`/api`, OpenAPI at `/api/openapi.json`) and the web app over the database.

    See docs/server.md. Stop with Ctrl+C.
    """
    import uvicorn

    from newsweave.server import create_app
    from newsweave.server.security import is_loopback, token_for_host

    required, made_up = token_for_host(host, token)
    if made_up:
        shown_once = Text.assemble(
            ("token", "bold"), " (POST requests need it; shown only now): ", required or ""
        )
        err.print(shown_once, soft_wrap=True)
    settings = load_settings()
    db = _State.db or settings.db
    application = create_app(db, token=required, settings=settings, loopback_only=is_loopback(host))
    where = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
    err.print(Text(f"serving {db} at {where} (API: /api, schema: /api/openapi.json)"), soft_wrap=True)
    uvicorn.run(application, host=host, port=port)


def main() -> None:
    """Entry point of the `newsweave` script."""
    app()


if __name__ == "__main__":
    main()
