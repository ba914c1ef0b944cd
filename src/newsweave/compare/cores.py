"""Claim cores: the part of each claim that a group of several outlets really shares.

A claim is a sentence or a clause, and a sentence often says more than the fact the other outlets
state ("the council approved the harbour tunnel on Tuesday, which will cost 2.3 billion euros
over the next nine years"). Shown whole in a group, the extra detail would pass for corroborated.
So once the groups are made, each claim of a group of two outlets or more is cut down from its
edges: a phrase the language layer marked as detachable (a clause; a phrase with a number or a
verb) comes off when no other outlet's claim in the group shares one of its content words or
comes near it in meaning. What comes off, when it still says something, is a part of its own in
a group of its own: a detail only this outlet gives.

A part is a span of the article like the claim it comes from; its id names the claim and the
span (`part_id`), so the export and the pages can show it and cite the claim it belongs to.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from newsweave.compare.records import ClaimUnit, Encoder, content_lemmas
from newsweave.model import ClaimRecord

# A core keeps at least this many content words: a cut that leaves less has cut the statement.
MIN_CORE_WORDS = 3
# What comes off becomes a part of its own when it holds this many content words; less is a
# fragment ("the agency said", "at one point"). 2 and 3 measured alike on the benchmark.
MIN_PART_WORDS = 3
# A phrase this close in meaning (sentence vectors) to another outlet's claim of the group says
# what that claim says in other words, and stays ("refusing to speak to the press" beside
# "declined to take questions from journalists", 0.46). On the comparison benchmark, 0.35 to
# 0.45 measured alike; without it a paraphrase in a concessive clause was cut off its group.
PHRASE_MEANING = 0.4
_EDGE = " \t\n,;:—–―-.()[]\"'“”‘’"
_INITIALISM = re.compile(r"(?:\b[A-Z]\.)+$")  # "N.J.", "B.C.": the last period is the name's
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
            out[cid] = replace(claim, **_own_records(claim, s, e))
    return list(out.values())


def cut_to_cores(
    units: Sequence[ClaimUnit], grouped: Sequence[Sequence[int]], encode: Encoder
) -> tuple[list[list[ClaimUnit]], list[ClaimUnit]]:
    """Each group's members, those of a cross-outlet group cut to what the others share, and
    the parts cut off that still say something (each a single-outlet fact)."""
    cross = {n: g for n, g in enumerate(grouped) if len({units[i].outlet for i in g}) > 1}
    # What the other outlets of the group say, as word stems, for each member of each group.
    stems = {i: _stems(units[i].reading, units[i].lemmas) for group in cross.values() for i in group}
    shared = {
        (n, i): set().union(*(stems[j] for j in _others(units, group, i)))
        for n, group in cross.items()
        for i in group
    }
    spans = _cores(units, cross, shared, encode)
    cores: dict[int, list[Span]] = defaultdict(list)
    out: dict[int, list[ClaimUnit]] = {}
    for n, group in cross.items():
        for i in group:
            cores[i].append(spans[n, i])
        out[n] = [_part(units[i], *spans[n, i]) for i in group]
    for n, group in enumerate(grouped):
        # A claim also held in a cross-outlet group (align.held_elsewhere keeps the holder in its
        # own group) is no single-outlet fact: what it says alone is what is left of it, below.
        alone = [units[i] for i in group if i not in cores]
        if n not in cross and alone:
            out[n] = alone
    rest = [_part(units[i], s, e) for i, held in cores.items() for s, e in _left_over(units[i], held)]
    return [out[n] for n in sorted(out)], rest


def _others(units: Sequence[ClaimUnit], group: Sequence[int], i: int) -> list[int]:
    return [j for j in group if units[j].outlet != units[i].outlet]


class _Unmeasured(Exception):
    """A cut waits on how near a phrase comes in meaning to the other outlets' claims."""

    def __init__(self, phrase: Span) -> None:
        self.phrase = phrase


def _cores(
    units: Sequence[ClaimUnit],
    cross: Mapping[int, Sequence[int]],
    shared: Mapping[tuple[int, int], set[str]],
    encode: Encoder,
) -> dict[tuple[int, int], Span]:
    """Each member's core, by group number and claim. A phrase's meaning is measured only when
    a cut reaches it (a phrase sharing a word stays, measured or not): the cuts are made in
    rounds, each round encoding in one call the phrases the cuts of the last one waited on."""
    near: dict[tuple[int, int], dict[Span, float]] = defaultdict(dict)
    done: dict[tuple[int, int], Span] = {}
    pending = list(shared)
    while pending:
        waiting: list[tuple[tuple[int, int], Span]] = []
        for key in pending:
            try:
                done[key] = _core(units[key[1]], shared[key], near[key])
            except _Unmeasured as wait:
                waiting.append((key, wait.phrase))
        _measure(units, cross, waiting, near, encode)
        pending = [key for key, _ in waiting]
    return done


def _measure(
    units: Sequence[ClaimUnit],
    cross: Mapping[int, Sequence[int]],
    asks: Sequence[tuple[tuple[int, int], Span]],
    near: dict[tuple[int, int], dict[Span, float]],
    encode: Encoder,
) -> None:
    """How close each asked phrase of a member comes in meaning to the nearest claim of another
    outlet in its group, in its own words or read with its context."""
    if not asks:
        return
    others = {key: _others(units, cross[key[0]], key[1]) for key, _ in asks}
    claims = [t for key in others for j in others[key] for t in (units[j].text, units[j].reading)]
    texts = list(dict.fromkeys([_text(units[key[1]], *p) for key, p in asks] + claims))
    row = {t: k for k, t in enumerate(texts)}
    vectors = np.asarray(encode(texts), dtype=np.float64)
    for key, p in asks:
        v = vectors[row[_text(units[key[1]], *p)]]
        near[key][p] = max(
            float(vectors[row[t]] @ v) for j in others[key] for t in (units[j].text, units[j].reading)
        )


def _core(unit: ClaimUnit, shared: set[str], near: dict[Span, float]) -> Span:
    """The claim cut down from its edges, phrase by phrase, while what comes off is shared with
    no other outlet (not a content word, not in meaning) and the rest keeps a statement."""

    def free(a: int, b: int, phrase: Span) -> bool:
        if _stems(_text(unit, a, b), unit.lemmas) & shared:
            return False
        if phrase not in near:
            raise _Unmeasured(phrase)
        return near[phrase] < PHRASE_MEANING

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
                if s < a < end <= b and enough(s, _trim_end(unit, s, a)) and free(a, end, (a, b))
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
                if a <= start < b < e and enough(_trim_start(unit, b, e), e) and free(start, b, (a, b))
            ),
            None,
        )
        if cut is None:
            return s, e
        s = _trim_start(unit, cut, e)


def _stems(text: str, lemmas: Mapping[str, str]) -> set[str]:
    """Content words cut to their first six letters, so that a phrase shares a word with a claim
    that has another form of it the lemmas do not join ("Hungary's" and "Hungarian"). The only
    scored evidence is one seeds fact (seeds 96 with it, 94 without; the comparison benchmark
    measured alike); on six FNC-1 stories it leaves two claims uncut (docs/compare.md, "Cores")."""
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
    dated = tuple((at, value) for at, value in unit.dated if start <= at < end)
    return replace(unit, **_own_records(unit, start, end), times=frozenset(v for _, v in dated), dated=dated)


def _own_records(claim: ClaimRecord | ClaimUnit, start: int, end: int) -> dict[str, Any]:
    """The fields of the part of `claim` from `start` to `end` that differ from the claim's: its
    span and what its own words state (figures, entities, predicates, hedged terms, phrases).
    Its certainty, hedges, polarity and source stay the claim's: a sentence's hedge or
    attribution covers all of it. Collections keep the claim's own types."""
    text = claim.text[start - claim.start : end - claim.start]
    return {
        "id": part_id(claim.id, start, end),
        "text": text,
        "start": start,
        "end": end,
        "numbers": _numbers_in(claim.numbers, text),
        "entities": type(claim.entities)(_named_in(claim.entities, text)),
        "predicates": type(claim.predicates)(_predicates_in(claim.predicates, text, claim.lemmas)),
        "hedged_terms": tuple(t for t in claim.hedged_terms if t in text.lower()),
        "phrases": tuple(p for p in claim.phrases if start <= p[0] and p[1] <= end),
        "part_of": claim.id,
    }


def _numbers_in(numbers: Iterable[str], text: str) -> tuple[str, ...]:
    """The claim's figures the part states: their first word is a word of it ("2" is not in "12")."""
    return tuple(n for n in numbers if n.split() and re.search(_word(n.split()[0]), text, re.IGNORECASE))


def _named_in(entities: Iterable[str], text: str) -> tuple[str, ...]:
    """The claim's entities the part names, in full or by a word of the name ("Okafor")."""
    said = _words_of(text)
    return tuple(e for e in entities if any(w in said for w in _words_of(e) if len(w) > 2))


def _predicates_in(predicates: Iterable[str], text: str, lemmas: Mapping[str, str]) -> tuple[str, ...]:
    """The claim's predicates whose verb (or denied noun) is a word of the part."""
    said = {lemmas.get(w, w) for w in _words_of(text)}
    return tuple(p for p in predicates if p.removeprefix("not ").removeprefix("no ").split("@")[0] in said)


def _word(word: str) -> str:
    return rf"(?<![\w.,]){re.escape(word)}(?![\w])"


def _words_of(text: str) -> set[str]:
    return set(re.findall(r"[\w'’-]+", text.lower()))


def _text(unit: ClaimUnit, start: int, end: int) -> str:
    return unit.text[start - unit.start : end - unit.start]


def _trim_end(unit: ClaimUnit, start: int, end: int) -> int:
    """`end` moved back over punctuation and a joining word left hanging ("…, and")."""
    text = _text(unit, start, end)
    while True:
        stripped = text.rstrip(_EDGE)
        if _INITIALISM.search(kept := text.rstrip(_EDGE.replace(".", ""))):
            stripped = kept
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
