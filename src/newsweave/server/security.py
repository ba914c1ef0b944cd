"""Who may write: the bearer token the write endpoints ask for, and when a server needs one.

A server on loopback serves its own machine only, so it may run without a token; on any other
address anyone who can reach the port could write to the store, so `newsweave serve` makes up a
token when none is given (`token_for_host`).
"""

from __future__ import annotations

import ipaddress
import secrets
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from newsweave.server.app import config_of
from newsweave.server.errors import ApiError

_bearer = HTTPBearer(
    auto_error=False,  # a missing header is answered by `require_token`, in the API's error shape
    description="`Authorization: Bearer <token>`: required by the write endpoints when the server "
    "has a token (always when it listens on anything but loopback).",
)


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address to listen on) reaches this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def token_for_host(host: str, token: str | None) -> tuple[str | None, bool]:
    """The token a server on `host` requires, and whether it was made up here (and so must be
    shown once to whoever started the server): the one given, else a new one unless on loopback."""
    if token:
        return token, False
    if is_loopback(host):
        return None, False
    return secrets.token_urlsafe(32), True


def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """A FastAPI dependency: let the request through when the server has no token or the request
    carries it; 401 otherwise. Compared in constant time, so timing tells nothing of the token."""
    expected = config_of(request).token
    if expected is None:
        return
    given = credentials.credentials if credentials is not None else ""
    if not secrets.compare_digest(given.encode(), expected.encode()):
        raise ApiError(
            401,
            "unauthorized",
            "this endpoint needs the server's token: send `Authorization: Bearer <token>`",
            headers={"WWW-Authenticate": "Bearer"},
        )
