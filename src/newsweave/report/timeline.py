"""The timeline: the dates the articles put on the calendar, each with its sentence and outlets.

Whether a time expression is on the calendar, and where, is the language layer's answer
(`TimexRecord.first_day`, `last_day`); the report only asks the calendar how to say it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from newsweave.compare.cores import whole_id
from newsweave.compare.records import ClaimGroup
from newsweave.model import ClaimRecord, TimexRecord
from newsweave.nlp.dates.calendar import calendar_span
from newsweave.report.brief import claim_text, group_claims
from newsweave.report.records import Cite, Sources, TimelineEntry, distinct, unique

_MARKS = {"unique": "single source", "shared": "shared", "conflict": "conflict"}


@dataclass(slots=True)
class _Entry:
    """A timeline row being gathered: its sentence, its days, and every sentence that dates it."""

    text: str
    first: date
    last: date
    cites: list[Cite] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)


def _days(timexes: Iterable[TimexRecord]) -> dict[str, tuple[date, date]]:
    """The calendar days of each TIMEX3 value the language layer put on the calendar."""
    return {t.value: (t.first_day, t.last_day or t.first_day) for t in timexes if t.first_day is not None}


def _days_of(value: str, known: dict[str, tuple[date, date]]) -> tuple[date, date] | None:
    """A value's days: as a time expression of the document has them, else from the value."""
    if value in known:
        return known[value]
    span = calendar_span(value)
    return None if span is None else (span.first, span.last)


def _caption(sources: Sources, t: TimexRecord) -> str:
    captions = sources.articles[t.article].captions
    index = int(t.field.partition(":")[2] or 0)
    return captions[index] if index < len(captions) else t.text


def _holds(claim: ClaimRecord | None, start: int, end: int) -> bool:
    return claim is not None and claim.start <= start and end <= claim.end


def timeline_entries(
    timexes: Sequence[TimexRecord], groups: Sequence[ClaimGroup], sources: Sources
) -> tuple[TimelineEntry, ...]:
    """Dates on the calendar, each with the sentence that carries it and the outlets.

    A date inside a claim that belongs to a claim group is one entry for the whole group, so a
    fact every outlet dates the same way appears once, citing them all. Dates in captions and
    dates anchored on an inferred publication date are marked.
    """
    group_of = {c: g for g in groups for c in g.claims}
    # A claim the comparison cut into parts is in its groups by them: a date belongs to the group
    # of the part that holds it.
    parts_of: dict[str, list[str]] = {}
    for c in group_of:
        if c != (whole := whole_id(c)):
            parts_of.setdefault(whole, []).append(c)
    entries: dict[tuple[str, str], _Entry] = {}

    def add(
        value: str, key: str, days: tuple[date, date], text: str, cite: Cite, marks: Iterable[str]
    ) -> None:
        entry = entries.setdefault((value, key), _Entry(text=text, first=days[0], last=days[1]))
        entry.cites.append(cite)
        entry.marks.extend(marks)

    for t in timexes:
        if t.article not in sources.articles or t.first_day is None:
            continue
        days = (t.first_day, t.last_day or t.first_day)
        marks = ["anchor inferred"] if t.anchor_inferred else []
        if t.field.startswith("caption"):
            cite = sources.cite(t.article, t.start, t.end, t.field)
            add(t.value, f"{t.article}:{t.field}", days, _caption(sources, t), cite, ["caption", *marks])
            continue
        cite = sources.cite(t.article, t.start, t.end)
        claim_id = sources.claim_at(t.article, t.start, t.end)
        if claim_id is not None and claim_id not in group_of:
            claim_id = next(
                (p for p in parts_of.get(claim_id, ()) if _holds(sources.claims.get(p), t.start, t.end)),
                claim_id,
            )
        if claim_id is None:
            text = sources.sentence_around(t.article, t.start, t.end)
            add(t.value, f"{t.article}:{t.start}", days, text, cite, marks)
        elif (group := group_of.get(claim_id)) is not None:
            # one row per date and fact, in the words of the first claim dating it
            text = sources.claims[claim_id].text
            add(t.value, f"group:{group.id}", days, text, cite, [group.status, *marks])
        else:
            add(t.value, f"claim:{claim_id}", days, sources.claims[claim_id].text, cite, marks)
    known = _days(timexes)
    for group in groups:  # a group's own dates, where no time expression in the text put it there
        key = f"group:{group.id}"
        for value in group.times:
            on_calendar = _days_of(value, known)
            if on_calendar is None or (value, key) in entries:
                continue
            for claim_cite in filter(None, map(sources.cite_claim, group_claims(group, sources))):
                add(value, key, on_calendar, claim_text(group, sources), claim_cite, [group.status])
    result = [_timeline_entry(value, entry) for (value, _), entry in entries.items()]
    result.sort(key=lambda e: (e.sort_key, min(sources.position(c.article, c.start) for c in e.cites)))
    return tuple(result)


def _timeline_entry(value: str, entry: _Entry) -> TimelineEntry:
    span = calendar_span(value)  # how to say it; the days are the language layer's
    cites = distinct(entry.cites)
    return TimelineEntry(
        value=value,
        label=span.label if span else value,
        precision=span.precision if span else "",
        text=entry.text,
        outlets=unique(c.outlet for c in cites),
        cites=cites,
        marks=unique(_MARKS.get(m, m) for m in entry.marks),
        # broader spans first where two start on the same day ("March" before "15 March")
        sort_key=(entry.first.isoformat(), f"{(date.max - entry.last).days:08d}"),
    )
