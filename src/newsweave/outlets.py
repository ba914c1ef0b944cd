"""Outlet names: from a title's suffix ("… – The Outlet") or from a web domain.

A domain such as `www.thedailynews.com` becomes "The Daily News": the registrable domain is found
with the Public Suffix List (the `tld` package), so `news.example.com.au` is `example`'s and
`edition.example.com` is too, and its label's joined words are split with English word
frequencies (wordsegment), so no list of outlets is needed.
"""

from __future__ import annotations

import ipaddress
import re
from functools import cache
from urllib.parse import urlsplit

# Short words that are words, not initials: "the sun" stays "The Sun", "bbc" becomes "BBC".
_SHORT_WORDS = {
    "a",
    "an",
    "the",
    "of",
    "and",
    "in",
    "on",
    "at",
    "for",
    "to",
    "by",
    "new",
    "day",
    "sun",
    "war",
    "now",
    "one",
    "all",
    "our",
    "big",
    "red",
    "hub",
    "net",
    "web",
    "zone",
    "post",
    "city",
    "star",
    "mail",
    "age",
    "eye",
    "fox",
    "ink",
    "pen",
    "air",
    "sky",
    "bay",
    "hill",
}
_EMAIL = re.compile(r"[\w.+-]+@((?:[\w-]+\.)+[a-z]{2,})", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"^(?P<title>.{8,}?)\s+[|–—-]\s+(?P<outlet>[^|–—]{2,60})$")


def domain_of(url_or_host: str) -> str | None:
    """The registrable domain of a URL or host name, e.g. `example.co.uk` for
    `https://www.example.co.uk/news/1`.

    None when there is none: an IP address, a name without a dot, a public suffix itself.
    """
    host = urlsplit(url_or_host).hostname if "//" in url_or_host else url_or_host
    host = (host or "").lower().strip().rstrip(".")
    if "." not in host or _is_ip_address(host):
        return None
    # The Public Suffix List module loads its list on first use (about 0.1 s).
    from tld import Result, get_tld, is_tld

    if is_tld(host):
        return None
    found = get_tld(host, fix_protocol=True, as_object=True, fail_silently=True)
    if not isinstance(found, Result):
        # A suffix the list does not know (reserved `.example`, a new TLD): the list's own
        # default rule takes the last label as the suffix.
        return ".".join(host.split(".")[-2:])
    return found.fld


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def email_domain(text: str) -> str | None:
    """The domain of the first e-mail address in `text`."""
    match = _EMAIL.search(text)
    return match.group(1).lower() if match else None


@cache
def _segmenter() -> object:
    import wordsegment

    wordsegment.load()
    return wordsegment


def _capitalise(word: str) -> str:
    if len(word) <= 3 and word not in _SHORT_WORDS:
        return word.upper()
    return word.capitalize()


def outlet_from_domain(domain: str) -> str | None:
    """A readable outlet name from a domain or host: `www.thedailynews.com` → "The Daily News".

    None when it has no registrable domain (an IP address, an empty value).
    """
    registrable = domain_of(domain)
    if registrable is None:
        return None
    label = registrable.split(".")[0]
    parts = [p for p in re.split(r"[-_]", label) if p]
    words: list[str] = []
    for part in parts:
        words.extend(_segmenter().segment(part) if part.isalpha() else [part])  # type: ignore[attr-defined]
    return " ".join(_capitalise(w) for w in words) or registrable


def split_title_suffix(line: str) -> tuple[str, str] | None:
    """("Title", "Outlet") when a headline ends with an outlet name after a dash or bar."""
    match = _TITLE_SUFFIX.match(line.strip())
    if not match:
        return None
    outlet = match.group("outlet").strip()
    words = outlet.split()
    looks_like_name = (
        len(words) <= 6
        and (outlet[0].isupper() or outlet[0].isdigit())
        and not outlet.endswith((".", ",", ";", ":"))
        and sum(w[0].isupper() or w[0].isdigit() for w in words if w.lower() not in _SHORT_WORDS) >= 1
    )
    return (match.group("title").strip(), outlet) if looks_like_name else None
