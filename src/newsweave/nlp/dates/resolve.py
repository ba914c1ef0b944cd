"""Resolution state and the arithmetic that turns words into TIMEX3 values.

`_State` carries what reading order makes known (the last day and period mentioned), and the
helpers here are free of any pattern: number words, value formatting, the year a reader gives a
bare month, weekdays, shifts by whole years or units, durations, holidays.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from newsweave.nlp.dates.model import TimexType
from newsweave.nlp.dates.patterns import _MONTHS, _ORDINALS, _POSITION_MOD, _SEASON_START, _SMALL, _UNITS

# --- the resolver: anchor, reference point and reading-order state ----------------------------


@dataclass(slots=True)
class _State:
    anchor: date | None
    text: str
    low: str  # the text lower-cased, same offsets: the cue patterns run on it
    last_day: date | None = None  # the last day-precise date mentioned, for "the next day"
    last_value: str | None = None  # the last DATE value, for "a year earlier" and "that quarter"
    shifted: bool = False  # the value just made is a comparison ("a year earlier"), not the topic
    explicit: list[date] = field(default_factory=list)

    def now(self) -> date | None:
        """The point relative expressions count from: the anchor, else the last explicit date read."""
        if self.anchor is not None:
            return self.anchor
        return self.explicit[-1] if self.explicit else None


_Parsed = tuple[str, TimexType, str | None]
_Handler = Callable[[re.Match[str], _State], _Parsed | None]


# --- words and values: numbers, ordinals, TIMEX3 formatting -----------------------------------


def _num(word: str) -> float | None:
    w = word.lower().strip().replace("-", " ")
    if not w:
        return None
    if w[0].isdigit():
        if w.endswith(" 1/2"):
            return float(w[:-4]) + 0.5
        return float(w)
    if w in _SMALL:
        return _SMALL[w]
    parts = w.split()
    if len(parts) == 2 and parts[0] in _SMALL and parts[1] in _SMALL:
        return _SMALL[parts[0]] + _SMALL[parts[1]]
    return None


def _ordinal(word: str) -> int | None:
    w = word.lower()
    if w.startswith(("twenty-", "thirty-")):
        rest = _ORDINALS.get(w.split("-", 1)[1])
        return (20 if w[1] == "w" else 30) + rest if rest and rest < 10 else None
    return _ORDINALS.get(w)


def _spoken_year(words: str) -> int | None:
    w = words.lower().replace("-", " ").replace(" and ", " ").split()
    if w[:2] == ["two", "thousand"]:
        rest = _num(" ".join(w[2:])) if w[2:] else 0
        return 2000 + int(rest) if rest is not None else None
    if w[0] in ("nineteen", "twenty"):
        century = 1900 if w[0] == "nineteen" else 2000
        tail = w[2:] if w[1:2] == ["hundred"] else w[1:]
        rest = _num(" ".join(tail)) if tail else 0
        return century + int(rest) if rest is not None and rest < 100 else None
    return None


def _ymd(d: date) -> str:
    return d.isoformat()


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _pos_mod(pos: str | None) -> str | None:
    if not pos:
        return None
    return _POSITION_MOD.get(pos.lower().rstrip("- "))


def _month_no(word: str) -> int:
    return _MONTHS[word.lower().rstrip(".")]


# --- anchoring: the year, weekday or shifted period a reader means ----------------------------

# Within about two months of the anchor the nearest occurrence is what a reader takes, whatever the tense.
_NEAR_DAYS = 62


def _pick_year(month: int, day: int | None, ref: date, tense: str | None, *, lean_past: bool = False) -> int:
    """The year a reader gives a month (and day) with no year.

    The nearest occurrence when it is close; further off, the tense decides, and with no tense
    a bare month leans to the past (news narrates what happened).
    """
    probe = day or 15
    candidates = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            candidates.append(date(y, month, min(probe, 28) if day is None else probe))
        except ValueError:
            candidates.append(date(y, month, 28))
    same = candidates[1]
    if day is None and month == ref.month:
        return ref.year
    nearest = min(candidates, key=lambda c: (abs((c - ref).days), c > ref))
    if abs((nearest - ref).days) <= _NEAR_DAYS:
        return nearest.year
    if tense == "future" and nearest < ref:
        return same.year if same >= ref else ref.year + 1
    if (tense == "past" or (tense is None and lean_past)) and nearest > ref:
        return same.year if same <= ref else ref.year - 1
    return nearest.year


def _weekday_date(wd: int, ref: date, rel: str | None, tense: str | None) -> date:
    delta = wd - ref.weekday()
    if rel in ("next", "this coming", "the following"):
        return ref + timedelta(days=delta if delta > 0 else delta + 7)
    if rel in ("last", "this past", "the previous", "the preceding"):
        return ref + timedelta(days=delta if delta < 0 else delta - 7)
    if delta == 0:
        return ref
    if tense == "future":
        return ref + timedelta(days=delta if delta > 0 else delta + 7)
    return ref + timedelta(days=delta if delta < 0 else delta - 7)


def _shift(value: str, years: int) -> str | None:
    """A DATE value moved by whole years ("1989-Q3" → "1988-Q3"), keeping its granularity."""
    if len(value) >= 4 and value[:4].isdigit():
        return f"{int(value[:4]) + years:04d}{value[4:]}"
    return None


def _unit_value(ref: date, unit: str, offset: int) -> str:
    if unit == "week":
        return _week(ref + timedelta(weeks=offset))
    if unit == "weekend":
        return _week(ref + timedelta(weeks=offset)) + "-WE"
    if unit == "month":
        d = ref + relativedelta(months=offset)
        return _ym(d.year, d.month)
    if unit == "quarter":
        d = ref + relativedelta(months=3 * offset)
        return f"{d.year}-Q{_quarter(d)}"
    if unit == "decade":
        return str(ref.year // 10 + offset)
    if unit == "century":
        return f"{ref.year // 100 + offset:02d}"
    return str(ref.year + offset)


def _season_value(ref: date, code: str, rel: str) -> str:
    current = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(
        ref.month, "FA"
    )
    start = _SEASON_START[code]
    if rel in ("last", "this past", "the past", "the last", "the previous"):
        y = ref.year - 1 if code == current or start > ref.month else ref.year
    elif rel in ("next", "this coming", "the coming", "the next", "the following"):
        y = ref.year + 1 if code == current or start <= ref.month else ref.year
    else:
        y = ref.year
    return f"{y}-{code}"


def _same_unit(last: str, unit: str) -> str:
    if unit == "year":
        return last[:4]
    if unit == "month" and len(last) >= 7 and last[5:7].isdigit():
        return last[:7]
    return last


def _shift_unit(last: str, unit: str, offset: int) -> str | None:
    if unit == "year" and last[:4].isdigit():
        return str(int(last[:4]) + offset)
    if unit == "month" and len(last) >= 7 and last[:4].isdigit() and last[5:7].isdigit():
        d = date(int(last[:4]), int(last[5:7]), 1) + relativedelta(months=offset)
        return _ym(d.year, d.month)
    return None


# --- calendar arithmetic: fixed and movable holidays, durations, offsets back and ahead -------


def _holiday_date(name: str, year: int) -> date | None:
    fixed = {
        "christmas eve": (12, 24), "christmas": (12, 25), "christmas day": (12, 25),
        "new year's eve": (12, 31), "new year's day": (1, 1), "independence day": (7, 4),
        "valentine's day": (2, 14), "halloween": (10, 31),
        "boxing day": (12, 26), "veterans day": (11, 11),
    }  # fmt: skip
    if name in fixed:
        return date(year, *fixed[name])
    if name.startswith("easter") or name == "good friday":
        offset = {"easter monday": 1, "good friday": -2}.get(name, 0)
        sunday: date = easter(year)
        return sunday + timedelta(days=offset)
    nth = {
        "thanksgiving": (11, 3, 4), "thanksgiving day": (11, 3, 4), "labor day": (9, 0, 1),
        "election day": (11, 1, 1), "memorial day": (5, 0, -1),
    }  # fmt: skip
    if name not in nth:
        return None
    month, weekday, n = nth[name]
    if name == "election day":
        # The Tuesday after the first Monday of November.
        first_monday = date(year, 11, 1) + timedelta(days=(0 - date(year, 11, 1).weekday()) % 7)
        return first_monday + timedelta(days=1)
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year, month, 31)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _duration_value(n: float | None, unit: str) -> str:
    letter, is_time, mult = _UNITS[unit]
    prefix = "PT" if is_time else "P"
    if n is None:
        return f"{prefix}X{letter}"
    n *= mult
    if n != int(n):
        whole = int(n)
        if unit == "year":
            return f"P{whole}Y6M" if whole else "P6M"
        if unit == "hour":
            return f"PT{whole}H30M" if whole else "PT30M"
        if unit == "minute":
            return f"PT{whole}M30S" if whole else "PT30S"
        if unit == "month":
            return f"P{whole}M15D" if whole else "P15D"
        return f"{prefix}{n:g}{letter}"
    return f"{prefix}{int(n)}{letter}"


def _ago_value(ref: date, n: float, unit: str, sign: int) -> str:
    k = int(n) * sign
    if unit in ("second", "minute", "hour"):
        return _ymd(ref)
    if unit in ("day", "night"):
        return _ymd(ref + timedelta(days=k))
    if unit == "week":
        return _week(ref + timedelta(weeks=k))
    if unit == "month":
        d = ref + relativedelta(months=k)
        return _ym(d.year, d.month)
    if unit == "quarter":
        d = ref + relativedelta(months=3 * k)
        return f"{d.year}-Q{_quarter(d)}"
    mult = _UNITS[unit][2]
    return str(ref.year + k * mult)
