"""The matching loop: which patterns run where, how overlaps are settled, and the public entry
points `find_time_expressions` and `infer_anchor`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from heapq import heappop, heappush

from newsweave.nlp.dates.model import TimeExpression
from newsweave.nlp.dates.patterns import (
    _ANAPHOR_DAY,
    _CENTURY,
    _CLOCK,
    _DAY_MONTH,
    _DAY_WORD,
    _DECADE,
    _DURATION,
    _FRACTION_DURATION,
    _HOLIDAY,
    _IN_THE_DAY,
    _ISO,
    _MONTH_ALONE,
    _MONTH_DAY,
    _MONTH_ORD,
    _MONTH_YEAR,
    _MONTHS,
    _ORDINALS,
    _PART_OF_DAY,
    _PLURAL_SPAN,
    _QUARTER,
    _REF,
    _RELATIVE,
    _SEASON,
    _SET,
    _SHORT_PERIOD,
    _SLASH,
    _SPOKEN,
    _WEEKDAY_RX,
    _WEEKDAYS,
    _YEAR_AGO_ADJ,
    _YEAR_END,
    _YEAR_RANGE,
    _YEAR_RX,
    _holiday_guard,
    _month_guard,
    _title_guard,
    _weekday_guard,
    _year_guard,
)
from newsweave.nlp.dates.periods import (
    _duration,
    _fraction_duration,
    _plural_span,
    _quarter_rx,
    _ref,
    _relative,
    _season,
    _set,
    _short_period,
    _year_ago_adj,
    _year_end,
)
from newsweave.nlp.dates.points import (
    _anaphor_day,
    _century,
    _clock,
    _day_month,
    _day_word,
    _decade,
    _holiday,
    _in_the_day,
    _iso,
    _month_alone,
    _month_day,
    _month_ord,
    _month_year,
    _part_of_day,
    _slash,
    _spoken,
    _weekday,
    _year,
    _year_range,
)
from newsweave.nlp.dates.resolve import _Handler, _Parsed, _State

_PATTERNS: list[tuple[re.Pattern[str], _Handler, Callable[[re.Match[str], str], bool] | None]] = [
    (_ISO, _iso, None),
    (_SLASH, _slash, None),
    (_MONTH_DAY, _month_day, _month_guard),
    (_MONTH_ORD, _month_ord, _month_guard),
    (_DAY_MONTH, _day_month, _month_guard),
    (_MONTH_YEAR, _month_year, _month_guard),
    (_MONTH_ALONE, _month_alone, _month_guard),
    (_YEAR_RANGE, _year_range, None),
    (_YEAR_RX, _year, _year_guard),
    (_SPOKEN, _spoken, None),
    (_DECADE, _decade, None),
    (_CENTURY, _century, None),
    (_WEEKDAY_RX, _weekday, _weekday_guard),
    (_DAY_WORD, _day_word, None),
    (_PART_OF_DAY, _part_of_day, None),
    (_ANAPHOR_DAY, _anaphor_day, None),
    (_CLOCK, _clock, None),
    (_QUARTER, _quarter_rx, None),
    (_SHORT_PERIOD, _short_period, None),
    (_RELATIVE, _relative, _title_guard),
    (_SEASON, _season, None),
    (_YEAR_AGO_ADJ, _year_ago_adj, None),
    (_YEAR_END, _year_end, None),
    (_HOLIDAY, _holiday, _holiday_guard),
    (_PLURAL_SPAN, _plural_span, None),
    (_IN_THE_DAY, _in_the_day, None),
    (_DURATION, _duration, None),
    (_FRACTION_DURATION, _fraction_duration, None),
    (_SET, _set, None),
    (_REF, _ref, None),
]


_Candidate = tuple[int, int, int, re.Match[str]]

# Which patterns a word can start: each pattern runs only in windows around its trigger words, so
# most of an article is never scanned by most patterns. Every match of a pattern contains one of
# its triggers, no more than _BACK characters after the match starts and _AHEAD before it ends
# (the longest prefix a pattern allows: "each of the past twenty-four hours", "the beginning of
# this coming spring").
_AHEAD = 45
_BACK_BY_NAME = {
    "_duration": 55, "_quarter_rx": 55, "_relative": 45, "_month_day": 35, "_month_ord": 35, "_day_month": 35,
    "_month_year": 35, "_month_alone": 35, "_fraction_duration": 45, "_century": 30, "_decade": 30,
    "_year": 25,
    "_weekday": 25, "_anaphor_day": 25, "_part_of_day": 25, "_holiday": 25, "_year_ago_adj": 25, "_clock": 20,
    "_set": 20, "_ref": 20, "_year_end": 20, "_spoken": 20, "_season": 20, "_day_word": 12, "_year_range": 12,
    "_in_the_day": 8, "_plural_span": 8, "_iso": 0, "_slash": 0, "_short_period": 6,
}  # fmt: skip
_PATTERN_INDEX = {handler.__name__: i for i, (_, handler, _) in enumerate(_PATTERNS)}


_Ids = tuple[tuple[int, int], ...]  # (pattern index, how far back its matches can start)


def _ids(*names: str) -> _Ids:
    return tuple((_PATTERN_INDEX[n], _BACK_BY_NAME[n]) for n in names)


_BY_WORD: dict[str, _Ids] = {}


def _register(words: str, ids: _Ids) -> None:
    for word in words.split():
        _BY_WORD[word] = tuple(sorted(set(_BY_WORD.get(word, ()) + ids)))


_register(
    " ".join(_MONTHS) + " sept",
    _ids("_month_day", "_month_ord", "_day_month", "_month_year", "_month_alone", "_set", "_clock"),
)
_register(
    " ".join(w for w in _WEEKDAYS if len(w) > 4)
    + " mondays tuesdays wednesdays thursdays fridays saturdays sundays",
    _ids("_weekday", "_month_day", "_month_ord", "_day_month", "_clock", "_set"),
)
_register("yesterday today tomorrow tonight", _ids("_day_word", "_clock"))
_register(
    "morning afternoon evening night overnight",
    _ids("_part_of_day", "_clock", "_in_the_day", "_weekday", "_day_word", "_set"),
)
_register("noon midnight midday", _ids("_clock"))
_register(
    "day days",
    _ids("_anaphor_day", "_in_the_day", "_plural_span", "_duration", "_set", "_day_word", "_ref", "_holiday"),
)
_register(
    "second seconds minute minutes hour hours night nights week weeks month months year years "
    "quarter quarters decade decades century centuries weekend weekends",
    _ids("_duration", "_relative", "_set", "_ref", "_plural_span"),
)
_register("year", _ids("_year_ago_adj", "_year_end", "_spoken"))
_register("quarter quarters period", _ids("_quarter_rx"))
_register("half", _ids("_quarter_rx", "_fraction_duration", "_year"))
_register("century", _ids("_century"))
_register(" ".join(_ORDINALS), _ids("_day_month"))
_register("q1 q2 q3 q4 h1 h2", _ids("_short_period"))
_register("spring summer fall autumn winter", _ids("_relative", "_season", "_set"))
_register("nineteen thousand twenty", _ids("_spoken"))
_register("twenties thirties forties fifties sixties seventies eighties nineties", _ids("_decade"))
_register(
    "every each per daily weekly monthly annually yearly hourly quarterly nightly biannually semiannually "
    "once twice times",
    _ids("_set"),
)
_register(
    "now currently nowadays present moment recently lately past formerly future term ahead possible",
    _ids("_ref"),
)
_register(
    "christmas eve new thanksgiving easter independence election labor memorial valentine halloween "
    "boxing good veterans",
    _ids("_holiday"),
)


def _trie(words: list[str]) -> str:
    """An alternation of words as a prefix tree: the regex engine then tries each letter once."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_branch(tree)


def _trie_branch(node: dict) -> str:  # type: ignore[type-arg]
    ends = "" in node
    alts = [re.escape(ch) + _trie_branch(child) for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if ends:
        return f"(?:{body})?"
    return body


# Numbers trigger only in the shapes a time can take; "$1.35 a share" and "1,400 workers" never do.
_TRIGGER = re.compile(
    r"(?<![a-z0-9])(?:(?P<word>" + _trie(list(_BY_WORD)) + r")(?![a-z0-9])"
    r"|(?P<num>\d+)(?P<plural>'?s)?|(?P<decade>'\d0s)|(?P<fy>fy)(?=\s?\d))"
)
_AFTER_NUMBER = re.compile(
    r"(?P<clock>\s*[ap]\.?m\b|:\d\d|\.\d\d\s*[ap]\.?m\b|\s+(?:o'clock|in the (?:morning|afternoon|evening)))"
    r"|(?P<slash>/\d)|(?P<ordinal>(?:st|nd|rd|th)[- ]century)"
)
_YEAR_IDS = _ids("_iso", "_year_range", "_year", "_decade", "_month_year", "_day_month", "_quarter_rx")
_DECADE_IDS = _ids("_decade")
_FY_IDS = _ids("_short_period")
_DIGIT_IDS: dict[str, _Ids] = {
    "clock": _ids("_clock"), "slash": _ids("_slash"), "ordinal": _ids("_century"),
}  # fmt: skip


def _lower(text: str) -> str:
    """Lower-cased text with the same offsets (a few characters grow when lower-cased; those stay)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _number_ids(low: str, t: re.Match[str]) -> _Ids:
    """The patterns a number can be part of: most numbers in news (amounts, counts) are none."""
    digits = t["num"]
    if len(digits) == 4:
        ids = _YEAR_IDS if 1000 <= int(digits) <= 2099 else ()
        return ids + _DECADE_IDS if t["plural"] else ids
    if t["plural"]:
        return _DECADE_IDS
    if len(digits) > 2:
        return ()
    after = _AFTER_NUMBER.match(low, t.end())
    return _DIGIT_IDS[after.lastgroup or ""] if after else ()


def _windows(low: str) -> dict[int, list[list[int]]]:
    """For each pattern, the merged stretches of text around its triggers (may start below 0)."""
    spans: dict[int, list[list[int]]] = {}
    for t in _TRIGGER.finditer(low):
        word = t["word"]
        if word:
            ids = _BY_WORD[word]
        elif t["num"]:
            ids = _number_ids(low, t)
        else:
            ids = _DECADE_IDS if t["decade"] else _FY_IDS
        start, hi = t.start(), t.end() + _AHEAD
        for i, back in ids:
            lo = start - back
            stretch = spans.get(i)
            if stretch is None:
                spans[i] = [[lo, hi]]
            elif lo <= stretch[-1][1]:
                stretch[-1][1] = hi
            else:
                stretch.append([lo, hi])
    return spans


def _candidates(text: str, low: str) -> list[_Candidate]:
    """Every pattern's matches that pass their guard, longest first."""
    found: list[_Candidate] = []
    for i, stretches in _windows(low).items():
        rx, _, guard = _PATTERNS[i]
        for lo, hi in stretches:
            for m in rx.finditer(low, max(lo, 0), hi):
                if m.end() > m.start() and (guard is None or guard(m, text)):
                    found.append((m.start(), m.end(), i, m))
    found.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    return found


@dataclass(slots=True)
class _Occupied:
    """The stretches of text already given to an expression, kept sorted (they never overlap)."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def free(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)
        return not ((i and self.ends[i - 1] > start) or (i < len(self.starts) and self.starts[i] < end))

    def add(self, start: int, end: int) -> None:
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)

    def remove(self, start: int) -> None:
        i = bisect_left(self.starts, start)
        del self.starts[i], self.ends[i]


# No pattern matches more than this many characters: a bound for finding a rejected match's rivals.
_LONGEST_MATCH = 120


def find_time_expressions(text: str, anchor: date | None) -> list[TimeExpression]:
    """All time expressions in `text`, in order, non-overlapping, values resolved against `anchor`.

    Overlapping matches are settled longest first; one its handler rejects ("May to" is no date)
    gives way to the best of the shorter matches it covered ("May" may be one).

    Args:
        text: The article text; offsets in the result index into it.
        anchor: The publication date. With None, relative expressions are resolved from the last
            explicit full date read before them, or get values with X placeholders ("XXXX-03-15").

    Returns:
        The expressions found, in reading order.
    """
    state = _State(anchor=anchor, text=text, low=_lower(text))
    found = _candidates(text, state.low)
    by_start = sorted(found, key=lambda c: c[0])
    starts = [c[0] for c in by_start]
    occupied = _Occupied()
    queue: list[tuple[int, int, _Candidate]] = []
    for rank, c in enumerate(found):
        if occupied.free(c[0], c[1]):
            occupied.add(c[0], c[1])
            heappush(queue, (c[0], rank, c))
    rank_of = {id(c[3]): rank for rank, c in enumerate(found)}
    rejected: set[int] = set()
    out: list[TimeExpression] = []
    while queue:
        start, end, i, m = heappop(queue)[2]
        parsed = _PATTERNS[i][1](m, state)
        if parsed is None:
            rejected.add(id(m))
            occupied.remove(start)
            lo, hi = bisect_left(starts, start - _LONGEST_MATCH), bisect_left(starts, end)
            rivals = [c for c in by_start[lo:hi] if c[1] > start and id(c[3]) not in rejected]
            for c in sorted(rivals, key=lambda c: rank_of[id(c[3])]):
                if occupied.free(c[0], c[1]):
                    occupied.add(c[0], c[1])
                    heappush(queue, (c[0], rank_of[id(c[3])], c))
            continue
        out.append(_record(state, text, start, end, parsed))
    return out


def _record(state: _State, text: str, start: int, end: int, parsed: _Parsed) -> TimeExpression:
    """The expression, noting a dated period as the one the text now discusses (unless it was a
    comparison such as "a year earlier")."""
    value, kind, mod = parsed
    if kind == "DATE" and value[:1].isdigit() and not state.shifted and ("-Q" in value or len(value) >= 7):
        state.last_value = value
    state.shifted = False
    return TimeExpression(start=start, end=end, text=text[start:end], value=value, type=kind, mod=mod)


_FULL_DATES: list[tuple[re.Pattern[str], _Handler, Callable[[re.Match[str], str], bool] | None]] = [
    (_ISO, _iso, None),
    (_SLASH, _slash, None),
    (_MONTH_DAY, _month_day, _month_guard),
    (_DAY_MONTH, _day_month, _month_guard),
]


def infer_anchor(text: str) -> date | None:
    """The latest explicit full date (day, month and year) in the text, or None.

    For articles whose publication date is unknown; callers mark values resolved on it as inferred.
    """
    state = _State(anchor=None, text=text, low=_lower(text))
    for rx, handler, guard in _FULL_DATES:
        for m in rx.finditer(state.low):
            if guard is None or guard(m, text):
                handler(m, state)
    return max(state.explicit, default=None)
