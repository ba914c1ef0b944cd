"""One JSON error shape for the whole API, `{"error": {"status", "code", "message"}}`, whatever
went wrong: a missing article, a bad parameter, a body too large, a missing token, a bug.

The handlers answer for paths under `/api` only; anything else (the web pages) keeps FastAPI's
default answers, so the pages can install their own. No stack trace reaches a client: the log
has it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsweave.errors import (
    ArticleNotFound,
    ConfigError,
    IngestError,
    NewsweaveError,
    StoreError,
    StoryNotFound,
)

API_PREFIX = "/api"
log = logging.getLogger("newsweave.server")
_MAX_MESSAGE = 1_000

# The tree of errors.py, mapped once: (status, code) of the most specific class that matches.
_NEWSWEAVE_STATUS: tuple[tuple[type[NewsweaveError], int, str], ...] = (
    (ArticleNotFound, 404, "not_found"),
    (StoryNotFound, 404, "not_found"),
    (ConfigError, 400, "bad_request"),
    (IngestError, 422, "unreadable_input"),
    (StoreError, 503, "store_unavailable"),
    (NewsweaveError, 500, "analysis_failed"),
)


class ApiError(HTTPException):
    """An error the API answers on purpose, with its stable `code`."""

    def __init__(
        self, status: int, code: str, message: str, *, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(status_code=status, detail=message, headers=dict(headers) if headers else None)
        self.code = code


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"status": status, "code": code, "message": message[:_MAX_MESSAGE]}}
    return JSONResponse(body, status_code=status, headers=dict(headers) if headers else None)


def _code_of(status: int) -> str:
    """`not_found` for 404: the status's name, as a code, when no more specific one was given."""
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def is_api(request: Request) -> bool:
    path: str = request.scope.get("path", "")
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if not is_api(request):
        return await http_exception_handler(request, exc)
    code = exc.code if isinstance(exc, ApiError) else _code_of(exc.status_code)
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return error_response(exc.status_code, code, message, headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette's 405 names the first route's
    only, and GET and POST /api/articles are two routes)."""
    methods: set[str] = set()
    for route in request.app.routes:
        if isinstance(route, APIRoute) and route.matches(request.scope)[0] != Match.NONE:
            methods |= route.methods or set()
    return sorted(methods)


def _where(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location) or "request"


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if not is_api(request):
        return await request_validation_exception_handler(request, exc)
    # Each problem as "where: what"; the values sent are not echoed (they may be large).
    problems = [f"{_where(tuple(e.get('loc', ())))}: {e.get('msg', 'invalid')}" for e in exc.errors()]
    return error_response(422, "validation_error", "; ".join(problems) or "the request is not valid")


def _internal(request: Request, exc: BaseException) -> Response:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "the server failed to answer; its log says why")


async def _unexpected(request: Request, exc: Exception) -> Response:
    """The last resort (Starlette's server-error middleware, outside every other one)."""
    if not is_api(request):
        return PlainTextResponse("Internal Server Error", status_code=500)
    return _internal(request, exc)


def newsweave_error_response(exc: NewsweaveError) -> JSONResponse:
    status, code = next((s, c) for kind, s, c in _NEWSWEAVE_STATUS if isinstance(exc, kind))
    if status >= 500:
        log.error("newsweave error", exc_info=exc)
    return error_response(status, code, str(exc))


class ApiRoute(APIRoute):
    """An API route that answers newsweave's errors and any bug in the JSON shape from inside
    the app, so the answer still passes through the middleware (security headers included)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except (HTTPException, RequestValidationError):
                raise  # the app's handlers answer these
            except NewsweaveError as e:
                return newsweave_error_response(e)
            except Exception as e:  # a bug must cost one request, with no trace sent to the client
                return _internal(request, e)

        return handle


class BodyLimit:
    """Refuse a request body under `/api` larger than the server's `max_upload_bytes`, before it
    is read: a declared Content-Length over the limit at once, a chunked body as soon as the
    bytes received pass it (FastAPI would otherwise spool a whole upload to disk first).

    It raises an `ApiError` from `receive`, so the 413 is answered like any other error."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not (path == API_PREFIX or path.startswith(API_PREFIX + "/")):
            await self.app(scope, receive, send)
            return
        limit: int = scope["app"].state.config.max_upload_bytes
        declared = _content_length(scope)
        received = 0

        async def limited() -> Message:
            nonlocal received
            if declared is not None and declared > limit:
                raise _too_large(limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _too_large(limit)
            return message

        await self.app(scope, limited, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _too_large(limit: int) -> ApiError:
    return ApiError(
        413, "too_large", f"the request body is larger than the {limit:,} bytes this server accepts"
    )


def install_errors(app: FastAPI) -> None:
    """The handlers and the body limit, on `app`."""
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
    # Innermost, under every middleware already added: a middleware built on BaseHTTPMiddleware
    # (the security headers) reads the body in a task group, which would wrap the 413 raised
    # here in an ExceptionGroup that FastAPI answers as a 400.
    app.user_middleware.append(Middleware(BodyLimit))
