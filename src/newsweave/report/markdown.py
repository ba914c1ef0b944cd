"""The story report as Markdown (CommonMark with GitHub tables).

Article text is untrusted: every piece of it goes through `md()`, which turns HTML specials
into entities and backslash-escapes Markdown's own, so a headline holding `<script>` or
`[a](javascript:…)` shows as those characters and never as markup or a link. Every string of
the report is made safe first (`safe_record`, and `md()` again): control and bidi characters
show as escapes such as `\\u202e`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from newsweave.report.records import EMPTY, SECTION_TITLES, SECTIONS, Cite, StoryReport
from newsweave.safe_text import safe_record, safe_text

_SPECIALS = re.compile(r"([\\`*_{}\[\]|~!])")
_LINE_START = re.compile(r"^(\s*\d*)([#>+=-]|(?<=\d)[.)])")
_STANCE = {"supports": "✓ supports", "contradicts": "✗ contradicts", "mentions": "~ mentions", "": "—"}


def md(text: object) -> str:
    """Untrusted text as inert Markdown: one line, controls and bidi characters shown as
    escapes, HTML specials as entities, markup escaped."""
    line = " ".join(safe_text(str(text)).split())
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    line = _SPECIALS.sub(r"\\\1", line)
    return _LINE_START.sub(r"\1\\\2", line)


def _cites(cites: Iterable[Cite]) -> str:
    outlets = list(dict.fromkeys(c.outlet for c in cites))
    return f"\\[{', '.join(md(o) for o in outlets)}\\]" if outlets else ""


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(c or " " for c in cells) + " |"


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    return [_row(header), _row("---" for _ in header), *(_row(r) for r in rows), ""]


def render_markdown(report: StoryReport, *, level: int = 1) -> str:
    """The whole story report as one Markdown document (its title a heading of `level`, its
    sections one level below: 2 when the report is one story of several)."""
    return _markdown(safe_record(report), level)


def _markdown(report: StoryReport, level: int) -> str:
    n = report.counts.get("articles", 0)
    meta = [f"{n} article{'s' * (n != 1)}"]
    if report.outlets:
        meta.append(", ".join(md(o) for o in report.outlets))
    if report.period:
        meta.append(md(report.period))
    if report.story:
        meta.append(f"story {md(report.story)}")
    out = [f"# {md(report.title)}", "", " · ".join(meta), ""]
    if len(report.stories) > 1:
        out += ["Stories:", ""]
        out += [
            f"- {md(s.title or s.id)} ({s.articles} articles: {md(', '.join(s.outlets))})"
            for s in report.stories
        ]
        out.append("")
    for key, heading, _ in SECTIONS:
        out += [f"## {heading}", ""]
        if report.is_empty(key):
            out += [f"*{EMPTY[key]}*", ""]
            continue
        out += _SECTION[key](report)
    out.append(
        f"*Made by newsweave {report.version} on {report.generated}; "
        "every sentence is quoted from the sources.*"
    )
    # Article text never starts a line with "#" (`md` escapes it): every such line is a heading.
    deeper = "#" * (level - 1)
    return "\n".join(deeper + line if line.startswith("#") else line for line in out) + "\n"


def render_markdown_stories(reports: Sequence[StoryReport]) -> str:
    """Several stories' reports as one Markdown document: a contents list, then one section per
    story with its own brief, timeline, who's who and the rest."""
    reports = [safe_record(r) for r in reports]
    out = [f"# {len(reports)} stories", ""]
    for r in reports:
        n = r.counts.get("articles", 0)
        outlets = md(", ".join(r.outlets))
        out.append(f"- {md(r.title)} (story {md(r.story or '')}; {n} article{'s' * (n != 1)}: {outlets})")
    out.append("")
    return "\n".join(out) + "\n" + "\n".join(_markdown(r, 2) for r in reports)


def _brief(report: StoryReport) -> list[str]:
    out = []
    for i, line in enumerate(report.brief, 1):
        label = {"shared": f"{len(line.outlets)} outlets", "unique": "single source"}.get(
            line.status, line.status
        )
        out.append(f"{i}. **{label}:** {md(line.text)} {_cites(line.cites)}")
        notes = [f"*{md(line.flag)}*"] if line.flag else []
        if line.status == "shared" and line.independent_sources < len(line.outlets):
            n = line.independent_sources
            notes.append(f"{n} independent source{'s' * (n != 1)}: the outlets share where it comes from")
        notes += [f"{md(', '.join(s.outlets))} ({s.stance}): {md(s.text)}" for s in line.sides]
        if line.hedged_in:
            notes.append(f"hedged in {md(', '.join(line.hedged_in))}")
        notes += [f"via {md(chain)}" for chain in line.provenance]
        out += [f"    - {note}" for note in notes]
    if report.brief_omitted:
        n = report.brief_omitted
        out += ["", f"*{n} more claim group{'s' * (n != 1)} in {SECTION_TITLES['matrix']}.*"]
    return [*out, ""]


def _timeline(report: StoryReport) -> list[str]:
    rows = []
    for e in report.timeline:
        marks = "".join(f" *({md(m)})*" for m in e.marks)
        rows.append([f"**{md(e.label)}**", md(e.text) + marks, md(", ".join(e.outlets))])
    return _table(["When", "What", "Outlets"], rows)


def _whos_who(report: StoryReport) -> list[str]:
    out = []
    for group in report.whos_who:
        out += [f"### {md(group.label)}", ""]
        rows = []
        for e in group.entries:
            name = f"**{md(e.name)}**" + (f" (also {md(', '.join(e.aliases))})" if e.aliases else "")
            cells = [
                md("; ".join(o.roles)) if o.roles else ("*mentioned*" if o.mentioned else "—")
                for o in e.by_outlet
            ]
            rows.append([name, *cells])
        out += _table(["Name", *(md(o) for o in report.outlets)], rows)
    return out


def _quotes(report: StoryReport) -> list[str]:
    out = []
    for q in report.quotes:
        words = md(q.words) if q.kind == "indirect" else f"“{md(q.words)}”"
        how = ", ".join([*map(md, q.cues), *(f"via {md(v)}" for v in q.via)])
        out.append(f"- {words} — **{md(q.speaker)}**{', ' + how if how else ''} ({q.kind}) {_cites(q.cites)}")
        out += [f"    - also worded: {md(v)}" for v in q.variants]
    return [*out, ""]


def _matrix(report: StoryReport) -> list[str]:
    rows = [
        [
            f"{md(row.text)} *({'single source' if row.status == 'unique' else row.status})*",
            *(_STANCE.get(c, md(c)) for c in row.cells),
        ]
        for row in report.matrix.rows
    ]
    return _table(["Claim", *(md(o) for o in report.matrix.outlets)], rows)


def _differences(report: StoryReport) -> list[str]:
    out = []
    for d in report.differences:
        out += [f"### {md(d.kind)}: {md(d.about)}", ""]
        if d.note:
            out += [md(d.note), ""]
        out += _table(["Outlet", "Wording"], ([md(s.outlet), md(s.text)] for s in d.spans))
    return out


def _framing(report: StoryReport) -> list[str]:
    rows = [
        [md(col.outlet), f"**{md(f.term)}**", md(f.kind.replace("_", " ")), md(f.context)]
        for col in report.framing
        for f in col.items
    ]
    return _table(["Outlet", "Term", "Kind", "Context"], rows)


def _sources(report: StoryReport) -> list[str]:
    rows = [
        [md(a.id), md(a.outlet), md(a.title or "(untitled)"), md(a.published), md(a.url or a.source)]
        for a in report.sources
    ]
    return _table(["id", "Outlet", "Title", "Published", "Where"], rows)


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
assert set(_SECTION) == set(SECTION_TITLES)
