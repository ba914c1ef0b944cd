"""Schema migrations, applied in order; `PRAGMA user_version` records the last one applied.

A migration is never edited once released: a change to the schema is a new entry at the end.
"""

from __future__ import annotations

import sqlite3

from newsweave.errors import SchemaVersionError

MIGRATIONS: tuple[str, ...] = (
    # 1: articles (one row per version), the ingest log, and analysis stage bookkeeping.
    """
    CREATE TABLE articles (
        id              TEXT PRIMARY KEY,
        key             TEXT NOT NULL,
        version         INTEGER NOT NULL,
        is_latest       INTEGER NOT NULL DEFAULT 1,
        content_hash    TEXT NOT NULL,
        ingested_at     TEXT NOT NULL,
        source          TEXT NOT NULL,
        input_format    TEXT NOT NULL,
        external_id     TEXT,
        url             TEXT,
        outlet          TEXT,
        outlet_domain   TEXT,
        title           TEXT,
        author          TEXT,
        section         TEXT,
        published       TEXT,
        published_from  TEXT,
        language        TEXT,
        language_score  REAL,
        body            TEXT NOT NULL,
        captions        TEXT NOT NULL DEFAULT '[]',
        removed         TEXT NOT NULL DEFAULT '[]',
        notes           TEXT NOT NULL DEFAULT '[]',
        UNIQUE (key, version),
        UNIQUE (key, content_hash)
    );
    CREATE INDEX articles_latest ON articles (is_latest, ingested_at);
    CREATE INDEX articles_content ON articles (content_hash);
    CREATE TABLE rejections (
        id          INTEGER PRIMARY KEY,
        source      TEXT NOT NULL,
        reason      TEXT NOT NULL,
        detail      TEXT NOT NULL,
        at          TEXT NOT NULL
    );
    CREATE TABLE stage_runs (
        article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        stage       TEXT NOT NULL,
        stage_version INTEGER NOT NULL,
        done_at     TEXT NOT NULL,
        PRIMARY KEY (article_id, stage)
    );
    """,
    # 2: the language layer: entities store-wide, and per article their mentions, roles, times.
    """
    CREATE TABLE entities (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        type        TEXT NOT NULL
    );
    CREATE TABLE entity_aliases (
        entity_id   TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
        norm        TEXT NOT NULL,
        alias       TEXT NOT NULL,
        PRIMARY KEY (entity_id, norm)
    );
    CREATE INDEX entity_aliases_norm ON entity_aliases (norm);
    CREATE TABLE mentions (
        article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        start       INTEGER NOT NULL,
        "end"       INTEGER NOT NULL,
        text        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        type        TEXT NOT NULL,
        local_name  TEXT NOT NULL,
        entity_id   TEXT REFERENCES entities (id),
        PRIMARY KEY (article_id, start, kind)
    );
    CREATE INDEX mentions_entity ON mentions (entity_id);
    CREATE TABLE roles (
        article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        start       INTEGER NOT NULL,
        "end"       INTEGER NOT NULL,
        text        TEXT NOT NULL,
        local_name  TEXT NOT NULL,
        entity_id   TEXT REFERENCES entities (id),
        PRIMARY KEY (article_id, start, "end", local_name)
    );
    CREATE TABLE timexes (
        article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        field       TEXT NOT NULL DEFAULT 'body',
        start       INTEGER NOT NULL,
        "end"       INTEGER NOT NULL,
        text        TEXT NOT NULL,
        value       TEXT NOT NULL,
        type        TEXT NOT NULL,
        mod         TEXT,
        anchor      TEXT,
        anchor_inferred INTEGER NOT NULL,
        PRIMARY KEY (article_id, field, start)
    );
    CREATE TABLE quotes (
        article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        start       INTEGER NOT NULL,
        "end"       INTEGER NOT NULL,
        text        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        speaker     TEXT,
        local_name  TEXT,
        cue         TEXT,
        via         TEXT,
        PRIMARY KEY (article_id, start)
    );
    CREATE TABLE claims (
        article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        start       INTEGER NOT NULL,
        "end"       INTEGER NOT NULL,
        text        TEXT NOT NULL,
        certainty   TEXT NOT NULL,
        attributed_to TEXT,
        polarity    TEXT NOT NULL,
        details     TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (article_id, start)
    );
    CREATE TABLE stage_notes (
        article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        stage       TEXT NOT NULL,
        note        TEXT NOT NULL,
        PRIMARY KEY (article_id, stage)
    );
    """,
    # 3: stories: near-duplicate links, stories and their articles, the clusterer's state.
    """
    CREATE TABLE duplicates (
        article_id  TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        original_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        similarity  REAL NOT NULL
    );
    CREATE INDEX duplicates_original ON duplicates (original_id);
    CREATE TABLE stories (
        id          INTEGER PRIMARY KEY,
        title       TEXT NOT NULL DEFAULT '',
        size        INTEGER NOT NULL DEFAULT 0,
        start       TEXT,
        "end"       TEXT,
        merged_into INTEGER,
        state       TEXT NOT NULL DEFAULT '{}',
        vector      BLOB,
        heads       BLOB,
        updated_at  TEXT NOT NULL
    );
    CREATE TABLE story_articles (
        article_id  TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        story_id    INTEGER NOT NULL,
        score       REAL NOT NULL,
        keys        TEXT NOT NULL DEFAULT '[]',
        lsh         TEXT NOT NULL DEFAULT '[]',
        minhash     BLOB
    );
    CREATE INDEX story_articles_story ON story_articles (story_id);
    CREATE TABLE story_terms (
        term        TEXT PRIMARY KEY,
        df          INTEGER NOT NULL
    );
    CREATE TABLE story_meta (
        key         TEXT PRIMARY KEY,
        value       TEXT NOT NULL
    );
    """,
    # 4: sentence vectors of claims, by the hash of the text read and the model, so a story is
    # encoded once however often it is compared (copies share them).
    """
    CREATE TABLE claim_vectors (
        text_hash   TEXT NOT NULL,
        model       TEXT NOT NULL,
        vector      BLOB NOT NULL,
        PRIMARY KEY (text_hash, model)
    ) WITHOUT ROWID;
    """,
    # 5: the comparison, stored per story: claim groups and their member claims (with each
    # outlet's stance and provenance chain), differences, framing terms, and the fingerprint of
    # the story's articles it was computed from, so a story is compared again only once it changes.
    """
    CREATE TABLE claim_groups (
        id          TEXT PRIMARY KEY,
        story_id    INTEGER NOT NULL,
        position    INTEGER NOT NULL,
        text        TEXT NOT NULL,
        context     TEXT NOT NULL,
        status      TEXT NOT NULL,
        outlets     TEXT NOT NULL,
        independent_sources INTEGER NOT NULL,
        times       TEXT NOT NULL,
        numbers     TEXT NOT NULL
    );
    CREATE INDEX claim_groups_story ON claim_groups (story_id, position);
    CREATE TABLE claim_group_members (
        group_id    TEXT NOT NULL REFERENCES claim_groups (id) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        claim_id    TEXT NOT NULL,
        article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        outlet      TEXT NOT NULL,
        stance      TEXT NOT NULL,
        chain       TEXT NOT NULL,
        PRIMARY KEY (group_id, position)
    );
    CREATE INDEX claim_group_members_article ON claim_group_members (article_id);
    CREATE TABLE differences (
        story_id    INTEGER NOT NULL,
        position    INTEGER NOT NULL,
        kind        TEXT NOT NULL,
        about       TEXT NOT NULL,
        note        TEXT NOT NULL,
        group_id    TEXT,
        spans       TEXT NOT NULL,
        PRIMARY KEY (story_id, position)
    );
    CREATE TABLE framing_terms (
        story_id    INTEGER NOT NULL,
        position    INTEGER NOT NULL,
        article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        outlet      TEXT NOT NULL,
        term        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        start       INTEGER NOT NULL,
        "end"       INTEGER NOT NULL,
        context     TEXT NOT NULL,
        PRIMARY KEY (story_id, position)
    );
    CREATE TABLE story_comparisons (
        story_id    INTEGER PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        compared_at TEXT NOT NULL
    );
    """,
    # 6: the calendar days a time expression covers, computed once by the language layer
    # (NULL off the calendar; rows of earlier versions are filled when the layer runs again).
    """
    ALTER TABLE timexes ADD COLUMN first_day TEXT;
    ALTER TABLE timexes ADD COLUMN last_day TEXT;
    """,
    # 7: roles and entities looked up by entity and by type (linking one person's name forms
    # reads a person's roles and the store's people; merges rewrite roles by entity).
    """
    CREATE INDEX roles_entity ON roles (entity_id);
    CREATE INDEX entities_type ON entities (type);
    """,
    # 8: full-text search (`store/search.py`): an FTS5 index of every article version's title, body
    # and outlet that reads its text from `articles` (external content: the text is stored once),
    # filled from the rows already there and kept in step by triggers. It is keyed by the articles'
    # rowid, which only VACUUM could renumber; newsweave never runs it, and
    # `INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')` would set the index right again.
    # And two indexes for listing latest articles a page at a time, newest first: all, or one outlet's.
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, body, outlet,
        content = 'articles', content_rowid = 'rowid',
        tokenize = 'porter unicode61 remove_diacritics 2'
    );
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, body, outlet)
        VALUES (new.rowid, new.title, new.body, new.outlet);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body, outlet)
        VALUES ('delete', old.rowid, old.title, old.body, old.outlet);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body, outlet ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body, outlet)
        VALUES ('delete', old.rowid, old.title, old.body, old.outlet);
        INSERT INTO articles_fts (rowid, title, body, outlet)
        VALUES (new.rowid, new.title, new.body, new.outlet);
    END;
    CREATE INDEX articles_published ON articles (is_latest, published);
    CREATE INDEX articles_outlet ON articles (outlet COLLATE NOCASE, is_latest, published);
    """,
    # 9: the story clusterer read back exactly as it was left (issue 16, item 3: a kill, then the
    # re-run, ends as an uninterrupted run). The articles still provisional (the next batch may
    # move them) with the weights, names and vector they were placed with; each time an article
    # was filed in the blocking indexes, in order (an article that moved stays filed under its
    # old story too), filled from the articles placed so far; when each phrase was first seen
    # (a phrase counted once is forgotten by age).
    """
    CREATE TABLE story_provisional (
        article_id  TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        story_id    INTEGER NOT NULL,
        arrived     INTEGER NOT NULL,
        weighed_at  INTEGER NOT NULL,
        names       TEXT NOT NULL,
        weights     TEXT NOT NULL,
        vector      BLOB NOT NULL
    );
    CREATE TABLE story_filings (
        seq         INTEGER PRIMARY KEY,
        article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        story_id    INTEGER NOT NULL
    );
    CREATE INDEX story_filings_article ON story_filings (article_id);
    INSERT INTO story_filings (article_id, story_id)
        SELECT article_id, story_id FROM story_articles
        WHERE article_id NOT IN (SELECT article_id FROM duplicates) ORDER BY rowid;
    ALTER TABLE story_terms ADD COLUMN born INTEGER NOT NULL DEFAULT 0;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def _statements(script: str) -> list[str]:
    """The SQL statements of a migration, one by one (`executescript` would commit the open
    transaction first, so a migration cannot run through it inside `BEGIN IMMEDIATE`)."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {pending.strip()[:80]!r}")
    return statements


def _schema_version(conn: sqlite3.Connection, path: str) -> int:
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if current > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{path} has schema version {current}, newer than this newsweave knows "
            f"({SCHEMA_VERSION}); upgrade newsweave to open it"
        )
    return current


def migrate(conn: sqlite3.Connection, path: str) -> None:
    """Bring the database up to `SCHEMA_VERSION`, each migration in its own transaction.

    Safe when several processes open a new (or old) database at once: each migration runs under
    `BEGIN IMMEDIATE`, the write lock, and the schema version is read again once that lock is
    held, so a process that waited while another migrated finds nothing left to do. A database
    already up to date takes no write lock at all (a reader does not queue behind writers).
    `conn` must be in autocommit mode (`isolation_level=None`) with a busy timeout set.
    """
    current = _schema_version(conn, path)
    while current < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = _schema_version(conn, path)  # another process may have migrated meanwhile
            if current < SCHEMA_VERSION:
                current += 1
                for statement in _statements(MIGRATIONS[current - 1]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {current}")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
