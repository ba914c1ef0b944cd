"""The language-layer stage: runs the spaCy pipeline over stored articles, stores what it
finds, and links entities across the store. English only: other languages are skipped with a
note saying why."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from newsweave.errors import PipelineError
from newsweave.model import (
    Article,
    Claim,
    LanguageAnalysis,
    Mention,
    MentionKind,
    Quote,
    QuoteKind,
    Role,
    Timex,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from newsweave.store import SQLiteStore

# spaCy and the model load only when this stage runs, so `ingest` and `ls` start fast.

STAGE = "language"
# 2: claims split around side statements, with their context; 3: quote speakers, nested
# quotes; 4: no dangling subjects as claims; 5: time expressions with their first and last day;
# 6: claims keep the lemmas of their words (the comparison's word overlap reads them);
# 7: forms of one person's name linked as one entity (nlp/name_variants.py); a quote's speaker
# named after its role ("a spokesman for X, NAME, said"), a quote after "“…,” NAME added.";
# claims no longer cut before "although", "though", "whereas"; a speaking description ("the
# governor said") is the person the text titled so; "one of her lawyers, NAME, says" and
# "contend / allege / maintain" as cues; a person named inside a quotation is not the
# narrator's "he" or "she"; "NAME added: “…”" read off the words; claims cut before ", as …";
# 8: claims record their predicates (stated and denied verbs with their subjects, "no …").
# 9: claims record their detachable phrases (the comparison cuts claims to shared cores).
# 10: a conjunct is a detachable phrase (not a name, not one of alternatives); nothing inside a
# supposition ("whether …") is; a relative clause inside the sentence's opening setting ("By
# June 2015, when …,") is not cut out (the setting was dropped as a fragment, with its date);
# a question is not split at its coordinated clauses ("So who is she," was a claim).
# 11: "she" after "his wife" in its sentence is not the man in focus (nor "he" after "her husband").
# 12: a quotation in the content clause of someone's speech noun is theirs ("Ruiz's claim that …").
# 13: "his wife, X" after "He …" is the wife of the person "he" resolved to, not of a name before.
# 14: "his father, Tomas Ruiz" is not "Tomas Ruiz Jr."; a bare surname is the first-introduced person's.
# 15: an apposition after a name is a role only when a singular noun, a name or an age heads it.
# 16: a pet name spelt another way than the nickname list's ("Debbi" for its "Debby") is one.
VERSION = 16
_WRITE_BATCH = 64
_KIND: dict[str, MentionKind] = {"PRONOUN": "pronoun", "NOMINAL": "nominal"}
_QUOTE_KIND: dict[str, QuoteKind] = {"direct": "direct", "partial": "partial", "indirect": "indirect"}


def analysis_from_doc(article_id: str, doc: Doc) -> LanguageAnalysis:
    """The records of one processed article, offsets into its body."""
    from newsweave.nlp import claims, entities, quotes, references, roles, timexes

    mentions = [
        Mention(
            start=s.start_char, end=s.end_char, text=s.text, kind="name", type=s.label_, local_name=s.kb_id_
        )
        for s in doc.spans.get(entities.SPANS_KEY, [])
    ]
    mentions += [
        Mention(
            start=s.start_char,
            end=s.end_char,
            text=s.text,
            kind=_KIND[s.label_],
            type="PERSON",
            local_name=s.kb_id_,
        )
        for s in doc.spans.get(references.SPANS_KEY, [])
    ]
    found_roles = [
        Role(start=s.start_char, end=s.end_char, text=s.label_, local_name=s.kb_id_)
        for s in doc.spans.get(roles.SPANS_KEY, [])
    ]
    anchor = doc._.nw_published or doc._.nw_published_inferred
    found_timexes = [
        on_calendar(
            Timex(
                start=s.start_char,
                end=s.end_char,
                text=s.text,
                value=s.kb_id_,
                type=s.label_,
                mod=s.id_ or None,
                anchor=anchor,
                anchor_inferred=bool(doc._.nw_anchor_inferred),
            )
        )
        for s in doc.spans.get(timexes.SPANS_KEY, [])
    ]
    found_quotes = [
        Quote(
            start=s.start_char,
            end=s.end_char,
            text=s.text,
            kind=_QUOTE_KIND[s.label_],
            speaker=info["speaker"],
            local_name=s.kb_id_ or None,
            cue=info["cue"],
            via=info["via"],
        )
        for s, info in _with_info(doc, quotes.SPANS_KEY)
    ]
    found_claims = [
        Claim(
            start=s.start_char,
            end=s.end_char,
            text=s.text,
            certainty="hedged" if s.label_ == "hedged" else "asserted",
            attributed_to=s.kb_id_ or None,
            polarity="negative" if info["polarity"] == "negative" else "positive",
            hedges=tuple(info["hedges"]),
            entities=tuple(info["entities"]),
            numbers=tuple(info["numbers"]),
            context=str(info.get("context") or ""),
            predicates=tuple(info.get("predicates") or ()),
            hedged_terms=tuple(info.get("hedged_terms") or ()),
            phrases=tuple((int(a), int(b)) for a, b in info.get("phrases") or ()),
            lemmas=dict(info.get("lemmas") or {}),
        )
        for s, info in _with_info(doc, claims.SPANS_KEY)
    ]
    return LanguageAnalysis(
        article_id=article_id,
        mentions=tuple(mentions),
        roles=tuple(found_roles),
        timexes=tuple(found_timexes),
        quotes=tuple(found_quotes),
        claims=tuple(found_claims),
    )


def _with_info(doc: Doc, key: str) -> list[tuple[Span, dict[str, Any]]]:
    """A span group's spans with the per-span details its component keeps in `attrs["info"]`."""
    group = doc.spans.get(key)
    if not group:
        return []
    return list(zip(group, group.attrs.get("info", []), strict=True))


def caption_timexes(captions: Sequence[str], anchor: date | None, inferred: bool) -> list[Timex]:
    """Dates in photo captions (when a picture was taken), kept apart from the body's."""
    from newsweave.nlp.dates import find_time_expressions

    return [
        on_calendar(
            Timex(
                start=t.start,
                end=t.end,
                text=t.text,
                value=t.value,
                type=t.type,
                mod=t.mod,
                anchor=anchor,
                anchor_inferred=inferred,
                field=f"caption:{n}",
            )
        )
        for n, caption in enumerate(captions)
        for t in find_time_expressions(caption, anchor)
    ]


def on_calendar(timex: Timex) -> Timex:
    """The time expression with the first and last day its value covers, computed here once."""
    from newsweave.nlp.dates.calendar import calendar_span

    span = calendar_span(timex.value)
    return timex if span is None else replace(timex, first_day=span.first, last_day=span.last)


# Longer bodies are not analysed: spaCy refuses texts past 1,000,000 characters (its
# `max_length`) and needs gigabytes near it. Ingest skips them (NEWSWEAVE_MAX_ARTICLE_CHARS);
# this catches an article a store took in before that limit, so it cannot fail every later run.
MAX_ANALYSED_CHARS = 1_000_000


def _skip_reason(article: Article) -> str | None:
    if not article.body.strip():
        return "no body text (headline only)"
    if article.language not in (None, "en"):
        return f"language is {article.language!r}; the language layer reads English only"
    if len(article.body) >= MAX_ANALYSED_CHARS:
        length = len(article.body)
        return f"body of {length:,} characters, past the {MAX_ANALYSED_CHARS:,} the language layer reads"
    return None


def analyses_of(articles: Sequence[Article], n_process: int | None = None) -> Iterator[LanguageAnalysis]:
    """The language layer's records of each article (a note for those it skips), in no fixed
    order. `n_process`: spaCy's worker processes (`nlp.runtime.analyse`; 1 inside a worker
    that is itself one of several, as in `newsweave batch`)."""
    from newsweave.nlp.runtime import analyse

    readable = [a for a in articles if _skip_reason(a) is None]
    for article in articles:
        if (reason := _skip_reason(article)) is not None:
            yield LanguageAnalysis(article_id=article.id, skipped=reason)
    docs = analyse(((a.body, a.published) for a in readable), n_process=n_process)
    for article, doc in zip(readable, docs, strict=True):
        analysis = analysis_from_doc(article.id, doc)
        anchor = doc._.nw_published or doc._.nw_published_inferred
        in_captions = caption_timexes(article.captions, anchor, bool(doc._.nw_anchor_inferred))
        yield replace(analysis, timexes=analysis.timexes + tuple(in_captions))


def record_analyses(
    store: SQLiteStore, articles: Sequence[Article], analyses: Iterable[LanguageAnalysis]
) -> None:
    """Store the records of these articles and link their entities across the store.

    Split from the analysis so that records made elsewhere (`newsweave batch`, on another
    worker) are stored and linked exactly as those made here."""
    from newsweave.nlp.linking import link_entities

    batch: list[LanguageAnalysis] = []
    for analysis in analyses:
        batch.append(analysis)
        if len(batch) >= _WRITE_BATCH:
            store.write_language(batch, STAGE)
            batch = []
    if batch:
        store.write_language(batch, STAGE)
    link_entities(store, [a.id for a in articles if _skip_reason(a) is None])


class LanguageStage:
    """Entities, roles and time expressions for articles not yet analysed."""

    name = STAGE
    version = VERSION
    chunk = 256

    def run(self, store: SQLiteStore, article_ids: Sequence[str]) -> None:
        articles = list(store.articles(ids=list(article_ids), latest_only=False))
        record_analyses(store, articles, self.analyses_for(articles))

    def analyses_for(self, articles: Sequence[Article]) -> Iterable[LanguageAnalysis]:
        return analyses_of(articles)


class RecordedLanguageStage(LanguageStage):
    """The language stage over records made beforehand (`newsweave batch`): it stores and links
    them in the same chunks, and in the same order, as `LanguageStage` would."""

    def __init__(self, analyses: Mapping[str, LanguageAnalysis]) -> None:
        self.analyses = analyses

    def analyses_for(self, articles: Sequence[Article]) -> Iterable[LanguageAnalysis]:
        missing = [a.id for a in articles if a.id not in self.analyses]
        if missing:
            raise PipelineError(
                f"no language records for {len(missing)} article(s), first {missing[0]}: the store "
                "gave them other ids than the first stage did (were the inputs moved since?)"
            )
        return [self.analyses[a.id] for a in articles]
