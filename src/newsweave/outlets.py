"""Outlet names: from a title's suffix ("… – The Outlet") or from a web domain.

A domain such as `thedailynews.com` becomes "The Daily News" by splitting the joined words with
English word frequencies (wordsegment), so no list of outlets is needed.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

# Second-level labels under country codes: news.example.co.uk → "example".
_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or"}
_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.", "edition.", "news.")
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
    """The host of a URL without `www.`-like prefixes, e.g. `example.co.uk`."""
    host = urlsplit(url_or_host).hostname if "//" in url_or_host else url_or_host
    if not host or "." not in host:
        return None
    host = host.lower().rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
    return host


def email_domain(text: str) -> str | None:
    """The domain of the first e-mail address in `text`."""
    match = _EMAIL.search(text)
    return match.group(1).lower() if match else None


def _site_label(domain: str) -> str:
    labels = domain.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


@cache
def _segmenter() -> object:
    import wordsegment

    wordsegment.load()
    return wordsegment


def _capitalise(word: str) -> str:
    if len(word) <= 3 and word not in _SHORT_WORDS:
        return word.upper()
    return word.capitalize()


def outlet_from_domain(domain: str) -> str:
    """A readable outlet name from its domain: `thedailynews.com` → "The Daily News"."""
    label = _site_label(domain)
    parts = [p for p in re.split(r"[-_]", label) if p]
    words: list[str] = []
    for part in parts:
        words.extend(_segmenter().segment(part) if part.isalpha() else [part])  # type: ignore[attr-defined]
    return " ".join(_capitalise(w) for w in words) or domain


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
