"""Differences between outlets: within a claim group (figures, dates, negation, certainty,
attribution), and across the story (titles for one person, one name spelt two ways)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import combinations

from newsweave.compare.records import ClaimUnit, Difference, outlet_of, words
from newsweave.model import Article, EntityRecord, EntityRole

_NUMBER = re.compile(r"\d[\d,.]*")


def _number_values(numbers: Iterable[str]) -> dict[str, set[str]]:
    """Numbers by what they count: {"percent": {"12.5"}, "workers": {"300"}}."""
    out: dict[str, set[str]] = defaultdict(set)
    for n in numbers:
        parts = n.lower().split()
        unit = parts[-1] if len(parts) > 1 else ""
        value = _NUMBER.search(n)
        if value and unit:
            out[unit].add(value.group().rstrip(".,"))
    return out


def disagreements(members: Sequence[ClaimUnit]) -> list[tuple[str, ClaimUnit, ClaimUnit]]:
    """Pairs of claims from different outlets whose numbers (same unit) or dates differ."""
    found = []
    for a, b in combinations(members, 2):
        if a.outlet == b.outlet:
            continue
        na, nb = _number_values(a.numbers), _number_values(b.numbers)
        if any(na[u] and nb[u] and not na[u] & nb[u] for u in set(na) & set(nb)):
            found.append(("number", a, b))
        elif a.times and b.times and not _times_agree(a.times, b.times):
            found.append(("date", a, b))
        elif a.polarity != b.polarity:
            found.append(("polarity", a, b))
    return found


def _times_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Days agree when one value is the other or lies within it (2024-03-15 within 2024-03)."""
    return any(x.startswith(y) or y.startswith(x) for x in a for y in b)


def by_kind(
    conflicts: Iterable[tuple[str, ClaimUnit, ClaimUnit]],
) -> dict[str, list[tuple[ClaimUnit, ClaimUnit]]]:
    out: dict[str, list[tuple[ClaimUnit, ClaimUnit]]] = defaultdict(list)
    for kind, a, b in conflicts:
        out[kind].append((a, b))
    return out


def conflict(gid: str, about: str, kind: str, pairs: Sequence[tuple[ClaimUnit, ClaimUnit]]) -> Difference:
    """One difference per kind and group, citing each outlet's claim once."""
    cited: dict[str, ClaimUnit] = {}
    for a, b in pairs:
        cited.setdefault(a.outlet, a)
        cited.setdefault(b.outlet, b)
    return Difference(
        kind=kind,
        about=about[:120],
        spans=tuple({"article": c.article, "text": c.text} for c in cited.values()),
        note=f"{_joined(sorted(cited))} {_DISAGREE[kind]}",
        group=gid,
    )


_DISAGREE = {
    "number": "give different figures",
    "date": "give different dates",
    "polarity": "contradict each other: one says it is so, the other that it is not",
}


def _joined(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def certainty_and_attribution(gid: str, about: str, members: Sequence[ClaimUnit]) -> list[Difference]:
    """One outlet states the fact outright; another hedges it, or puts it on someone's word."""
    asserted = [c for c in members if c.certainty == "asserted" and c.source is None]
    hedged = [c for c in members if c.certainty == "hedged"]
    attributed = [c for c in members if c.source is not None]
    contrasts: list[tuple[str, list[ClaimUnit], Callable[[ClaimUnit, ClaimUnit], str]]] = [
        ("certainty", hedged, lambda a, o: f"{a.outlet} asserts it; {o.outlet} hedges it"),
        (
            "attribution",
            attributed,
            lambda a, o: f"{a.outlet} states it as fact; {o.outlet} attributes it to {o.source}",
        ),
    ]
    out = []
    for kind, others, note in contrasts:
        pair = next(((a, o) for a in asserted for o in others if o.outlet != a.outlet), None)
        if pair is not None:
            a, o = pair
            out.append(
                Difference(
                    kind=kind,
                    about=about[:120],
                    spans=({"article": a.article, "text": a.text}, {"article": o.article, "text": o.text}),
                    note=note(a, o),
                    group=gid,
                )
            )
    return out


_KINSHIP = re.compile(
    r"\b(sister|brother|daughter|son|wife|husband|father|mother|uncle|aunt|niece|nephew|cousin|"
    r"grandson|granddaughter|grandfather|grandmother|widow|partner)\b",
    re.IGNORECASE,
)


def title_and_naming(entities: Iterable[EntityRecord], articles: Mapping[str, Article]) -> list[Difference]:
    """Different titles the outlets give one person; spelling variants of one name (merged)."""
    outlets = {aid: outlet_of(a) for aid, a in articles.items()}
    out = []
    for e in entities:
        titles: dict[str, EntityRole] = {}
        for r in e.roles:
            # Kinship says who someone is to another, not what post they hold.
            if r.article in outlets and not _KINSHIP.search(r.text):
                titles.setdefault(outlets[r.article], r)
        if e.type == "PERSON" and len(titles) >= 2 and not _roles_overlap(list(titles.values())):
            out.append(
                Difference(
                    kind="title",
                    about=e.name,
                    spans=tuple(
                        {"article": r.article, "text": _as_written(articles[r.article], r)}
                        for r in titles.values()
                    ),
                    note="the outlets give different titles",
                )
            )
        out.extend(_naming(e, outlets))
    return out


def _as_written(article: Article, role: EntityRole) -> str:
    """The role with the article in front of it, as the text has it ("the deputy spokesperson…")."""
    body = article.body
    start, end = role.start, role.end
    if body[start:end] != role.text:  # the span as written: "his powerful sister", "the …"
        return body[start:end] if body[start:end].endswith(role.text) else role.text
    before = re.search(r"\b(the|a|an)\s+$", body[max(0, start - 5) : start], re.IGNORECASE)
    return body[start - len(before.group()) if before else start : end]


def _roles_overlap(roles: Sequence[EntityRole]) -> bool:
    """Roles that say the same thing ("spokesperson" within "White House spokesperson")."""
    sets = [words(r.text) for r in roles]
    return all(a <= b or b <= a for a, b in combinations(sets, 2))


def _naming(entity: EntityRecord, outlets: Mapping[str, str]) -> list[Difference]:
    names_by_outlet: dict[str, set[str]] = defaultdict(set)
    for m in entity.mentions:
        if m.kind == "name" and m.article in outlets:
            names_by_outlet[outlets[m.article]].add(m.text)
    variants = []
    for (oa, na), (ob, nb) in combinations(sorted(names_by_outlet.items()), 2):
        for x in na - nb:
            y = next((y for y in nb - na if _spelling_variant(x, y)), None)
            if y is not None:
                variants.append((oa, x, ob, y))
    if not variants:
        return []
    article_of: dict[tuple[str | None, str], str] = {}
    for m in entity.mentions:
        article_of.setdefault((outlets.get(m.article), m.text), m.article)
    oa, x, ob, y = variants[0]
    return [
        Difference(
            kind="naming",
            about=entity.name,
            spans=({"article": article_of[(oa, x)], "text": x}, {"article": article_of[(ob, y)], "text": y}),
            note="spelling variants of one name, merged as one entity (not a conflict)",
        )
    ]


def variant_entities(entities: Sequence[EntityRecord], outlets: Mapping[str, str]) -> list[Difference]:
    """Two entities of one type whose names differ by a letter or two, each named by different
    outlets and never side by side in one article: one entity spelled two ways ("Pieter Vroom"
    / "Pieter Vrom"). Noted as a naming difference, not a conflict of fact."""
    out = []
    for a, b in combinations(entities, 2):
        arts_a, arts_b = set(a.articles) & set(outlets), set(b.articles) & set(outlets)
        if a.type != b.type or not arts_a or not arts_b or arts_a & arts_b:
            continue
        if {outlets[x] for x in arts_a} & {outlets[x] for x in arts_b}:
            continue
        if _spelling_variant(a.name, b.name):
            out.append(
                Difference(
                    kind="naming",
                    about=a.name,
                    spans=(
                        {"article": sorted(arts_a)[0], "text": a.name},
                        {"article": sorted(arts_b)[0], "text": b.name},
                    ),
                    note="spelling variants of one name across outlets (not a conflict)",
                )
            )
    return out


def _spelling_variant(a: str, b: str) -> bool:
    """Names that differ by a letter or two, not by a word ("Sorensen" / "Sorenson")."""
    if a.lower() == b.lower() or len(a.split()) != len(b.split()):
        return False
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.85
