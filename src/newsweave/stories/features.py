"""What story clustering reads from an article: its words, its names, its date and its vector.

Words are lower-cased content words (stop words and one- or two-letter tokens dropped) with
their counts; TF-IDF weights are applied later, by the clusterer, from document frequencies it
keeps as articles arrive. Names come from the language layer when it has run (the store-wide
entity ids), else from capitalised word sequences, a cheap stand-in that needs no model.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# Words a news article uses whatever it reports: they say nothing about which story it is.
_NEWS_WORDS = frozenset(
    [
        "said",
        "says",
        "told",
        "according",
        "reported",
        "reports",
        "report",
        "year",
        "years",
        "week",
        "weeks",
        "day",
        "days",
        "time",
        "new",
        "old",
        "people",
        "just",
        "like",
        "including",
        "also",
        "percent",
        "month",
        "months",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
        "tomorrow",
        "news",
        "statement",
        "added",
    ]
)
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | _NEWS_WORDS
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|\d[\d,.]*\d")
_NAME = re.compile(r"\b[A-Z][\w'’-]*[^\W_](?:\s+(?:(?:of|de|la|van|von|al|bin)\s+)?[A-Z][\w'’-]*[^\W_])*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s+|\n\s*)$")
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryFeatures:
    """One article as the clusterer sees it."""

    article_id: str
    title: str
    published: date | None
    outlet: str | None
    terms: Mapping[str, int]
    """Content words and their counts (title words counted twice: the headline says most)."""
    names: frozenset[str]
    """Normalised names of the people, places and organisations it mentions."""
    vector: NDArray[np.float32]
    """Unit-length text embedding."""


def words(text: str) -> list[str]:
    """Content words of a text, lower-cased, stop words removed."""
    out = []
    for match in _WORD.finditer(text):
        word = _POSSESSIVE.sub("", match.group().lower().replace("’", "'"))
        if len(word) > 2 and word not in STOP_WORDS:
            out.append(word)
    return out


def term_counts(title: str, body: str) -> Counter[str]:
    counts = Counter(words(body))
    counts.update(words(title) * 2)
    return counts


def capitalised_names(text: str) -> frozenset[str]:
    """Capitalised word sequences that are not a sentence's ordinary first word."""
    found: set[str] = set()
    for match in _NAME.finditer(text):
        name = _POSSESSIVE.sub("", match.group())
        first, *rest = name.split()
        sentence_initial = bool(_SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]))
        if sentence_initial and first.lower() in STOP_WORDS:
            if not rest:
                continue
            name = " ".join(rest)
        elif not rest and (first.lower() in STOP_WORDS or sentence_initial):
            continue
        if len(name) > 2:
            found.add(normalise_name(name))
    return frozenset(found)


def normalise_name(name: str) -> str:
    return " ".join(name.replace("’", "'").lower().split())


def make_features(
    *,
    article_id: str,
    title: str | None,
    body: str,
    published: date | None,
    outlet: str | None,
    vector: NDArray[np.float32],
    names: Iterable[str] | None = None,
) -> StoryFeatures:
    """Features of one article; `names` from the language layer, else capitalised sequences."""
    head = title or ""
    found = frozenset(normalise_name(n) for n in names) if names is not None else None
    return StoryFeatures(
        article_id=article_id,
        title=head,
        published=published,
        outlet=outlet,
        terms=term_counts(head, body),
        names=found if found else capitalised_names(f"{head}\n{body}"),
        vector=vector,
    )


def sublinear(count: int) -> float:
    """Term frequency damped: the tenth mention of a word says less than the first."""
    return 1.0 + math.log(count)
