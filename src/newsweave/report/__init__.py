"""The story report: brief, timeline, who's who, quote board, claims by outlet, differences, framing.

`build_report(document)` turns the export document (`ExportDocument`) into section records
(`records.py`); the renderers show them as one self-contained HTML file, Markdown, or in the
terminal with Rich. JSON is the export contract itself (`contract.to_json`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from newsweave.contract import to_json
from newsweave.document import ExportDocument
from newsweave.errors import ConfigError
from newsweave.report.markdown import render_markdown, render_markdown_stories
from newsweave.report.records import StoryReport
from newsweave.report.render import render_articles_page, render_html, render_story_index
from newsweave.report.sections import build_report, build_reports, filter_document
from newsweave.report.terminal import render_terminal

ReportFormat = Literal["html", "md", "json", "terminal"]
FORMATS: tuple[ReportFormat, ...] = ("html", "md", "json", "terminal")
_SUFFIXES: dict[str, ReportFormat] = {
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
}


def choose_format(fmt: str | None, out: Path | None) -> ReportFormat:
    """The format asked for; else from the output file's suffix (HTML if unknown); else terminal.

    Raises:
        ConfigError: an unknown format, or the terminal asked for with an output file.
    """
    if fmt is None:
        return _SUFFIXES.get(out.suffix.lower(), "html") if out is not None else "terminal"
    if fmt not in FORMATS:
        raise ConfigError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "terminal" and out is not None:
        raise ConfigError("--format terminal prints the report; drop --out, or write html, md or json")
    return fmt


def render_document(document: ExportDocument, fmt: ReportFormat, *, story: str | None = None) -> str:
    """The report of an export document as the text of one file (html, md or json)."""
    if fmt == "json":
        data = to_json(filter_document(document, story))
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    report = build_report(document, story=story)
    if fmt == "md":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report)
    raise ConfigError(f"{fmt} is printed, not written to a file")


def story_files(out: Path, reports: Sequence[StoryReport]) -> list[tuple[Path, str]]:
    """One HTML file per story beside `out` (`NAME.story-ID.html`), and `out` the index that links
    them: a store of several stories is read story by story."""
    files = [out.with_name(f"{out.stem}.story-{r.story}{out.suffix or '.html'}") for r in reports]
    written = [(path, render_html(r)) for path, r in zip(files, reports, strict=True)]
    index = render_story_index(reports, [p.name for p in files], title=f"{len(reports)} stories")
    return [(out, index), *written]


__all__ = [
    "FORMATS",
    "ReportFormat",
    "StoryReport",
    "build_report",
    "build_reports",
    "choose_format",
    "filter_document",
    "render_articles_page",
    "render_document",
    "render_html",
    "render_markdown",
    "render_markdown_stories",
    "render_terminal",
    "story_files",
]
