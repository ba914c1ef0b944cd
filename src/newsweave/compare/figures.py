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

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations, islice

from newsweave.compare.records import ClaimUnit, Difference, content_lemmas

_FIGURE = re.compile(
    r"(?P<currency>[$€£¥])?(?P<value>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
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
_LONGEST_NUMBER = 20  # digits and separators: a longer run is an identifier, not a figure
# Values further apart than this are not one figure misreported.
_MAX_RATIO = 2.0
# A round figure this close to an exact one is the exact one rounded ("$43,000" for "$43,350").
_ROUNDING = 0.05
# A word of what figures are about names one thing only if few of the story's figures share it.
_SPECIFIC = 40
# Letters glued to a number: an ordinal or a clock time is no amount ("117th Street", "9pm");
# a scale multiplies it ("$1.5bn", "$5m"); anything else is its unit ("10km").
_GLUED = re.compile(r"[A-Za-z]+")
_NOT_AMOUNTS = frozenset({"st", "nd", "rd", "th", "am", "pm", "s"})
_GLUED_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mm": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
# Scales written out after a number: "$1.2 billion" is 1.2e9 dollars, not 1.2.
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
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
        letters = _GLUED.match(text, end)
        glued = letters.group().lower() if letters else ""  # "bn" of "$1.5bn", "th" of "117th"
        if glued in _NOT_AMOUNTS:
            continue
        value = float(m["value"].replace(",", ""))
        if not math.isfinite(value) or len(m["value"]) > _LONGEST_NUMBER:
            continue
        value *= _GLUED_SCALES.get(glued, 1)
        joined = (m["joined"] or "").lower()
        if not (m["currency"] or m["percent"] or joined) and _a_year(m["value"]):
            continue
        after = [w.group() for w in islice(_WORD.finditer(text, end), _ABOUT_WORDS + 2)]
        if glued:
            after.pop(0)
        elif after and after[0].lower() in _SCALES:
            value *= _SCALES[after.pop(0).lower()]
        if m["currency"]:
            unit = m["currency"]  # each currency its own unit: "€103 million" is no "£88m"
        elif m["percent"]:
            unit = "%"
        elif joined:
            unit = claim.lemmas.get(joined, joined)
        elif glued and glued not in _GLUED_SCALES:
            unit = glued  # "10km", "5kg"
        elif after:
            unit = claim.lemmas.get(after[0].lower(), after[0].lower())
            after = after[1:]
        else:
            continue
        before = [w.lower() for w in _WORD.findall(text[max(0, start - 40) : start])[-2:]]
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
    return len(digits) == 4 and digits.isdigit() and 1800 <= int(digits) <= 2100


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


def figure_conflicts(
    claims: Iterable[ClaimUnit], outlets: Mapping[str, str]
) -> tuple[list[Difference], set[frozenset[str]]]:
    """One `number` difference per figure the outlets disagree on, citing each outlet's claim
    (two outlets giving 48 and a third 47 make one difference of three claims); and the pairs of
    claims whose figures disagree (48 against 47, not 48 against 48)."""
    found: list[Figure] = [f for c in claims for f in figures(c)]
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only figures of one unit that share a word of what they are about can disagree: pairs come
    # from an index on (unit, word), not from every pair of the story's figures.
    sharing: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, f in enumerate(found):
        for word in f.about:
            sharing[(f.unit, word)].append(i)
    # A word that many figures share ("people", "year") does not say they count the same thing.
    candidates = sorted(
        {pair for ids in sharing.values() if len(ids) <= _SPECIFIC for pair in combinations(ids, 2)}
    )
    outlet = [outlets.get(f.claim.article, f.claim.outlet) for f in found]
    disagreeing: set[int] = set()
    apart: set[frozenset[str]] = set()
    for i, j in candidates:
        if outlet[i] != outlet[j] and _disagree(found[i], found[j]):
            disagreeing |= {i, j}
            apart.add(frozenset((found[i].claim.id, found[j].claim.id)))
            parent[root(i)] = root(j)
    # A third outlet agreeing with one side joins the difference too: the same unit, the same
    # thing, one of the values.
    for i, j in candidates:
        for k, other in ((i, j), (j, i)):
            a, b = found[k], found[other]
            joins = other in disagreeing and k not in disagreeing
            if joins and a.value == b.value and a.claim.id != b.claim.id:
                parent[root(k)] = root(other)
                disagreeing.add(k)
    pieces: dict[int, list[Figure]] = {}
    for i in sorted(disagreeing):
        pieces.setdefault(root(i), []).append(found[i])
    return [_difference(piece, outlets) for piece in pieces.values()], apart


# Figures specific enough to name one event: amounts and shares, or a number of three digits.
_AMOUNT_UNITS = frozenset({"$", "€", "£", "¥", "%"})
_SPECIFIC_VALUE = 100
# Two claims give one figure for one thing when they share this many content words besides it
# ("sold … the stadium … $12 million"): a bare amount is no evidence that they tell one event.
_SAME_EVENT_WORDS = 2


def dated_figure_conflicts(
    claims: Iterable[ClaimUnit], outlets: Mapping[str, str]
) -> tuple[list[Difference], set[frozenset[str]]]:
    """One `date` difference per figure the outlets agree on but put in different years ("sold
    for $12 million in 2004" / "sold for $12 million in 2006"). Years, not days: one claim's
    Friday and another's Saturday are most often two moments of one event (it happened, it was
    announced). It cites one claim per outlet giving that figure for that deed, dated or not, so
    that the reader sees each account; and returns the pairs of claims whose years disagree."""
    found = [f for c in claims for f in figures(c) if f.unit in _AMOUNT_UNITS or f.value >= _SPECIFIC_VALUE]
    by_figure: dict[tuple[str, float], list[Figure]] = defaultdict(list)
    for f in found:
        by_figure[(f.unit, f.value)].append(f)
    out: list[Difference] = []
    apart: set[frozenset[str]] = set()
    words: dict[str, set[str]] = {}  # claim id -> its content words without numbers, read once
    for same in by_figure.values():
        outlet = {f.claim.id: outlets.get(f.claim.article, f.claim.outlet) for f in same}
        # Only dated figures can clash: pairs among them, not among every mention of the amount.
        dated = [f for f in same if _years(f)]
        clashes = [
            (a, b)
            for a, b in combinations(dated, 2)
            if outlet[a.claim.id] != outlet[b.claim.id] and not _years(a) & _years(b)
            and _one_deed(a, b, words)
        ]  # fmt: skip
        if not clashes:
            continue
        clashing = list({id(f): f for pair in clashes for f in pair}.values())
        cited: dict[str, Figure] = {}
        for f in clashing + same:  # the clashing claims first, then one of each other outlet
            if outlet[f.claim.id] not in cited and any(_one_deed(f, c, words) for c in clashing):
                cited[outlet[f.claim.id]] = f
        apart |= {frozenset((a.claim.id, b.claim.id)) for a, b in clashes}
        deed = set.intersection(*(_stated_verbs(f.claim) for f in cited.values()))
        given = [f"{o} dates it {', '.join(sorted(_years(f))) or 'not at all'}" for o, f in cited.items()]
        out.append(
            Difference(
                kind="date",
                about=" ".join([same[0].text, *sorted(deed)]),
                spans=tuple(
                    {"article": f.claim.article, "text": f.claim.text, "claim": f.claim.id}
                    for f in cited.values()
                ),
                note="; ".join(given),
            )
        )
    return out, apart


def _years(figure: Figure) -> set[str]:
    """The years the claim names as years ("in 2019", "earlier this year"): a day or a week
    near New Year falls in either year, and a "fourth quarter" may be a game's."""
    return {t for t in figure.claim.times if len(t) == 4 and t.isdigit()}


def _one_deed(a: Figure, b: Figure, words: dict[str, set[str]]) -> bool:
    """Two figures of one deed: their claims state a verb in common ("sold"), and have enough
    other words in common to tell the same event (the figure's own words do not count)."""
    if a.claim.id == b.claim.id:
        return True
    if not _stated_verbs(a.claim) & _stated_verbs(b.claim):
        return False
    for f in (a, b):
        if f.claim.id not in words:
            own = content_lemmas(f.text, f.claim.lemmas) | set(_SCALES)
            claim_words = content_lemmas(f.claim.text, f.claim.lemmas) - own
            words[f.claim.id] = {w for w in claim_words if not any(ch.isdigit() for ch in w)}
    return len(words[a.claim.id] & words[b.claim.id]) >= _SAME_EVENT_WORDS


def _stated_verbs(claim: ClaimUnit) -> set[str]:
    """The verbs the claim states ("sold"; not "must forfeit", a supposition), without subjects."""
    return {p.split("@")[0] for p in claim.predicates if not p.startswith(("not ", "no "))}


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
