"""The brief: shared facts first, each citing its outlets.

The brief is extractive: each sentence is a claim group's representative claim, verbatim, with
the outlets that carry it. Shared facts come first (most independent sources first, then in
the order the articles tell them), then conflicts with both sides, then single-source claims.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsweave.compare.records import ClaimGroup
from newsweave.report.records import BriefLine, BriefSide, Cite, Sources, distinct, unique

_STATUS_ORDER = {"shared": 0, "conflict": 1, "unique": 2}
# A brief a reader takes in at a glance: its first items only; every group is in the matrix.
BRIEF_ITEMS = 12


def claim_text(group: ClaimGroup, sources: Sources) -> str:
    """A group's representative claim text (the group's own, else its first claim's)."""
    if group.text:
        # A clause cut from its sentence reads with its subject, inserted in brackets as an
        # editor would: "[the minister] is known for …".
        return f"[{group.context}] {group.text}" if group.context else group.text
    for claim_id in group.claims:
        if claim := sources.claims.get(claim_id):
            return claim.text
    return ""


def group_claims(group: ClaimGroup, sources: Sources) -> list[str]:
    """The ids of a group's claims among the report's claims."""
    return [c for c in group.claims if c in sources.claims]


def group_articles(group: ClaimGroup, sources: Sources) -> list[str]:
    """The articles of a group's claims, in the report's article order."""
    articles = {sources.claims[c].article for c in group_claims(group, sources)}
    articles |= {a for a in group.stances if a in sources.articles}
    return sorted(articles, key=lambda a: sources.order[a])


def group_outlets(group: ClaimGroup, sources: Sources) -> tuple[str, ...]:
    return unique([*group.outlets, *sources.outlets(group_articles(group, sources))])


def _position(group: ClaimGroup, sources: Sources) -> tuple[int, int]:
    claims = [sources.claims[c] for c in group_claims(group, sources)]
    return min((sources.position(c.article, c.start) for c in claims), default=(len(sources.order), 0))


def _cites(claim_ids: Iterable[str], sources: Sources) -> tuple[Cite, ...]:
    cites = [sources.cite_claim(c) for c in claim_ids]
    return distinct(c for c in cites if c is not None)


def _sides(group: ClaimGroup, sources: Sources) -> tuple[BriefSide, ...]:
    """A conflict's sides: the claims of the articles that support, and of those that contradict."""
    by_side: dict[str, list[str]] = {}
    for claim_id in group_claims(group, sources):
        article = sources.claims[claim_id].article
        side = "contradicts" if group.stances.get(article) == "contradicts" else "supports"
        by_side.setdefault(side, []).append(claim_id)
    return tuple(
        BriefSide(
            stance=stance,
            text=sources.claims[ids[0]].text,
            outlets=sources.outlets(sources.claims[c].article for c in ids),
            cites=_cites(ids, sources),
        )
        for stance in ("supports", "contradicts")
        if (ids := by_side.get(stance))
    )


def _provenance(group: ClaimGroup) -> tuple[str, ...]:
    chains = (" → ".join(chain) for p in group.provenance if len(chain := [c for c in p.chain if c]) > 1)
    return unique(chains)


def _flag(status: str, outlets: tuple[str, ...], sides: tuple[BriefSide, ...]) -> str:
    if status == "unique":
        return f"single source: {', '.join(outlets) or 'unknown'}"
    if status == "conflict":
        return "conflict: " + " vs ".join(", ".join(s.outlets) for s in sides) if sides else "conflict"
    return ""


def brief_lines(groups: Sequence[ClaimGroup], sources: Sources) -> tuple[BriefLine, ...]:
    """The brief, one line per claim group, in reading order."""
    lines = []
    for group in groups:
        status = group.status
        outlets = group_outlets(group, sources)
        claim_ids = group_claims(group, sources)
        hedged = sources.outlets(
            sources.claims[c].article for c in claim_ids if sources.claims[c].certainty == "hedged"
        )
        sides = _sides(group, sources) if status == "conflict" else ()
        independent = group.independent_sources
        lines.append(
            (
                (_STATUS_ORDER.get(status, 3), -independent if status == "shared" else 0),
                _position(group, sources),
                BriefLine(
                    group=group.id,
                    status=status,
                    text=claim_text(group, sources),
                    outlets=outlets,
                    independent_sources=independent,
                    cites=_cites(claim_ids, sources),
                    flag=_flag(status, outlets, sides),
                    hedged_in=hedged,
                    sides=sides,
                    provenance=_provenance(group),
                ),
            )
        )
    lines.sort(key=lambda item: (item[0], item[1]))
    return tuple(line for _, _, line in lines)
