"""Single-file HTML: everything inline, nothing fetched, every piece of article text escaped.

Article text is untrusted input; Jinja2's autoescape is on for every template, no field is
ever marked safe, and the page's Content-Security-Policy forbids scripts besides. The story
report needs no JavaScript: citations are plain links to sentence anchors in its appendix.
Control, bidi and zero-width characters, which escaping leaves alone, are shown as escapes
(`\\u202e`): the records are made safe before they are rendered (`safe_record`, names and
urls included), and every value a template prints passes `safe_text` besides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import jinja2
from markupsafe import Markup

from newsweave._version import __version__
from newsweave.model import Article
from newsweave.report.records import EMPTY, SECTION_TITLES, SECTIONS, Cite, StoryReport
from newsweave.safe_text import safe_record, safe_text


def finalize_safe(value: object) -> object:
    """Every `{{ … }}` passes here before autoescape: a value a template reaches that was not
    made safe before is made safe now. A macro's output (`Markup`) is made of such values."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return safe_text(value, multiline=True)
    return value


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("newsweave", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    finalize=finalize_safe,
)


def by_outlet(cites: Iterable[Cite]) -> list[tuple[str, list[Cite]]]:
    """Cites grouped by outlet, outlets in first-cited order: "Outlet" then its other sentences."""
    groups: dict[str, list[Cite]] = {}
    for cite in cites:
        groups.setdefault(cite.outlet, []).append(cite)
    return list(groups.items())


_ENV.filters["by_outlet"] = by_outlet


def _paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n\n") if p.strip()]


def render_articles_page(articles: Iterable[Article], *, title: str = "newsweave") -> str:
    """The articles page: metadata, clean body, captions, and what cleaning removed and why."""
    safe = map(safe_record, articles)
    items: list[dict[str, Any]] = [{"article": a, "paragraphs": _paragraphs(a.body)} for a in safe]
    outlets = sorted({a["article"].outlet for a in items if a["article"].outlet})
    return _ENV.get_template("articles.html.j2").render(
        title=title,
        items=items,
        outlets=outlets,
        version=__version__,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def render_html(report: StoryReport) -> str:
    """The story report as one self-contained HTML file (inline CSS, no scripts, prints well)."""
    return _ENV.get_template("story.html.j2").render(
        r=safe_record(report), sections=SECTIONS, titles=SECTION_TITLES, empty=EMPTY
    )


def render_story_index(reports: Sequence[StoryReport], files: Sequence[str], *, title: str) -> str:
    """The page that lists several stories' reports, each in its own file beside it."""
    return _ENV.get_template("stories.html.j2").render(
        items=list(zip(map(safe_record, reports), files, strict=True)),
        title=title,
        version=__version__,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
