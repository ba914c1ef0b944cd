"""Handlers for points in time: full dates, months, years, decades, centuries, weekdays, day
words ("yesterday"), parts of the day, clock times and holidays.

Each handler turns a match into (value, type, mod), or None to reject it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from newsweave.nlp.dates.patterns import _PARTS, _WEEKDAYS
from newsweave.nlp.dates.resolve import (
    _holiday_date,
    _month_no,
    _ordinal,
    _Parsed,
    _pick_year,
    _pos_mod,
    _spoken_year,
    _State,
    _week,
    _weekday_date,
    _ym,
    _ymd,
)
from newsweave.nlp.dates.tense import _tense


def _iso(m: re.Match[str], st: _State) -> _Parsed | None:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    try:
        day = date(y, mo, d)
    except ValueError:
        return None
    st.explicit.append(day)
    st.last_day = day
    if m["h"]:
        return f"{_ymd(day)}T{m['h']}:{m['mi']}", "TIME", None
    return _ymd(day), "DATE", None


def _slash(m: re.Match[str], st: _State) -> _Parsed | None:
    y = int(m["y"])
    y = y + (2000 if y < 50 else 1900) if y < 100 else y
    a, b = int(m["m"]), int(m["d"])
    mo, d = (a, b) if a <= 12 else (b, a)  # a first number over 12 must be a day (15/3/2024)
    try:
        day = date(y, mo, d)
    except ValueError:
        return None
    st.explicit.append(day)
    st.last_day = day
    return _ymd(day), "DATE", None


def _month_day(m: re.Match[str], st: _State) -> _Parsed | None:
    mo, d = _month_no(m["m"]), int(m["d"])
    if not 1 <= d <= 31:
        return None
    return _resolve_month_day(m, st, mo, d, int(m["d2"]) if m.groupdict().get("d2") else None)


def _resolve_month_day(m: re.Match[str], st: _State, mo: int, d: int, d2: int | None) -> _Parsed | None:
    ref = st.now()
    y_text = m.groupdict().get("y")
    if y_text:
        y: int | None = int(y_text)
    elif ref is not None:
        # A day and month: the nearest occurrence, unless "last" or "next" says which way.
        rel = (m.groupdict().get("rel") or "").lower()
        tense = "past" if rel == "last" else "future" if rel == "next" else _tense(st, m.start(), m.end())
        y = _pick_year(mo, d, ref, tense)
    else:
        y = None
    mo2 = _month_no(m["m2"]) if m.groupdict().get("m2") else mo
    if y is None:
        value = f"XXXX-{mo:02d}-{d:02d}"
        if d2 is not None:
            value += f"/XXXX-{mo2:02d}-{d2:02d}"
        return value, "DATE", None
    try:
        day = date(y, mo, d)
        day2 = date(y, mo2, d2) if d2 is not None else None
    except ValueError:
        return None
    if y_text:
        st.explicit.append(day2 or day)
    st.last_day = day2 or day
    if m.groupdict().get("wk"):
        return _week(day), "DATE", None
    if day2 is not None and day2 > day:
        return f"{_ymd(day)}/{_ymd(day2)}", "DATE", None
    return _ymd(day), "DATE", None


def _month_ord(m: re.Match[str], st: _State) -> _Parsed | None:
    d = _ordinal(m["o"])
    if d is None:
        return None
    return _resolve_month_day(m, st, _month_no(m["m"]), d, None)


def _day_month(m: re.Match[str], st: _State) -> _Parsed | None:
    d = int(m["d"]) if m["d"] else _ordinal(m["o"]) or 0
    if not 1 <= d <= 31:
        return None
    return _resolve_month_day(m, st, _month_no(m["m"]), d, int(m["d2"]) if m["d2"] else None)


def _month_year(m: re.Match[str], st: _State) -> _Parsed | None:
    mo = _month_no(m["m"])
    if m["y"] or m["sy"]:
        y = int(m["y"]) if m["y"] else _spoken_year(m["sy"]) or 0
    else:
        ref = st.now()
        if ref is None:
            return f"XXXX-{mo:02d}", "DATE", _pos_mod(m["pos"])
        y = ref.year + {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    return _ym(y, mo), "DATE", _pos_mod(m["pos"])


def _month_alone(m: re.Match[str], st: _State) -> _Parsed | None:
    mo = _month_no(m["m"])
    ref = st.now()
    mod = _pos_mod(m["pos"])
    if ref is None:
        return f"XXXX-{mo:02d}", "DATE", mod
    rel = (m["rel"] or "").lower()
    if rel in ("last", "this past"):
        # "last February" in March means a year ago: the month just gone would be "last month".
        y = ref.year if mo < ref.month - 1 else ref.year - 1
    elif rel in ("next", "this coming"):
        y = ref.year if mo > ref.month else ref.year + 1
    elif rel == "this":
        y = ref.year
    else:
        y = _pick_year(mo, None, ref, _tense(st, m.start(), m.end()), lean_past=True)
    return _ym(y, mo), "DATE", mod


def _year(m: re.Match[str], st: _State) -> _Parsed | None:
    y = int(m["y"])
    pos = (m["pos"] or "").lower()
    if m["y2"]:
        y2 = int(m["y2"]) if len(m["y2"]) == 4 else y // 100 * 100 + int(m["y2"])
        if y2 <= y:
            return None
        return f"{y}/{y2}", "DATE", None
    if pos.startswith("the first half"):
        return f"{y}-H1", "DATE", None
    if pos.startswith(("the second half", "the last half", "the latter half")):
        return f"{y}-H2", "DATE", None
    after = (m["after"] or "").strip().lower()
    mod = {"or later": "ON_OR_AFTER", "and beyond": "ON_OR_AFTER", "or earlier": "ON_OR_BEFORE"}.get(after)
    st.last_value = str(y)
    return str(y), "DATE", mod or _pos_mod(pos)


def _year_range(m: re.Match[str], st: _State) -> _Parsed | None:
    y, y2 = int(m["y"]), int(m["y2"])
    return (f"{y}/{y2}", "DATE", None) if y2 > y else None


def _spoken(m: re.Match[str], st: _State) -> _Parsed | None:
    y = _spoken_year(m["s"])
    if y is None or not 1100 <= y <= 2099:
        return None
    return str(y), "DATE", None


_DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}  # fmt: skip


def _decade(m: re.Match[str], st: _State) -> _Parsed | None:
    if m["y"]:
        stem = m["y"][:3]
    elif m["yy"]:
        stem = f"19{m['yy'][0]}"
    else:
        if not m.group(0).lower().startswith("the"):
            return None
        stem = f"19{_DECADE_WORDS[m['w'].lower()]}"
    return stem, "DATE", _pos_mod(m["pos"])


def _century(m: re.Match[str], st: _State) -> _Parsed | None:
    n = int(m["n"]) if m["n"] else _ordinal(m["o"])
    if not n or n > 21:
        return None
    return f"{n - 1:02d}", "DATE", _pos_mod(m["pos"])


def _weekday(m: re.Match[str], st: _State) -> _Parsed | None:
    ref = st.now()
    wd = _WEEKDAYS[m["wd"].lower()]
    part = _PARTS.get((m["part"] or "").lower())
    mod = _pos_mod(m["pos"])
    if ref is None:
        return f"XXXX-WXX-{wd + 1}" + (f"T{part}" if part else ""), "TIME" if part else "DATE", mod
    rel = (m["rel"] or "").lower() or None
    day = _weekday_date(wd, ref, rel, None if rel else _tense(st, m.start(), m.end()))
    st.last_day = day
    if part:
        return f"{_ymd(day)}T{part}", "TIME", mod
    return _ymd(day), "DATE", mod


_DAY_OFFSET = {
    "today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
    "the day after tomorrow": 2,
}  # fmt: skip


def _day_word(m: re.Match[str], st: _State) -> _Parsed | None:
    ref = st.now()
    w = m["w"].lower()
    if m["poss"] and _GENERIC_AFTER.match(m.string, m.end()):
        return None  # "today's world": the present age, not the date
    part = _PARTS.get((m["part"] or "").lower()) or ("NI" if w == "tonight" and m["part"] else None)
    mod = _pos_mod(m["pos"])
    if ref is None:
        return "XXXX-XX-XX", "DATE", mod
    day = ref + timedelta(days=_DAY_OFFSET[w])
    st.last_day = day
    if part:
        return f"{_ymd(day)}T{part}", "TIME", mod
    return _ymd(day), "DATE", mod


def _part_of_day(m: re.Match[str], st: _State) -> _Parsed | None:
    ref = st.now()
    if m["ov"]:
        return (f"{_ymd(ref)}TNI" if ref else "XXXX-XX-XXTNI"), "TIME", None
    rel = (m["rel"] or "").lower()
    part = _PARTS[m["part"].lower()]
    if not rel:
        return None
    if rel == "this":
        base = ref
    elif rel == "last":
        base = ref - timedelta(days=1) if ref else None
        if part != "NI":
            return None
    else:
        if st.last_day is None:
            return None
        base = st.last_day + timedelta(
            days={"that": 0, "the next": 1, "the following": 1, "the previous": -1}[rel]
        )
    if base is None:
        return f"XXXX-XX-XXT{part}", "TIME", _pos_mod(m["pos"])
    return f"{_ymd(base)}T{part}", "TIME", _pos_mod(m["pos"])


def _anaphor_day(m: re.Match[str], st: _State) -> _Parsed | None:
    if m["ba"] and _CLAUSE_AFTER.match(st.text, m.end()):
        return None  # "the day before police issued a warrant": a conjunction, not a date
    base = st.last_day or st.now()
    if base is None:
        return "XXXX-XX-XX", "DATE", None
    rel = (m["rel"] or m["ba"] or "").lower()
    offset = {"next": 1, "following": 1, "after": 1, "previous": -1, "preceding": -1, "before": -1}.get(
        rel, 0
    )
    day = base + timedelta(days=offset)
    st.last_day = day
    return _ymd(day), "DATE", _pos_mod(m["pos"])


def _clock(m: re.Match[str], st: _State) -> _Parsed | None:
    if m["word"]:
        w = m["word"].lower()
        hh, mm = (12, 0) if w in ("noon", "midday") else (24, 0)
    elif m["h24"]:
        hh, mm = int(m["h24"]), int(m["m24"])
        if hh > 24:
            return None
        if not (m["wd"] or m["dw"]):
            return None  # a bare "12:30" is too often a score or a ratio
    elif m["hw"]:
        hh, mm = int(m["hw"]), 0
        hh += 12 if m["pw"].lower() != "morning" and hh < 12 else 0
    else:
        hh, mm = int(m["h"]), int(m["mi"] or 0)
        if not 1 <= hh <= 12:
            return None
        pm = m["ap"].lower().startswith("p")
        hh = hh % 12 + (12 if pm else 0)
    ref = st.now()
    if m["wd"] and ref is not None:
        day: date | None = _weekday_date(
            _WEEKDAYS[m["wd"].lower()], ref, None, _tense(st, m.start(), m.end())
        )
    elif m["dw"] and ref is not None:
        day = ref + timedelta(days=_DAY_OFFSET[m["dw"].lower()])
    elif m["mo"] and ref is not None and 1 <= int(m["md"]) <= 31:
        mo, d = _month_no(m["mo"]), int(m["md"])
        try:
            day = date(_pick_year(mo, d, ref, None), mo, d)
        except ValueError:
            return None
    else:
        day = st.last_day or ref
    clock = f"T{hh:02d}:{mm:02d}"
    mod = {"about": "APPROX", "around": "APPROX", "approximately": "APPROX", "at about": "APPROX"}.get(
        (m["mod"] or "").lower()
    )
    return (f"{_ymd(day)}{clock}" if day else f"XXXX-XX-XX{clock}"), "TIME", mod


def _holiday(m: re.Match[str], st: _State) -> _Parsed | None:
    name = m["h"].lower().replace("’", "'")
    ref = st.now()
    if ref is None:
        return "XXXX-XX-XX", "DATE", None
    rel = (m["rel"] or "").lower()
    options = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := _holiday_date(name, y))]
    if rel == "last":
        day = max(d for d in options if d < ref)
    elif rel == "next":
        day = min(d for d in options if d > ref)
    elif rel == "this":
        day = options[1]
    else:
        tense = _tense(st, m.start(), m.end())
        if tense == "future":
            day = min(d for d in options if d >= ref)
        elif tense == "past":
            day = max(d for d in options if d <= ref)
        else:
            day = min(options, key=lambda d: abs((d - ref).days))
    st.last_day = day
    return _ymd(day), "DATE", None


def _in_the_day(m: re.Match[str], st: _State) -> _Parsed | None:
    """ "later in the day", "in the morning": part of the day last mentioned (else the anchor)."""
    day = st.last_day or st.now()
    part = _PARTS.get(m["part"].lower())
    if day is None:
        return ("XXXX-XX-XX" + (f"T{part}" if part else "")), "TIME" if part else "DATE", None
    if part:
        return f"{_ymd(day)}T{part}", "TIME", None
    return _ymd(day), "DATE", None


_CLAUSE_AFTER = re.compile(r"\s+(?!the\b|a\b|an\b|his\b|her\b|its\b|their\b|that\b|this\b|last\b)[a-z]+")
_GENERIC_AFTER = re.compile(
    r"\s+(?:world|society|youth|young|generation|children|kids|families|standards|technology|computers|"
    r"consumers?|teenagers|women|men|people|culture|economy)\b"
)
