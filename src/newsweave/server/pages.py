"""The web app: server-rendered pages over the store, readable without JavaScript.

`/` lists the stories (search, filter by outlet, dates and entity; paginated); `/stories/{id}`
shows a story (the cited brief, the timeline drawn as a figure, claims by outlet, quotes,
differences, framing, who's who); `/stories/{id}/read` sets two or more of its articles side
by side with every claim sentence marked; `/entities/{id}` and `/articles/{id}` show one entity
and one article. One stylesheet and one small script (which highlights a claim's partners in
the other articles) come from `/static`; nothing comes from the network.

Article text is untrusted. Templates autoescape, no value derived from input is marked safe,
records pass `safe_record` and every printed value `safe_text` (control, bidi and zero-width
characters shown as escapes), and a url becomes a link only when it is http(s). The pages only
read the store: they show what the analysis stages have stored so far, and never run them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from newsweave._version import __version__
from newsweave.document import ExportDocument, read_document
from newsweave.errors import ArticleNotFound, ConfigError, StoryNotFound
from newsweave.nlp.dates.calendar import calendar_span
from newsweave.report.records import EMPTY, SECTION_TITLES, Cite, StoryReport
from newsweave.report.render import by_outlet, finalize_safe
from newsweave.report.sections import build_report
from newsweave.safe_text import safe_name, safe_record
from newsweave.server.app import open_store
from newsweave.server.cache import UntilStoreChanges
from newsweave.server.figures import timeline_figure
from newsweave.server.page_data import (
    PAGE_SIZE,
    STATUS_LABELS,
    StoryFilters,
    all_outlets,
    article_context,
    entity_page,
    reading_anchor,
    reading_articles,
    story_list,
)
from newsweave.store import SQLiteStore
from newsweave.stories.records import Story, load_story

STATIC = Path(__file__).parent / "static"
Store = Annotated[SQLiteStore, Depends(open_store)]


def http_url(url: object) -> str:
    """The url if it is a clean http(s) url (shown as a link), else "" (shown as text only)."""
    if not isinstance(url, str):
        return ""
    candidate = url.strip()
    scheme = candidate.partition(":")[0].lower()
    if scheme not in ("http", "https") or not candidate[len(scheme) :].startswith("://"):
        return ""
    if any(c.isspace() or c in "\"'<>`\\" for c in candidate) or safe_name(candidate) != candidate:
        return ""  # a control, bidi or zero-width character: shown (as its escape), never followed
    return candidate


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("newsweave.server", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    finalize=finalize_safe,  # the reports' own: whatever reaches a page is made safe
)


def cite_href(root: str, story: int | str, cite: Cite) -> str:
    """Where a citation leads: its sentence in the story's reading view."""
    return f"{root}/stories/{story}/read#{reading_anchor(cite.anchor)}"


_ENV.filters.update(http_url=http_url, by_outlet=by_outlet, safe_name=safe_name)
_ENV.globals.update(
    cite_href=cite_href, status_labels=STATUS_LABELS, titles=SECTION_TITLES, empty=EMPTY, version=__version__
)


def _render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = _ENV.get_template(template).render(root=request.scope.get("root_path", ""), **context)
    return HTMLResponse(html, status_code=status_code)


def _not_found(request: Request, what: str) -> HTMLResponse:
    return _render(request, "error.html.j2", status_code=404, heading="Not found", message=what)


def _bad_request(request: Request, what: str) -> HTMLResponse:
    return _render(request, "error.html.j2", status_code=400, heading="Bad request", message=what)


# ---- a story, read once per request -------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Heading:
    """What the top of a story's pages says: title, size, outlets, dates."""

    title: str
    articles: int
    outlets: tuple[str, ...]
    period: str


def _day_label(day: date) -> str:
    span = calendar_span(day.isoformat())
    return span.label if span else day.isoformat()


def story_heading(story: Story) -> Heading:
    first, last = story.start, story.end
    period = ""
    if first and last:
        period = _day_label(first) if first == last else f"{_day_label(first)} – {_day_label(last)}"
    return Heading(
        title=story.title or f"Story {story.id}",
        articles=len(story.articles),
        outlets=story.outlets,
        period=period,
    )


def _story(store: SQLiteStore, story_id: str) -> Story | None:
    if not (story_id.isascii() and story_id.isdigit() and len(story_id) <= 18):  # SQLite's integers
        return None
    try:
        return load_story(store, int(story_id))
    except StoryNotFound:
        return None


def _cached(request: Request, kind: str) -> dict[int, Any]:
    cache: dict[int, Any] | None = getattr(request.state, kind, None)
    if cache is None:
        cache = {}
        setattr(request.state, kind, cache)
    return cache


def story_document(request: Request, store: SQLiteStore, story: Story) -> ExportDocument:
    """The story's export document, read once per request (never kept between requests: the
    next request sees what the stages stored since)."""
    cache = _cached(request, "story_documents")
    if story.id not in cache:
        cache[story.id] = read_document(store, store.articles(ids=list(story.articles), latest_only=False))
    document: ExportDocument = cache[story.id]
    return document


def story_report(request: Request, store: SQLiteStore, story: Story) -> StoryReport:
    """The story's report (`build_report`), built once per request from its document."""
    cache = _cached(request, "story_reports")
    if story.id not in cache:
        cache[story.id] = build_report(story_document(request, store, story), story=str(story.id))
    report: StoryReport = cache[story.id]
    return report


# ---- pages ---------------------------------------------------------------------------------

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def _day(value: str, name: str, errors: dict[str, str]) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors[name] = f"{value!r} is not a date; write it as YYYY-MM-DD"
        return None


def _page_links(params: dict[str, str], page: int, pages: int) -> dict[str, str]:
    kept = {k: v for k, v in params.items() if v}

    def link(n: int) -> str:
        return "?" + urlencode({**kept, "page": str(n)} if n > 1 else kept)

    links = {}
    if page > 1:
        links["prev"] = link(page - 1)
        links["first"] = link(1)
    if page < pages:
        links["next"] = link(page + 1)
        links["last"] = link(pages)
    return links


@router.get("/")
def index(
    request: Request,
    store: Store,
    q: str = "",
    outlet: str = "",
    since: str = "",
    until: str = "",
    entity: str = "",
    page: str = "1",
) -> HTMLResponse:
    """The story list: search box and filters, a page of stories."""
    errors: dict[str, str] = {}
    filters = StoryFilters(
        q=q.strip()[:500],
        outlet=outlet.strip(),
        since=_day(since, "since", errors),
        until=_day(until, "until", errors),
        entity=entity.strip()[:200],
    )
    number = int(page) if page.isascii() and page.isdigit() and len(page) <= 6 else 1
    result = story_list(store, filters, number)
    params = {"q": q, "outlet": outlet, "since": since, "until": until, "entity": entity}
    return _render(
        request,
        "index.html.j2",
        stories=safe_record(result),
        params=params,
        filters=filters,
        errors=errors,
        outlets=all_outlets(store),
        page_size=PAGE_SIZE,
        links=_page_links(params, result.page, result.pages),
    )


def _kept(request: Request, build: Callable[[], Response]) -> Response:
    """A page that is the same for every reader until something is written to the store (a
    story page, a reading view): built once, then served as kept (`UntilStoreChanges`, shared
    with the API's story documents). Under load, building a large story's report on every
    request queued every other request behind it."""
    cache: UntilStoreChanges = request.app.state.story_cache
    key = f"page:{request.url.path}?{request.url.query}"
    body, version = cache.get(key)
    if body is not None:
        return HTMLResponse(body)
    response = build()
    if response.status_code == 200:
        cache.put(key, bytes(response.body), version)
    return response


@router.get("/stories/{story_id}", response_model=None)
def story_page(request: Request, store: Store, story_id: str) -> Response:
    """A story: brief, timeline figure, claims by outlet, quotes, differences, framing, who's who."""
    return _kept(request, lambda: _story_page(request, store, story_id))


def _story_page(request: Request, store: SQLiteStore, story_id: str) -> Response:
    story = _story(store, story_id)
    if story is None:
        return _not_found(request, f"There is no story {story_id!r}.")
    if str(story.id) != story_id:  # a merged story's old id: the story it joined
        return RedirectResponse(f"{request.scope.get('root_path', '')}/stories/{story.id}", status_code=308)
    report = story_report(request, store, story)
    shown = replace(report, sources=tuple(replace(a, paragraphs=(), removed=()) for a in report.sources))
    return _render(
        request,
        "story.html.j2",
        r=safe_record(shown),  # the article bodies are the reading view's: not made safe for nothing
        story=safe_record(story),
        figure=safe_record(timeline_figure(report.timeline)),
    )


def _chosen(values: Iterable[str], story: Story) -> tuple[list[str], list[str]]:
    """The story's articles asked for (`articles=a,b` or `articles=a&articles=b`), in the order
    asked, and the ids that are not the story's."""
    asked = list(dict.fromkeys(v.strip() for value in values for v in value.split(",") if v.strip()))
    members = set(story.articles)
    return [a for a in asked if a in members], [a for a in asked if a not in members]


@router.get("/stories/{story_id}/read", response_model=None)
def reading_view(
    request: Request,
    store: Store,
    story_id: str,
    articles: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """Articles of a story side by side, each claim sentence marked by its status."""
    return _kept(request, lambda: _reading_view(request, store, story_id, articles or []))


def _reading_view(request: Request, store: SQLiteStore, story_id: str, articles: list[str]) -> Response:
    story = _story(store, story_id)
    if story is None:
        return _not_found(request, f"There is no story {story_id!r}.")
    chosen, unknown = _chosen(articles, story)
    if unknown:
        return _bad_request(
            request, f"Story {story.id} has no article {', '.join(unknown)}; choose among its articles."
        )
    if str(story.id) != story_id:
        query = ("?" + urlencode({"articles": ",".join(chosen)})) if chosen else ""
        return RedirectResponse(
            f"{request.scope.get('root_path', '')}/stories/{story.id}/read{query}", status_code=308
        )
    document = story_document(request, store, story)
    by_id = {a.id: a for a in document.articles}
    shown = [by_id[a] for a in (chosen or [a.id for a in document.articles]) if a in by_id]
    columns = reading_articles(shown, document.claims, document.claim_groups)
    return _render(
        request,
        "read.html.j2",
        heading=safe_record(story_heading(story)),
        story=safe_record(story),
        columns=safe_record(columns),
        shown={a.id for a in shown},
        all_articles=safe_record(document.articles),
    )


@router.get("/entities/{entity_id}", response_model=None)
def entity(request: Request, store: Store, entity_id: str) -> Response:
    """An entity: its aliases, each outlet's roles for it, its quotes and stories."""
    found = entity_page(store, entity_id)
    if found is None:
        return _not_found(request, f"There is no entity {entity_id!r}.")
    return _render(request, "entity.html.j2", e=safe_record(found))


@router.get("/articles/{article_id}", response_model=None)
def article(request: Request, store: Store, article_id: str) -> Response:
    """One article: its metadata, its story, the entities it names, its body with claims marked."""
    try:
        found = store.get(article_id)
    except (ArticleNotFound, ConfigError):
        return _not_found(request, f"There is no article {article_id!r}.")
    context = article_context(store, found)
    (column,) = reading_articles([found], context.claims, context.groups)
    return _render(
        request,
        "article.html.j2",
        a=safe_record(found),
        column=safe_record(column),
        context=safe_record(context),
    )


_KEPT_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options")


async def _html_not_found(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """An address outside the API that no page answers gets the pages' 404 page (not the
    framework's JSON), with the security headers the app gave the original answer."""
    response = await call_next(request)
    path: str = request.scope.get("path", "")
    if response.status_code != 404 or path == "/api" or path.startswith("/api/"):
        return response
    if not response.headers.get("content-type", "").startswith("application/json"):
        return response
    page = _not_found(request, "There is no page at this address.")
    for name in _KEPT_HEADERS:
        if name in response.headers:
            page.headers[name] = response.headers[name]
    return page


def install(app: FastAPI) -> None:
    """Add the pages and their static files (`/static`) to the app."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.middleware("http")(_html_not_found)
