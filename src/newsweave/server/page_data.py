"""What the web pages read from the store: the story list and its filters, an entity's page, an
article's page, and the reading view's sentences.

Every page costs a fixed handful of queries, whatever the number of rows it shows (no query per
story, entity or sentence). It only reads: a page never runs the analysis (that writes, and can
take minutes); it shows what the stages have stored so far. The story list searches with the
store's full-text index (`newsweave.store.search`), as the API does.
"""

from __future__ import annotations

import math
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from newsweave.compare.cores import part_records, whole_id
from newsweave.compare.records import ClaimGroup
from newsweave.model import Article, ClaimRecord
from newsweave.report.records import COURTESY_TITLES, Sources, anchor_id, role_as_shown
from newsweave.sentences import sentence_ends
from newsweave.store import SQLiteStore
from newsweave.store.search import SearchFilters

PAGE_SIZE = 20
"""Stories per page of the story list."""
ENTITY_LIMIT = 100
"""Quotes, stories and roles an entity's page shows at most (the rest are counted)."""
ROLE_ROWS = ENTITY_LIMIT * 5
"""Distinct (outlet, role) rows an entity's page reads."""

STATUS_LABELS = {"shared": "shared", "unique": "single source", "conflict": "conflicting"}


def _db(store: SQLiteStore) -> sqlite3.Connection:
    """The store's connection: the pages' read-only queries join tables of several stages,
    which no one store method reads together."""
    return store._conn


# ---- the story list -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryFilters:
    """What the story list is narrowed to; empty fields do not narrow it."""

    q: str = ""
    outlet: str = ""
    since: date | None = None
    until: date | None = None
    entity: str = ""

    @property
    def active(self) -> bool:
        return bool(self.q or self.outlet or self.since or self.until or self.entity)


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityRef:
    id: str
    name: str
    type: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryRow:
    id: int
    title: str
    articles: int
    matched: int  # of its articles, those that match the search and filters
    outlets: tuple[str, ...]
    first: str  # ISO day of the earliest article, or ""
    last: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryList:
    rows: tuple[StoryRow, ...]
    total: int
    page: int
    pages: int
    entities: tuple[EntityRef, ...] = ()
    """The entities the entity filter matched, the one it kept first (empty when it is not set)."""


def _like(text: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"


def normalise_name(text: str) -> str:
    """An entity name as `entity_aliases.norm` holds it (the same rules as the language layer's
    `normalise_name`, without loading spaCy into the web server)."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    text = re.sub(r"['’‘]s?$", "", text.replace(".", ""))
    return re.sub(r"\s+", " ", text).strip().casefold()


def match_entities(store: SQLiteStore, text: str, limit: int = 50) -> tuple[EntityRef, ...]:
    """Entities an entity filter names: by id, else by a name or alias, else by part of one;
    the entities most articles name first."""
    conn = _db(store)
    text = text.strip()
    if not text:
        return ()
    rows = conn.execute("SELECT id, name, type FROM entities WHERE id = ?", (text,)).fetchall()
    norm = normalise_name(text)
    sql = (
        "SELECT e.id, e.name, e.type FROM entities e WHERE e.id IN "
        "(SELECT entity_id FROM entity_aliases WHERE norm {}) ORDER BY "
        "(SELECT COUNT(DISTINCT article_id) FROM mentions WHERE entity_id = e.id) DESC, e.name, e.id LIMIT ?"
    )
    if not rows and norm:
        rows = conn.execute(sql.format("= ?"), (norm, limit)).fetchall()
    if not rows and norm:
        rows = conn.execute(sql.format("LIKE ? ESCAPE '\\'"), (_like(norm), limit)).fetchall()
    return tuple(EntityRef(id=r["id"], name=r["name"], type=r["type"]) for r in rows)


def story_list(store: SQLiteStore, filters: StoryFilters, page: int = 1) -> StoryList:
    """One page of the live stories that hold an article matching the search and every filter
    (the store's full-text search, `SQLiteStore.search_stories`): the best match first, or
    with no search term the largest stories first. An entity filter that names several
    entities keeps the one most articles name (the others are offered as links)."""
    entities = match_entities(store, filters.entity) if filters.entity else ()
    if filters.entity and not entities:
        return StoryList(rows=(), total=0, page=1, pages=1)
    wanted = SearchFilters(
        outlet=filters.outlet or None,
        published_from=filters.since,
        published_to=filters.until,
        entity=entities[0].id if entities else None,
    )
    query = filters.q or None
    page = max(page, 1)
    found = store.search_stories(query, wanted, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    pages = max(1, math.ceil(found.total / PAGE_SIZE))
    if page > pages:  # past the end (the store changed, or a hand-made link): the last page
        page = pages
        found = store.search_stories(query, wanted, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return StoryList(
        rows=tuple(
            StoryRow(
                id=h.id,
                title=h.title,
                articles=h.articles,
                matched=h.matched,
                outlets=h.outlets,
                first=h.start.isoformat() if h.start else "",
                last=h.end.isoformat() if h.end else "",
            )
            for h in found.items
        ),
        total=found.total,
        page=page,
        pages=pages,
        entities=entities,
    )


_OUTLETS: dict[str, tuple[int, tuple[str, ...]]] = {}


def all_outlets(store: SQLiteStore) -> tuple[str, ...]:
    """Every outlet of the store's latest articles, for the outlet filter. Remembered per store
    until an article is added (keyed on the newest row), since listing them reads every row."""
    conn = _db(store)
    newest = int(conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM articles").fetchone()[0])
    cached = _OUTLETS.get(store.path)
    if cached is not None and cached[0] == newest:
        return cached[1]
    outlets = tuple(
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT outlet FROM articles WHERE is_latest = 1 AND outlet IS NOT NULL "
            "AND outlet != '' ORDER BY outlet COLLATE NOCASE"
        )
    )
    _OUTLETS[store.path] = (newest, outlets)
    return outlets


# ---- an entity's page ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleUse:
    role: str
    times: int
    article: str  # the first article that gives it


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletRoleList:
    outlet: str
    roles: tuple[RoleUse, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityQuote:
    article: str
    anchor: str
    text: str
    kind: str
    cue: str
    outlet: str
    title: str
    published: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityStory:
    id: int
    title: str
    articles: int  # of the story's articles, those that mention the entity


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityPage:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    articles: int
    roles: tuple[OutletRoleList, ...]
    quotes: tuple[EntityQuote, ...]
    stories: tuple[EntityStory, ...]
    more_stories: int = 0
    more_quotes: int = 0


def entity_page(store: SQLiteStore, entity_id: str) -> EntityPage | None:
    """An entity: its aliases, each outlet's roles for it, its quotes and its stories."""
    conn = _db(store)
    row = conn.execute("SELECT id, name, type FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        return None
    aliases = [
        r["alias"]
        for r in conn.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias COLLATE NOCASE", (entity_id,)
        )
    ]
    by_outlet: dict[str, list[RoleUse]] = {}
    # Courtesy titles are left out in the query, not after it: each outlet's "Mr." would
    # otherwise take a row of the limit from a real role.
    courtesy = ", ".join("?" * len(COURTESY_TITLES))
    for r in conn.execute(
        "SELECT COALESCE(a.outlet, '') AS outlet, r.text, COUNT(*) AS n, MIN(r.article_id) AS article "
        "FROM roles r JOIN articles a ON a.id = r.article_id WHERE r.entity_id = ? AND r.text != '' "
        f"AND lower(rtrim(trim(r.text), '.')) NOT IN ({courtesy}) "
        "GROUP BY a.outlet, r.text ORDER BY a.outlet COLLATE NOCASE, n DESC, r.text LIMIT ?",
        (entity_id, *sorted(COURTESY_TITLES), ROLE_ROWS),
    ):
        by_outlet.setdefault(r["outlet"], []).append(
            RoleUse(role=role_as_shown(r["text"]), times=r["n"], article=r["article"])
        )
    # Each query reads the entity's mentions once (an entity of every article has a hundred
    # thousand of them): the totals come with the rows, as window counts.
    quotes = conn.execute(
        "SELECT q.article_id, q.start, q.text, q.kind, q.cue, a.outlet, a.title, a.published, "
        "COUNT(*) OVER () AS total "
        "FROM (SELECT DISTINCT article_id, local_name FROM mentions WHERE entity_id = ?) m "
        "JOIN quotes q ON q.article_id = m.article_id AND q.local_name = m.local_name "
        "JOIN articles a ON a.id = q.article_id ORDER BY a.published DESC, q.article_id, q.start LIMIT ?",
        (entity_id, ENTITY_LIMIT),
    ).fetchall()
    groups = conn.execute(
        "SELECT s.id, s.title, COUNT(*) AS n, COUNT(s.id) OVER () AS stories, "
        "SUM(COUNT(*)) OVER () AS articles "
        "FROM (SELECT DISTINCT article_id FROM mentions WHERE entity_id = ?) m "
        "LEFT JOIN story_articles sa ON sa.article_id = m.article_id "
        "LEFT JOIN stories s ON s.id = sa.story_id AND s.merged_into IS NULL "
        "GROUP BY s.id ORDER BY s.id IS NULL, n DESC, s.id DESC LIMIT ?",
        (entity_id, ENTITY_LIMIT + 1),
    ).fetchall()
    stories = [g for g in groups if g["id"] is not None][:ENTITY_LIMIT]
    n_stories = int(groups[0]["stories"]) if groups else 0
    n_quotes = int(quotes[0]["total"]) if quotes else 0
    return EntityPage(
        id=row["id"],
        name=row["name"],
        type=row["type"],
        aliases=tuple(a for a in aliases if a != row["name"]),
        articles=int(groups[0]["articles"]) if groups else 0,
        roles=tuple(OutletRoleList(outlet=o, roles=tuple(r)) for o, r in by_outlet.items()),
        quotes=tuple(
            EntityQuote(
                article=q["article_id"],
                anchor=anchor_id("q", q["article_id"], q["start"]),
                text=q["text"],
                kind=q["kind"],
                cue=q["cue"] or "",
                outlet=q["outlet"] or "",
                title=q["title"] or "",
                published=q["published"] or "",
            )
            for q in quotes
        ),
        stories=tuple(EntityStory(id=s["id"], title=s["title"], articles=s["n"]) for s in stories),
        more_stories=max(n_stories - len(stories), 0),
        more_quotes=max(n_quotes - len(quotes), 0),
    )


# ---- an article's page --------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleContext:
    """What the article page shows besides the article: its story and the entities it names."""

    story: EntityStory | None
    entities: tuple[EntityRef, ...]
    claims: tuple[ClaimRecord, ...]
    groups: tuple[ClaimGroup, ...]


def article_context(store: SQLiteStore, article: Article) -> ArticleContext:
    conn = _db(store)
    found = conn.execute(
        "SELECT s.id, s.title, s.merged_into FROM story_articles sa JOIN stories s ON s.id = sa.story_id "
        "WHERE sa.article_id = ?",
        (article.id,),
    ).fetchone()
    story = None
    if found is not None:
        row = store.story_row(found["id"])  # a merged story leads to the one it joined
        if row is not None:
            story = EntityStory(id=row["id"], title=row["title"], articles=0)
    entities = conn.execute(
        "SELECT e.id, e.name, e.type FROM entities e WHERE e.id IN "
        "(SELECT entity_id FROM mentions WHERE article_id = ? AND kind = 'name') ORDER BY e.type, e.name",
        (article.id,),
    ).fetchall()
    groups = tuple(
        g
        for g in store.claim_groups([story.id] if story else [])
        if any(p.article == article.id for p in g.provenance)
    )
    claims = store.claims([article.id])
    return ArticleContext(
        story=story,
        entities=tuple(EntityRef(id=e["id"], name=e["name"], type=e["type"]) for e in entities),
        claims=(*claims, *part_records(claims, (c for g in groups for c in g.claims))),
        groups=groups,
    )


# ---- the reading view ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimMark:
    """What a claim sentence is in its story: its group, status and the outlets that carry it."""

    group: str
    status: str  # shared | unique | conflict
    label: str  # "shared", "single source", "conflicting"
    stance: str  # supports | contradicts | mentions | ""
    outlets: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    """A sentence (or a stretch of white space) of an article's body, with its HTML id."""

    text: str
    anchor: str = ""
    claim: ClaimMark | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadingArticle:
    id: str
    anchor: str
    outlet: str
    title: str
    author: str
    section: str
    published: str
    url: str
    paragraphs: tuple[tuple[Sentence, ...], ...]
    captions: tuple[tuple[str, str], ...]  # (anchor, caption)
    claims: int


def reading_anchor(anchor: str) -> str:
    """The reading view's id for a report anchor: a claim's sentence is `claim-<article>-<offset>`;
    an article's and a caption's are the same as in the report."""
    return "claim-" + anchor[2:] if anchor.startswith("s-") else anchor


def _sentences(article: str, body: str, start: int, end: int) -> list[Sentence]:
    """body[start:end] (text between claims) cut into sentences, each with an id from its offset."""
    out: list[Sentence] = []
    at = start
    for stop in sentence_ends(body, start, end):
        out.append(_plain(article, body, at, stop))
        at = stop
    if at < end:
        out.append(_plain(article, body, at, end))
    return out


def _plain(article: str, body: str, start: int, end: int) -> Sentence:
    text = body[start:end]
    lead = len(text) - len(text.lstrip())
    return Sentence(text=text, anchor=anchor_id("s", article, start + lead) if text.strip() else "")


def claim_marks(groups: Iterable[ClaimGroup], article_of: Mapping[str, str]) -> dict[str, ClaimMark]:
    """Each grouped claim's mark, by claim id (a claim in several groups: its first group's)."""
    marks: dict[str, ClaimMark] = {}
    for g in groups:
        label = STATUS_LABELS.get(g.status, g.status)
        for claim_id in g.claims:
            stance = g.stances.get(article_of.get(claim_id, ""), "")
            mark = ClaimMark(group=g.id, status=g.status, label=label, stance=stance, outlets=g.outlets)
            marks.setdefault(claim_id, mark)
            # A group may hold a part of a claim: the claim's sentence shows the part's group, and
            # says that only part of it is what the label says.
            if (whole := whole_id(claim_id)) != claim_id:
                marks.setdefault(whole, replace(mark, label=f"{label} in part"))
    return marks


def reading_articles(
    articles: Sequence[Article], claims: Iterable[ClaimRecord], groups: Iterable[ClaimGroup]
) -> tuple[ReadingArticle, ...]:
    """Articles paragraph by paragraph and sentence by sentence, each sentence with an id and each
    claim sentence with its group's mark, for the side-by-side reading view and an article's page."""
    sources = Sources(articles, claims)
    claim_of = {anchor: cid for cid, anchor in sources.anchors.items() if sources.claims[cid].part_of is None}
    marks = claim_marks(groups, {c.id: c.article for c in sources.claims.values()})
    out = []
    for a in articles:
        spans = sources.anchored.get(a.id, [])
        paragraphs = []
        for p_start, p_end in sources.paragraphs[a.id]:
            row: list[Sentence] = []
            at = p_start
            for s, e, anchor in spans:
                if s < at or e > p_end:
                    continue
                row += _sentences(a.id, a.body, at, s)
                row.append(
                    Sentence(
                        text=a.body[s:e], anchor=reading_anchor(anchor), claim=marks.get(claim_of[anchor])
                    )
                )
                at = e
            row += _sentences(a.id, a.body, at, p_end)
            paragraphs.append(tuple(x for x in row if x.text))
        out.append(
            ReadingArticle(
                id=a.id,
                anchor=anchor_id("article", a.id),
                outlet=a.outlet or "",
                title=a.title or "",
                author=a.author or "",
                section=a.section or "",
                published=a.published.isoformat() if a.published else "",
                url=a.url or "",
                paragraphs=tuple(paragraphs),
                captions=tuple((anchor_id("caption", a.id, i), c) for i, c in enumerate(a.captions)),
                claims=len(spans),
            )
        )
    return tuple(out)
