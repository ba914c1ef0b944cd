"""The language stage over a store: English articles analysed, others skipped with a reason,
entities linked across articles, everything in the export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import newsweave
from newsweave.nlp.linking import entity_id
from tests.conftest import FIXTURES

FIRST = (
    "Wind farm row reaches parliament\n\n"
    "Energy Secretary Helen Marsh defended the offshore wind auction on Monday. Marsh told MPs that the "
    "North Sea Transition Authority (NSTA) had approved every bid. The NSTA declined to comment."
)
SECOND = (
    "Auction critics demand inquiry\n\n"
    "Critics of the auction wrote to Marsh on Tuesday asking for an inquiry. The letter was also sent to "
    "the NSTA, which oversees licensing in the North Sea."
)


def _ingest(tmp_path: Path) -> newsweave.Workspace:
    for name, text in (("first.txt", FIRST), ("second.txt", SECOND)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    nw = newsweave.open_store(tmp_path / "lang.db")
    nw.ingest(
        [tmp_path / "first.txt", tmp_path / "second.txt", FIXTURES / "text" / "spanish_elecciones.txt"],
        published=date(2025, 6, 3),
    )
    return nw


def test_entities_are_linked_across_articles(tmp_path: Path) -> None:
    with _ingest(tmp_path) as nw:
        export = nw.export()
    by_name = {e["name"]: e for e in export["entities"]}
    marsh = by_name["Helen Marsh"]
    assert marsh["id"] == entity_id("Helen Marsh")
    assert len(marsh["articles"]) == 2  # "Marsh" alone in the second article is the same person
    assert {"Helen Marsh", "Marsh"} <= set(marsh["aliases"])
    authority = by_name["North Sea Transition Authority"]
    # the tagger missed "NSTA"; the bracketed definition and its later use are still found
    assert [m["text"] for m in authority["mentions"]] == ["North Sea Transition Authority", "NSTA", "NSTA"]
    assert any(r["text"] == "Energy Secretary" for r in marsh["roles"])


def test_time_expressions_are_resolved_on_the_publication_date(tmp_path: Path) -> None:
    with _ingest(tmp_path) as nw:
        export = nw.export()
    values = {(t["text"], t["value"]) for t in export["timexes"]}
    assert ("Monday", "2025-06-02") in values
    assert ("Tuesday", "2025-06-03") in values or ("on Tuesday", "2025-06-03") in values
    assert all(not t["anchor_inferred"] for t in export["timexes"])


def test_other_languages_are_skipped_with_a_reason(tmp_path: Path) -> None:
    with _ingest(tmp_path) as nw:
        spanish = next(a for a in nw.articles() if a.language == "es")
        nw.analyse()
        assert "English only" in (nw.store.stage_note(spanish.id, "language") or "")
        assert not nw.store.has_mentions(spanish.id)


def test_offsets_point_into_the_body(tmp_path: Path) -> None:
    with _ingest(tmp_path) as nw:
        export = nw.export()
    bodies = {a["id"]: a["body"] for a in export["articles"]}
    for entity in export["entities"]:
        for m in entity["mentions"]:
            assert bodies[m["article"]][m["start"] : m["end"]] == m["text"]
    for t in export["timexes"]:
        assert bodies[t["article"]][t["start"] : t["end"]] == t["text"]


def test_analysis_runs_once(tmp_path: Path) -> None:
    with _ingest(tmp_path) as nw:
        assert nw.analyse()["language"] == 3
        assert nw.analyse()["language"] == 0


def test_without_a_publication_date_the_anchor_is_inferred_and_marked(tmp_path: Path) -> None:
    text = (
        "Dam repairs finish early\n\n"
        "Engineers finished repairs to the Kessel dam on June 12, 2025, two weeks ahead of schedule. "
        "The reservoir will refill next month, the water board said on Friday."
    )
    (tmp_path / "dam.txt").write_text(text, encoding="utf-8")
    with newsweave.open_store(tmp_path / "undated.db") as nw:
        nw.ingest([tmp_path / "dam.txt"])
        export = nw.export()
    assert export["articles"][0]["published"] is None
    values = {t["text"]: t for t in export["timexes"]}
    assert all(t["anchor_inferred"] and t["anchor"] == "2025-06-12" for t in export["timexes"])
    assert values["next month"]["value"] == "2025-07"
