"""Figures that disagree across outlets: the same thing counted or priced differently.

A figure is a number with what it measures ("$", "%", or the word it counts: "48-page",
"12 devices") and the words right after it, which say what it is about ("… indictment",
"… on the Harbour View Retreat"). Two outlets disagree when a figure of each measures the same
unit of the same thing (they share a word of what it is about) and the values differ, neither
is approximate ("about", "more than", "at least"), and neither is far from the other (a figure
ten times another is about something else). This runs over the story's claims whatever group
each ended in: the sentences around two such figures often say different things.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

from newsweave.compare.records import ClaimUnit, Difference, content_lemmas

_FIGURE = re.compile(
    r"(?P<currency>\$)?(?P<value>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:-(?P<joined>[a-z]+))?(?P<percent>%|\s+percent\b)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_APPROXIMATE = frozenset(
    {
        "about",
        "around",
        "nearly",
        "almost",
        "roughly",
        "approximately",
        "over",
        "some",
        "under",
        "least",
        "than",
        "estimated",
        "just",
        "up",
        "upwards",
        "more",
        "less",
        "fewer",
    }
)
# What a figure is about: this many words after it (after its unit word).
_ABOUT_WORDS = 5
# Values further apart than this are not one figure misreported.
_MAX_RATIO = 2.0
# A round figure this close to an exact one is the exact one rounded ("$43,000" for "$43,350").
_ROUNDING = 0.05
# Words that say how a figure is reckoned, not what it is about.
_MEASURE_WORDS = frozenset({"worth", "total", "value", "amount", "sum", "figure"})


@dataclass(frozen=True, slots=True)
class Figure:
    claim: ClaimUnit
    value: float
    text: str
    unit: str
    about: frozenset[str]
    approximate: bool


def figures(claim: ClaimUnit) -> list[Figure]:
    """The figures of a claim (years and clock times are dates, not figures)."""
    text = claim.text
    out = []
    for m in _FIGURE.finditer(text):
        start, end = m.span()
        if (start and (text[start - 1].isalnum() or text[start - 1] in ":.")) or text[end : end + 1] == ":":
            continue
        value = float(m["value"].replace(",", ""))
        joined = (m["joined"] or "").lower()
        if not (m["currency"] or m["percent"] or joined) and _a_year(m["value"]):
            continue
        after = _WORD.findall(text[end:])[: _ABOUT_WORDS + 1]
        if m["currency"]:
            unit = "$"
        elif m["percent"]:
            unit = "%"
        elif joined:
            unit = claim.lemmas.get(joined, joined)
        elif after:
            unit = claim.lemmas.get(after[0].lower(), after[0].lower())
            after = after[1:]
        else:
            continue
        before = [w.lower() for w in _WORD.findall(text[:start])[-2:]]
        about = frozenset(content_lemmas(" ".join(after[:_ABOUT_WORDS]), claim.lemmas))
        about -= {unit, *_MEASURE_WORDS}
        out.append(
            Figure(
                claim=claim,
                value=value,
                text=m.group().strip(),
                unit=unit,
                about=about,
                approximate=any(w in _APPROXIMATE for w in before),
            )
        )
    return out


def _a_year(digits: str) -> bool:
    return len(digits) == 4 and 1800 <= int(digits) <= 2100


def _disagree(a: Figure, b: Figure) -> bool:
    if a.unit != b.unit or a.value == b.value or a.approximate or b.approximate:
        return False
    if not a.about & b.about or min(a.value, b.value) <= 0:
        return False
    if _rounded(a.value, b.value) or _rounded(b.value, a.value):
        return False
    return max(a.value, b.value) / min(a.value, b.value) <= _MAX_RATIO


def _rounded(value: float, exact: float) -> bool:
    """Whether `value` reads as `exact` rounded: a whole number ending in zeros, close to it."""
    if value != int(value) or value < 100:
        return False
    digits = len(str(int(value)))
    step = 10 ** max(digits - 2, 1)
    return int(value) % step == 0 and abs(value - exact) <= _ROUNDING * exact


def figure_conflicts(claims: Iterable[ClaimUnit], outlets: Mapping[str, str]) -> list[Difference]:
    """One `number` difference per figure the outlets disagree on, citing each outlet's claim
    (two outlets giving 48 and a third 47 make one difference of three claims)."""
    found: list[Figure] = [f for c in claims for f in figures(c)]
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    disagreeing: set[int] = set()
    for i, j in combinations(range(len(found)), 2):
        a, b = found[i], found[j]
        if outlets.get(a.claim.article, a.claim.outlet) != outlets.get(b.claim.article, b.claim.outlet) and (
            _disagree(a, b)
        ):
            disagreeing |= {i, j}
            parent[root(i)] = root(j)
    # A third outlet agreeing with one side joins the difference too: the same unit, the same
    # thing, one of the values.
    for k, f in enumerate(found):
        if k in disagreeing:
            continue
        for i in disagreeing:
            g = found[i]
            if f.claim.id != g.claim.id and f.unit == g.unit and f.value == g.value and f.about & g.about:
                parent[root(k)] = root(i)
                disagreeing.add(k)
                break
    pieces: dict[int, list[Figure]] = {}
    for i in sorted(disagreeing):
        pieces.setdefault(root(i), []).append(found[i])
    return [_difference(piece, outlets) for piece in pieces.values()]


def _difference(piece: list[Figure], outlets: Mapping[str, str]) -> Difference:
    cited: dict[str, Figure] = {}
    for f in piece:
        cited.setdefault(f.claim.id, f)
    about = frozenset.intersection(*(f.about for f in cited.values())) or piece[0].about
    given = "; ".join(
        f"{outlets.get(f.claim.article, f.claim.outlet)} gives {f.text}" for f in cited.values()
    )
    return Difference(
        kind="number",
        about=", ".join(sorted(about))[:120],
        # "claim" lets the comparison find the group; it is dropped before the difference is kept.
        spans=tuple(
            {"article": f.claim.article, "text": f.claim.text, "claim": f.claim.id} for f in cited.values()
        ),
        note=given,
    )
