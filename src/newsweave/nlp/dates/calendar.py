"""TIMEX3 values on the calendar: the first and last day a value covers, and how to say it.

Computed once, when the language layer finds a time expression (`Timex.first_day`,
`Timex.last_day`); the report labels what it shows with the same function.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import NamedTuple


class CalendarSpan(NamedTuple):
    first: date
    last: date
    label: str  # "Mon 10 Mar 2025", "autumn 2024"
    precision: str  # time | day | week | month | season | quarter | half | year | decade | range


_Span = tuple[date, date, str, str]

_SEASONS = {  # (start month, day), (end month, day), name; winter runs into the next year
    "SP": ((3, 20), (6, 20), "spring"),
    "SU": ((6, 21), (9, 21), "summer"),
    "FA": ((9, 22), (12, 20), "autumn"),
    "WI": ((12, 21), (3, 19), "winter"),
}
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):?(\d{2})?.*|T(MO|AF|EV|NI|DT))?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_QUARTER = re.compile(r"^(\d{4})-([QH])([1-4])$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_DECADE = re.compile(r"^(\d{3})X$")
_PARTS_OF_DAY = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}


def _day_label(d: date) -> str:
    return f"{d.strftime('%a')} {d.day} {d.strftime('%b %Y')}"


def _range_label(a: _Span, b: _Span) -> str:
    """ "15–17 Mar 2024" for two days of one month, "28 Feb – 2 Mar 2024" in one year, else both labels."""
    first, last = a[0], b[1]
    if a[3] != "day" or b[3] != "day":
        return f"{a[2]} – {b[2]}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{_short(last)}"
    if first.year == last.year:
        return f"{first.day} {first.strftime('%b')} – {_short(last)}"
    return f"{_short(first)} – {_short(last)}"


def _short(d: date) -> str:
    return f"{d.day} {d.strftime('%b %Y')}"


def calendar_span(value: str) -> CalendarSpan | None:
    """A TIMEX3 value as (first day, last day, label, precision); None if not on the calendar.

    Relative values (PAST_REF), durations (P6Y), sets and values with an unknown year have no
    place on a calendar and give None.
    """
    try:
        span = _calendar_span(value)
    except ValueError:  # a month 13, a week 54: not a date
        return None
    return None if span is None else CalendarSpan(*span)


def _calendar_span(value: str) -> _Span | None:
    if "/" in value:
        first, _, final = value.partition("/")
        a, b = _calendar_span(first), _calendar_span(final)
        if a is None or b is None:
            return None
        return a[0], b[1], _range_label(a, b), "range"
    if m := _DAY.match(value):
        d = date(int(m[1]), int(m[2]), int(m[3]))
        if m[4]:
            return d, d, f"{_day_label(d)}, {m[4]}:{m[5] or '00'}", "time"
        if m[6]:
            return d, d, f"{_day_label(d)}, {_PARTS_OF_DAY[m[6]]}", "time"
        return d, d, _day_label(d), "day"
    if m := _MONTH.match(value):
        year, month = int(m[1]), int(m[2])
        last = calendar.monthrange(year, month)[1]
        return date(year, month, 1), date(year, month, last), f"{calendar.month_name[month]} {year}", "month"
    if m := _SEASON.match(value):
        year = int(m[1])
        (sm, sd), (em, ed), name = _SEASONS[m[2]]
        end_year = year + 1 if m[2] == "WI" else year
        return date(year, sm, sd), date(end_year, em, ed), f"{name} {year}", "season"
    if m := _QUARTER.match(value):
        year, n = int(m[1]), int(m[3])
        months = 3 if m[2] == "Q" else 6
        first_month = (n - 1) * months + 1
        last_month = first_month + months - 1
        last_day = calendar.monthrange(year, last_month)[1]
        label = f"Q{n} {year}" if m[2] == "Q" else f"{'first' if n == 1 else 'second'} half of {year}"
        return (
            date(year, first_month, 1),
            date(year, last_month, last_day),
            label,
            "quarter" if m[2] == "Q" else "half",
        )
    if m := _WEEK.match(value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        if m[3]:
            saturday = monday + timedelta(days=5)
            return saturday, saturday + timedelta(days=1), f"weekend of {_short(saturday)}", "week"
        return monday, monday + timedelta(days=6), f"week of {_short(monday)}", "week"
    if m := _YEAR.match(value):
        year = int(m[1])
        return date(year, 1, 1), date(year, 12, 31), str(year), "year"
    if m := _DECADE.match(value):
        start = int(m[1]) * 10
        return date(start, 1, 1), date(start + 9, 12, 31), f"the {start}s", "decade"
    return None
