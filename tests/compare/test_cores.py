"""Claim cores: a group of several outlets holds what they share, cut from each claim's edges,
and what a claim says besides is a single-outlet fact of its own, cited as a part of that claim."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsweave import open_store
from newsweave.compare.cores import part_id, part_records, whole_id
from newsweave.contract import from_json
from newsweave.model import ClaimRecord
from newsweave.report.records import Sources
from tests.conftest import make_article

CORE = "The city council approved the harbour tunnel on Tuesday"
APPROVED = f"{CORE}, which will cost 2.3 billion euros over nine years."
PLAIN = "On Tuesday the city council approved the harbour tunnel."


def _export(folder: Path, rows: list[dict[str, str]]) -> dict[str, Any]:
    story = folder / "story.jsonl"
    story.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with open_store(folder / "story.db") as ws:
        ws.ingest([story])
        ws.analyse()
        return ws.export()


def _story(other: str) -> list[dict[str, str]]:
    return [
        {"id": "a", "outlet": "Valley Post", "title": "Tunnel approved", "published": "2025-05-13",
         "text": f"{APPROVED}\n\nConstruction is due to start in the spring."},
        {"id": "b", "outlet": "River Times", "title": "Council backs tunnel", "published": "2025-05-13",
         "text": f"{other}\n\nResidents of the old port had campaigned against it for a decade."},
    ]  # fmt: skip


def _groups(document: dict[str, Any]) -> list[tuple[str, list[str]]]:
    claims = {c["id"]: c for c in document["claims"]}
    return [(g["status"], [claims[c]["text"] for c in g["claims"]]) for g in document["claim_groups"]]


@pytest.fixture(scope="module")
def cut(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _export(tmp_path_factory.mktemp("cores"), _story(PLAIN))


def test_a_group_holds_what_the_outlets_share_and_the_rest_is_a_fact_of_its_own(cut: dict[str, Any]) -> None:
    groups = _groups(cut)
    assert ("shared", [CORE, PLAIN]) in groups
    assert ("unique", ["which will cost 2.3 billion euros over nine years"]) in groups
    # The sentence itself is no group's: its two parts are.
    assert not any(APPROVED in texts for _, texts in groups)


def test_a_part_is_a_span_of_the_article_that_names_its_claim(cut: dict[str, Any]) -> None:
    bodies = {a["id"]: a["body"] for a in cut["articles"]}
    claims = {c["id"]: c for c in cut["claims"]}
    parts = [c for c in cut["claims"] if c["part_of"]]
    assert len(parts) == 2
    for part in parts:
        whole = claims[part["part_of"]]
        assert whole["text"] == APPROVED and whole["part_of"] is None
        assert part["text"] == bodies[part["article"]][part["start"] : part["end"]]
        assert whole["start"] <= part["start"] < part["end"] <= whole["end"]
        assert whole_id(part["id"]) == whole["id"]


def test_every_claim_is_in_a_group_itself_or_by_its_parts(cut: dict[str, Any]) -> None:
    grouped = {whole_id(c) for g in cut["claim_groups"] for c in g["claims"]}
    assert grouped == {c["id"] for c in cut["claims"] if not c["part_of"]}


def test_parts_survive_the_json_contract(cut: dict[str, Any]) -> None:
    document = from_json(cut)
    parts = [c for c in document.claims if c.part_of]
    assert sorted(p.text for p in parts) == [CORE, "which will cost 2.3 billion euros over nine years"]
    whole = next(c for c in document.claims if c.text == APPROVED)
    assert whole.phrases and all(whole.start <= s < e <= whole.end for s, e in whole.phrases)


def test_each_group_of_a_sentence_stating_two_facts_holds_its_own_part(tmp_path: Path) -> None:
    # The other outlet states the approval and the cost apart (a relative clause is a claim of
    # its own): the sentence is in both groups, cut differently for each; the duration that only
    # it gives is left over.
    other = "On Tuesday the city council approved the harbour tunnel, which will cost 2.3 billion euros."
    groups = _groups(_export(tmp_path, _story(other)))
    assert ("shared", [CORE, "On Tuesday the city council approved the harbour tunnel,"]) in groups
    assert (
        "shared",
        ["which will cost 2.3 billion euros", f"{CORE}, which will cost 2.3 billion euros"],
    ) in groups
    assert ("unique", ["over nine years"]) in groups


def _claim(text: str, start: int = 0) -> ClaimRecord:
    return ClaimRecord(
        id=f"c-art-{start}", article="art", text=text, start=start, end=start + len(text),
        certainty="asserted", attributed_to=None, polarity="positive", numbers=("2.3 billion euros",),
    )  # fmt: skip


def test_part_records_are_cut_from_the_claims_their_ids_name() -> None:
    claim = _claim(APPROVED, start=10)
    good = part_id(claim.id, 67, 116)
    outside, unknown = part_id(claim.id, 5, 20), part_id("c-art-999", 10, 20)
    [part] = part_records([claim], [claim.id, good, outside, unknown, good, f"{claim.id}@x-y"])
    assert part.id == good and part.part_of == claim.id
    assert part.text == "which will cost 2.3 billion euros over nine years"
    assert part.numbers == ("2.3 billion euros",)
    assert part_records([claim], [part_id(claim.id, 10, 65)])[0].numbers == ()


def test_a_part_is_cited_at_its_claims_sentence() -> None:
    article = make_article("art", "Valley Post", APPROVED)
    claim = ClaimRecord(
        id=f"c-{article.id}-0", article=article.id, text=APPROVED, start=0, end=len(APPROVED),
        certainty="asserted", attributed_to=None, polarity="positive",
    )  # fmt: skip
    [part] = part_records([claim], [part_id(claim.id, 57, 106)])
    sources = Sources([article], [claim, part])
    assert sources.anchors[part.id] == sources.anchors[claim.id]
    cite = sources.cite_claim(part.id)
    assert cite is not None and (cite.start, cite.end) == (57, 106)
