"""The REST API under `/api`: search and read articles, stories and entities; ingest articles,
files and URLs; judge a claim's stance. OpenAPI at `/api/openapi.json`; docs/server.md.

Read endpoints only read: they never run analysis (a story page of a store with articles still
pending shows what has been analysed). Write endpoints (every POST) need the server's token when
it has one, and return once the analysis of what they stored is done (`intake.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import IO, Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, File, Form, Path, Query, Request, Response, UploadFile

from newsweave.contract import article_json, to_json
from newsweave.errors import ArticleNotFound, StoryNotFound
from newsweave.export import export_document
from newsweave.ingest.html import read_html
from newsweave.model import Document, Rejected
from newsweave.report.brief import BRIEF_ITEMS, brief_lines
from newsweave.report.records import Sources
from newsweave.report.timeline import timeline_entries
from newsweave.server import schemas
from newsweave.server.app import ServerConfig, config_of, open_store
from newsweave.server.cache import UntilStoreChanges
from newsweave.server.errors import ApiError, ApiRoute, install_errors
from newsweave.server.intake import Ingested, Intake
from newsweave.server.security import require_token
from newsweave.server.urls import FetchFailed, UrlRefused, fetch
from newsweave.store import SQLiteStore
from newsweave.store.search import SearchFilters
from newsweave.stories.records import Story, load_story

_HEX_ID = r"^[0-9a-fA-F]+$"
_CHUNK = 1 << 20


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses an endpoint may answer, all in the one shape."""
    return {
        status: {"model": schemas.ErrorBody, "description": "An error, in the API's one shape."}
        for status in statuses
    }


_READ_ERRORS = _errors(422, 500, 503)
_WRITE_ERRORS = _errors(400, 401, 413, 422, 500, 503)  # 400: a body that is not JSON at all

router = APIRouter(route_class=ApiRoute)
Store = Annotated[SQLiteStore, Depends(open_store)]
Limit = Annotated[int, Query(ge=1, le=100, description="Results on one page.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Results skipped before this page.")]
SearchText = Annotated[
    str | None,
    Query(
        max_length=500,
        description='Words that must all appear (title, body or outlet); "a phrase" in quotes; '
        "`word*` for a prefix. Stemmed and accent-blind. Ranked by bm25.",
    ),
]


def search_filters(
    outlet: Annotated[str | None, Query(max_length=500, description="Outlet name, ignoring case.")] = None,
    published_from: Annotated[
        schemas.IsoDay | None, Query(description="Published on or after (YYYY-MM-DD).")
    ] = None,
    published_to: Annotated[
        schemas.IsoDay | None, Query(description="Published on or before (YYYY-MM-DD).")
    ] = None,
    entity: Annotated[
        str | None,
        Query(max_length=64, pattern=_HEX_ID, description="Only articles mentioning this entity id."),
    ] = None,
) -> SearchFilters:
    return SearchFilters(
        outlet=outlet, published_from=published_from, published_to=published_to, entity=entity
    )


Filters = Annotated[SearchFilters, Depends(search_filters)]


def _query(q: str | None) -> str | None:
    return q if q is not None and q.strip() else None


def _intake(request: Request) -> Intake:
    intake: Intake = request.app.state.intake
    return intake


# Reading


@router.get("/articles", tags=["articles"], responses=_READ_ERRORS)
def list_articles(
    store: Store, filters: Filters, q: SearchText = None, limit: Limit = 20, offset: Offset = 0
) -> schemas.ArticlePage:
    """Articles (latest versions), searched by `q` and filtered; newest first without `q`."""
    page = store.search_articles(_query(q), filters, limit=limit, offset=offset)
    return schemas.ArticlePage(
        items=[schemas.ArticleHit.model_validate(asdict(hit)) for hit in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/articles/{article_id}", tags=["articles"], responses={**_READ_ERRORS, **_errors(404)})
def get_article(
    store: Store,
    article_id: Annotated[
        str, Path(min_length=4, max_length=64, pattern=_HEX_ID, description="An id, or a unique prefix.")
    ],
) -> schemas.ArticleDetail:
    """One article version: its metadata, clean body, captions and what cleaning removed."""
    try:
        article = store.get(article_id)
    except ArticleNotFound as e:
        raise ApiError(404, "not_found", f"no article has the id (or unique id prefix) {article_id!r}") from e
    return schemas.ArticleDetail.model_validate(
        {
            **article_json(article),
            "key": article.key,
            "is_latest": article.is_latest,
            "content_hash": article.content_hash,
            "ingested_at": article.ingested_at,
            "notes": list(article.notes),
            "stories": store.story_ids_of([article.id]),
        }
    )


@router.get("/stories", tags=["stories"], responses=_READ_ERRORS)
def list_stories(
    store: Store, filters: Filters, q: SearchText = None, limit: Limit = 20, offset: Offset = 0
) -> schemas.StoryPage:
    """Stories with an article that matches `q` and the filters (the best match first); without
    `q`, the largest stories first."""
    page = store.search_stories(_query(q), filters, limit=limit, offset=offset)
    return schemas.StoryPage(
        items=[schemas.StoryHit.model_validate(asdict(hit)) for hit in page.items],
        total=page.total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/stories/{story_id}",
    tags=["stories"],
    response_model=schemas.StoryDocument,
    responses={**_READ_ERRORS, **_errors(404)},
)
def get_story(
    store: Store,
    request: Request,
    story_id: Annotated[int, Path(ge=0, le=2**62, description="A story id (a merged one leads on).")],
) -> Response:
    """One story's analysis as the export contract has it (articles, entities, quotes, claims,
    claim groups with provenance, differences, framing), with its brief and timeline."""
    cache: UntilStoreChanges = request.app.state.story_cache
    body, version = cache.get(str(story_id))
    if body is None:
        try:
            story = load_story(store, story_id)
        except StoryNotFound as e:
            raise ApiError(404, "not_found", f"no story has the id {story_id}") from e
        body = _story_document(store, story).model_dump_json().encode()
        cache.put(str(story_id), body, version)
    return Response(body, media_type="application/json")


def _story_document(store: SQLiteStore, story: Story) -> schemas.StoryDocument:
    """The story's records as the contract writes them, and the report's brief and timeline
    (computed as `report.sections.build_report` does, without the sections not shown here)."""
    document = export_document(store, store.articles(ids=list(story.articles), latest_only=False))
    sources = Sources(document.articles, document.claims)
    brief = brief_lines(document.claim_groups, sources)
    return schemas.StoryDocument.model_validate(
        {
            **to_json(document),
            "brief": [asdict(line) for line in brief[:BRIEF_ITEMS]],
            "brief_omitted": max(len(brief) - BRIEF_ITEMS, 0),
            "timeline": [
                asdict(entry) for entry in timeline_entries(document.timexes, document.claim_groups, sources)
            ],
        }
    )


@router.get("/entities/{entity_id}", tags=["entities"], responses={**_READ_ERRORS, **_errors(404)})
def get_entity(
    store: Store, entity_id: Annotated[str, Path(min_length=1, max_length=64, pattern=_HEX_ID)]
) -> schemas.EntityDetail:
    """An entity across the store: its names, what each outlet calls it, its quotes, its stories."""
    profile = store.entity_profile(entity_id)
    if profile is None:
        raise ApiError(404, "not_found", f"no entity has the id {entity_id!r}")
    roles: dict[str, schemas.OutletRoles] = {}
    for role in profile.roles:
        seen = roles.setdefault(role.outlet, schemas.OutletRoles(outlet=role.outlet, roles=[], articles=[]))
        if role.text not in seen.roles:
            seen.roles.append(role.text)
        if role.article not in seen.articles:
            seen.articles.append(role.article)
    return schemas.EntityDetail(
        id=profile.id,
        name=profile.name,
        type=profile.type,
        aliases=list(profile.aliases),
        articles=profile.articles,
        roles=list(roles.values()),
        quotes=[schemas.EntityQuote.model_validate(asdict(q)) for q in profile.quotes],
        stories=[schemas.EntityStory(id=i, title=t, articles=n) for i, t, n in profile.stories],
    )


# Writing


def _result(ingested: Ingested) -> dict[str, Any]:
    report = ingested.report
    return {
        "added": report.added,
        "new_versions": report.new_versions,
        "unchanged": report.unchanged,
        "articles": ingested.articles,
        "rejected": [asdict(r) for r in report.rejected],
        "analysed": ingested.analysed,
    }


@router.post("/articles", tags=["ingest"], dependencies=[Depends(require_token)], responses=_WRITE_ERRORS)
def post_article(article: schemas.ArticleIn, request: Request) -> schemas.IngestResult:
    """Ingest one article given as JSON (`text` or `html`), then analyse; returns once analysed."""
    ingested = _intake(request).article(article.model_dump(mode="json", exclude_none=True))
    return schemas.IngestResult.model_validate(_result(ingested))


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(_CHUNK):
        yield chunk


@router.post("/uploads", tags=["ingest"], dependencies=[Depends(require_token)], responses=_WRITE_ERRORS)
def post_upload(
    request: Request,
    file: Annotated[UploadFile, File(description="Text, HTML, JSON Lines, RSS/Atom or WARC; gzip too.")],
    published: Annotated[schemas.IsoDay | None, Form(description="For articles that carry no date.")] = None,
) -> schemas.IngestResult:
    """Ingest one file with the CLI's readers (its format found from its bytes), then analyse.
    The request may be at most the server's `max_upload_bytes` (413 past it)."""
    ingested = _intake(request).upload(file.filename or "upload", _chunks(file.file), published=published)
    return schemas.IngestResult.model_validate(_result(ingested))


def _fetched_document(url: str, allow_private: bool) -> tuple[schemas.UrlOutcome, Document | Rejected | None]:
    """The page at `url` read by the HTML reader, and what became of the fetch."""
    try:
        page = fetch(url, allow_private=allow_private)
    except UrlRefused as e:
        return schemas.UrlOutcome(url=url, status="refused", final_url=None, code=e.code, detail=str(e)), None
    except FetchFailed as e:
        return schemas.UrlOutcome(url=url, status="failed", final_url=None, code=e.code, detail=str(e)), None
    doc = read_html(page.content, source=page.url, url=page.url)
    outcome = schemas.UrlOutcome(url=url, status="stored", final_url=page.url, code=None, detail=None)
    return outcome, doc


@router.post("/urls", tags=["ingest"], dependencies=[Depends(require_token)], responses=_WRITE_ERRORS)
def post_urls(urls: schemas.UrlsIn, request: Request) -> schemas.UrlIngestResult:
    """Fetch pages server-side (http and https only, public addresses only, redirects checked
    hop by hop, size and time limits), read each as HTML, ingest, then analyse. Each URL's fate
    is in `urls`: stored, refused (where it leads is not fetched) or failed."""
    allow_private = config_of(request).allow_private_urls
    fetched = [_fetched_document(url, allow_private) for url in urls.urls]
    docs = [doc for _, doc in fetched if doc is not None]
    ingested = _intake(request).documents(docs, published=urls.published)
    outcomes, results = [], iter(ingested.outcomes)
    for outcome, doc in fetched:
        if doc is not None and isinstance(stored := next(results), Rejected):
            outcome = outcome.model_copy(
                update={"status": "failed", "code": stored.reason, "detail": stored.detail}
            )
        outcomes.append(outcome)
    return schemas.UrlIngestResult.model_validate({**_result(ingested), "urls": outcomes})


@router.post("/stance", tags=["stance"], dependencies=[Depends(require_token)], responses=_WRITE_ERRORS)
def post_stance(pair: schemas.StanceIn) -> schemas.StanceResult:
    """The stance of a text toward a claim: agree, disagree, discuss or unrelated (docs/stance.md)."""
    from newsweave.stance import LABELS, StancePair, predict

    (prediction,) = predict([StancePair(id="0", claim=pair.claim, body=pair.text)])
    return schemas.StanceResult(
        stance=prediction.stance,
        score=prediction.score,
        scores=dict(zip(LABELS, prediction.scores, strict=True)),
    )


# The write endpoints (each a POST, each behind `require_token`): the app refuses a POST to one
# of them without the token from its headers alone, before its body is received.
WRITE_PATHS = frozenset({"/api/articles", "/api/uploads", "/api/urls", "/api/stance"})


def install(app: FastAPI) -> None:
    """The API's routes under `/api`, its error handlers and body limit, and its writer."""
    config: ServerConfig = app.state.config
    app.state.intake = Intake(config.db, config.settings)
    app.state.write_paths = WRITE_PATHS
    app.router.on_shutdown.append(app.state.intake.close)
    install_errors(app)
    app.include_router(router, prefix="/api")
