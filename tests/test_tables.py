"""The export as tables (Parquet, CSV, JSON Lines) and a story as JSON-LD, on the repository's
example: two outlets' reports of one event (`examples/`), ingested and analysed once."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from newsweave import open_store
from newsweave.cli import app
from newsweave.export import TABLE_FORMATS, table_path, write_tables
from newsweave.settings import Settings
from newsweave.tables import TABLE_NAMES, TABLES, build_tables, table_spec
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tables") / "examples.db"
    with open_store(path, settings=Settings()) as ws:
        ws.ingest([EXAMPLES], published=date(2024, 3, 18))
        ws.analyse()
    return path


@pytest.fixture(scope="module")
def contract(db: Path) -> dict[str, Any]:
    """The JSON export of the store: what the tables and the JSON-LD are checked against."""
    with open_store(db, settings=Settings()) as ws:
        return ws.export()


@pytest.fixture(scope="module")
def outlets(contract: dict[str, Any]) -> set[str]:
    """The outlets of the exported articles: the example is two outlets' reports."""
    found = {a["outlet"] for a in contract["articles"]}
    assert len(found) == 2 and all(found), found
    return found


@pytest.fixture(scope="module")
def exported(db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each table format's folder, written by the command line."""
    out = tmp_path_factory.mktemp("exported")
    for fmt in TABLE_FORMATS:
        result = runner.invoke(app, ["--db", str(db), "export", "--format", fmt, "--out", str(out / fmt)])
        assert result.exit_code == 0, result.stderr
        assert "wrote 16 tables" in result.stderr
    return {fmt: out / fmt for fmt in TABLE_FORMATS}


@pytest.fixture(scope="module")
def sql(exported: dict[str, Path]) -> duckdb.DuckDBPyConnection:
    """DuckDB with a view per Parquet table."""
    con = duckdb.connect()
    for name in TABLE_NAMES:
        path = table_path(exported["parquet"], name, "parquet")
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    return con


@pytest.fixture(scope="module")
def story(db: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Story 1 as JSON-LD, written by the command line: the nodes of its graph."""
    out = tmp_path_factory.mktemp("jsonld") / "story.jsonld"
    result = runner.invoke(app, ["--db", str(db), "export", "-f", "jsonld", "-s", "1", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["@context"] == "https://schema.org"
    graph: list[dict[str, Any]] = data["@graph"]
    return graph


def _count(sql: duckdb.DuckDBPyConnection, query: str) -> int:
    row = sql.execute(query).fetchone()
    assert row is not None
    return int(row[0])


# Parquet


def test_every_table_is_a_file_of_its_own(exported: dict[str, Path]) -> None:
    for fmt, folder in exported.items():
        assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t}.{fmt}" for t in TABLE_NAMES)


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_each_parquet_table_has_its_schema(exported: dict[str, Path], table: str) -> None:
    written = pq.read_table(table_path(exported["parquet"], table, "parquet"))
    assert written.schema.remove_metadata() == table_spec(table).schema
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in written.column_names)


def test_dates_and_times_are_typed(exported: dict[str, Path], outlets: set[str]) -> None:
    articles = pq.read_table(table_path(exported["parquet"], "articles", "parquet"))
    assert articles.schema.field("published").type == pa.date32()
    ingested = articles.schema.field("ingested_at").type
    assert pa.types.is_timestamp(ingested) and ingested.tz == "UTC"
    assert set(articles.column("published").to_pylist()) == {date(2024, 3, 18)}
    assert set(articles.column("outlet").to_pylist()) == outlets
    assert pa.types.is_list(articles.schema.field("captions").type)


def test_a_shared_claim_group_joins_claims_of_both_outlets(
    sql: duckdb.DuckDBPyConnection, outlets: set[str]
) -> None:
    rows = sql.execute(
        """
        SELECT g.id, g.outlets, list_sort(list(DISTINCT a.outlet)) AS joined, count(DISTINCT c.id)
        FROM claim_groups g
        JOIN claim_group_members m ON m.group_id = g.id
        JOIN claims c ON c.id = m.claim_id AND c.article_id = m.article_id
        JOIN articles a ON a.id = c.article_id
        WHERE g.status = 'shared'
        GROUP BY g.id, g.outlets
        """
    ).fetchall()
    # The two reports of one event share several of its facts, not just one or two.
    assert len(rows) >= 5
    for _, stating, joined, claims in rows:
        assert joined == sorted(outlets) == sorted(stating)
        assert claims >= 2


_GROUPED = "EXISTS (SELECT 1 FROM claim_group_members m WHERE m.claim_id = {})"
_PARTS_GROUPED = "EXISTS (SELECT 1 FROM claims p WHERE p.part_of = c.id AND " + _GROUPED.format("p.id") + ")"


def test_the_groups_hold_every_claim_itself_or_by_its_parts(sql: duckdb.DuckDBPyConnection) -> None:
    whole = "SELECT count(*) FROM claims c WHERE c.part_of IS NULL"
    assert _count(sql, f"{whole} AND NOT {_GROUPED.format('c.id')} AND NOT {_PARTS_GROUPED}") == 0
    # A part is listed because a group cites it, and is cut from a claim of the table.
    parts = "SELECT count(*) FROM claims p WHERE p.part_of IS NOT NULL"
    assert _count(sql, f"{parts} AND NOT {_GROUPED.format('p.id')}") == 0
    outside = 'p.start < c.start OR p."end" > c."end" OR c.part_of IS NOT NULL'
    assert (
        _count(sql, f"SELECT count(*) FROM claims p JOIN claims c ON c.id = p.part_of WHERE {outside}") == 0
    )
    assert _count(sql, f"{parts} AND p.part_of NOT IN (SELECT id FROM claims)") == 0


@pytest.mark.parametrize(
    ("table", "column", "target", "key"),
    [
        ("claims", "article_id", "articles", "id"),
        ("claim_group_members", "claim_id", "claims", "id"),
        ("claim_group_members", "group_id", "claim_groups", "id"),
        ("claim_groups", "story_id", "stories", "id"),
        ("story_articles", "article_id", "articles", "id"),
        ("story_articles", "story_id", "stories", "id"),
        ("quotes", "article_id", "articles", "id"),
        ("quotes", "speaker_entity_id", "entities", "id"),
        ("entity_aliases", "entity_id", "entities", "id"),
        ("mentions", "entity_id", "entities", "id"),
        ("mentions", "article_id", "articles", "id"),
        ("roles", "entity_id", "entities", "id"),
        ("timexes", "article_id", "articles", "id"),
        ("differences", "story_id", "stories", "id"),
        ("differences", "group_id", "claim_groups", "id"),
        ("difference_spans", "difference_id", "differences", "id"),
        ("difference_spans", "article_id", "articles", "id"),
        ("framing_terms", "article_id", "articles", "id"),
        ("framing_terms", "story_id", "stories", "id"),
    ],
)
def test_every_reference_finds_its_record(
    sql: duckdb.DuckDBPyConnection, table: str, column: str, target: str, key: str
) -> None:
    assert _count(sql, f"SELECT count({column}) FROM {table}") > 0
    found = f"SELECT {key} FROM {target}"
    assert _count(sql, f"SELECT count(*) FROM {table} WHERE {column} NOT IN ({found})") == 0


def test_parquet_is_written_in_batches(db: Path, tmp_path: Path) -> None:
    with open_store(db, settings=Settings()) as ws:
        document = ws.document()
    write_tables(document, tmp_path, "parquet", batch_rows=1)
    articles = pq.ParquetFile(table_path(tmp_path, "articles", "parquet"))
    assert articles.metadata.num_row_groups == 2
    assert not list(tmp_path.glob("*.part"))


def test_the_tables_in_memory_are_the_tables_written(db: Path, exported: dict[str, Path]) -> None:
    with open_store(db, settings=Settings()) as ws:
        tables = build_tables(ws.document())
    for name, table in tables.items():
        written = pq.read_table(table_path(exported["parquet"], name, "parquet"))
        assert table.drop_columns(["ingested_at"] if name == "articles" else []).equals(
            written.drop_columns(["ingested_at"] if name == "articles" else []).replace_schema_metadata(None)
        )


# CSV and JSON Lines


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_csv_and_jsonl_hold_the_rows_of_parquet(exported: dict[str, Path], table: str) -> None:
    rows = pq.read_metadata(table_path(exported["parquet"], table, "parquet")).num_rows
    with open(table_path(exported["csv"], table, "csv"), encoding="utf-8", newline="") as f:
        header, *records = list(csv.reader(f))
    lines = table_path(exported["jsonl"], table, "jsonl").read_text(encoding="utf-8").splitlines()
    assert len(records) == len(lines) == rows
    assert header == table_spec(table).columns
    assert all(list(json.loads(line)) == header for line in lines)


def test_lists_are_arrays_in_jsonl_and_json_text_in_csv(exported: dict[str, Path]) -> None:
    line = table_path(exported["jsonl"], "claim_groups", "jsonl").read_text(encoding="utf-8").splitlines()[0]
    group = json.loads(line)
    assert isinstance(group["outlets"], list) and isinstance(group["story_id"], int)
    with open(table_path(exported["csv"], "claim_groups", "csv"), encoding="utf-8", newline="") as f:
        first = next(csv.DictReader(f))
    assert json.loads(first["outlets"]) == group["outlets"]
    article = json.loads(table_path(exported["jsonl"], "articles", "jsonl").read_text().splitlines()[0])
    assert article["published"] == "2024-03-18" and article["ingested_at"].endswith("+00:00")


def test_duckdb_reads_the_csv_tables(exported: dict[str, Path], sql: duckdb.DuckDBPyConnection) -> None:
    path = table_path(exported["csv"], "articles", "csv")
    rows = duckdb.sql(f"SELECT id, published, body FROM read_csv('{path}')").fetchall()
    bodies = dict(sql.execute("SELECT id, body FROM articles").fetchall())
    assert {i: body for i, _, body in rows} == bodies
    assert {published for _, published, _ in rows} == {date(2024, 3, 18)}


# The documentation


def _sections(text: str) -> dict[str, str]:
    """docs/data.md's table sections, by the table named in their heading (### `name`)."""
    parts = re.split(r"^### `([a-z_]+)`", text, flags=re.MULTILINE)
    return {name: body.split("\n## ")[0] for name, body in zip(parts[1::2], parts[2::2], strict=True)}


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_column_is_documented(table: Any) -> None:
    sections = _sections((ROOT / "docs" / "data.md").read_text(encoding="utf-8"))
    assert table.name in sections, f"docs/data.md has no section ### `{table.name}`"
    documented = re.findall(r"^\| `([a-z_]+)` \|", sections[table.name], flags=re.MULTILINE)
    assert documented == table.columns


# JSON-LD


def _of_type(graph: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [n for n in graph if kind == n["@type"] or kind in n["@type"]]


def test_the_story_lists_its_news_articles(
    story: list[dict[str, Any]], contract: dict[str, Any], outlets: set[str]
) -> None:
    (work,) = _of_type(story, "CreativeWork")
    articles = _of_type(story, "NewsArticle")
    assert [e["item"]["@id"] for e in work["itemListElement"]] == [a["@id"] for a in articles]
    publishers = {n["@id"]: n["name"] for n in _of_type(story, "Organization")}
    assert {publishers[a["publisher"]["@id"]] for a in articles} == outlets
    assert {a["datePublished"] for a in articles} == {"2024-03-18"}
    # Each article's headline is its title in the JSON export, and absent where it has none.
    titles = {a["id"]: a["title"] for a in contract["articles"]}
    assert any(titles.values())
    assert {a["identifier"]: a.get("headline") for a in articles} == {i: t or None for i, t in titles.items()}


def test_each_claim_appears_in_the_storys_articles(story: list[dict[str, Any]]) -> None:
    articles = {a["@id"] for a in _of_type(story, "NewsArticle")}
    claims = _of_type(story, "Claim")
    assert claims and all(c["text"] and {a["@id"] for a in c["appearance"]} <= articles for c in claims)
    assert any(len(c["appearance"]) == 2 for c in claims)  # a claim both outlets state


def test_every_quotation_has_a_speaker_and_an_article(
    story: list[dict[str, Any]], contract: dict[str, Any]
) -> None:
    articles = {a["@id"] for a in _of_type(story, "NewsArticle")}
    quotes = _of_type(story, "Quotation")
    assert quotes and all(q["spokenByCharacter"] and q["isPartOf"]["@id"] in articles for q in quotes)
    nodes = {n["@id"]: n for n in story}
    speakers = [nodes.get(q["spokenByCharacter"].get("@id"), {}).get("name") for q in quotes]
    # The JSON export's longest quote that resolves to an entity: that entity speaks it here.
    entities = {e["id"]: e["name"] for e in contract["entities"]}
    longest = max(
        (q for q in contract["quotes"] if q["speaker_entity"]),
        key=lambda q: (len(q["text"].split()), q["id"]),
    )
    speaker = entities[longest["speaker_entity"]]
    assert speaker in speakers
    (quotation,) = (q for q in quotes if q["@id"] == f"urn:newsweave:quote:{longest['id']}")
    assert quotation["text"] == longest["text"]
    assert nodes[quotation["spokenByCharacter"]["@id"]]["name"] == speaker


def test_entities_are_typed_with_their_aliases(story: list[dict[str, Any]]) -> None:
    for kind in ("Person", "Organization", "Place"):
        assert _of_type(story, kind)
    assert any(n.get("alternateName") for n in _of_type(story, "Person"))


def test_every_reference_in_the_graph_is_a_node_of_it(story: list[dict[str, Any]]) -> None:
    nodes = {n["@id"] for n in story}
    assert len(nodes) == len(story)

    def references(value: Any) -> list[str]:
        if isinstance(value, dict):
            own = [value["@id"]] if set(value) == {"@id"} else []
            return own + [r for v in value.values() for r in references(v)]
        if isinstance(value, list):
            return [r for v in value for r in references(v)]
        return []

    assert set(references(story)) <= nodes


# The command line


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_a_table_format_asks_for_a_folder(db: Path, fmt: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "export", "--format", fmt])
    assert result.exit_code == 1 and "--out DIR" in result.stderr
    taken = tmp_path / "file"
    taken.write_text("")
    result = runner.invoke(app, ["--db", str(db), "export", "--format", fmt, "--out", str(taken)])
    assert result.exit_code == 1 and "is a file" in result.stderr


def test_json_ld_asks_for_a_story(db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "export", "--format", "jsonld"])
    assert result.exit_code == 1 and "--story ID" in result.stderr
