"""Requests a browser sends on another site's behalf are refused.

A server without a token (on loopback) is reachable from any page its user opens: a hostile
page can submit a form to `http://127.0.0.1:8000/api/uploads` (no CORS preflight for a form),
and a DNS-rebinding page can reach it under a name of its own. So:
- a write (POST, PUT, PATCH, DELETE) whose `Origin` is not this server, or that the browser
  marks `Sec-Fetch-Site: cross-site`, is refused (scripts and curl send neither header);
- a server listening on loopback answers only requests addressed to a loopback name
  (`Host: 127.0.0.1:8000`, `localhost`, `[::1]`), not to a name that a rebinding page made point
  at it.
"""

from __future__ import annotations

import ipaddress
import secrets
from urllib.parse import urlsplit

from starlette.requests import Request

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _host_name(host_header: str) -> str:
    """The name of a `Host` header, without its port ("[::1]:8000" -> "::1")."""
    netloc = urlsplit(f"//{host_header}").hostname
    return (netloc or "").lower()


def is_loopback_name(name: str) -> bool:
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def refusal(request: Request, *, loopback_only: bool) -> str | None:
    """Why this request is refused, or None when it may go on."""
    host = request.headers.get("host", "")
    if loopback_only and not is_loopback_name(_host_name(host)):
        return f"this server answers requests to a loopback address only, not to {host!r}"
    if request.method in WRITES:
        if request.headers.get("sec-fetch-site") == "cross-site":
            return "a write sent by another site's page is refused"
        origin = request.headers.get("origin")
        if origin is not None and urlsplit(origin).netloc.lower() != host.lower():
            return f"a write from the origin {origin!r} is refused: it is not this server"
    return None


def lacks_token(request: Request, token: str | None, write_paths: frozenset[str]) -> bool:
    """A write (a POST to one of `write_paths`) without the server's token, told from its
    headers alone, so the 401 comes before a 20 MB body is received (the endpoints check the
    token again). Any other method or path is left to the routes (405, 404)."""
    if token is None or request.method != "POST" or request.url.path not in write_paths:
        return False
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), token.encode())
