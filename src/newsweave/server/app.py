"""The application: one FastAPI app serving the REST API and the web pages over one store.

Every response carries a strict Content-Security-Policy (no script, style or font from
anywhere but this server, and no inline script or style at all), so a payload that
escaped escaping still could not run. Write endpoints need the server's token whenever it
listens on anything but loopback (`ServerConfig.token`), and no page of another site can make a
browser write here, or reach a server on loopback under another name (`origin.py`)."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request, Response

from newsweave.server.cache import UntilStoreChanges
from newsweave.server.errors import error_response
from newsweave.server.origin import lacks_token, refusal
from newsweave.settings import Settings, load_settings
from newsweave.store import SQLiteStore


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerConfig:
    """What one server serves and how."""

    db: Path
    settings: Settings
    token: str | None = None
    """Bearer token the write endpoints require; None only when listening on loopback."""
    max_upload_bytes: int = 20_000_000
    allow_private_urls: bool = False
    """URL ingestion may fetch private, loopback and link-local addresses (tests only)."""
    loopback_only: bool = False
    """Answer only requests addressed to a loopback name (a server listening on loopback)."""


class StorePool:
    """Connections to the store, reused from one request to the next: opening one (WAL mode,
    pragmas, the schema version) costs about 2 ms, more than most reads take (measured: 3.2 ms
    a story search with its own connection, 1.3 ms on one kept open)."""

    def __init__(self, db: Path, *, keep: int = 16) -> None:
        self.db = db
        self.keep = keep
        self._idle: list[SQLiteStore] = []
        self._lock = threading.Lock()

    def take(self) -> SQLiteStore:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return SQLiteStore(self.db)

    def give_back(self, store: SQLiteStore) -> None:
        with self._lock:
            if len(self._idle) < self.keep:
                self._idle.append(store)
                return
        store.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for store in idle:
            store.close()


# No inline script or style anywhere: the pages' one script and one stylesheet come from /static,
# so no nonce is needed, and a page can be kept and served again as it is.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def create_app(
    db: str | Path, *, token: str | None = None, settings: Settings | None = None, loopback_only: bool = False
) -> FastAPI:
    """The app over the store at `db`; `loopback_only` for a server listening on loopback (it
    then refuses requests addressed to any other name: DNS rebinding)."""
    from newsweave.server import api, pages

    config = ServerConfig(
        db=Path(db), settings=settings or load_settings(), token=token, loopback_only=loopback_only
    )
    SQLiteStore(config.db).close()  # create and migrate the store once, before any request
    app = FastAPI(
        title="newsweave",
        summary="Many news articles, one verified story: search, stories, claims, quotes, entities.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the interactive docs page loads its script from a CDN: not offline
        redoc_url=None,
    )
    app.state.config = config
    app.state.stores = StorePool(config.db)
    # Story documents (API) and story pages (web app), kept until anything is written to the store.
    app.state.story_cache = UntilStoreChanges(config.db)
    app.router.on_shutdown.extend([app.state.stores.close, app.state.story_cache.close])

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        config = config_of(request)
        refused = refusal(request, loopback_only=config.loopback_only)
        if refused is not None:
            response: Response = error_response(403, "cross_site_refused", refused)
        elif lacks_token(request, config.token, request.app.state.write_paths):
            response = error_response(
                401,
                "unauthorized",
                "this endpoint needs the server's token: send `Authorization: Bearer <token>`",
                headers={"WWW-Authenticate": "Bearer"},
            )
        else:
            response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    api.install(app)
    pages.install(app)
    return app


def config_of(request: Request) -> ServerConfig:
    config: ServerConfig = request.app.state.config
    return config


def open_store(request: Request) -> Iterator[SQLiteStore]:
    """A FastAPI dependency: a connection to the store for one request, taken from the app's
    pool and given back after (sync endpoints run in a thread pool; a connection is used by one
    request at a time, whichever thread that request runs on)."""
    pool: StorePool = request.app.state.stores
    store = pool.take()
    try:
        yield store
    finally:
        pool.give_back(store)
