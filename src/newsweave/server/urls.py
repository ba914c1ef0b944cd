"""Fetching a page a client names, without letting the client reach what the server can reach.

A URL given to `POST /api/urls` could point at the server's own admin ports, the cloud metadata
service (169.254.169.254) or a machine on the private network (server-side request forgery).
So, unless the server allows private addresses (tests do):

- only http and https;
- the host is resolved once, every address it resolves to must be public (not private, loopback,
  link-local, multicast, reserved or unspecified, IPv4-mapped forms included), and the request
  goes to that checked address (the Host header and TLS name stay the host's), so a second DNS
  answer cannot send it elsewhere;
- redirects are followed by hand, each hop checked the same way;
- no proxy from the environment, a byte limit on the body and one time limit on the whole fetch
  (resolving, every hop, headers and body: `anyio.fail_after`).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from functools import partial
from urllib.parse import urljoin

import anyio
import anyio.to_thread
import httpx

from newsweave._version import __version__

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_SITE_LOCAL = ipaddress.IPv6Network("fec0::/10")
_SCHEMES = {"http": 80, "https": 443}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_USER_AGENT = f"newsweave/{__version__}"


class UrlRefused(Exception):
    """The URL may not be fetched (its scheme, or where its host leads)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class FetchFailed(Exception):
    """The URL was allowed but fetching it did not give a page."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchLimits:
    max_bytes: int = 5_000_000
    """Body bytes read from one page; a larger page fails."""
    seconds: float = 15.0
    """For the whole fetch, every redirect included."""
    max_redirects: int = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class Fetched:
    url: str
    """Where the redirects led: the page's own URL."""
    content: bytes
    content_type: str


def why_not_public(address: IPAddress) -> str | None:
    """What kind of non-public address this is, or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv4 address inside an IPv6 one (mapped, 6to4, Teredo) is judged as itself.
        inner = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if inner is not None:
            return why_not_public(inner)
        if address in _SITE_LOCAL:  # deprecated, still routed on some networks; Python calls it public
            return "site-local"
    # The narrowest kind first: Python counts link-local and unspecified addresses as private too.
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    if not address.is_global:  # shared (100.64/10), documentation and benchmarking ranges
        return "non-global"
    return None


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise FetchFailed("unresolvable", f"cannot resolve {host!r}: {e}") from e
    # An IPv6 answer may carry a zone ("fe80::1%eth0"); the address is what is checked.
    return list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos))


def approved_address(host: str, port: int, *, allow_private: bool) -> IPAddress:
    """The address to connect to for `host`: its first, once every address it resolves to is
    public (a mix of public and private answers is refused too)."""
    addresses = _resolve(host, port)
    if not addresses:
        raise FetchFailed("unresolvable", f"{host!r} resolves to no address")
    if not allow_private:
        for address in addresses:
            if kind := why_not_public(address):
                raise UrlRefused(
                    "private_address",
                    f"{host!r} resolves to a {kind} address ({address}), which is not fetched",
                )
    return addresses[0]


def _parse(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as e:
        raise UrlRefused("invalid_url", f"not a URL: {e}") from e
    if parsed.scheme not in _SCHEMES:
        raise UrlRefused("scheme_not_allowed", f"only http and https URLs are fetched, not {parsed.scheme!r}")
    if not parsed.host:
        raise UrlRefused("invalid_url", "the URL names no host")
    return parsed


def _pinned_request(client: httpx.AsyncClient, url: httpx.URL, address: IPAddress) -> httpx.Request:
    """A GET of `url` sent to `address`, naming the host in its Host header and TLS handshake."""
    host = url.host
    return client.build_request(
        "GET",
        url.copy_with(host=str(address)),
        headers={
            "Host": url.netloc.decode("ascii"),
            "User-Agent": _USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        },
        extensions={"sni_hostname": host},
    )


async def _read_capped(response: httpx.Response, limits: FetchLimits) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchFailed(
            "too_large", f"the page is {int(declared):,} bytes, over the {limits.max_bytes:,} limit"
        )
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():  # decoded: a compressed page is counted as it expands
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchFailed("too_large", f"the page is over the {limits.max_bytes:,} byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _html_type(response: httpx.Response) -> str:
    content_type = str(response.headers.get("content-type", ""))
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind and kind not in _HTML_TYPES:
        raise FetchFailed("not_html", f"the URL gives {kind!r}, not an HTML page")
    return content_type


def fetch(url: str, *, allow_private: bool, limits: FetchLimits = FetchLimits()) -> Fetched:
    """The page at `url`, every hop checked as the module says, all of it within
    `limits.seconds`: a server that sends its headers a byte at a time, each in time for a read
    timeout, or a name that takes long to resolve, runs into the same deadline as a slow body.

    Raises:
        UrlRefused: the URL, or a redirect, leads somewhere not fetched.
        FetchFailed: no page came back (an error status, a timeout, too large, not HTML).
    """
    return anyio.run(_fetch, url, allow_private, limits)


async def _fetch(url: str, allow_private: bool, limits: FetchLimits) -> Fetched:
    try:
        with anyio.fail_after(limits.seconds):
            return await _follow(url, allow_private, limits)
    except TimeoutError as e:
        raise FetchFailed("timeout", f"the fetch took longer than {limits.seconds:g} s") from e


async def _follow(url: str, allow_private: bool, limits: FetchLimits) -> Fetched:
    current = url
    for _ in range(limits.max_redirects + 1):
        target = _parse(current)
        port = target.port or _SCHEMES[target.scheme]
        # Resolved in a worker thread, so the deadline can give up on it.
        address = await anyio.to_thread.run_sync(
            partial(approved_address, target.host, port, allow_private=allow_private), abandon_on_cancel=True
        )
        # A client per hop, without keep-alive: a connection made for one host name is never
        # reused for another that resolved to the same address.
        async with httpx.AsyncClient(
            trust_env=False,  # an environment proxy would connect wherever it liked
            follow_redirects=False,
            limits=httpx.Limits(max_keepalive_connections=0),
            timeout=limits.seconds,
        ) as client:
            try:
                response = await client.send(_pinned_request(client, target, address), stream=True)
            except httpx.TimeoutException as e:
                raise FetchFailed("timeout", f"no answer within {limits.seconds:g} s") from e
            except httpx.HTTPError as e:
                raise FetchFailed("unreachable", f"cannot fetch {target.host}: {e}") from e
            try:
                if response.is_redirect and "location" in response.headers:
                    current = urljoin(current, response.headers["location"])
                    continue
                if response.status_code >= 400:
                    raise FetchFailed("http_error", f"the server answered {response.status_code}")
                content_type = _html_type(response)
                content = await _read_capped(response, limits)
                return Fetched(url=current, content=content, content_type=content_type)
            except httpx.HTTPError as e:
                raise FetchFailed("unreachable", f"the page broke off: {e}") from e
            finally:
                await response.aclose()
    raise FetchFailed("too_many_redirects", f"more than {limits.max_redirects} redirects")
