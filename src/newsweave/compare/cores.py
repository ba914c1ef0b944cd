"""Claim cores: the part of each claim that a group of several outlets really shares.

A claim is a sentence or a clause, and a sentence often says more than the fact the other outlets
state ("the council approved the harbour tunnel on Tuesday, which will cost 2.3 billion euros
over nine years"). Shown whole in a group, the extra detail would pass for corroborated.
So once the groups are made, each claim of a group of two outlets or more is cut down from its
edges: a phrase the language layer marked as detachable (a clause; a phrase with a number or a
verb) comes off when no other outlet's claim in the group shares one of its content words or
comes near it in meaning. What comes off, when it still says something, is a part of its own in
a group of its own: a detail only this outlet gives.

A part is a span of the article like the claim it comes from; its id names the claim and the
span (`part_id`), so the export and the pages can show it and cite the claim it belongs to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from newsweave.compare.records import ClaimUnit, Encoder, content_lemmas
from newsweave.model import ClaimRecord

# A core keeps at least this many content words: a cut that leaves less has cut the statement.
MIN_CORE_WORDS = 3
# What comes off becomes a part of its own when it holds this many content words.
MIN_PART_WORDS = 2
# A phrase this close in meaning (sentence vectors) to another outlet's claim of the group says
# what that claim says in other words, and stays ("leaving without a word to reporters" beside
# "declined to comment"). On the comparison benchmark, 0.35 to 0.45 measured alike; without it a
# paraphrase in a concessive clause was cut off its group.
PHRASE_MEANING = 0.4
_EDGE = " \t\n,;:—–-.()[]\"'“”‘’"
# Words that join what a cut leaves to what it took: "…, and", "while …".
_JOINING = frozenset({"and", "or", "but", "as", "while"})
_SEPARATOR = "@"
_STEM = 6

Span = tuple[int, int]


def part_id(claim_id: str, start: int, end: int) -> str:
    """The id of the part of a claim from `start` to `end` (offsets in the article)."""
    return f"{claim_id}{_SEPARATOR}{start}-{end}"


def whole_id(claim_id: str) -> str:
    """The claim a part id names; a claim's own id unchanged."""
    return claim_id.split(_SEPARATOR, 1)[0]


def part_records(claims: Iterable[ClaimRecord], cited: Iterable[str]) -> list[ClaimRecord]:
    """The parts among `cited` (ids of group members) as records of their own, cut from the
    claims they name; an id naming no known claim, or a span outside it, is left out."""
    by_id = {c.id: c for c in claims}
    out = {}
    for cid in cited:
        whole, _, span = cid.partition(_SEPARATOR)
        claim = by_id.get(whole)
        if not span or claim is None or cid in out:
            continue
        start, _, end = span.partition("-")
        if not (start.isdigit() and end.isdigit()):
            continue
        s, e = int(start), int(end)
        if claim.start <= s < e <= claim.end:
            out[cid] = replace(
                claim,
                id=cid,
                text=claim.text[s - claim.start : e - claim.start],
                start=s,
                end=e,
                numbers=_numbers_in(claim.numbers, claim.text[s - claim.start : e - claim.start]),
                phrases=tuple(p for p in claim.phrases if s <= p[0] and p[1] <= e),
                part_of=claim.id,
            )
    return list(out.values())


def cut_to_cores(
    units: Sequence[ClaimUnit], grouped: Sequence[Sequence[int]], encode: Encoder
) -> tuple[list[list[ClaimUnit]], list[ClaimUnit]]:
    """Each group's members, those of a cross-outlet group cut to what the others share, and
    the parts cut off that still say something (each a single-outlet fact)."""
    cross = {n: g for n, g in enumerate(grouped) if len({units[i].outlet for i in g}) > 1}
    near = _phrase_meaning(units, cross, encode)
    cores: dict[int, list[Span]] = defaultdict(list)
    out = []
    for n, group in enumerate(grouped):
        if n not in cross:
            out.append([units[i] for i in group])
            continue
        members = []
        for i in group:
            others = [units[j] for j in group if units[j].outlet != units[i].outlet]
            words = set().union(*(_stems(o.reading, o.lemmas) for o in others))
            span = _core(units[i], words, near.get((n, i), {}))
            cores[i].append(span)
            members.append(_part(units[i], *span))
        out.append(members)
    rest = [_part(units[i], s, e) for i, spans in cores.items() for s, e in _left_over(units[i], spans)]
    return out, rest


def _phrase_meaning(
    units: Sequence[ClaimUnit], cross: Mapping[int, Sequence[int]], encode: Encoder
) -> dict[tuple[int, int], dict[Span, float]]:
    """For each member of each cross-outlet group (by group number and claim), how close each
    of its phrases comes in meaning to the nearest claim of another outlet in that group."""
    asks: list[tuple[int, int, Span, list[int]]] = []
    for n, group in cross.items():
        for i in group:
            others = [j for j in group if units[j].outlet != units[i].outlet]
            asks.extend((n, i, (a, b), others) for a, b in units[i].phrases)
    if not asks:
        return {}
    claims = [t for group in cross.values() for j in group for t in (units[j].text, units[j].reading)]
    texts = list(dict.fromkeys([_text(units[i], *p) for _, i, p, _ in asks] + claims))
    row = {t: k for k, t in enumerate(texts)}
    vectors = np.asarray(encode(texts), dtype=np.float64)  # one encoding call for the story
    out: dict[tuple[int, int], dict[Span, float]] = defaultdict(dict)
    for n, i, p, others in asks:
        v = vectors[row[_text(units[i], *p)]]
        # The other claim in its own words or read with its context, whichever comes nearer.
        nearest = (float(vectors[row[t]] @ v) for j in others for t in (units[j].text, units[j].reading))
        out[n, i][p] = max(nearest)
    return out


def _core(unit: ClaimUnit, shared: set[str], near: dict[Span, float]) -> Span:
    """The claim cut down from its edges, phrase by phrase, while what comes off is shared with
    no other outlet (not a content word, not in meaning) and the rest keeps a statement."""

    def free(a: int, b: int, phrase: Span) -> bool:
        return not _stems(_text(unit, a, b), unit.lemmas) & shared and near.get(phrase, 0.0) < PHRASE_MEANING

    def enough(a: int, b: int) -> bool:
        return len(content_lemmas(_text(unit, a, b), unit.lemmas)) >= MIN_CORE_WORDS

    s, e = unit.start, unit.end
    phrases = sorted(unit.phrases)
    while True:
        end = _trim_end(unit, s, e)
        # A phrase reaching the end comes off with all after it: the widest first.
        cut = next(
            (
                a
                for a, b in phrases
                if s < a < end <= b and free(a, end, (a, b)) and enough(s, _trim_end(unit, s, a))
            ),
            None,
        )
        if cut is not None:
            e = _trim_end(unit, s, cut)
            continue
        start = _trim_start(unit, s, e)
        cut = next(
            (
                b
                for a, b in sorted(phrases, key=lambda p: -p[1])
                if a <= start < b < e and free(start, b, (a, b)) and enough(_trim_start(unit, b, e), e)
            ),
            None,
        )
        if cut is None:
            return s, e
        s = _trim_start(unit, cut, e)


def _stems(text: str, lemmas: Mapping[str, str]) -> set[str]:
    """Content words cut to their first six letters, so that a phrase shares a word with a claim
    that has another form of it the lemmas do not join ("presidency" and "president")."""
    return {w[:_STEM] for w in content_lemmas(text, lemmas)}


def _left_over(unit: ClaimUnit, cores: Sequence[Span]) -> list[Span]:
    """What of the claim lies outside all its cores, in pieces that still say something."""
    pieces, position = [], unit.start
    for s, e in sorted(cores):
        if s > position:
            pieces.append((position, s))
        position = max(position, e)
    if position < unit.end:
        pieces.append((position, unit.end))
    out = []
    for a, b in pieces:
        a = _trim_start(unit, a, b)
        b = _trim_end(unit, a, b)
        if len(content_lemmas(_text(unit, a, b), unit.lemmas)) >= MIN_PART_WORDS:
            out.append((a, b))
    return out


def _part(unit: ClaimUnit, start: int, end: int) -> ClaimUnit:
    if (start, end) == (unit.start, unit.end):
        return unit
    text = _text(unit, start, end)
    return replace(
        unit,
        id=part_id(unit.id, start, end),
        text=text,
        start=start,
        end=end,
        numbers=_numbers_in(unit.numbers, text),
        phrases=tuple(p for p in unit.phrases if start <= p[0] and p[1] <= end),
        part_of=unit.id,
    )


def _numbers_in(numbers: Sequence[str], text: str) -> tuple[str, ...]:
    """The claim's figures that the part states (their first word is in it)."""
    lower = text.lower()
    return tuple(n for n in numbers if n.split() and n.split()[0].lower() in lower)


def _text(unit: ClaimUnit, start: int, end: int) -> str:
    return unit.text[start - unit.start : end - unit.start]


def _trim_end(unit: ClaimUnit, start: int, end: int) -> int:
    """`end` moved back over punctuation and a joining word left hanging ("…, and")."""
    text = _text(unit, start, end)
    while True:
        stripped = text.rstrip(_EDGE)
        words = stripped.rsplit(None, 1)
        if len(words) == 2 and words[1].lower() in _JOINING:
            stripped = words[0]
        if stripped == text:
            return start + len(text)
        text = stripped


def _trim_start(unit: ClaimUnit, start: int, end: int) -> int:
    """`start` moved on over punctuation and a joining word left hanging ("and …")."""
    text = _text(unit, start, end)
    while True:
        stripped = text.lstrip(_EDGE)
        words = stripped.split(None, 1)
        if len(words) == 2 and words[0].lower() in _JOINING:
            stripped = words[1]
        if stripped == text:
            return end - len(text)
        text = stripped
