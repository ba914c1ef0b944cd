"""Which way a date without a year lies: the tense of the words around it.

Close to a span, the words just before it ("was held on", "expires", "until") or the verb right
after it decide; otherwise the nearest past or future cue in its clause of the sentence.
"""

from __future__ import annotations

import re
from typing import Literal

from newsweave.nlp.dates.patterns import _rx, _words
from newsweave.nlp.dates.resolve import _State

_FUTURE_CUE = _rx(
    r"(?:\b(?:will|won't|shall|going to|scheduled to|expected to|expects to|plans? to|planned to|planning to|"
    r"intends? to|is to|are to|due to|upcoming|set to|set for|tomorrow|hopes? to|aims? to|would|"
    r"scheduled|slated|planned|plans|planning|might|could|should|"
    r"next (?:week|month|year|spring|summer|fall|autumn|winter))\b|'ll\b)"
)
_CLAUSE_BREAK = _rx(r"[,;]|\s(?:that|which|who|saying|when|because|but|after|before|while)\s")
_REPORTED = _rx(r"\b(?:said|told|announced|reported|added|stated|declared)\s+(?:on\s+)?$")
_PAST_CUE = _rx(
    r"\b(?:was|were|had|did|didn't|wasn't|weren't|hadn't|ago|last|yesterday|earlier|previously)\b"
)
_FUNCTION_WORDS = _words(
    "on in at of the a an from during since around about before after as early late mid be been being is are "
    "am also again only just then first"
)  # fmt: skip
_PASSIVE_AUX = _words("be been being is are am to")
# Prepositions that point ahead only when nothing else in the sentence says which way.
_WEAK_FUTURE = _words("by until till through to")
# Words just before a date that say which way it lies: "was arrested in", "expires", "payable".
_NEAR_FUTURE = _words(
    "will 'll expire expires due effective payable scheduled starting beginning next upcoming soon ahead "
    # A present tense before a date is a timetable: "polls open on Tuesday", "the trial resumes Monday".
    "open opens begin begins start starts resume resumes close closes end ends meet meets "
    "arrive arrives return returns"
)  # fmt: skip
_NEAR_PAST = _words(
    "was were had did since began came took made met fell rose won lost left held hit saw got went gave led "
    "sold bought paid became ran struck broke grew shot spent found chose drew fled flew fought kept knew "
    "sent spoke stood wrote quit set last ago"
)  # fmt: skip
_NOT_PAST = _words(
    "need feed speed seed bed red indeed proceed exceed succeed hundred united based limited related "
    "expected scheduled planned interested concerned used supposed required allowed proposed continued "
    "proceed embed shed wed"
)  # fmt: skip
_CLAUSE_STOP = re.compile(r"[.;:!?\"“”()]|,\s")
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"'“‘(]?[A-Z0-9])|\n\s*\n")


def _sentence(state: _State, start: int, end: int) -> tuple[int, int]:
    text = state.text
    lo = max(0, start - 200)
    left = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        left = m.end()
    stop = _SENTENCE_END.search(text, end, min(len(text), end + 200))
    return left, (stop.start() if stop else min(len(text), end + 200))


def _near_tense(state: _State, start: int) -> Literal["past", "future"] | None:
    """The tense the few words before a span give it ("was held on", "expires", "until")."""
    before = state.low[max(0, start - 50) : start]
    stops = list(_CLAUSE_STOP.finditer(before))
    if stops:
        before = before[stops[-1].end() :]
    words = [w.strip("'’\"") for w in before.split()[-6:]]
    for i in range(len(words) - 1, max(-1, len(words) - 6), -1):
        word = words[i]
        if i > 0 and words[i - 1] in _PASSIVE_AUX:
            continue  # "will be paid", "is expected": a participle, not a past tense
        if word in _WEAK_FUTURE:
            return None
        if word in _NEAR_FUTURE:
            return "future"
        if word in _NEAR_PAST or (len(word) > 4 and word.endswith("ed") and word not in _NOT_PAST):
            return "past"
        if word not in _FUNCTION_WORDS:
            return None  # a content word between: "an unspecified date in January" says nothing
    return None


def _verb_after(state: _State, end: int) -> Literal["past", "future"] | None:
    """The verb right after a date that is the subject: "Dec. 31 is the deadline", "Monday was calm"."""
    found = _VERB_AFTER.match(state.low, end)
    if not found:
        return None
    return "past" if found.group(1) in ("was", "were", "had") else "future"


_VERB_AFTER = re.compile(r"(?:['’]s)?\s+(is|are|will|was|were|had)\b")


def _tense(state: _State, start: int, end: int) -> Literal["past", "future"] | None:
    """The tense around a span: the words just before it, else the nearest cue in its sentence."""
    near = _near_tense(state, start) or _verb_after(state, end)
    if near:
        return near
    left, right = _sentence(state, start, end)
    low = state.low
    if _REPORTED.search(low, max(left, start - 20), start):
        return "past"  # "said Tuesday": the saying is past, whatever the quote goes on to say
    # What follows a clause break ("..., saying it will") belongs to another verb.
    cut = _CLAUSE_BREAK.search(low, end, right)
    right = cut.start() if cut else right
    for cut in _CLAUSE_BREAK.finditer(low, left, start):
        left = cut.end()
    best: tuple[int, Literal["past", "future"]] | None = None
    for rx, label in ((_FUTURE_CUE, "future"), (_PAST_CUE, "past")):
        for m in rx.finditer(low, left, right):
            if start <= m.start() < end:
                continue
            dist = start - m.end() if m.end() <= start else 2 * (m.start() - end)
            if best is None or dist < best[0]:
                best = (dist, label)  # type: ignore[assignment]
    if best is None and _weak_future(state, start):
        return "future"
    return best[1] if best else None


def _weak_future(state: _State, start: int) -> bool:
    words = state.low[max(0, start - 12) : start].split()
    return bool(words) and words[-1] in _WEAK_FUTURE
