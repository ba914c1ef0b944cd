"""The story report in the terminal, with Rich.

Article text never goes through Rich's markup parser: every cell and line holding it is a
`Text` object, so `[bold]` or `[link=…]` in an article shows as those characters. Every string
of the report is made safe first (`safe_record`): an escape sequence or bidi override in an
article shows as `\\x1b` or `\\u202e` and never reaches the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from newsweave.report.records import EMPTY, SECTIONS, BriefLine, Cite, MatrixRow, StoryReport
from newsweave.safe_text import safe_record

_STATUS_STYLE = {"shared": "green", "unique": "yellow", "conflict": "red"}
_STANCE = {
    "supports": Text("✓", style="green"),
    "contradicts": Text("✗ contradicts", style="bold red"),
    "mentions": Text("~", style="dim"),
}


def _cites(cites: Iterable[Cite]) -> Text:
    outlets = list(dict.fromkeys(c.outlet for c in cites))
    return Text(f"[{', '.join(outlets)}]", style="cyan") if outlets else Text("")


_Row = TypeVar("_Row", BriefLine, MatrixRow)


def _table(*columns: str | Text) -> Table:
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def render_terminal(report: StoryReport, console: Console, *, limit: int = 12) -> None:
    """Print the story report.

    Args:
        report: from `build_report`.
        console: where to print.
        limit: most rows per list (who's who per type, quotes, timeline, sources); the HTML and
            Markdown reports show everything.
    """
    report = safe_record(report)
    n = report.counts.get("articles", 0)
    header = Text(report.title, style="bold")
    meta = Text(f"{n} article{'s' * (n != 1)}", style="dim")
    for part in (", ".join(report.outlets), report.period, f"story {report.story}" if report.story else ""):
        if part:
            meta.append(" · " + part)
    console.print(Rule(header, align="left"))
    console.print(meta)
    for key, heading, _ in SECTIONS:
        console.print()
        console.print(Text(heading, style="bold underline"))
        if report.is_empty(key):
            console.print(Text(EMPTY[key], style="dim italic"))
            continue
        console.print(_SECTION[key](report, limit))


def _more(shown: int, total: int, what: str = "") -> RenderableType:
    if total <= shown:
        return Text("")
    return Text(f"… and {total - shown} more {what + ' ' if what else ''}in the HTML report", style="dim")


def _brief(report: StoryReport, limit: int) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="dim")
    grid.add_column()
    lines = _shown(report.brief, limit)
    for i, line in enumerate(lines, 1):
        text = Text(f"{_label(line)} ", style=_STATUS_STYLE.get(line.status, ""))
        text.append(line.text, style="default")
        if line.status != "unique":  # a single source's flag names it already
            text.append(" ")
            text.append_text(_cites(line.cites))
        notes: list[Text] = []
        if line.status == "conflict" and not line.sides:
            notes.append(Text(line.flag, style="red"))
        if line.status == "shared" and line.independent_sources < len(line.outlets):
            k = line.independent_sources
            notes.append(
                Text(f"{k} independent source{'s' * (k != 1)}: the outlets share where it comes from")
            )
        for side in line.sides:
            note = Text(f"{', '.join(side.outlets)} ({side.stance}): ", style="red")
            note.append(side.text)
            notes.append(note)
        if line.hedged_in:
            notes.append(Text(f"hedged in {', '.join(line.hedged_in)}"))
        notes += [Text(f"via {chain}") for chain in line.provenance]
        for note in notes:
            note.stylize("dim")
        grid.add_row(f"{i}.", Group(text, *(Padding(n, (0, 0, 0, 2)) for n in notes)))
    more = _more(len(lines), len(report.brief), "single-source claims")
    if report.brief_omitted:
        n = report.brief_omitted
        more = Text(f"… and {n} more claim group{'s' * (n != 1)} in Claims by outlet", style="dim")
    return Group(grid, more)


def _shown(items: tuple[_Row, ...], limit: int) -> tuple[_Row, ...]:
    """Every shared fact and conflict, and the first `limit` single-source claims."""
    hidden = {id(i) for i in [i for i in items if i.status == "unique"][limit:]}
    return tuple(i for i in items if id(i) not in hidden)


def _label(line: BriefLine) -> str:
    """A brief line's flag: how many outlets carry it, or single source (which), or conflict."""
    if line.status == "shared":
        return f"{len(line.outlets)} outlets"
    return line.flag if line.status == "unique" else line.status


def _timeline(report: StoryReport, limit: int) -> RenderableType:
    table = _table()
    table.add_column("when", no_wrap=True)
    table.add_column("what", ratio=1)
    table.add_column("outlets", max_width=24)
    entries = report.timeline[: limit * 2]
    for e in entries:
        what = Text(e.text)
        for mark in e.marks:
            what.append(f" ({mark})", style="dim")
        table.add_row(Text(e.label, style="bold"), what, Text(", ".join(e.outlets), style="cyan"))
    return Group(table, _more(len(entries), len(report.timeline)))


def _whos_who(report: StoryReport, limit: int) -> RenderableType:
    parts: list[RenderableType] = []
    for group in report.whos_who:
        table = _table(Text(group.label, style="bold"), *(Text(o) for o in report.outlets))
        for e in group.entries[:limit]:
            cells = [
                Text("; ".join(o.roles))
                if o.roles
                else Text("mentioned" if o.mentioned else "—", style="dim")
                for o in e.by_outlet
            ]
            table.add_row(Text(e.name), *cells)
        parts += [table, _more(min(limit, len(group.entries)), len(group.entries))]
    return Group(*parts)


def _quotes(report: StoryReport, limit: int) -> RenderableType:
    table = _table("speaker", "words", "kind", "outlets")
    quotes = report.quotes[:limit]
    for q in quotes:
        words = Text(q.words if q.kind == "indirect" else f"“{q.words}”")
        if q.via:
            words.append(f" (via {', '.join(q.via)})", style="dim")
        table.add_row(
            Text(q.speaker, style="bold"), words, Text(q.kind), Text(", ".join(q.outlets), style="cyan")
        )
    return Group(table, _more(len(quotes), len(report.quotes)))


def _matrix(report: StoryReport, limit: int) -> RenderableType:
    table = _table("claim", *(Text(o) for o in report.matrix.outlets))
    rows = _shown(report.matrix.rows, limit)
    for row in rows:
        claim = Text(
            f"{'single source' if row.status == 'unique' else row.status} ",
            style=_STATUS_STYLE.get(row.status, ""),
        )
        claim.append(row.text, style="default")
        table.add_row(claim, *(_STANCE.get(c, Text("—", style="dim")).copy() for c in row.cells))
    return Group(table, _more(len(rows), len(report.matrix.rows), "single-source claims"))


def _differences(report: StoryReport, limit: int) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="red", no_wrap=True)
    grid.add_column()
    shown = report.differences[:limit]
    for d in shown:
        about = Text(d.about, style="bold")
        if d.note:
            about.append(f" ({d.note})", style="dim")
        sides = []
        for span in d.spans:
            side = Text(f"{span.outlet}: ", style="cyan")
            side.append(span.text)
            sides.append(Padding(side, (0, 0, 0, 2)))
        grid.add_row(Text(d.kind), Group(about, *sides))
    return Group(grid, _more(len(shown), len(report.differences)))


def _framing(report: StoryReport, limit: int) -> RenderableType:
    table = _table("outlet", "term", "kind", "context")
    for column in report.framing:
        for f in column.items:
            table.add_row(
                Text(column.outlet, style="cyan"),
                Text(f.term, style="bold"),
                Text(f.kind.replace("_", " ")),
                Text(f.context, style="dim"),
            )
    return table


def _sources(report: StoryReport, limit: int) -> RenderableType:
    table = _table("id", "outlet", "published", "title")
    for a in report.sources:
        table.add_row(
            Text(a.id, style="dim"),
            Text(a.outlet, style="cyan"),
            Text(a.published),
            Text(a.title or "(untitled)"),
        )
    return table


_SECTION = {
    "brief": _brief,
    "timeline": _timeline,
    "whos_who": _whos_who,
    "quotes": _quotes,
    "matrix": _matrix,
    "differences": _differences,
    "framing": _framing,
    "sources": _sources,
}
