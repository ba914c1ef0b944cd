"""Cross-source comparison within a story: which claims state the same fact, who carries them,
where the outlets differ, and where each got it (docs/compare.md).

It reads the records the language layer stored (claims, quotes, entities, time values) for the
articles of one story and returns claim groups, differences and framing terms:
- `align`: claims of different articles that are each other's best match join one group; a
  claim no other outlet matches is a group of its own, a single-source fact;
- `cores`: each claim of a group of several outlets cut to the part the group shares; what the
  claim says besides is a part of its own, a single-source fact;
- `differences`: figures, dates or negation that disagree, one outlet asserting what another
  hedges or attributes; different titles for one person; one name spelt two ways (noted);
- here: each outlet's stance, the provenance chain from source through channel to outlet, and
  independent sources (a copy counts as its original, one source quoted by many counts once);
- `framing`: loaded and evaluative words and scare quotes, per outlet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import replace

from newsweave.compare import framing as framing_terms
from newsweave.compare.align import components, held_elsewhere, matches, similarity
from newsweave.compare.cores import cut_to_cores, whole_id
from newsweave.compare.differences import (
    by_kind,
    certainty_and_attribution,
    conflict,
    disagreements,
    hedged_things,
    title_and_naming,
    variant_entities,
)
from newsweave.compare.figures import dated_figure_conflicts, figure_conflicts
from newsweave.compare.records import (
    ClaimGroup,
    ClaimUnit,
    Comparison,
    Difference,
    Encoder,
    Provenance,
    claim_units,
    outlet_of,
)
from newsweave.compare.vectors import remembered
from newsweave.model import Article, ClaimRecord, EntityRecord, QuoteRecord, TimexRecord

__all__ = ["ClaimGroup", "Comparison", "Difference", "Provenance", "compare_story"]


def _against(lead: ClaimUnit, conflicts: Sequence[tuple[str, ClaimUnit, ClaimUnit]]) -> set[str]:
    """Claims that contradict the group's representative claim (its figure, date or negation);
    where the representative is in no conflict, the second claim of each conflicting pair."""
    against = {b.id if a.id == lead.id else a.id for _, a, b in conflicts if lead.id in {a.id, b.id}}
    return against or {b.id for _, _, b in conflicts}


def _stance(claim: ClaimUnit, contradicted: set[str]) -> str:
    if claim.id in contradicted:
        return "contradicts"
    if claim.source is None and claim.certainty == "asserted":
        return "supports"
    return "mentions"


def _chain(claim: ClaimUnit) -> tuple[str, ...]:
    links = [claim.source] if claim.source else []
    if claim.via and claim.via not in links:
        links.append(claim.via)
    return (*links, claim.outlet)


def _independent_sources(
    members: Sequence[ClaimUnit], original: Mapping[str, str], outlets: Mapping[str, str]
) -> int:
    """Origins, not outlets: a copy counts as its original, and outlets quoting one source once."""
    origins = set()
    for c in members:
        if c.source:
            origins.add(("source", c.source.lower()))
        else:
            first = original.get(c.article, c.article)
            origins.add(("outlet", outlets.get(first, c.outlet)))
    return len(origins)


def _group(
    story: str,
    number: int,
    members: list[ClaimUnit],
    original: Mapping[str, str],
    outlets_by_article: Mapping[str, str],
    figures_apart: Set[frozenset[str]] = frozenset(),
) -> tuple[ClaimGroup, list[Difference]]:
    gid = f"g-{story}-{number}"
    outlets = tuple(
        sorted({outlets_by_article.get(original.get(c.article, c.article), c.outlet) for c in members})
    )
    conflicts = disagreements(members)
    # Figures are compared story-wide (one difference each, already made); a group holding two
    # claims whose figures disagree is in conflict all the same.
    figure_pairs = [
        ("number", a, b)
        for i, a in enumerate(members)
        for b in members[i + 1 :]
        if frozenset((a.part_of or a.id, b.part_of or b.id)) in figures_apart
    ]
    status = "unique" if len(outlets) < 2 else ("conflict" if conflicts or figure_pairs else "shared")
    # The representative: the claim most outlets would recognise, i.e. the longest asserted one.
    lead = max(members, key=lambda c: (c.source is None, c.certainty == "asserted", -abs(len(c.text) - 160)))
    contradicted = _against(lead, [*conflicts, *figure_pairs])
    group = ClaimGroup(
        id=gid,
        story=story,
        claims=tuple(c.id for c in members),
        text=lead.text,
        context=lead.context,
        status=status,
        outlets=outlets,
        independent_sources=_independent_sources(members, original, outlets_by_article),
        stances={c.article: _stance(c, contradicted) for c in members},
        provenance=tuple(Provenance(article=c.article, outlet=c.outlet, chain=_chain(c)) for c in members),
        times=tuple(sorted({t for c in members for t in c.times})),
        numbers=tuple(sorted({n for c in members for n in c.numbers})),
    )
    differences = [conflict(gid, lead.text, kind, pairs) for kind, pairs in by_kind(conflicts).items()]
    if len(outlets) >= 2:
        differences.extend(certainty_and_attribution(gid, lead.text, members))
    return group, differences


def _in_group(difference: Difference, groups: Sequence[tuple[str, set[str]]]) -> Difference:
    """A story-wide difference whose claims all sit in one group (by id, the claims of its
    members) names that group."""
    cited = {s["claim"] for s in difference.spans}
    home = next((gid for gid, claims in groups if cited <= claims), None)
    return replace(difference, group=home, spans=tuple(_without_claim(s) for s in difference.spans))


def _distinct(differences: Iterable[Difference]) -> list[Difference]:
    """One difference per kind and set of cited spans: a story-wide mechanism may find the very
    pair a group's own check found (a hedged thing in a group that hedges the shared fact)."""
    seen: set[tuple[str, frozenset[tuple[str, str]]]] = set()
    out = []
    for d in differences:
        key = (d.kind, frozenset((s["article"], s["text"]) for s in d.spans))
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _without_claim(span: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in span.items() if k != "claim"}


def compare_story(
    story: str,
    articles: Sequence[Article],
    claims: Iterable[ClaimRecord],
    quotes: Iterable[QuoteRecord] = (),
    entities: Iterable[EntityRecord] = (),
    timexes: Iterable[TimexRecord] = (),
    *,
    duplicate_of: Mapping[str, str] | None = None,
    encode: Encoder | None = None,
) -> Comparison:
    """Compare the articles of one story, from the records the earlier stages stored."""
    if encode is None:
        from newsweave.embeddings import encode_minilm

        encode = encode_minilm
    encode = remembered(encode)  # the cores meet again texts alignment read
    by_id = {a.id: a for a in articles}
    outlets = {aid: outlet_of(a) for aid, a in by_id.items()}
    original = dict(duplicate_of or {})
    # Parts of claims a comparison cut out (a read document lists them) are not claims to compare.
    units = claim_units([c for c in claims if c.part_of is None], by_id, timexes, quotes)
    # A copy's claims are its original's: they join no group of their own.
    units = [c for c in units if c.article not in original]
    groups: list[ClaimGroup] = []
    differences: list[Difference] = []
    story_wide, figures_apart = figure_conflicts(units, outlets)
    # A figure dated differently is a difference to show, not a conflict of the group it sits
    # in: the group's other claims may say other things about other days.
    story_wide += dated_figure_conflicts(units, outlets)[0]
    story_wide += hedged_things(units, outlets)
    if units:
        # One article alone has nothing to align with: its claims are its own groups, and no
        # sentence model need run (most stories of a day's news are one article).
        grouped: list[list[int]] = [[i] for i in range(len(units))]
        if len({c.article for c in units}) > 1:
            sim = similarity(units, encode)
            grouped = components(units, matches(units, sim))
            held = held_elsewhere(units, sim, grouped)
            joined = {group[0] for group in held}
            grouped = [g for g in grouped if not (len(g) == 1 and g[0] in joined)] + held
        # What a group shares, not whole sentences; what each claim says besides is its own fact.
        cut, rest = cut_to_cores(units, grouped, encode)
        for number, members in enumerate([*cut, *([part] for part in rest)]):
            group, found = _group(story, number, members, original, outlets, figures_apart)
            groups.append(group)
            differences.extend(found)
    holding = [(g.id, {whole_id(c) for c in g.claims}) for g in groups]
    differences.extend(_in_group(d, holding) for d in story_wide)
    story_entities = [e for e in entities if set(e.articles) & set(by_id)]
    differences.extend(title_and_naming(story_entities, by_id))
    differences.extend(variant_entities(story_entities, outlets))
    differences = _distinct(differences)
    terms = tuple(framing_terms.find_terms(articles, quotes))
    order = {"shared": 0, "conflict": 1, "unique": 2}
    groups.sort(key=lambda g: (order[g.status], -g.independent_sources, g.id))
    return Comparison(story=story, groups=tuple(groups), differences=tuple(differences), framing=terms)
