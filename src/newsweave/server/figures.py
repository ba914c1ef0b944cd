"""The story's timeline drawn as a figure: the geometry of an SVG picture, computed on the server.

One row per timeline entry, in the report's order: the date as the report says it, a mark on a
shared time axis (a dot for a day, a bar for a longer span), and the start of the sentence. The
axis compresses gaps (distance grows with the logarithm of the days between two dates), so a
story dated across years and across the hours of one week both fit. The template draws it with
classes only (the page's Content-Security-Policy allows no inline style), and every string in
it is escaped like the rest of the page.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from newsweave.nlp.dates.calendar import calendar_span
from newsweave.report.records import TimelineEntry

WIDTH = 900
LABEL_END = 150  # date labels end here (right-aligned)
TRACK = (165.0, 515.0)  # the time axis
TEXT_X = 530
ROW = 22
TOP = 40  # room for the axis and its ticks
MAX_ROWS = 80
TEXT_CHARS = 58
_MIN_TICK_GAP = 44.0


@dataclass(frozen=True, slots=True, kw_only=True)
class FigureRow:
    y: float
    x: float
    width: float  # 0 for a point (a circle at x)
    status: str  # shared | unique | conflict | "" (a date no claim group holds)
    label: str
    text: str  # the sentence, cut to fit
    title: str  # the whole entry, shown on hover


@dataclass(frozen=True, slots=True, kw_only=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineFigure:
    width: int
    height: int
    axis_y: float
    track: tuple[float, float]
    label_end: int
    text_x: int
    rows: tuple[FigureRow, ...]
    ticks: tuple[Tick, ...]
    summary: str
    omitted: int = 0


def entry_days(entry: TimelineEntry) -> tuple[date, date]:
    """An entry's first and last day: `sort_key` holds the first day and how many days the last
    is before `date.max` (the language layer's days, which the calendar's reading of the TIMEX3
    value may round differently); the value's calendar span where a key does not parse."""
    try:
        first = date.fromisoformat(entry.sort_key[0])
        last = date.max - timedelta(days=int(entry.sort_key[1]))
    except (ValueError, OverflowError):
        span = calendar_span(entry.value)
        if span is None:
            raise ValueError(f"timeline entry {entry.value!r} has no calendar days") from None
        return span.first, span.last
    return first, max(first, last)


def _status(marks: Sequence[str]) -> str:
    for mark, status in (("conflict", "conflict"), ("shared", "shared"), ("single source", "unique")):
        if mark in marks:
            return status
    return ""


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _scale(days: Sequence[date]) -> dict[date, float]:
    """x of each day on the track: cumulative log-compressed gaps between the sorted days."""
    points = sorted(set(days))
    at, pos = 0.0, {points[0]: 0.0}
    for before, after in itertools.pairwise(points):
        at += math.log1p((after - before).days)
        pos[after] = at
    lo, hi = TRACK
    if at == 0:
        return {d: (lo + hi) / 2 for d in points}
    return {d: round(lo + (hi - lo) * p / at, 1) for d, p in pos.items()}


def _ticks(x_of: dict[date, float]) -> tuple[Tick, ...]:
    """A tick where each year (or, within one year, each month) first has a date."""
    days = sorted(x_of)
    by_year = days[0].year != days[-1].year
    ticks: list[Tick] = []
    seen: set[tuple[int, int]] = set()
    for d in days:
        key = (d.year, 0 if by_year else d.month)
        if key in seen:
            continue
        seen.add(key)
        if ticks and x_of[d] - ticks[-1].x < _MIN_TICK_GAP:
            continue
        ticks.append(Tick(x=x_of[d], label=str(d.year) if by_year else d.strftime("%b %Y")))
    return tuple(ticks)


def timeline_figure(entries: Sequence[TimelineEntry]) -> TimelineFigure | None:
    """The figure of a report's timeline (None when it has no entries)."""
    if not entries:
        return None
    shown = entries[:MAX_ROWS]
    spans = [entry_days(e) for e in shown]
    x_of = _scale([d for span in spans for d in span])
    rows = []
    for i, (entry, (first, last)) in enumerate(zip(shown, spans, strict=True)):
        x = x_of[first]
        width = 0.0 if first == last else max(x_of[last] - x, 6.0)
        outlets = ", ".join(entry.outlets)
        rows.append(
            FigureRow(
                y=TOP + i * ROW + ROW / 2,
                x=x,
                width=round(width, 1),
                status=_status(entry.marks),
                label=entry.label,
                text=_cut(entry.text, TEXT_CHARS),
                title=f"{entry.label}: {_cut(entry.text, 300)}" + (f" ({outlets})" if outlets else ""),
            )
        )
    first_day = min(f for f, _ in spans)
    last_day = max(last for _, last in spans)
    summary = (
        f"{len(entries)} dated event{'s' * (len(entries) != 1)} from {first_day.isoformat()} to "
        f"{last_day.isoformat()}, one row each in the order of the table below; each mark sits on a "
        "time axis whose gaps are compressed (the distance grows with the logarithm of the days "
        "between dates). Solid marks are facts several outlets share, hollow marks single-source "
        "claims, hatched marks conflicting claims, grey marks dates no compared claim holds."
    )
    return TimelineFigure(
        width=WIDTH,
        height=TOP + len(rows) * ROW + 8,
        axis_y=TOP - 14,
        track=TRACK,
        label_end=LABEL_END,
        text_x=TEXT_X,
        rows=tuple(rows),
        ticks=_ticks(x_of),
        summary=summary,
        omitted=len(entries) - len(shown),
    )
