"""The records that flow between stages: ingest → clean → store.

Records are frozen, slotted and picklable (for process pools and Ray). Outcomes are values:
a reader yields `Document` or `Rejected`, never raises for bad input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

InputFormat = Literal["text", "html", "feed", "jsonl", "warc"]

RejectReason = Literal[
    "binary",
    "corrupt",
    "empty",
    "encoding",
    "malformed",
    "no_article",
    "too_large",
    "too_long",
    "too_many_records",
    "truncated",
    "unreadable",
    "unsupported",
]

RemovalReason = Literal[
    "section",
    "title",
    "byline",
    "contact",
    "dateline",
    "promo",
    "credit",
    "caption",
    "footer",
    "empty",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One article as a reader found it, before cleaning.

    Exactly one of `text` (plain text with line structure) and `html` is set, unless the input
    had neither (a headline-only record), in which case both are empty.
    """

    source: str
    """Where it came from: a file path, `path#N` for the N-th record of a multi-record file."""
    input_format: InputFormat
    text: str = ""
    html: str = ""
    external_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published: date | None = None
    section: str | None = None
    captions: tuple[str, ...] = ()
    """Photo captions the container marked as such (e.g. HTML `<figcaption>`)."""
    captions_marked: bool = False
    """True when the container marks its captions (HTML), so none is guessed from the text."""
    notes: tuple[str, ...] = ()
    """Non-fatal remarks about reading it, e.g. the encoding it was decoded from."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejected:
    """An input, or one record of it, that was skipped, and why."""

    source: str
    reason: RejectReason
    detail: str

    def message(self) -> str:
        return f"{self.source}: skipped ({self.reason}): {self.detail}"


@dataclass(frozen=True, slots=True, kw_only=True)
class RemovedLine:
    """A line cut from the body, kept for the audit trail."""

    text: str
    reason: RemovalReason


@dataclass(frozen=True, slots=True, kw_only=True)
class CleanArticle:
    """An article after cleaning: `body` is the text every later offset refers to."""

    source: str
    input_format: InputFormat
    body: str
    captions: tuple[str, ...] = ()
    removed: tuple[RemovedLine, ...] = ()
    external_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    outlet_domain: str | None = None
    title: str | None = None
    author: str | None = None
    section: str | None = None
    published: date | None = None
    published_from: Literal["document", "text", "given"] | None = None
    """Where `published` came from: the input's metadata, a dateline in the text, or the user."""
    language: str | None = None
    language_score: float | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """A stored article version."""

    id: str
    key: str
    """Identity across versions: canonical URL, else source-scoped external id, else path."""
    version: int
    is_latest: bool
    content_hash: str
    ingested_at: str
    source: str
    input_format: InputFormat
    body: str
    captions: tuple[str, ...] = ()
    removed: tuple[RemovedLine, ...] = ()
    external_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    outlet_domain: str | None = None
    title: str | None = None
    author: str | None = None
    section: str | None = None
    published: date | None = None
    published_from: str | None = None
    language: str | None = None
    language_score: float | None = None
    notes: tuple[str, ...] = field(default=())


StoreOutcome = Literal["added", "new_version", "unchanged"]


@dataclass(slots=True, kw_only=True)
class IngestReport:
    """Counts for one ingest run: what was added, what was already there, what was skipped."""

    added: int = 0
    new_versions: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def skipped_by_reason(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.rejected:
            counts[r.reason] = counts.get(r.reason, 0) + 1
        return dict(sorted(counts.items()))

    def count(self, outcome: StoreOutcome) -> None:
        if outcome == "added":
            self.added += 1
        elif outcome == "new_version":
            self.new_versions += 1
        else:
            self.unchanged += 1


MentionKind = Literal["name", "pronoun", "nominal"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """A span of an article's body that refers to an entity; offsets into `body`."""

    start: int
    end: int
    text: str
    kind: MentionKind
    type: str
    local_name: str
    """The entity's fullest name within this article (the key it is linked store-wide by)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Role:
    """A title or description the article gives an entity ("White House spokesperson")."""

    start: int
    end: int
    text: str
    local_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Timex:
    """A time expression with its TIMEX3 value, resolved on `anchor`."""

    start: int
    end: int
    text: str
    value: str
    type: str
    mod: str | None
    anchor: date | None
    anchor_inferred: bool
    """True when no publication date was known and the anchor was inferred from the text."""
    field: str = "body"
    """Where the offsets point: "body", or "caption:N" for the article's N-th caption."""
    first_day: date | None = None
    last_day: date | None = None
    """The calendar days the value covers; None for values off the calendar (P6Y, PAST_REF)."""


QuoteKind = Literal["direct", "partial", "indirect"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """One statement an article makes: a verbatim span of its body."""

    start: int
    end: int
    text: str
    certainty: Literal["asserted", "hedged"]
    attributed_to: str | None
    """The source the text names for it; None when the outlet states it itself."""
    polarity: Literal["positive", "negative"]
    hedges: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    context: str = ""
    """What a clause cut from its sentence is about, when it does not say so itself."""
    predicates: tuple[str, ...] = ()
    """What it states and denies: verbs with their subjects ("arrest@police"), "not …" where
    it denies them, "no …" for what it says there is none of ("no arrest")."""
    hedged_terms: tuple[str, ...] = ()
    """Things it hedges in its own words, without the hedge: "crane failure" for "a probable
    crane failure" (a noun phrase of two words or more, outside quotation marks)."""
    phrases: tuple[tuple[int, int], ...] = ()
    """Phrases that could come off its edges, as (start, end) character offsets in the article:
    clauses (adverbial, relative, participial, appositive), conjuncts (not a name in a list, not
    one of alternatives) and prepositional phrases holding a number or a verb. The comparison
    cuts a claim down to what other outlets share with them."""
    lemmas: Mapping[str, str] = field(default_factory=dict)
    """spaCy's lemma of each word of the claim and its context that is not its own lemma,
    lower-case ("violated" -> "violate")."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """Words attributed to a speaker: quoted (direct, partial) or reported (indirect)."""

    start: int
    end: int
    text: str
    kind: QuoteKind
    speaker: str | None
    """The speaker's words in the text ("she", "the deputy minister", "Ortiz")."""
    local_name: str | None
    """The speaker's fullest name in the article, when the words resolve to an entity."""
    cue: str | None
    via: str | None
    """The channel the text gives ("an official statement", "a video posted online")."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LanguageAnalysis:
    """What the language layer found in one article, or why it skipped it."""

    article_id: str
    mentions: tuple[Mention, ...] = ()
    roles: tuple[Role, ...] = ()
    timexes: tuple[Timex, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    skipped: str | None = None


# Records read back from the store: what the export and the report are built from. Each names
# its article, since it stands outside the analysis of that article.


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityMention:
    """Where an article names (or refers to) an entity."""

    article: str
    start: int
    end: int
    text: str
    kind: MentionKind


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityRole:
    """A title or description an article gives an entity, with its offsets."""

    article: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityRecord:
    """An entity resolved across articles, with what some articles say of it."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    """Every surface form seen, across the whole store."""
    roles: tuple[EntityRole, ...] = ()
    articles: tuple[str, ...] = ()
    mentions: tuple[EntityMention, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TimexRecord:
    """A time expression of an article, with the calendar days its value covers."""

    article: str
    field: str
    text: str
    start: int
    end: int
    value: str
    type: str
    mod: str | None
    anchor: date | None
    anchor_inferred: bool
    first_day: date | None = None
    last_day: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteRecord:
    """A quote of an article, with its speaker's store-wide entity where the speaker resolved."""

    id: str
    article: str
    text: str
    start: int
    end: int
    kind: QuoteKind
    speaker_entity: str | None
    speaker: str | None
    cue: str | None
    via: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimRecord:
    """A claim of an article."""

    id: str
    article: str
    text: str
    start: int
    end: int
    certainty: Literal["asserted", "hedged"]
    attributed_to: str | None
    """The source the text names for it; None when the outlet states it itself."""
    polarity: Literal["positive", "negative"]
    hedges: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    context: str = ""
    predicates: tuple[str, ...] = ()
    """As on `Claim`: "arrest@police", "not …" where denied, "no arrest"."""
    hedged_terms: tuple[str, ...] = ()
    """As on `Claim`: things it hedges in its own words ("crane failure")."""
    phrases: tuple[tuple[int, int], ...] = ()
    """As on `Claim`: phrases that could come off its edges, (start, end) in the article."""
    part_of: str | None = None
    """For a part of a claim that the comparison cut out (what a claim group shares, or what is
    left of the claim beside it), the id of the whole claim; None for a claim itself."""
    lemmas: Mapping[str, str] = field(default_factory=dict)
    """Lemmas of the claim's inflected words, as on `Claim`."""

    @property
    def source_kind(self) -> Literal["named source", "outlet"]:
        return "outlet" if self.attributed_to is None else "named source"
