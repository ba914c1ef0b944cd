"""The story report's sections, computed from the export document and nothing else.

`build_report(document)` reads the typed `ExportDocument` (`Workspace.document()`, or an export
file read back by `contract.from_json`), optionally keeps one story, and returns a `StoryReport`
of frozen records that every renderer (HTML, Markdown, terminal) reads. A section with no
records (before the comparison runs, say) is empty, and the renderers say so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from newsweave._version import __version__
from newsweave.clock import now
from newsweave.compare.framing import FramingTerm
from newsweave.compare.records import ClaimGroup, Difference
from newsweave.document import ExportDocument
from newsweave.errors import ConfigError
from newsweave.model import Article, EntityRecord, QuoteRecord
from newsweave.nlp.dates.calendar import calendar_span
from newsweave.report.brief import BRIEF_ITEMS, brief_lines, claim_text, group_articles, group_outlets
from newsweave.report.records import (
    Cite,
    DifferenceItem,
    DifferenceSpan,
    EntityGroup,
    FramingColumn,
    FramingItem,
    Matrix,
    MatrixRow,
    OutletRoles,
    QuoteItem,
    Segment,
    SourceArticle,
    Sources,
    StoryRef,
    StoryReport,
    WhoEntry,
    anchor_id,
    courtesy_title,
    distinct,
    role_as_shown,
    unique,
)
from newsweave.report.timeline import timeline_entries
from newsweave.stories.records import Story

_TYPE_LABELS = (
    ("PERSON", "People"),
    ("ORG", "Organisations"),
    ("GPE", "Places"),
    ("LOC", "Places"),
    ("FAC", "Facilities"),
    ("NORP", "Nationalities and groups"),
    ("EVENT", "Events"),
    ("PRODUCT", "Products"),
    ("LAW", "Laws and documents"),
    ("WORK_OF_ART", "Works"),
)
_KIND_RANK = {"direct": 0, "partial": 1, "indirect": 2}
_STANCE_RANK = {"contradicts": 0, "supports": 1, "mentions": 2}


def filter_document(document: ExportDocument, story: str | None) -> ExportDocument:
    """The document restricted to one story's articles and what cites them (the whole
    document when `story` is None).

    Raises:
        ConfigError: no story has that id (or unique id prefix).
    """
    if story is None:
        return document
    stories = document.stories
    matches = [s for s in stories if str(s.id) == story] or [
        s for s in stories if str(s.id).startswith(story)
    ]
    if len(matches) != 1:
        known = ", ".join(str(s.id) for s in stories[:10]) or "none yet"
        what = "matches several stories" if matches else "is not a story"
        raise ConfigError(f"--story {story!r} {what}; stories: {known} (see `newsweave stories`)")
    chosen = matches[0]
    ids = set(chosen.articles)
    claims = tuple(c for c in document.claims if c.article in ids)
    claim_ids = {c.id for c in claims}
    return replace(
        document,
        stories=(chosen,),
        articles=tuple(a for a in document.articles if a.id in ids),
        entities=tuple(e for e in document.entities if ids.intersection(e.articles)),
        timexes=tuple(t for t in document.timexes if t.article in ids),
        quotes=tuple(q for q in document.quotes if q.article in ids),
        claims=claims,
        duplicates=tuple(d for d in document.duplicates if d.article in ids),
        claim_groups=tuple(
            g for g in document.claim_groups if g.story == str(chosen.id) or claim_ids.intersection(g.claims)
        ),
        differences=tuple(d for d in document.differences if any(s.get("article") in ids for s in d.spans)),
        framing=tuple(f for f in document.framing if f.article in ids),
    )


def build_report(
    document: ExportDocument, *, story: str | None = None, title: str | None = None
) -> StoryReport:
    """The story report from an export document.

    Args:
        document: the export document (`Workspace.document()`, or `contract.from_json` of a file).
        story: keep only this story (an id from `stories`, or a unique prefix of one).
        title: the report's title; default the story's title.
    """
    doc = filter_document(document, story)
    sources = Sources(doc.articles, doc.claims)
    outlets = sources.outlets(sources.articles)
    groups = doc.claim_groups
    brief = brief_lines(groups, sources)
    return StoryReport(
        title=title or _title(doc.stories, outlets, len(doc.articles)),
        story=str(doc.stories[0].id) if story is not None and doc.stories else None,
        stories=tuple(
            StoryRef(
                id=str(s.id),
                title=s.title,
                articles=len(s.articles),
                outlets=unique(s.outlets) or sources.outlets(s.articles),
            )
            for s in doc.stories
        ),
        outlets=outlets,
        period=_period(doc.articles, doc.stories),
        brief=brief[:BRIEF_ITEMS],
        brief_omitted=max(len(brief) - BRIEF_ITEMS, 0),
        timeline=timeline_entries(doc.timexes, groups, sources),
        whos_who=whos_who(doc.entities, sources, outlets),
        quotes=quote_board(doc.quotes, doc.entities, sources),
        matrix=claim_matrix(groups, sources, outlets),
        differences=differences(doc.differences, sources),
        framing=framing(doc.framing, sources, outlets),
        sources=source_articles(sources),
        counts={
            "articles": len(doc.articles),
            "outlets": len(outlets),
            "claims": sum(1 for c in sources.claims.values() if c.part_of is None),
            "claim_groups": len(groups),
            "quotes": len(doc.quotes),
            "entities": len(doc.entities),
        },
        version=__version__,
        generated=now().strftime("%Y-%m-%d %H:%M UTC"),
    )


def build_reports(document: ExportDocument) -> tuple[StoryReport, ...]:
    """One report per story of the document, the stories with the most articles first (a store
    of several stories reads story by story, not as one interleaved brief)."""
    return tuple(build_report(part, story=str(part.stories[0].id)) for part in story_documents(document))


def stories_present(document: ExportDocument) -> list[Story]:
    """The stories that hold any of the document's articles, the most articles first."""
    present = {a.id for a in document.articles}
    stories = [s for s in document.stories if present.intersection(s.articles)]
    return sorted(stories, key=lambda s: (-len(present.intersection(s.articles)), str(s.id)))


def story_documents(document: ExportDocument) -> list[ExportDocument]:
    """The document cut into one document per story, the stories with the most articles first.

    Records are sorted out by article in one pass (not one pass over the document per story),
    so a store of thousands of stories splits in time proportional to its records."""
    present = {a.id for a in document.articles}
    stories = stories_present(document)
    home = {a: i for i, s in enumerate(stories) for a in s.articles if a in present}
    parts: list[dict[str, list[Any]]] = [defaultdict(list) for _ in stories]

    def put(kind: str, record: Any, articles: Iterable[str]) -> None:
        for i in sorted({home[a] for a in articles if a in home}):
            parts[i][kind].append(record)

    for article in document.articles:
        put("articles", article, [article.id])
    by_article: tuple[tuple[str, Sequence[Any]], ...] = (
        ("timexes", document.timexes),
        ("quotes", document.quotes),
        ("claims", document.claims),
        ("duplicates", document.duplicates),
        ("framing", document.framing),
    )
    for kind, records in by_article:
        for record in records:
            put(kind, record, [record.article])
    for entity in document.entities:
        put("entities", entity, entity.articles)
    for difference in document.differences:
        put("differences", difference, [str(span.get("article")) for span in difference.spans])
    claim_article = {c.id: c.article for c in document.claims}
    by_story = {str(s.id): i for i, s in enumerate(stories)}
    for group in document.claim_groups:
        if group.story in by_story:
            parts[by_story[group.story]]["claim_groups"].append(group)
        else:
            put("claim_groups", group, [claim_article[c] for c in group.claims if c in claim_article])
    fields: list[dict[str, Any]] = [{kind: tuple(rows) for kind, rows in part.items()} for part in parts]
    return [replace(document, stories=(story,), **f) for story, f in zip(stories, fields, strict=True)]


def _title(stories: Sequence[Story], outlets: tuple[str, ...], n_articles: int) -> str:
    if len(stories) == 1 and stories[0].title:
        return stories[0].title
    n_outlets = len(outlets)
    return f"{n_articles} article{'s' * (n_articles != 1)} from {n_outlets} outlet{'s' * (n_outlets != 1)}"


def _day_label(day: date) -> str:
    span = calendar_span(day.isoformat())
    return span.label if span else day.isoformat()


def _period(articles: Sequence[Article], stories: Sequence[Story]) -> str:
    """The stories' first to last day, else the articles' publication days."""
    days = [d for s in stories for d in (s.start, s.end) if d] or [
        a.published for a in articles if a.published
    ]
    if not days:
        return ""
    first, last = min(days), max(days)
    return _day_label(first) if first == last else f"{_day_label(first)} – {_day_label(last)}"


# ---- who's who ----------------------------------------------------------------------------


def whos_who(
    entities: Sequence[EntityRecord], sources: Sources, outlets: tuple[str, ...]
) -> tuple[EntityGroup, ...]:
    """Entities by type, each with how every outlet describes it, side by side."""
    labels = dict(_TYPE_LABELS)
    by_label: dict[str, list[WhoEntry]] = {}
    for e in entities:
        articles = [a for a in e.articles if a in sources.articles]
        if not articles:
            continue
        mentioned = set(sources.outlets(articles))
        firsts: dict[str, dict[str, Cite]] = {o: {} for o in outlets}  # outlet -> role -> first cite
        for r in e.roles:
            if r.article in sources.articles and r.text and not courtesy_title(r.text):
                cite = sources.cite(r.article, r.start, r.end)
                firsts.setdefault(cite.outlet, {}).setdefault(role_as_shown(r.text), cite)
        entry = WhoEntry(
            entity=e.id,
            name=e.name,
            type=e.type,
            aliases=unique(a for a in e.aliases if a != e.name),
            mentions=len(e.mentions) or len(articles),
            by_outlet=tuple(
                OutletRoles(
                    outlet=o,
                    mentioned=o in mentioned,
                    roles=tuple(firsts[o]),
                    cites=tuple(firsts[o].values()),
                )
                for o in outlets
            ),
        )
        by_label.setdefault(labels.get(entry.type, "Other"), []).append(entry)
    order = [*dict.fromkeys(label for _, label in _TYPE_LABELS), "Other"]
    return tuple(
        EntityGroup(
            type=label,
            label=label,
            entries=tuple(
                sorted(
                    by_label[label],
                    key=lambda w: (-sum(o.mentioned for o in w.by_outlet), -w.mentions, w.name.casefold()),
                )
            ),
        )
        for label in order
        if label in by_label
    )


# ---- quote board --------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _same_words(a: str, b: str) -> bool:
    """Identical, one inside the other (four words or more), or near-identical wording."""
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short.split()) >= 4 and short in long:
        return True
    if len(long) > 2 * len(short):
        return False
    matcher = SequenceMatcher(None, a, b)
    # The quick bounds first: most pairs of a story's quotes are far apart, and ratio() is slow.
    return matcher.real_quick_ratio() >= 0.85 and matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85


def quote_board(
    quotes: Sequence[QuoteRecord], entities: Sequence[EntityRecord], sources: Sources
) -> tuple[QuoteItem, ...]:
    """Quotes merged across articles: the same speaker's same (or overlapping) words are one item."""
    names = {e.id: e.name for e in entities}
    clusters: list[list[QuoteRecord]] = []
    for q in sorted(
        (q for q in quotes if q.article in sources.articles and q.text),
        key=lambda q: (_KIND_RANK.get(q.kind, 3), sources.position(q.article, q.start)),
    ):
        words = _norm(q.text)
        for cluster in clusters:
            head = cluster[0]
            speakers = {head.speaker_entity, q.speaker_entity} - {None, ""}
            if len(speakers) <= 1 and _same_words(_norm(head.text), words):
                cluster.append(q)
                break
        else:
            clusters.append([q])
    items = []
    for cluster in clusters:
        head = cluster[0]  # the most direct wording, first told
        entity = next((q.speaker_entity for q in cluster if q.speaker_entity), None)
        speaker = names.get(entity or "") or next((q.speaker for q in cluster if q.speaker), "")
        items.append(
            QuoteItem(
                speaker=speaker or "unattributed",
                speaker_entity=entity,
                words=head.text,
                kind=head.kind,
                cues=unique(q.cue or "" for q in cluster),
                via=unique(q.via or "" for q in cluster),
                outlets=sources.outlets(q.article for q in cluster),
                cites=distinct(sources.cite(q.article, q.start, q.end) for q in cluster),
                variants=unique(q.text for q in cluster[1:] if q.text != head.text),
            )
        )
    items.sort(
        key=lambda i: (
            -len(i.outlets),
            _KIND_RANK.get(i.kind, 3),
            min(sources.position(c.article, c.start) for c in i.cites),
        )
    )
    return tuple(items)


# ---- claims by outlet ---------------------------------------------------------------------


def claim_matrix(groups: Sequence[ClaimGroup], sources: Sources, outlets: tuple[str, ...]) -> Matrix:
    """Rows are claim groups (in brief order), columns outlets; a cell is that outlet's stance."""
    by_id = {g.id: g for g in reversed(groups)}  # the first group of an id
    rows = []
    for line in brief_lines(groups, sources):
        group = by_id[line.group]
        stance_of: dict[str, str] = {}
        for article in group_articles(group, sources):
            stance = group.stances.get(article) or "supports"
            outlet = sources.outlet(article)
            if _STANCE_RANK.get(stance, 3) < _STANCE_RANK.get(stance_of.get(outlet, ""), 3):
                stance_of[outlet] = stance
        cells = tuple(stance_of.get(o, "") for o in outlets)
        rows.append(
            MatrixRow(group=line.group, status=line.status, text=line.text, cells=cells, cites=line.cites)
        )
    return Matrix(outlets=outlets, rows=tuple(rows))


# ---- differences and framing --------------------------------------------------------------

_DIFFERENCE_KINDS = ("number", "date", "attribution", "certainty", "naming", "title")


def differences(records: Sequence[Difference], sources: Sources) -> tuple[DifferenceItem, ...]:
    """What the outlets report differently, each side with the outlet and its words."""
    items = []
    for d in records:
        spans = tuple(
            DifferenceSpan(
                outlet=sources.outlet(s["article"]),
                text=s.get("text", ""),
                cite=sources.locate(s["article"], s.get("text", "")),
            )
            for s in d.spans
            if s.get("article") in sources.articles
        )
        if spans:
            items.append(DifferenceItem(kind=d.kind, about=d.about, note=d.note, spans=spans))
    kinds = _DIFFERENCE_KINDS
    items.sort(key=lambda i: kinds.index(i.kind) if i.kind in kinds else len(kinds))
    return tuple(items)


def framing(
    records: Sequence[FramingTerm], sources: Sources, outlets: tuple[str, ...]
) -> tuple[FramingColumn, ...]:
    """Each outlet's loaded and evaluative words and scare quotes, side by side."""
    by_outlet: dict[str, list[FramingItem]] = {}
    for f in records:
        if f.article not in sources.articles or not f.term:
            continue
        cite = sources.locate(f.article, f.context or f.term)
        by_outlet.setdefault(f.outlet or sources.outlet(f.article), []).append(
            FramingItem(term=f.term, kind=f.kind, context=f.context, cite=cite)
        )
    if not by_outlet:
        return ()
    return tuple(
        FramingColumn(outlet=o, items=tuple(by_outlet.get(o, []))) for o in unique([*outlets, *by_outlet])
    )


# ---- the source appendix ------------------------------------------------------------------


def _segments(body: str, start: int, end: int, spans: Iterable[tuple[int, int, str]]) -> tuple[Segment, ...]:
    """The paragraph body[start:end] cut into runs, each claim's sentence a run with its anchor."""
    out, at = [], start
    for s, e, anchor in spans:
        if s < at or e > end:
            continue
        if s > at:
            out.append(Segment(text=body[at:s]))
        out.append(Segment(text=body[s:e], anchor=anchor))
        at = e
    if at < end:
        out.append(Segment(text=body[at:end]))
    return tuple(seg for seg in out if seg.text)


def source_articles(sources: Sources) -> tuple[SourceArticle, ...]:
    """Every article's clean body, paragraph by paragraph, with its claim sentences anchorable."""
    result = []
    for article_id, a in sources.articles.items():
        spans = sources.anchored.get(article_id, [])
        result.append(
            SourceArticle(
                id=article_id,
                anchor=anchor_id("article", article_id),
                outlet=sources.outlet(article_id),
                title=a.title or "",
                section=a.section or "",
                published=a.published.isoformat() if a.published else "",
                url=a.url or "",
                source=a.source,
                paragraphs=tuple(_segments(a.body, s, e, spans) for s, e in sources.paragraphs[article_id]),
                captions=tuple((anchor_id("caption", article_id, i), c) for i, c in enumerate(a.captions)),
                removed=tuple((r.reason, r.text) for r in a.removed),
            )
        )
    return tuple(result)


__all__ = ["build_report", "claim_text", "filter_document", "group_outlets"]
