"""The brief (shared facts first, each citing its outlets) and the timeline (dates on a calendar).

The brief is extractive: each sentence is a claim group's representative claim, verbatim, with
the outlets that carry it. Shared facts come first (most independent sources first, then in
the order the articles tell them), then conflicts with both sides, then single-source claims.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from newsweave.report.records import BriefLine, BriefSide, Cite, Sources, TimelineEntry, distinct, unique

_STATUS_ORDER = {"shared": 0, "conflict": 1, "unique": 2}


def claim_text(group: dict[str, Any], sources: Sources) -> str:
    """A group's representative claim text (the group's own, else its first claim's)."""
    if text := group.get("text"):
        # A clause cut from its sentence reads with its subject, inserted in brackets as an
        # editor would: "[the minister] is known for …".
        context = group.get("context")
        return f"[{context}] {text}" if context else str(text)
    for claim_id in group.get("claims") or ():
        if claim := sources.claims.get(claim_id):
            return str(claim.get("text") or "")
    return ""


def group_articles(group: dict[str, Any], sources: Sources) -> list[str]:
    """The articles of a group's claims, in the report's article order."""
    articles = {sources.claims[c]["article"] for c in group.get("claims") or () if c in sources.claims}
    articles |= {a for a in (group.get("stances") or {}) if a in sources.articles}
    return sorted(articles, key=lambda a: sources.order[a])


def group_outlets(group: dict[str, Any], sources: Sources) -> tuple[str, ...]:
    own = [str(o) for o in group.get("outlets") or () if o]
    return unique([*own, *sources.outlets(group_articles(group, sources))])


def _position(group: dict[str, Any], sources: Sources) -> tuple[int, int]:
    positions = [
        sources.position(sources.claims[c]["article"], sources.claims[c].get("start"))
        for c in group.get("claims") or ()
        if c in sources.claims
    ]
    return min(positions, default=(len(sources.order), 0))


def _cites(claim_ids: Iterable[str], sources: Sources) -> tuple[Cite, ...]:
    cites = [sources.cite_claim(c) for c in claim_ids]
    return distinct(c for c in cites if c is not None)


def _sides(group: dict[str, Any], sources: Sources) -> tuple[BriefSide, ...]:
    """A conflict's sides: the claims of the articles that support, and of those that contradict."""
    stances: dict[str, str] = group.get("stances") or {}
    by_side: dict[str, list[str]] = {}
    for claim_id in group.get("claims") or ():
        claim = sources.claims.get(claim_id)
        if claim is None:
            continue
        side = "contradicts" if stances.get(claim["article"]) == "contradicts" else "supports"
        by_side.setdefault(side, []).append(claim_id)
    sides = []
    for stance in ("supports", "contradicts"):
        ids = by_side.get(stance, [])
        if ids:
            first = sources.claims[ids[0]]
            sides.append(
                BriefSide(
                    stance=stance,
                    text=str(first.get("text") or ""),
                    outlets=sources.outlets(sources.claims[c]["article"] for c in ids),
                    cites=_cites(ids, sources),
                )
            )
    return tuple(sides)


def _provenance(group: dict[str, Any]) -> tuple[str, ...]:
    chains = []
    for p in group.get("provenance") or ():
        chain = [str(link) for link in p.get("chain") or () if link]
        if len(chain) > 1:
            chains.append(" → ".join(chain))
    return unique(chains)


def brief_lines(groups: list[dict[str, Any]], sources: Sources) -> tuple[BriefLine, ...]:
    """The brief, one line per claim group, in reading order."""
    lines = []
    for group in groups:
        status = str(group.get("status") or "unique")
        outlets = group_outlets(group, sources)
        claim_ids = [c for c in group.get("claims") or () if c in sources.claims]
        hedged = sources.outlets(
            sources.claims[c]["article"] for c in claim_ids if sources.claims[c].get("certainty") == "hedged"
        )
        sides = _sides(group, sources) if status == "conflict" else ()
        if status == "unique":
            flag = f"single source: {', '.join(outlets) or 'unknown'}"
        elif status == "conflict":
            flag = "conflict: " + " vs ".join(", ".join(s.outlets) for s in sides) if sides else "conflict"
        else:
            flag = ""
        independent = group.get("independent_sources")
        lines.append(
            (
                (_STATUS_ORDER.get(status, 3), -(independent or 0) if status == "shared" else 0),
                _position(group, sources),
                BriefLine(
                    group=str(group.get("id") or ""),
                    status=status,
                    text=claim_text(group, sources),
                    outlets=outlets,
                    independent_sources=int(independent) if isinstance(independent, int) else len(outlets),
                    cites=_cites(claim_ids, sources),
                    flag=flag,
                    hedged_in=hedged,
                    sides=sides,
                    provenance=_provenance(group),
                ),
            )
        )
    lines.sort(key=lambda item: (item[0], item[1]))
    return tuple(line for _, _, line in lines)


# ---- the calendar -------------------------------------------------------------------------

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


def _range_label(a: tuple[date, date, str, str], b: tuple[date, date, str, str]) -> str:
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


def calendar_span(value: str) -> tuple[date, date, str, str] | None:
    """A TIMEX3 value as (first day, last day, label, precision); None if not on the calendar.

    Relative values (PAST_REF), durations (P6Y), sets and values with an unknown year have no
    place on a calendar and give None.
    """
    try:
        return _calendar_span(value)
    except ValueError:  # a month 13, a week 54: not a date
        return None


def _calendar_span(value: str) -> tuple[date, date, str, str] | None:
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


def timeline_entries(
    timexes: list[dict[str, Any]], groups: list[dict[str, Any]], sources: Sources
) -> tuple[TimelineEntry, ...]:
    """Dates on the calendar, each with the sentence that carries it and the outlets.

    A date inside a claim that belongs to a claim group is one entry for the whole group, so a
    fact every outlet dates the same way appears once, citing them all. Dates in captions and
    dates anchored on an inferred publication date are marked.
    """
    group_of = {c: g for g in groups for c in g.get("claims") or ()}
    entries: dict[tuple[str, str], dict[str, Any]] = {}

    def add(value: str, key: str, text: str, cite: Cite, marks: Iterable[str]) -> None:
        entry = entries.setdefault((value, key), {"text": text, "cites": [], "marks": []})
        entry["cites"].append(cite)
        entry["marks"].extend(marks)

    for t in timexes:
        value, article = str(t.get("value") or ""), str(t.get("article") or "")
        if article not in sources.articles or calendar_span(value) is None:
            continue
        field = str(t.get("field") or "body")
        start, end = t.get("start"), t.get("end")
        marks = ["anchor inferred"] if t.get("anchor_inferred") else []
        if field.startswith("caption"):
            captions = sources.articles[article].get("captions") or []
            index = int(field.partition(":")[2] or 0)
            text = str(captions[index]) if index < len(captions) else str(t.get("text") or "")
            add(
                value,
                f"{article}:{field}",
                text,
                sources.cite(article, start, end, field),
                ["caption", *marks],
            )
            continue
        claim_id = sources.claim_at(article, start if isinstance(start, int) else None, end)
        group = group_of.get(claim_id) if claim_id else None
        if group is not None:  # one row per date and fact, in the words of the first claim dating it
            status = str(group.get("status") or "")
            text = str(sources.claims[claim_id].get("text") or "") if claim_id else ""
            add(value, f"group:{group.get('id')}", text, sources.cite(article, start, end), [status, *marks])
        elif claim_id:
            add(
                value,
                f"claim:{claim_id}",
                str(sources.claims[claim_id].get("text") or ""),
                sources.cite(article, start, end),
                marks,
            )
        elif isinstance(start, int):
            text = sources.sentence_around(article, start, end if isinstance(end, int) else start)
            add(value, f"{article}:{start}", text, sources.cite(article, start, end), marks)
    for group in groups:  # a group's own dates, where no time expression in the text put it there
        for value in group.get("times") or ():
            if calendar_span(str(value)) is None or (str(value), f"group:{group.get('id')}") in entries:
                continue
            claim_ids = [c for c in group.get("claims") or () if c in sources.claims]
            for claim_id in claim_ids:
                cite = sources.cite_claim(claim_id)
                if cite is not None:
                    add(
                        str(value),
                        f"group:{group.get('id')}",
                        claim_text(group, sources),
                        cite,
                        [str(group.get("status") or "")],
                    )
    result = []
    for (value, _), entry in entries.items():
        span = calendar_span(value)
        assert span is not None
        first, last, label, precision = span
        cites = distinct(entry["cites"])
        result.append(
            TimelineEntry(
                value=value,
                label=label,
                precision=precision,
                text=entry["text"],
                outlets=unique(c.outlet for c in cites),
                cites=cites,
                marks=unique(_mark(m) for m in entry["marks"]),
                # broader spans first where two start on the same day ("March" before "15 March")
                sort_key=(first.isoformat(), f"{(date.max - last).days:08d}"),
            )
        )
    result.sort(key=lambda e: (e.sort_key, min(sources.position(c.article, c.start) for c in e.cites)))
    return tuple(result)


def _mark(mark: str) -> str:
    return {"unique": "single source", "shared": "shared", "conflict": "conflict"}.get(mark, mark)
