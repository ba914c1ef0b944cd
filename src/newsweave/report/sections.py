"""The story report's sections, computed from the JSON export (the contract) and nothing else.

`build_report(document)` reads the export dict (`export.export_document`), optionally keeps
one story, and returns a `StoryReport` of frozen records that every renderer (HTML, Markdown,
terminal) reads. Any key of the export may be missing or empty: its section then says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from difflib import SequenceMatcher
from typing import Any

from newsweave._version import __version__
from newsweave.errors import ConfigError
from newsweave.report.brief import brief_lines, calendar_span, claim_text, group_outlets, timeline_entries
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
    distinct,
    unique,
)

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
_LATER_SECTIONS = ("claim_groups", "differences", "framing")


def _list(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = document.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def filter_document(document: dict[str, Any], story: str | None) -> dict[str, Any]:
    """The export restricted to one story's articles (the whole export when `story` is None).

    Raises:
        ConfigError: no story has that id (or unique id prefix).
    """
    if story is None:
        return document
    stories = _list(document, "stories")
    matches = [s for s in stories if str(s.get("id")) == story] or [
        s for s in stories if str(s.get("id", "")).startswith(story)
    ]
    if len(matches) != 1:
        known = ", ".join(str(s.get("id")) for s in stories[:10]) or "none yet"
        what = "matches several stories" if matches else "is not a story"
        raise ConfigError(f"--story {story!r} {what}; stories: {known} (see `newsweave stories`)")
    chosen = matches[0]
    ids = {str(a) for a in chosen.get("articles") or ()}
    kept = dict(document)
    kept["stories"] = [chosen]
    for key in ("articles",):
        kept[key] = [a for a in _list(document, key) if a.get("id") in ids]
    for key in ("timexes", "quotes", "claims", "framing"):
        kept[key] = [r for r in _list(document, key) if r.get("article") in ids]
    claim_ids = {c["id"] for c in kept["claims"]}
    kept["claim_groups"] = [
        g
        for g in _list(document, "claim_groups")
        if g.get("story") == chosen.get("id") or claim_ids & set(g.get("claims") or ())
    ]
    kept["entities"] = [e for e in _list(document, "entities") if ids & set(e.get("articles") or ())]
    kept["differences"] = [
        d
        for d in _list(document, "differences")
        if any(s.get("article") in ids for s in d.get("spans") or () if isinstance(s, dict))
    ]
    return kept


def build_report(
    document: dict[str, Any], *, story: str | None = None, title: str | None = None
) -> StoryReport:
    """The story report from an export document.

    Args:
        document: the JSON export (`Workspace.export()` or `export.export_document`).
        story: keep only this story (an id from `stories`, or a unique prefix of one).
        title: the report's title; default the story's title.
    """
    doc = filter_document(document, story)
    articles = _list(doc, "articles")
    sources = Sources(articles, _list(doc, "claims"))
    outlets = sources.outlets(sources.articles)
    groups = _list(doc, "claim_groups")
    stories = _list(doc, "stories")
    return StoryReport(
        title=title or _title(stories, outlets, len(articles)),
        story=str(stories[0].get("id")) if story is not None and stories else None,
        stories=tuple(
            StoryRef(
                id=str(s.get("id") or ""),
                title=str(s.get("title") or ""),
                articles=len(s.get("articles") or ()),
                outlets=unique(str(o) for o in s.get("outlets") or ())
                or sources.outlets(str(a) for a in s.get("articles") or ()),
            )
            for s in stories
        ),
        outlets=outlets,
        period=_period(articles, stories),
        brief=brief_lines(groups, sources),
        timeline=timeline_entries(_list(doc, "timexes"), groups, sources),
        whos_who=whos_who(_list(doc, "entities"), sources, outlets),
        quotes=quote_board(_list(doc, "quotes"), _list(doc, "entities"), sources),
        matrix=claim_matrix(groups, sources, outlets),
        differences=differences(_list(doc, "differences"), sources),
        framing=framing(_list(doc, "framing"), sources, outlets),
        sources=source_articles(sources),
        counts={
            "articles": len(articles),
            "outlets": len(outlets),
            "claims": len(sources.claims),
            "claim_groups": len(groups),
            "quotes": len(_list(doc, "quotes")),
            "entities": len(_list(doc, "entities")),
        },
        version=__version__,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def _title(stories: list[dict[str, Any]], outlets: tuple[str, ...], n_articles: int) -> str:
    if len(stories) == 1 and stories[0].get("title"):
        return str(stories[0]["title"])
    n_outlets = len(outlets)
    return f"{n_articles} article{'s' * (n_articles != 1)} from {n_outlets} outlet{'s' * (n_outlets != 1)}"


def _period(articles: list[dict[str, Any]], stories: list[dict[str, Any]]) -> str:
    values = [str(s.get(k)) for s in stories for k in ("start", "end") if s.get(k)]
    values = values or [str(a["published"]) for a in articles if a.get("published")]
    spans = [span for v in values if (span := calendar_span(v))]
    if not spans:
        return ""
    first, last = min(spans, key=lambda s: s[0]), max(spans, key=lambda s: s[1])
    return first[2] if first == last else f"{first[2]} – {last[2]}"


# ---- who's who ----------------------------------------------------------------------------


def whos_who(
    entities: list[dict[str, Any]], sources: Sources, outlets: tuple[str, ...]
) -> tuple[EntityGroup, ...]:
    """Entities by type, each with how every outlet describes it, side by side."""
    labels = dict(_TYPE_LABELS)
    by_label: dict[str, list[WhoEntry]] = {}
    for e in entities:
        articles = [a for a in e.get("articles") or () if a in sources.articles]
        if not articles:
            continue
        mentioned = set(sources.outlets(articles))
        roles: dict[str, list[tuple[str, Cite]]] = {}
        for r in e.get("roles") or ():
            if isinstance(r, dict) and r.get("article") in sources.articles and r.get("text"):
                cite = sources.cite(r["article"], r.get("start"), r.get("end"))
                roles.setdefault(cite.outlet, []).append((str(r["text"]), cite))
        firsts: dict[str, dict[str, Cite]] = {o: {} for o in outlets}
        for o, pairs in roles.items():
            for text, cite in pairs:
                firsts.setdefault(o, {}).setdefault(text, cite)
        entry = WhoEntry(
            entity=str(e.get("id") or ""),
            name=str(e.get("name") or ""),
            type=str(e.get("type") or ""),
            aliases=unique(str(a) for a in e.get("aliases") or () if a != e.get("name")),
            mentions=len(e.get("mentions") or ()) or len(articles),
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
    return len(long) <= 2 * len(short) and SequenceMatcher(None, a, b).ratio() >= 0.85


def quote_board(
    quotes: list[dict[str, Any]], entities: list[dict[str, Any]], sources: Sources
) -> tuple[QuoteItem, ...]:
    """Quotes merged across articles: the same speaker's same (or overlapping) words are one item."""
    names = {str(e.get("id")): str(e.get("name") or "") for e in entities}
    clusters: list[list[dict[str, Any]]] = []
    for q in sorted(
        (q for q in quotes if q.get("article") in sources.articles and q.get("text")),
        key=lambda q: (_KIND_RANK.get(str(q.get("kind")), 3), sources.position(q["article"], q.get("start"))),
    ):
        words = _norm(str(q["text"]))
        for cluster in clusters:
            head = cluster[0]
            speakers = {head.get("speaker_entity"), q.get("speaker_entity")} - {None, ""}
            if len(speakers) <= 1 and _same_words(_norm(str(head["text"])), words):
                cluster.append(q)
                break
        else:
            clusters.append([q])
    items = []
    for cluster in clusters:
        head = cluster[0]  # the most direct wording, first told
        entity = next((str(q["speaker_entity"]) for q in cluster if q.get("speaker_entity")), None)
        speaker = names.get(entity or "") or next(
            (str(q["speaker"]) for q in cluster if q.get("speaker")), ""
        )
        articles = [str(q["article"]) for q in cluster]
        items.append(
            QuoteItem(
                speaker=speaker or "unattributed",
                speaker_entity=entity,
                words=str(head["text"]),
                kind=str(head.get("kind") or "direct"),
                cues=unique(str(q.get("cue") or "") for q in cluster),
                via=unique(str(q.get("via") or "") for q in cluster),
                outlets=sources.outlets(articles),
                cites=distinct(
                    sources.cite(str(q["article"]), q.get("start"), q.get("end")) for q in cluster
                ),
                variants=unique(str(q["text"]) for q in cluster[1:] if str(q["text"]) != head["text"]),
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


def claim_matrix(groups: list[dict[str, Any]], sources: Sources, outlets: tuple[str, ...]) -> Matrix:
    """Rows are claim groups (in brief order), columns outlets; a cell is that outlet's stance."""
    rows = []
    for line in brief_lines(groups, sources):
        group = next(g for g in groups if str(g.get("id") or "") == line.group)
        stance_of: dict[str, str] = {}
        stances = group.get("stances") or {}
        for article in {
            *stances,
            *(sources.claims[c]["article"] for c in group.get("claims") or () if c in sources.claims),
        }:
            if article not in sources.articles:
                continue
            stance = str(stances.get(article) or "supports")
            outlet = sources.outlet(article)
            if _STANCE_RANK.get(stance, 3) < _STANCE_RANK.get(stance_of.get(outlet, ""), 3):
                stance_of[outlet] = stance
        cells = tuple(stance_of.get(o, "") for o in outlets)
        rows.append(
            MatrixRow(group=line.group, status=line.status, text=line.text, cells=cells, cites=line.cites)
        )
    return Matrix(outlets=outlets, rows=tuple(rows))


# ---- differences and framing --------------------------------------------------------------


def differences(records: list[dict[str, Any]], sources: Sources) -> tuple[DifferenceItem, ...]:
    """What the outlets report differently, each side with the outlet and its words."""
    items = []
    for d in records:
        spans = tuple(
            DifferenceSpan(
                outlet=sources.outlet(str(s["article"])),
                text=str(s.get("text") or ""),
                cite=sources.locate(str(s["article"]), str(s.get("text") or "")),
            )
            for s in d.get("spans") or ()
            if isinstance(s, dict) and s.get("article") in sources.articles
        )
        if spans:
            items.append(
                DifferenceItem(
                    kind=str(d.get("kind") or ""),
                    about=str(d.get("about") or ""),
                    note=str(d.get("note") or ""),
                    spans=spans,
                )
            )
    kinds = ("number", "date", "attribution", "certainty", "naming", "title")
    items.sort(key=lambda i: kinds.index(i.kind) if i.kind in kinds else len(kinds))
    return tuple(items)


def framing(
    records: list[dict[str, Any]], sources: Sources, outlets: tuple[str, ...]
) -> tuple[FramingColumn, ...]:
    """Each outlet's loaded and evaluative words and scare quotes, side by side."""
    by_outlet: dict[str, list[FramingItem]] = {}
    for f in records:
        article = str(f.get("article") or "")
        if article not in sources.articles or not f.get("term"):
            continue
        context = str(f.get("context") or "")
        cite = sources.locate(article, context) if context else sources.locate(article, str(f["term"]))
        outlet = str(f.get("outlet") or "") or sources.outlet(article)
        by_outlet.setdefault(outlet, []).append(
            FramingItem(term=str(f["term"]), kind=str(f.get("kind") or ""), context=context, cite=cite)
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
        body = str(a.get("body") or "")
        spans = sources.anchored.get(article_id, [])
        result.append(
            SourceArticle(
                id=article_id,
                anchor=anchor_id("article", article_id),
                outlet=sources.outlet(article_id),
                title=str(a.get("title") or ""),
                section=str(a.get("section") or ""),
                published=str(a.get("published") or ""),
                url=str(a.get("url") or ""),
                source=str(a.get("source") or ""),
                paragraphs=tuple(_segments(body, s, e, spans) for s, e in sources.paragraphs[article_id]),
                captions=tuple(
                    (anchor_id("caption", article_id, i), str(c))
                    for i, c in enumerate(a.get("captions") or ())
                ),
                removed=tuple(
                    (str(r.get("reason") or ""), str(r.get("text") or ""))
                    for r in a.get("removed") or ()
                    if isinstance(r, dict)
                ),
            )
        )
    return tuple(result)


__all__ = ["build_report", "claim_text", "filter_document", "group_outlets"]
