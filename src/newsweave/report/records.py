"""The story report's records, and the index every section uses to cite a source sentence.

Every line of the report carries `Cite`s: the article, its outlet, the offsets into the
article's body (or caption) where the export gives them, and the HTML anchor of the sentence
in the report's source appendix. The records are plain frozen data; the renderers only read
them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsweave.model import Article, ClaimRecord
from newsweave.sentences import sentence_ends

#: The report's sections, in order: (key, heading, what a section says while it has nothing).
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("brief", "Brief", "No claim groups yet: the cross-source comparison has not run on these articles."),
    ("timeline", "Timeline", "No dates on the calendar yet."),
    ("whos_who", "Who's who", "No entities yet: the language layer has not run on these articles."),
    ("quotes", "Quote board", "No quotes found yet."),
    ("matrix", "Claims by outlet", "No claim groups yet, so no claim-by-outlet matrix."),
    ("differences", "Differences", "No differences between the outlets found yet."),
    ("framing", "Framing", "No framing terms found yet."),
    ("sources", "Sources", "No articles."),
)
SECTION_TITLES = {key: title for key, title, _ in SECTIONS}
EMPTY = {key: empty for key, _, empty in SECTIONS}


@dataclass(frozen=True, slots=True, kw_only=True)
class Cite:
    """Where a line of the report comes from."""

    article: str
    outlet: str
    anchor: str  # the HTML id in the source appendix: a sentence's, else the article's
    start: int | None = None
    end: int | None = None
    field: str = "body"  # "body" or "caption:N"


@dataclass(frozen=True, slots=True, kw_only=True)
class BriefSide:
    """One side of a conflict: what some outlets say, with their sentences."""

    stance: str  # supports | contradicts
    text: str
    outlets: tuple[str, ...]
    cites: tuple[Cite, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class BriefLine:
    """One sentence of the brief: a claim group's representative claim, verbatim."""

    group: str
    status: str  # shared | unique | conflict
    text: str
    outlets: tuple[str, ...]
    independent_sources: int
    cites: tuple[Cite, ...]
    flag: str = ""  # "single source: X" or "conflict: …"; "" for a shared fact
    hedged_in: tuple[str, ...] = ()  # outlets that state it with a hedge
    sides: tuple[BriefSide, ...] = ()  # for a conflict
    provenance: tuple[str, ...] = ()  # chains, e.g. "Agency → Outlet"


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEntry:
    """A point or stretch on the calendar, with the sentence that puts something there."""

    value: str  # TIMEX3
    label: str  # "Mon 10 Mar 2025", "autumn 2024"
    precision: str  # day | time | week | month | season | quarter | half | year | decade | range
    text: str
    outlets: tuple[str, ...]
    cites: tuple[Cite, ...]
    marks: tuple[str, ...] = ()  # "caption", "anchor inferred", "shared", "single source", …
    sort_key: tuple[str, str] = ("", "")


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletRoles:
    """How one outlet describes an entity."""

    outlet: str
    mentioned: bool
    roles: tuple[str, ...]
    cites: tuple[Cite, ...]  # one per role: where the outlet first gives it


@dataclass(frozen=True, slots=True, kw_only=True)
class WhoEntry:
    entity: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: int
    by_outlet: tuple[OutletRoles, ...]  # one per report outlet, in the report's outlet order


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityGroup:
    type: str
    label: str  # "People", "Organisations", …
    entries: tuple[WhoEntry, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteItem:
    """Words a speaker said, merged across the articles that carry them."""

    speaker: str
    speaker_entity: str | None
    words: str
    kind: str  # direct | partial | indirect (the most direct wording)
    cues: tuple[str, ...]
    via: tuple[str, ...]
    outlets: tuple[str, ...]
    cites: tuple[Cite, ...]
    variants: tuple[str, ...] = ()  # other wordings of the same words


@dataclass(frozen=True, slots=True, kw_only=True)
class MatrixRow:
    group: str
    status: str
    text: str
    cells: tuple[str, ...]  # per outlet: supports | contradicts | mentions | ""
    cites: tuple[Cite, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Matrix:
    outlets: tuple[str, ...]
    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DifferenceSpan:
    outlet: str
    text: str
    cite: Cite


@dataclass(frozen=True, slots=True, kw_only=True)
class DifferenceItem:
    kind: str  # number | date | certainty | attribution | title | naming
    about: str
    note: str
    spans: tuple[DifferenceSpan, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FramingItem:
    term: str
    kind: str  # loaded | evaluative | scare_quote
    context: str
    cite: Cite


@dataclass(frozen=True, slots=True, kw_only=True)
class FramingColumn:
    outlet: str
    items: tuple[FramingItem, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Segment:
    """A run of an article's body; `anchor` is set on a claim's sentence."""

    text: str
    anchor: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceArticle:
    """An article as the appendix shows it: clean body with its sentences anchorable."""

    id: str
    anchor: str
    outlet: str
    title: str
    section: str
    published: str
    url: str
    source: str
    paragraphs: tuple[tuple[Segment, ...], ...]
    captions: tuple[tuple[str, str], ...]  # (anchor, caption)
    removed: tuple[tuple[str, str], ...]  # (reason, text)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryRef:
    id: str
    title: str
    articles: int
    outlets: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryReport:
    """Everything the renderers show, in section order."""

    title: str
    story: str | None
    stories: tuple[StoryRef, ...]
    outlets: tuple[str, ...]
    period: str
    brief: tuple[BriefLine, ...]
    """The lead: corroborated facts first, at most `BRIEF_ITEMS`; the rest are in the matrix."""
    timeline: tuple[TimelineEntry, ...]
    whos_who: tuple[EntityGroup, ...]
    quotes: tuple[QuoteItem, ...]
    matrix: Matrix
    differences: tuple[DifferenceItem, ...]
    framing: tuple[FramingColumn, ...]
    sources: tuple[SourceArticle, ...]
    counts: Mapping[str, int] = field(default_factory=dict)
    brief_omitted: int = 0
    """Claim groups left out of the brief (all of them are in the claims-by-outlet matrix)."""
    version: str = ""
    generated: str = ""

    def is_empty(self, section: str) -> bool:
        """Whether a section (a key of `SECTIONS`) has nothing to show."""
        if section == "matrix":
            return not self.matrix.rows
        if section == "framing":
            return not any(column.items for column in self.framing)
        value: tuple[Any, ...] = getattr(self, section)
        return not value


def anchor_id(*parts: object) -> str:
    """An HTML id from parts (article ids, offsets), safe whatever the parts hold."""
    return "-".join(re.sub(r"[^A-Za-z0-9_]+", "_", str(p)) for p in parts)


def distinct(cites: Iterable[Cite]) -> tuple[Cite, ...]:
    """Cites with one per sentence anchor (two spans of one sentence cite it once), in order."""
    first: dict[str, Cite] = {}
    for cite in cites:
        first.setdefault(cite.anchor, cite)
    return tuple(first.values())


def unique(items: Iterable[str]) -> tuple[str, ...]:
    """Non-empty items, first occurrence kept, in order."""
    return tuple(dict.fromkeys(i for i in items if i))


class Sources:
    """The articles of the report and their claim spans: outlet of an article, anchors, cites."""

    def __init__(self, articles: Sequence[Article], claims: Iterable[ClaimRecord]) -> None:
        self.articles: dict[str, Article] = {a.id: a for a in articles}
        self.order = {a.id: i for i, a in enumerate(articles)}
        self.claims: dict[str, ClaimRecord] = {c.id: c for c in claims if c.article in self.articles}
        self.spans: dict[str, list[tuple[int, int, str]]] = {}  # claim spans per article
        for c in self.claims.values():
            if c.part_of is None:  # a part of a claim is cited at its claim's sentence
                self.spans.setdefault(c.article, []).append((c.start, c.end, c.id))
        for spans in self.spans.values():
            spans.sort()
        self.paragraphs = {a.id: paragraphs(a.body) for a in self.articles.values()}
        # the anchorable sentence of each claim: inside one paragraph, not overlapping another
        self.anchors: dict[str, str] = {}
        self.anchored: dict[str, list[tuple[int, int, str]]] = {}
        for article, spans in self.spans.items():
            body = self.articles[article].body
            last = -1
            for s, e, claim_id in spans:
                clipped = _clip(body, s, e, self.paragraphs[article])
                if clipped is None or clipped[0] < last:
                    continue
                anchor = anchor_id("s", article, clipped[0])
                self.anchors[claim_id] = anchor
                self.anchored.setdefault(article, []).append((clipped[0], clipped[1], anchor))
                last = clipped[1]
        for c in self.claims.values():
            if c.part_of in self.anchors:
                self.anchors[c.id] = self.anchors[c.part_of]

    def body(self, article: str) -> str:
        a = self.articles.get(article)
        return a.body if a else ""

    def outlet(self, article: str) -> str:
        a = self.articles.get(article)
        return (a.outlet if a else None) or (f"article {article}" if article else "unknown outlet")

    def outlets(self, articles: Iterable[str]) -> tuple[str, ...]:
        """The outlets of these articles, in the report's article order."""
        known = sorted((a for a in set(articles) if a), key=lambda a: self.order.get(a, len(self.order)))
        return unique(self.outlet(a) for a in known)

    def position(self, article: str, start: int | None) -> tuple[int, int]:
        return (self.order.get(article, len(self.order)), start or 0)

    def claim_at(self, article: str, start: int, end: int) -> str | None:
        """The id of the (first) claim whose span holds [start, end)."""
        for s, e, claim_id in self.spans.get(article, ()):
            if s <= start and end <= e:
                return claim_id
        return None

    def cite(
        self, article: str, start: int | None = None, end: int | None = None, field: str = "body"
    ) -> Cite:
        """Cite [start, end) of an article: its claim sentence's anchor, else the article's (or
        the caption's, for a field "caption:N")."""
        if field.startswith("caption:"):
            anchor = anchor_id("caption", article, field.partition(":")[2])
        else:
            claim_id = None if start is None else self.claim_at(article, start, start if end is None else end)
            anchor = self.anchors.get(claim_id or "") or anchor_id("article", article)
        return Cite(
            article=article, outlet=self.outlet(article), anchor=anchor, start=start, end=end, field=field
        )

    def cite_claim(self, claim_id: str) -> Cite | None:
        c = self.claims.get(claim_id)
        if c is None:
            return None
        anchor = self.anchors.get(claim_id) or anchor_id("article", c.article)
        return Cite(article=c.article, outlet=self.outlet(c.article), anchor=anchor, start=c.start, end=c.end)

    def locate(self, article: str, text: str) -> Cite:
        """Cite `text` where it first occurs in the article's body (the article if nowhere)."""
        at = self.body(article).find(text) if text else -1
        if at < 0:
            return self.cite(article)
        return self.cite(article, at, at + len(text))

    def sentence_around(self, article: str, start: int, end: int) -> str:
        """The sentence of the body around [start, end), for a date that no claim holds."""
        body = self.body(article)
        if not body:
            return ""
        ends = sentence_ends(body)
        left = max((e for e in ends if e <= start), default=0)
        right = min((e for e in ends if e >= end), default=len(body))
        return body[left:right].strip()


def paragraphs(body: str) -> list[tuple[int, int]]:
    """The (start, end) of each paragraph of a body: runs of lines between blank lines."""
    return [
        (m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]*)*", body) if m.group().strip()
    ]


def _clip(body: str, start: int, end: int, paras: list[tuple[int, int]]) -> tuple[int, int] | None:
    """[start, end) cut to the paragraph holding most of it, without surrounding white space."""
    best: tuple[int, int] | None = None
    for ps, pe in paras:
        s, e = max(start, ps), min(end, pe)
        if e > s and (best is None or e - s > best[1] - best[0]):
            best = (s, e)
    if best is None:
        return None
    s, e = best
    while s < e and body[s].isspace():
        s += 1
    while e > s and body[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


# A courtesy title says how an outlet addresses a person (a house style: "Mr." for everyone),
# not what the person is; the language layer keeps it (it tells a person's gender), the
# who's-who and an entity's page do not list it as a title.
COURTESY_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx"})  # lower case, no full stop


def courtesy_title(role: str) -> bool:
    return role.strip().rstrip(".").lower() in COURTESY_TITLES


def role_as_shown(role: str) -> str:
    """A role as the who's-who shows it: a bare number set off by commas after a name is an
    age ("Ana Ruiz, 41,")."""
    return f"age {role}" if role.isdigit() else role
