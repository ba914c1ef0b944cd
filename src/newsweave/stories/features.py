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
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

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


@cache
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words and the words every news report uses. Measured against
    spaCy's list (with and without the news words, and the union of both lists), this one
    clusters best on FNC-1 and ECB+ (docs/benchmarks.md, "Stop words and lemmas"), and the news
    words earn their keep on both."""
    # Importing scikit-learn takes about a second and only its word list is used here: read it
    # on first use, not when the package is imported (`newsweave --help` should not wait).
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | _NEWS_WORDS


_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|\d[\d,.]*\d")
_NAME = re.compile(r"\b[A-Z][\w'’-]*[^\W_](?:\s+(?:(?:of|de|la|van|von|al|bin)\s+)?[A-Z][\w'’-]*[^\W_])*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s+|\n\s*)$")
_POSSESSIVE = re.compile(r"['’]s$")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_MARK = re.compile(
    r"(?=[\dA-Z])"  # a mark starts with a digit or a capital: skip other positions fast
    rf"(?:\b(?P<md>{_MONTH}\s+(?P<d1>[0-3]?\d))(?!\d|,\d)\b"
    rf"|\b(?P<dm>(?P<d2>[0-3]?\d)\s+{_MONTH})"
    r"|\b(?P<year>(?:19[5-9]|20[0-4])\d)\b"
    r"|\b(?P<wd>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b"
    r"|(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w]|[.,]\d))"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryFeatures:
    """One article as the clusterer sees it."""

    article_id: str
    title: str
    published: date | None
    outlet: str | None
    terms: Mapping[str, int]
    """Content words and their counts (title words and the first lines' words counted twice:
    the headline and lead say most; see `term_counts`)."""
    names: frozenset[str]
    """Normalised names of the people, places and organisations it mentions."""
    vector: NDArray[np.float32]
    """Unit-length text embedding."""
    marks: Mapping[str, int] = field(default_factory=dict)
    """What tells two events of one kind apart: years, days of the month and of the week, and
    numbers (tolls, magnitudes, ages), with their counts; see `event_marks`."""
    phrases: Mapping[str, int] = field(default_factory=dict)
    """Pairs of adjacent content words (`red sox`, `species act`) with their counts: two events
    of one kind share words, less often their phrases (title pairs counted twice)."""


def words(text: str) -> list[str]:
    """Content words of a text, lower-cased, stop words removed."""
    out = []
    stop = stop_words()
    for word in _WORD.findall(text.lower().replace("’", "'")):
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) > 2 and word not in stop:
            out.append(word)
    return out


def term_counts(title: str, body: str) -> Counter[str]:
    """Content-word counts, title words counted twice and the first lines' words once more:
    a report states its event first, background follows."""
    counts = Counter(words(body))
    counts.update(words(title) * 2)
    counts.update(words(body[:LEAD_CHARS]))
    return counts


LEAD_CHARS = 400
"""Where a report states its event: the headline and first lines (`e:` years)."""


def phrase_counts(title: str, body: str) -> Counter[str]:
    """Adjacent content-word pairs (stop words removed first, so `species act` stands for
    "the Endangered Species Act"), joined by a space: no single word contains one."""
    counts: Counter[str] = Counter()
    for text, times in ((body, 1), (title, 2)):
        found = words(text)
        for first, second in pairwise(found):
            counts[f"{first} {second}"] += times
    return counts


def event_marks(text: str) -> Counter[str]:
    """The *when* and *how many* of a text: `y:2013` years, `d:jun-13` dates, `w:friday`
    weekdays and `#:6.1` numbers. Two reports of one event share them; two events of the
    same kind (two earthquakes, two shootings) rarely do, even when their words are alike."""
    found: Counter[str] = Counter()
    for m in _MARK.finditer(text):
        if m["year"]:
            found[f"y:{m['year']}"] += 1
            if m.start() < LEAD_CHARS:
                found[f"e:{m['year']}"] += 1
        elif m["md"] or m["dm"]:
            month = _MONTHS[_month_index(m["md"] or m["dm"])]
            found[f"d:{month}-{int(m['d1'] or m['d2'])}"] += 1
        elif m["wd"]:
            found[f"w:{m['wd'].lower()}"] += 1
        elif m["num"]:
            found[f"#:{m['num'].replace(',', '')}"] += 1
    return found


def _month_index(text: str) -> int:
    lowered = text.lower()
    return next(i for i, name in enumerate(_MONTHS) if name in lowered)


def capitalised_names(text: str) -> frozenset[str]:
    """Capitalised word sequences that are not a sentence's ordinary first word."""
    found: set[str] = set()
    stop = stop_words()
    for match in _NAME.finditer(text):
        name = _POSSESSIVE.sub("", match.group())
        first, *rest = name.split()
        sentence_initial = bool(_SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]))
        if sentence_initial and first.lower() in stop:
            if not rest:
                continue
            name = " ".join(rest)
        elif not rest and (first.lower() in stop or sentence_initial):
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
        marks=event_marks(f"{head}\n{body}"),
        phrases=phrase_counts(head, body),
    )


def sublinear(count: int) -> float:
    """Term frequency damped: the tenth mention of a word says less than the first."""
    return 1.0 + math.log(count)
