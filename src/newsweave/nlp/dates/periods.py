"""Handlers for periods and cycles: quarters and halves, relative units ("last year", "that
week"), seasons, durations ("three years ago"), sets ("every Monday") and vague references
("recently", "the future").

Each handler turns a match into (value, type, mod), or None to reject it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from newsweave.nlp.dates.patterns import _APPROX, _PARTS, _SEASONS, _UNITS, _WEEKDAYS
from newsweave.nlp.dates.resolve import (
    _ago_value,
    _duration_value,
    _month_no,
    _num,
    _Parsed,
    _pos_mod,
    _quarter,
    _same_unit,
    _season_value,
    _shift,
    _shift_unit,
    _State,
    _unit_value,
    _week,
)
from newsweave.nlp.dates.tense import _tense


def _quarter_rx(m: re.Match[str], st: _State) -> _Parsed | None:
    ref = st.now()
    det = (m["det"] or "").lower()
    q1 = (m["q1"] or "").lower()
    if m["bare"] and not (det or q1):
        return None
    if m["bare"] and m["bare"].lower() == "period" and not q1:
        return None  # "the period" alone is too vague; "the latest period", "the 1988 period" are not
    if m["pl"] and not (m["ord"] or m["half"]):
        return None
    y_text = m["y"] or m["y2"] or next((t for t in re.findall(r"\d{4}", q1)), None)
    shift = -1 if ("year-ago" in q1 or "year-earlier" in q1 or det == "last year's" or m["ago"]) else 0
    shift += 1 if det == "next year's" else 0
    if m["rel"]:
        shift += {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    if m["ord"]:
        n = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}[
            m["ord"].lower()
        ]
        unit = f"Q{n}"
    elif m["half"]:
        unit = "H1" if m["half"].lower() == "first" else "H2"
    else:
        return _bare_quarter(st, current=det == "this" or "current" in q1, year=y_text, shift=shift)
    if m["pl"] and not y_text:
        return f"XXXX-{unit}", "SET", None
    if y_text:
        y: int | None = int(y_text) + shift
    elif ref is not None:
        n = int(unit[1]) if unit[0] == "Q" else 2 * int(unit[1]) + 1
        y = (
            ref.year
            if m["rel"] or det in ("this year's", "next year's", "last year's")
            else _period_year(st, m, ref, n)
        ) + shift
    else:
        y = None
    value = f"{y}-{unit}" if y is not None else f"XXXX-{unit}"
    st.shifted = shift < 0
    return value, "DATE", None


def _short_period(m: re.Match[str], st: _State) -> _Parsed | None:
    if m["fy"]:
        y = int(m["fy"])
        return str(y if y > 99 else 2000 + y), "DATE", None
    n = int(m["n"])
    if m["kind"] == "h" and n > 2:
        return None
    unit = f"{m['kind'].upper()}{n}"
    y_text = m["y1"] or m["y"]
    if y_text:
        y = int(y_text[-2:]) + 2000 if y_text.startswith("'") else int(y_text)
        return f"{y}-{unit}", "DATE", None
    ref = st.now()
    if ref is None:
        return f"XXXX-{unit}", "DATE", None
    value = f"{_period_year(st, m, ref, n if m['kind'] == 'q' else 2 * n + 1)}-{unit}"
    st.last_value = value
    return value, "DATE", None


def _period_year(st: _State, m: re.Match[str], ref: date, quarter: int) -> int:
    """The year of a quarter named without one: this year's, unless it has not begun yet and the
    sentence is not looking ahead ("reported a loss in the fourth quarter", read in March)."""
    if quarter > _quarter(ref) and _tense(st, m.start(), m.end()) != "future":
        return ref.year - 1
    return ref.year


def _bare_quarter(st: _State, *, current: bool, year: str | None, shift: int) -> _Parsed:
    """ "The quarter", "the latest quarter", "the year-ago quarter": the quarter the text is
    about (else the last one completed), moved to another year where the words say so."""
    ref = st.now()
    discussed = st.last_value if st.last_value and "-Q" in st.last_value else None
    if current and ref is not None:
        y, q = ref.year, _quarter(ref)
    elif discussed:
        y, q = int(discussed[:4]), int(discussed[-1]) if discussed[-1].isdigit() else 0
    elif ref is not None:
        y, q = ref.year, _quarter(ref) - 1
        if q == 0:
            y, q = y - 1, 4
    else:
        return "XXXX-QX", "DATE", None
    if year:
        y, shift = int(year), 0
    value = f"{y + shift}-Q{q or 'X'}"
    if shift:
        st.shifted = True
    return value, "DATE", None


_DURATION_RELS = ("the past", "the last", "the next", "the coming", "the first", "the latest", "this past")
_OFFSETS = {
    "last": -1, "the previous": -1, "the preceding": -1, "this past": -1, "next": 1, "the following": 1,
    "the coming": 1, "this coming": 1, "the next": 1,
}  # fmt: skip
_ENDED = re.compile(r"\s+end(?:ed|ing)\b")


def _relative(m: re.Match[str], st: _State) -> _Parsed | None:
    """ "last year", "this month", "the past decade", "early next year", "the year ended...", "that week"."""
    rel, unit = m["rel"].lower(), m["unit"].lower().replace("autumn", "fall")
    pos = (m["pos"] or "").lower()
    mod = None if pos == "the rest of" else _pos_mod(pos)
    ref = st.now()
    if m["ago"] or (
        unit == "weekend" and rel in ("a", "its", "the past", "the last", "the first", "the latest")
    ):
        return None
    if rel in _DURATION_RELS and unit not in _SEASONS and not pos:
        if rel == "the latest" and unit == "quarter":
            return _latest_quarter(st)
        letter, _, mult = _UNITS[unit]
        return f"P{mult}{letter}", "DURATION", None
    if rel in ("a", "its") or (rel == "the" and _BEFORE_AFTER.match(m.string, m.end())):
        return None  # "a year after the war" measures a distance; "the day before" is another pattern
    if rel == "the" and unit == "year" and _ENDED.match(m.string, m.end()):
        return "P1Y", "DURATION", None  # "the year ended Sept. 30": a twelve-month period
    if unit in _SEASONS:
        code = _SEASONS[unit]
        return (_season_value(ref, code, rel) if ref else f"XXXX-{code}"), "DATE", mod
    if rel in ("that", "the same") and st.last_value:
        return _same_unit(st.last_value, unit), "DATE", mod
    if (
        rel == "the"
        and unit != "weekend"
        and not (pos or m["fiscal"] or _FOR_THE.search(m.string, max(0, m.start() - 5), m.start()))
    ):
        return None  # a bare "the year" is too often generic
    if ref is None:
        return ("XXXX" if unit in ("year", "decade", "century") else f"XXXX-{unit[0].upper()}X"), "DATE", mod
    offset = _OFFSETS.get(rel, 0)
    if rel == "last" and unit == "year" and not pos and _compares_quarters(st, m):
        st.shifted = True  # "a loss of $3 million last year", beside this quarter's: the same quarter
        return _shift(st.last_value or "", -1) or str(ref.year - 1), "DATE", mod
    if unit == "weekend":
        return _weekend(st, m, offset), "DATE", mod
    if rel in ("the following", "the previous", "the preceding") and st.last_value:
        shifted = _shift_unit(st.last_value, unit, offset)
        if shifted:
            st.last_value = shifted
            return shifted, "DATE", mod
    value = _unit_value(ref, unit, offset)
    st.last_value = value
    return value, "DATE", mod


def _compares_quarters(st: _State, m: re.Match[str]) -> bool:
    discussed = st.last_value is not None and "-Q" in st.last_value
    return discussed and bool(_COMPARISON.search(m.string, max(0, m.start() - 60), m.start()))


_COMPARISON = re.compile(r"\b(?:compared with|compared to|from|versus|vs\.|against|than)\b[^.;]*$")
_BEFORE_AFTER = re.compile(r"\s+(?:before|after|later)\b")
_FOR_THE = re.compile(r"\bfor\s+$")


def _weekend(st: _State, m: re.Match[str], offset: int) -> str:
    """The weekend meant: this week's when the anchor is on it or the wording looks ahead, else the
    last one."""
    ref = st.now()
    assert ref is not None
    if offset == 0 and ref.weekday() < 5 and _tense(st, m.start(), m.end()) != "future":
        offset = -1
    return _week(ref + timedelta(weeks=offset)) + "-WE"


def _latest_quarter(st: _State) -> _Parsed | None:
    if st.last_value and "-Q" in st.last_value:
        return st.last_value, "DATE", None
    ref = st.now()
    if ref is None:
        return "XXXX-QX", "DATE", None
    q, y = _quarter(ref) - 1, ref.year
    if q == 0:
        q, y = 4, y - 1
    return f"{y}-Q{q}", "DATE", None


def _year_ago_adj(m: re.Match[str], st: _State) -> _Parsed | None:
    """ "year-earlier profit", "the year-ago period": the period under discussion, a year back."""
    if st.last_value and "-Q" in st.last_value:
        shifted = _shift(st.last_value, -1)
    else:
        ref = st.now()
        shifted = str(ref.year - 1) if ref else None
    if shifted is None:
        return "XXXX", "DATE", None
    st.shifted = True
    return shifted, "DATE", None


def _year_end(m: re.Match[str], st: _State) -> _Parsed | None:
    ref = st.now()
    mod = _APPROX.get((m["mod"] or "").lower())
    return (str(ref.year) if ref else "XXXX"), "DATE", mod or "END"


def _plural_span(m: re.Match[str], st: _State) -> _Parsed | None:
    return _duration_value(None, m["u"].lower()[:-1]), "DURATION", None


def _season(m: re.Match[str], st: _State) -> _Parsed | None:
    code = _SEASONS[m["s"].lower()]
    if m["y"]:
        return f"{m['y']}-{code}", "DATE", _pos_mod(m["pos"])
    if not m.group(0).lower().startswith(("the", "early", "late", "mid")):
        return None
    ref = st.now()
    value = _season_value(ref, code, "") if ref else f"XXXX-{code}"
    return value, "DATE", _pos_mod(m["pos"])


_FOR_BEFORE = re.compile(r"\b(?:for|within|over|in|as long as)\s+$")


def _duration(m: re.Match[str], st: _State) -> _Parsed | None:
    unit = m["unit"].lower()
    raw = m["num"].lower()
    if st.text[m.start("unit")].isupper() or (
        unit == "quarter" and re.match(r"-|\s+of\b", m.string[m.end() : m.end() + 4])
    ):
        return None  # "60 Minutes" is a title; "three-quarters of" a fraction
    plural = bool(m["pl"])
    det = (m["det"] or "").strip().lower()
    vague = raw in (
        "a few",
        "few",
        "several",
        "many",
        "some",
        "the",
        "recent",
        "coming",
        "past",
    ) or raw.startswith(("the past few", "the next few", "the last few"))
    n = None if vague else _num(raw)
    if not vague and n is None:
        return None
    if raw in ("the", "recent", "coming", "past", "some", "many") and not m["ago"]:
        return None  # "the year", "recent years": other patterns or no timex
    if raw in ("a", "an") and not (
        m["mod"]
        or det
        or m["ago"]
        or m["tail"]
        or _FOR_BEFORE.search(m.string, max(0, m.start() - 15), m.start())
    ):
        return None  # a bare "a year" is mostly part of a rate ("$5 a year")
    if n is not None and n > 1 and not plural and not re.search(r"[- ]" + unit + r"\b", m.group(0)):
        return None
    if n is not None and n == 1 and plural:
        return None
    mod = _APPROX.get((m["mod"] or "").lower())
    if m["tail"]:
        mod = "APPROX"
    if m["ago"]:
        ago = m["ago"].lower()
        ref = st.now() if ago in ("ago", "from now", "hence") else (st.last_day or st.now())
        if ago in ("before", "after", "before that") and st.last_day is None:
            return _duration_value(n, unit), "DURATION", mod
        if ref is None or n is None:
            return ("PAST_REF" if ago in ("ago", "earlier", "before") else "FUTURE_REF"), "DATE", mod
        sign = -1 if ago in ("ago", "earlier", "before", "before that") else 1
        if n == 1 and unit == "year" and st.last_value and "-Q" in st.last_value:
            shifted = _shift(st.last_value, -1)
            if shifted:
                st.shifted = True
                return shifted, "DATE", mod
        return _ago_value(ref, n, unit, sign), "DATE", mod
    if unit == "weekend":
        return None
    return _duration_value(n, unit), "DURATION", mod


def _fraction_duration(m: re.Match[str], st: _State) -> _Parsed | None:
    n = _num(m["num"] or m["num2"])
    if n is None:
        return None
    unit = (m["unit"] or m["unit2"]).lower()
    return _duration_value(n + 0.5, unit), "DURATION", _APPROX.get((m["mod"] or "").lower())


_SET_LY = {
    "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
    "hourly": "PT1H", "quarterly": "P3M", "biannually": "P6M", "semiannually": "P6M",
}  # fmt: skip


# "daily" stays a SET before a noun too ("daily flights"), as TimeBank annotates it.
_LOWER_WORD = re.compile(r" +[a-z]")
_LY_ADJECTIVES = frozenset({"weekly", "monthly", "quarterly", "yearly", "hourly", "nightly"})


def _set(m: re.Match[str], st: _State) -> _Parsed | None:
    if m["ly"]:
        word = m["ly"].lower()
        if word in _LY_ADJECTIVES and _LOWER_WORD.match(st.text, m.end()):
            return None  # "quarterly dividend": a kind of dividend, not a recurring time
        return _SET_LY[word], "SET", None
    if m["times"]:
        return _duration_value(1, m["u2"].lower()), "SET", None
    if m["wdpl"]:
        wd = _WEEKDAYS[m["wdpl"].lower()[:-1]]
        part = _PARTS.get((m["part"] or "").lower()[:-1])
        if not part:
            return None
        return f"XXXX-WXX-{wd + 1}T{part}", "SET", None
    u = m["u"].lower()
    if m["ev"].lower() == "per" and u not in ("day", "week", "month", "year", "hour"):
        return None
    if u in _UNITS:
        return _duration_value(1, u), "SET", None
    if u in _PARTS:
        return f"TXX{_PARTS[u]}", "SET", None
    if u in _WEEKDAYS:
        return f"XXXX-WXX-{_WEEKDAYS[u] + 1}", "SET", None
    if u in _SEASONS:
        return f"XXXX-{_SEASONS[u]}", "SET", None
    return f"XXXX-{_month_no(u):02d}", "SET", None


_REF_VALUE = {
    "right now": "PRESENT_REF", "just now": "PRESENT_REF", "now": "PRESENT_REF", "currently": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "at present": "PRESENT_REF",
    "at the moment": "PRESENT_REF", "the present": "PRESENT_REF", "recently": "PAST_REF",
    "lately": "PAST_REF", "more recently": "PAST_REF", "most recently": "PAST_REF", "the past": "PAST_REF",
    "the recent past": "PAST_REF", "formerly": "PAST_REF", "the near future": "FUTURE_REF",
    "the future": "FUTURE_REF", "the distant future": "FUTURE_REF", "the near term": "FUTURE_REF",
    "the short term": "FUTURE_REF", "the long term": "FUTURE_REF", "as soon as possible": "FUTURE_REF",
}  # fmt: skip


def _ref(m: re.Match[str], st: _State) -> _Parsed | None:
    w = " ".join(m["w"].lower().split())
    if w in _REF_VALUE:
        return _REF_VALUE[w], "DATE", None
    unit = w.split()[-1] if w.split()[-1] in ("days", "weeks", "months", "years", "decades") else None
    if w.endswith("ahead"):
        unit = w.split()[1]
    if unit and unit != "years" and ("recent" in w or "past" in w):
        return _duration_value(None, unit[:-1]), "DURATION", None  # "in recent weeks": some weeks
    if (unit in ("days", "weeks", "years") and "coming" in w) or w.endswith("ahead"):
        return _duration_value(None, (unit or "years")[:-1]), "DURATION", None
    if "recent" in w or w.startswith(("past", "in past")):
        return "PAST_REF", "DATE", None
    return "FUTURE_REF", "DATE", None
