"""Store side of the read API: articles and stories found by full-text search (FTS5), filtered
and paged, and an entity's profile across the store.

A mixin of `SQLiteStore`, as the other tables are: the SQL stays in the store package. The index
is migration 8's `articles_fts`, over each article's title, body and outlet, kept in step with
`articles` by triggers.

User text never reaches FTS5's query language as written: `match_expression` keeps only word
characters and wraps each word or "quoted phrase" in double quotes, so a stray `"`, `*`, `(`,
`NEAR` or `AND` cannot make a syntax error or change the query's meaning. Words are ANDed; a
trailing `*` on a word of three or more letters makes it a prefix.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from newsweave.store._sql import rows_in

T = TypeVar("T")

MAX_TERMS = 32
"""Words and phrases kept from one query; more would only slow FTS5 down, never narrow it usefully."""
_MIN_PREFIX = 3  # a one- or two-letter prefix expands to most of the vocabulary
_CHUNK = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")
_START, _STOP = "\ue000", "\ue001"  # private-use code points: snippet() marks matches with them
_SNIPPET_WORDS = 24
_LISTING_CHARS = 240
# Weights of bm25 per indexed column (title, body, outlet): a word in the headline says more
# about what an article is about than the same word deep in its body.
_BM25 = "bm25(articles_fts, 4.0, 1.0, 2.0)"


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchFilters:
    """What every article found must also be: from an outlet, published within dates, naming an entity."""

    outlet: str | None = None
    """The outlet's name, ignoring case."""
    published_from: date | None = None
    published_to: date | None = None
    """Inclusive; an undated article is left out when either bound is given."""
    entity: str | None = None
    """An entity id: only articles that mention it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleHit:
    """An article as a result list shows it: what it is, and the passage that matched."""

    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: date | None
    snippet: str
    """A passage of the body around the matches (its opening when there is no query)."""
    highlights: tuple[tuple[int, int], ...]
    """Start and end offsets, in `snippet`, of each matched word."""
    score: float | None
    """bm25 relevance, higher is better; None when listing without a query."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryHit:
    """A story as a result list shows it, with how many of its articles matched."""

    id: int
    title: str
    articles: int
    outlets: tuple[str, ...]
    start: date | None
    end: date | None
    matched: int
    """Its articles that match the query and filters."""
    score: float | None
    """bm25 relevance of its best article, higher is better; None without a query."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Page(Generic[T]):
    """One page of results, and how many there are in all."""

    items: tuple[T, ...]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityRoleSeen:
    """A title or description one article gives an entity."""

    article: str
    outlet: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityQuoteSeen:
    """Words an article attributes to an entity."""

    id: str
    article: str
    outlet: str | None
    text: str
    kind: str
    cue: str | None
    via: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityProfile:
    """An entity across the latest article versions: what it is called, what each outlet calls
    it, what it says, and the stories it is in."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    articles: int
    roles: tuple[EntityRoleSeen, ...]
    quotes: tuple[EntityQuoteSeen, ...]
    stories: tuple[tuple[int, str, int], ...]
    """(id, title, articles) of each live story with an article that mentions it, largest first."""


def match_expression(query: str) -> str:
    """An FTS5 query for what a person typed, every word quoted; "" when it holds no word.

    >>> match_expression('kim "state media" limo* (NEAR')
    '"kim" "state media" "limo"* "near"'
    """
    terms: list[str] = []
    for match in _CHUNK.finditer(query):
        phrase, bare = match.group(1), match.group(2)
        words = _WORD.findall(phrase if phrase is not None else bare)
        if not words:
            continue
        term = '"' + " ".join(words).lower() + '"'
        if bare is not None and bare.endswith("*") and len(words) == 1 and len(words[0]) >= _MIN_PREFIX:
            term += "*"
        terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return " ".join(terms)


def _filter_sql(filters: SearchFilters) -> tuple[list[str], list[Any]]:
    """WHERE conditions on `articles a` (latest versions only) and their parameters."""
    where: list[str] = ["a.is_latest = 1"]
    params: list[Any] = []
    if filters.outlet is not None:
        where.append("a.outlet = ? COLLATE NOCASE")
        params.append(filters.outlet)
    if filters.published_from is not None:
        where.append("a.published >= ?")
        params.append(filters.published_from.isoformat())
    if filters.published_to is not None:
        where.append("a.published <= ?")
        params.append(filters.published_to.isoformat())
    if filters.entity is not None:
        where.append("a.id IN (SELECT article_id FROM mentions WHERE entity_id = ?)")
        params.append(filters.entity)
    return where, params


def _matching(query: str | None, filters: SearchFilters) -> tuple[str, list[Any]] | None:
    """SQL of (rid, score) of the articles that match, from `articles a`; None when the query
    holds no word, so nothing can match."""
    where, params = _filter_sql(filters)
    if query is None:
        sql = f"SELECT a.rowid AS rid, NULL AS score FROM articles a WHERE {' AND '.join(where)}"
        return sql, params
    expression = match_expression(query)
    if not expression:
        return None
    # CROSS JOIN: the index first, then each article it found. Left to itself, SQLite walks the
    # articles by `is_latest` and asks the index about each one: measured 786 ms against 2 ms for
    # a query matching 1,767 of 10,000 articles.
    sql = (
        f"SELECT a.rowid AS rid, {_BM25} AS score FROM articles_fts "
        "CROSS JOIN articles a ON a.rowid = articles_fts.rowid "
        f"WHERE articles_fts MATCH ? AND {' AND '.join(where)}"
    )
    return sql, [expression, *params]


def _highlighted(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Snippet text without its match markers, and where the marked words were."""
    text, spans, start = [], [], 0
    position = 0
    for piece in re.split(f"([{_START}{_STOP}])", marked):
        if piece == _START:
            start = position
        elif piece == _STOP:
            spans.append((start, position))
        else:
            text.append(piece)
            position += len(piece)
    return "".join(text), tuple(spans)


def _opening(body: str) -> str:
    """The start of a body for a listing, cut at a word."""
    if len(body) <= _LISTING_CHARS:
        return body
    cut = body.rfind(" ", 0, _LISTING_CHARS)
    return body[: cut if cut > 0 else _LISTING_CHARS].rstrip() + "…"


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _score(value: float | None) -> float | None:
    # SQLite's bm25 is lower for better matches; an API reads more naturally the other way round.
    return None if value is None else -float(value)


class SearchTables:
    _conn: sqlite3.Connection

    def search_articles(
        self, query: str | None, filters: SearchFilters = SearchFilters(), *, limit: int = 20, offset: int = 0
    ) -> Page[ArticleHit]:
        """Latest article versions matching `query` (best first) and `filters`; with no query,
        every article passing the filters, newest first."""
        matching = _matching(query, filters)
        if matching is None:
            return Page(items=(), total=0, limit=limit, offset=offset)
        sql, params = matching
        if query is None:
            page, total = self._newest(sql, params, limit, offset)
        else:
            page, total = self._page(sql, params, "score, rid", limit, offset)
        rids = [r["rid"] for r in page]
        articles = {
            r["rid"]: r
            for r in rows_in(
                self._conn,
                "SELECT rowid AS rid, id, title, outlet, url, published, "
                f"substr(body, 1, {_LISTING_CHARS + 1}) AS opening FROM articles WHERE rowid IN ({{}})",
                rids,
            )
        }
        marked: dict[int, str] = {}
        if query is not None and rids:
            # snippet() works only in a query that runs MATCH: run it again on this page's rows alone.
            marked = {
                r["rid"]: r["marked"]
                for r in rows_in(
                    self._conn,
                    f"SELECT rowid AS rid, snippet(articles_fts, 1, '{_START}', '{_STOP}', '…', "
                    f"{_SNIPPET_WORDS}) AS marked FROM articles_fts WHERE articles_fts MATCH ? "
                    "AND rowid IN ({})",
                    rids,
                    params[0],
                )
            }
        items = tuple(_article_hit(articles[r["rid"]], r["score"], marked.get(r["rid"])) for r in page)
        return Page(items=items, total=total, limit=limit, offset=offset)

    def _newest(
        self, sql: str, params: Sequence[Any], limit: int, offset: int
    ) -> tuple[list[sqlite3.Row], int]:
        """A page of `sql`'s articles, newest first (undated last), and how many there are: two
        queries, so the page walks the `articles_published` index backwards and stops."""
        rows = self._conn.execute(
            f"{sql} ORDER BY a.published DESC, a.rowid DESC LIMIT ? OFFSET ?", [*params, limit, offset]
        ).fetchall()
        total = int(self._conn.execute(f"SELECT COUNT(*) FROM ({sql})", params).fetchone()[0])
        return rows, total

    def _page(
        self, sql: str, params: Sequence[Any], order: str, limit: int, offset: int
    ) -> tuple[list[sqlite3.Row], int]:
        """One page of `sql`'s rows in `order`, and how many rows there are in all, in one pass
        when the page is not past the end."""
        rows = self._conn.execute(
            f"SELECT *, COUNT(*) OVER () AS total FROM ({sql}) ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        if rows:
            return rows, int(rows[0]["total"])
        if offset == 0:
            return rows, 0
        return rows, int(self._conn.execute(f"SELECT COUNT(*) FROM ({sql})", params).fetchone()[0])

    def search_stories(
        self, query: str | None, filters: SearchFilters = SearchFilters(), *, limit: int = 20, offset: int = 0
    ) -> Page[StoryHit]:
        """Live stories with at least one article matching `query` and `filters`, the story of
        the best-matching article first; with no query, the largest stories first."""
        matching = _matching(query, filters)
        if matching is None:
            return Page(items=(), total=0, limit=limit, offset=offset)
        where, params = _filter_sql(filters)
        hits, score = "", "NULL"
        if query is not None:
            expression = match_expression(query)
            if not expression:
                return Page(items=(), total=0, limit=limit, offset=offset)
            # MATERIALIZED: bm25() must run in the query that runs MATCH, not in the GROUP BY.
            hits = f"WITH h AS MATERIALIZED (SELECT rowid AS rid, {_BM25} AS score FROM articles_fts "
            hits += "WHERE articles_fts MATCH ?) "
            score = "MIN(h.score)"
            params = [expression, *params]
        # CROSS JOIN fixes the order SQLite would get wrong: from the index's hits, else from the
        # stories' articles (few while most of a store is not analysed), never by walking every
        # latest article (10 ms in a store of 10,000, against 1 ms) or the hits once per article.
        joins = (
            "h CROSS JOIN articles a ON a.rowid = h.rid CROSS JOIN story_articles m ON m.article_id = a.id"
            if hits
            else "story_articles m CROSS JOIN articles a ON a.id = m.article_id"
        )
        found = (
            f'{hits}SELECT s.id, s.title, s.start, s."end" AS last, COUNT(*) AS matched, {score} AS score, '
            "(SELECT COUNT(*) FROM story_articles x WHERE x.story_id = s.id) AS size "
            f"FROM {joins} CROSS JOIN stories s ON s.id = m.story_id AND s.merged_into IS NULL "
            f"WHERE {' AND '.join(where)} GROUP BY s.id"
        )
        order = "score, id" if query is not None else "size DESC, last DESC, id"
        page, total = self._page(found, params, order, limit, offset)
        details = self._story_details([r["id"] for r in page])
        items = tuple(_story_hit(r, *details[r["id"]]) for r in page)
        return Page(items=items, total=total, limit=limit, offset=offset)

    def _story_details(
        self, story_ids: Sequence[int]
    ) -> dict[int, tuple[tuple[str, ...], date | None, date | None]]:
        """Each story's outlets (in the order its articles joined) and first and last publication day."""
        outlets: dict[int, list[str]] = {}
        days: dict[int, list[date]] = {}
        sql = (
            "SELECT m.story_id, a.outlet, a.published FROM story_articles m "
            "JOIN articles a ON a.id = m.article_id WHERE m.story_id IN ({}) ORDER BY m.rowid"
        )
        for r in rows_in(self._conn, sql, story_ids):
            if r["outlet"] and r["outlet"] not in outlets.setdefault(r["story_id"], []):
                outlets[r["story_id"]].append(r["outlet"])
            if r["published"]:
                days.setdefault(r["story_id"], []).append(date.fromisoformat(r["published"]))
        return {
            i: (
                tuple(outlets.get(i, ())),
                min(days[i]) if i in days else None,
                max(days[i]) if i in days else None,
            )
            for i in story_ids
        }

    def entity_profile(self, entity_id: str, *, max_quotes: int = 200) -> EntityProfile | None:
        """An entity's profile, or None when no entity has this id. Reads by the entity's id
        only (indexed), however many articles the store holds."""
        row = self._conn.execute("SELECT id, name, type FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            return None
        latest_mentions = (
            "SELECT DISTINCT m.article_id FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE m.entity_id = ? AND a.is_latest = 1"
        )
        aliases = self._conn.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias", (entity_id,)
        )
        articles = self._conn.execute(f"SELECT COUNT(*) FROM ({latest_mentions})", (entity_id,))
        roles = self._conn.execute(
            "SELECT r.article_id, r.text, COALESCE(a.outlet, a.outlet_domain, a.source) AS outlet "
            "FROM roles r JOIN articles a ON a.id = r.article_id "
            "WHERE r.entity_id = ? AND a.is_latest = 1 ORDER BY a.rowid, r.start",
            (entity_id,),
        )
        # A quote's speaker is the entity its speaker's name links to in that article (as
        # `LanguageTables.quotes` reads it).
        quotes = self._conn.execute(
            "SELECT * FROM (SELECT q.article_id, q.start, q.text, q.kind, q.cue, q.via, a.outlet, "
            "(SELECT m.entity_id FROM mentions m WHERE m.article_id = q.article_id "
            "AND m.local_name = q.local_name AND m.entity_id IS NOT NULL LIMIT 1) AS speaker "
            f"FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.article_id IN ({latest_mentions}) "
            "ORDER BY a.rowid, q.start) WHERE speaker = ? LIMIT ?",
            (entity_id, entity_id, max_quotes),
        )
        stories = self._conn.execute(
            "SELECT s.id, s.title, (SELECT COUNT(*) FROM story_articles x WHERE x.story_id = s.id) AS size "
            "FROM stories s WHERE s.merged_into IS NULL AND s.id IN (SELECT story_id FROM story_articles "
            f"WHERE article_id IN ({latest_mentions})) ORDER BY size DESC, s.id",
            (entity_id,),
        )
        return EntityProfile(
            id=row["id"],
            name=row["name"],
            type=row["type"],
            aliases=tuple(r["alias"] for r in aliases),
            articles=int(articles.fetchone()[0]),
            roles=tuple(
                EntityRoleSeen(article=r["article_id"], outlet=r["outlet"], text=r["text"]) for r in roles
            ),
            quotes=tuple(
                EntityQuoteSeen(
                    id=f"q-{q['article_id']}-{q['start']}",
                    article=q["article_id"],
                    outlet=q["outlet"],
                    text=q["text"],
                    kind=q["kind"],
                    cue=q["cue"],
                    via=q["via"],
                )
                for q in quotes
            ),
            stories=tuple((r["id"], r["title"], r["size"]) for r in stories),
        )


def _article_hit(row: sqlite3.Row, score: float | None, marked: str | None) -> ArticleHit:
    if marked is not None:
        snippet, highlights = _highlighted(marked)
    else:
        snippet, highlights = _opening(row["opening"] or ""), ()
    return ArticleHit(
        id=row["id"],
        title=row["title"],
        outlet=row["outlet"],
        url=row["url"],
        published=_day(row["published"]),
        snippet=snippet,
        highlights=highlights,
        score=_score(score),
    )


def _story_hit(row: sqlite3.Row, outlets: tuple[str, ...], first: date | None, last: date | None) -> StoryHit:
    return StoryHit(
        id=row["id"],
        title=row["title"],
        articles=row["size"],
        outlets=outlets,
        start=first or _day(row["start"]),
        end=last or _day(row["last"]),
        matched=row["matched"],
        score=_score(row["score"]),
    )
