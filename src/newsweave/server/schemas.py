"""The REST API's request and response bodies, as pydantic models, so the OpenAPI schema at
`/api/openapi.json` says exactly what each endpoint takes and gives.

The story document mirrors the JSON contract (`contract.to_json`, docs/architecture.md); the
other responses are the API's own. Records of the pipeline stay dataclasses: pydantic is only
at this edge.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

Stance = Literal["agree", "disagree", "discuss", "unrelated"]
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: object) -> object:
    """Only YYYY-MM-DD is a day here: pydantic alone would also take 0 (a Unix time) as 1970-01-01."""
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value
    if isinstance(value, date):
        return value
    raise ValueError("a date is written YYYY-MM-DD")


IsoDay = Annotated[date, BeforeValidator(_iso_day)]
"""A day given to the API: YYYY-MM-DD and nothing else."""


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently dropped


# Errors


class ErrorDetail(_Out):
    status: int = Field(description="The HTTP status, repeated.")
    code: str = Field(description="A stable, machine-readable name, e.g. `not_found`, `validation_error`.")
    message: str = Field(description="What went wrong, for a person to read.")


class ErrorBody(_Out):
    """Every error the API answers has this shape, whatever its status."""

    error: ErrorDetail


# Lists


class ArticleHit(_Out):
    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: date | None
    snippet: str = Field(description="A passage around the matches (the body's opening without `q`).")
    highlights: list[tuple[int, int]] = Field(description="Offsets in `snippet` of each matched word.")
    score: float | None = Field(description="bm25 relevance, higher is better; null without `q`.")


class ArticlePage(_Out):
    items: list[ArticleHit]
    total: int = Field(description="Articles matching in all, over every page.")
    limit: int
    offset: int


class StoryHit(_Out):
    id: int
    title: str
    articles: int = Field(description="Articles in the story (copies included).")
    outlets: list[str]
    start: date | None
    end: date | None
    matched: int = Field(description="The story's articles that match `q` and the filters.")
    score: float | None = Field(description="bm25 relevance of its best article; null without `q`.")


class StoryPage(_Out):
    items: list[StoryHit]
    total: int
    limit: int
    offset: int


# One article


class RemovedLine(_Out):
    text: str
    reason: str


class ArticleDetail(_Out):
    id: str
    key: str = Field(description="Identity across versions: canonical URL, else source id, else path.")
    version: int
    is_latest: bool
    content_hash: str
    ingested_at: str
    source: str
    input_format: str
    external_id: str | None
    url: str | None
    outlet: str | None
    outlet_domain: str | None
    title: str | None
    author: str | None
    section: str | None
    published: date | None
    published_from: str | None
    language: str | None
    language_score: float | None
    body: str
    captions: list[str]
    removed: list[RemovedLine]
    notes: list[str]
    stories: list[int] = Field(description="Stories this article is in.")


# The story document: the export contract of one story, with its brief and timeline


class ExportInfo(_Out):
    version: str
    exported_at: str


class ContractArticle(_Out):
    id: str
    source: str
    external_id: str | None
    url: str | None
    outlet: str | None
    outlet_domain: str | None
    title: str | None
    section: str | None
    author: str | None
    published: date | None
    published_from: str | None
    language: str | None
    language_score: float | None
    input_format: str
    version: int
    body: str
    captions: list[str]
    removed: list[RemovedLine]
    key: str
    content_hash: str
    ingested_at: str


class EntityMention(_Out):
    article: str
    start: int
    end: int
    text: str
    kind: Literal["name", "pronoun", "nominal"]


class EntityRole(_Out):
    article: str
    text: str
    start: int
    end: int


class Entity(_Out):
    id: str
    name: str
    type: str
    aliases: list[str]
    roles: list[EntityRole]
    articles: list[str]
    mentions: list[EntityMention]


class Timex(_Out):
    article: str
    field: str = Field(description='"body", or "caption:N" for the article\'s N-th caption.')
    text: str
    start: int
    end: int
    value: str = Field(description="TIMEX3 value, e.g. 2024-03, 2024-03-15/2024-03-16.")
    type: str
    mod: str | None
    anchor: date | None
    anchor_inferred: bool
    first_day: date | None
    last_day: date | None


class Quote(_Out):
    id: str
    article: str
    text: str
    start: int
    end: int
    kind: Literal["direct", "partial", "indirect"]
    speaker_entity: str | None
    speaker: str | None
    cue: str | None
    via: str | None


class Claim(_Out):
    id: str
    article: str
    text: str
    start: int
    end: int
    certainty: Literal["asserted", "hedged"]
    attributed_to: str | None = Field(description="Who asserts it: the source named, else the outlet.")
    polarity: Literal["positive", "negative"]
    hedges: list[str]
    entities: list[str]
    numbers: list[str]
    context: str
    predicates: list[str]
    hedged_terms: list[str]
    phrases: list[tuple[int, int]] = Field(
        description="Phrases that could come off the claim's edges: (start, end) in the article."
    )
    part_of: str | None = Field(
        default=None, description="For a part the comparison cut out of a claim: the whole claim's id."
    )
    lemmas: dict[str, str]
    source_kind: Literal["named source", "outlet"]


class Duplicate(_Out):
    article: str
    original: str
    similarity: float


class Story(_Out):
    id: int
    title: str
    articles: list[str]
    outlets: list[str]
    start: date | None
    end: date | None
    sources: int = Field(description="Articles that are not copies of another.")
    duplicates: list[Duplicate]


class Provenance(_Out):
    article: str
    outlet: str
    chain: list[str] = Field(
        description='Who had it from whom, e.g. ["the port authority", "the Harbour Herald"].'
    )


class ClaimGroup(_Out):
    id: str
    story: str
    claims: list[str]
    text: str
    context: str
    status: str = Field(description="shared | unique | conflict")
    outlets: list[str]
    independent_sources: int
    stances: dict[str, str] = Field(description="Article id → supports | contradicts | mentions.")
    provenance: list[Provenance]
    times: list[str]
    numbers: list[str]


class Difference(_Out):
    kind: str = Field(description="number | date | certainty | attribution | title | naming")
    about: str
    spans: list[dict[str, str]]
    note: str
    group: str | None


class FramingTerm(_Out):
    article: str
    outlet: str
    term: str
    kind: str = Field(description="loaded | evaluative | scare_quote")
    start: int
    end: int
    context: str


class Cite(_Out):
    article: str
    outlet: str
    anchor: str
    start: int | None
    end: int | None
    field: str


class BriefSide(_Out):
    stance: str
    text: str
    outlets: list[str]
    cites: list[Cite]


class BriefLine(_Out):
    group: str
    status: str
    text: str
    outlets: list[str]
    independent_sources: int
    cites: list[Cite]
    flag: str
    hedged_in: list[str]
    sides: list[BriefSide]
    provenance: list[str]


class TimelineEntry(_Out):
    value: str
    label: str
    precision: str
    text: str
    outlets: list[str]
    cites: list[Cite]
    marks: list[str]


class StoryDocument(_Out):
    """One story's analysis: the export contract's records of its articles, and the report's
    brief (corroborated facts first) and timeline computed from them."""

    newsweave: ExportInfo
    articles: list[ContractArticle]
    entities: list[Entity]
    timexes: list[Timex]
    quotes: list[Quote]
    claims: list[Claim]
    stories: list[Story]
    duplicates: list[Duplicate]
    claim_groups: list[ClaimGroup]
    differences: list[Difference]
    framing: list[FramingTerm]
    brief: list[BriefLine]
    brief_omitted: int = Field(description="Claim groups left out of the brief (all are in claim_groups).")
    timeline: list[TimelineEntry]


# One entity


class OutletRoles(_Out):
    outlet: str
    roles: list[str] = Field(description="Titles and descriptions this outlet gives the entity.")
    articles: list[str]


class EntityQuote(_Out):
    id: str
    article: str
    outlet: str | None
    text: str
    kind: Literal["direct", "partial", "indirect"]
    cue: str | None
    via: str | None


class EntityStory(_Out):
    id: int
    title: str
    articles: int


class EntityDetail(_Out):
    id: str
    name: str
    type: str
    aliases: list[str]
    articles: int = Field(description="Latest article versions that mention it.")
    roles: list[OutletRoles]
    quotes: list[EntityQuote] = Field(description="Quotes whose speaker is this entity.")
    stories: list[EntityStory]


# Ingest


class ArticleIn(_In):
    """One article as JSON: `text` (plain text) or `html` (a whole page), and what is known of it.
    It is read as a line of JSON Lines is: a title alone is a headline-only article, and a record
    with nothing to read comes back in `rejected`, not as an error."""

    title: str | None = Field(default=None, max_length=2_000)
    text: str | None = None
    html: str | None = None
    url: str | None = Field(default=None, max_length=2_048)
    outlet: str | None = Field(default=None, max_length=500)
    author: str | None = Field(default=None, max_length=500)
    published: IsoDay | None = None
    id: str | None = Field(default=None, max_length=500, description="The article's id at its source.")


class RejectedInput(_Out):
    source: str
    reason: str
    detail: str


class IngestResult(_Out):
    """What an ingest stored, and what analysis ran afterwards (the call returns once it has)."""

    added: int
    new_versions: int
    unchanged: int
    articles: list[str] = Field(description="Ids of the articles stored or found already stored.")
    rejected: list[RejectedInput]
    analysed: dict[str, int] = Field(description="Articles each analysis stage processed.")


class UrlsIn(_In):
    urls: list[Annotated[str, Field(min_length=1, max_length=2_048)]] = Field(min_length=1, max_length=20)
    published: IsoDay | None = Field(default=None, description="For pages that carry no date.")


class UrlOutcome(_Out):
    url: str
    status: Literal["stored", "refused", "failed"]
    final_url: str | None = Field(description="Where redirects led.")
    code: str | None = Field(description="Why it was refused or failed, e.g. `private_address`.")
    detail: str | None


class UrlIngestResult(IngestResult):
    urls: list[UrlOutcome]


# Stance


class StanceIn(_In):
    text: str = Field(min_length=1, max_length=200_000, description="The article body.")
    claim: str = Field(min_length=1, max_length=2_000, description="A headline or one sentence.")


class StanceResult(_Out):
    stance: Stance
    score: float = Field(description="The model's probability of `stance`.")
    scores: dict[Stance, float]
