"""Claim cores: a group of several outlets holds what they share, cut from each claim's edges,
and what a claim says besides is a single-outlet fact of its own, cited as a part of that claim."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from newsweave import open_store
from newsweave.compare.cores import cut_to_cores, part_id, part_records, whole_id
from newsweave.compare.records import ClaimUnit
from newsweave.contract import from_json
from newsweave.embeddings import encode_minilm
from newsweave.model import ClaimRecord
from newsweave.report.records import Sources
from newsweave.report.timeline import timeline_entries
from newsweave.server.page_data import reading_articles
from tests.conftest import make_article

CORE = "The city council approved the harbour tunnel on Tuesday"
COST = "which will cost 2.3 billion euros over the next nine years"
APPROVED = f"{CORE}, {COST}."
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
    assert ("unique", [COST]) in groups
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
    assert sorted(p.text for p in parts) == [CORE, COST]
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
    assert ("unique", ["over the next nine years"]) in groups


def _claim(text: str, start: int = 0) -> ClaimRecord:
    return ClaimRecord(
        id=f"c-art-{start}", article="art", text=text, start=start, end=start + len(text),
        certainty="asserted", attributed_to=None, polarity="positive", numbers=("2.3 billion euros",),
    )  # fmt: skip


def test_part_records_are_cut_from_the_claims_their_ids_name() -> None:
    claim = _claim(APPROVED, start=10)
    good = part_id(claim.id, 67, 67 + len(COST))
    outside, unknown = part_id(claim.id, 5, 20), part_id("c-art-999", 10, 20)
    [part] = part_records([claim], [claim.id, good, outside, unknown, good, f"{claim.id}@x-y"])
    assert part.id == good and part.part_of == claim.id
    assert part.text == COST
    assert part.numbers == ("2.3 billion euros",)
    assert part_records([claim], [part_id(claim.id, 10, 65)])[0].numbers == ()


def test_a_part_is_cited_at_its_claims_sentence() -> None:
    article = make_article("art", "Valley Post", APPROVED)
    claim = ClaimRecord(
        id=f"c-{article.id}-0", article=article.id, text=APPROVED, start=0, end=len(APPROVED),
        certainty="asserted", attributed_to=None, polarity="positive",
    )  # fmt: skip
    [part] = part_records([claim], [part_id(claim.id, 57, 57 + len(COST))])
    sources = Sources([article], [claim, part])
    assert sources.anchors[part.id] == sources.anchors[claim.id]
    cite = sources.cite_claim(part.id)
    assert cite is not None and (cite.start, cite.end) == (57, 57 + len(COST))


def test_a_leading_phrase_no_other_outlet_gives_comes_off_the_start(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "outlet": "Valley Post", "title": "Court blocks tunnel", "published": "2025-05-13",
         "text": "In a 40-page ruling released on Monday, the appeals court struck down the permit for the "
                 "harbour tunnel.\n\nConstruction is due to start in the spring."},
        {"id": "b", "outlet": "River Times", "title": "Tunnel permit struck down", "published": "2025-05-13",
         "text": "The appeals court has struck down the permit for the harbour tunnel."},
    ]  # fmt: skip
    groups = _groups(_export(tmp_path, rows))
    struck = "the appeals court struck down the permit for the harbour tunnel."
    assert (
        "shared",
        [struck, "The appeals court has struck down the permit for the harbour tunnel."],
    ) in groups
    assert ("unique", ["In a 40-page ruling released on Monday"]) in groups


def test_a_date_in_a_cut_claim_is_on_the_timeline_once_for_its_group(cut: dict[str, Any]) -> None:
    document = from_json(cut)
    sources = Sources(document.articles, document.claims)
    entries = [
        e for e in timeline_entries(document.timexes, document.claim_groups, sources) if "2025-05" in e.value
    ]
    assert len(entries) == 1
    [tuesday] = entries
    assert set(tuesday.outlets) == {"River Times", "Valley Post"}
    assert "shared" in tuesday.marks


# The cut itself, on claims written out by hand (offsets found in the text) and the real model.
STEPPED_DOWN = "The minister stepped down on Friday and declined to take questions from journalists."
LEMMAS = {
    "resigned": "resign", "refusing": "refuse", "leaving": "leave", "stepped": "step", "declined": "decline",
    "questions": "question", "journalists": "journalist", "euros": "euro", "citing": "cite",
}  # fmt: skip


def _unit(claim_id: str, outlet: str, text: str, phrases: tuple[str, ...] = (), **fields: Any) -> ClaimUnit:
    spans = tuple((text.index(p), text.index(p) + len(p)) for p in phrases)
    values: dict[str, Any] = {
        "certainty": "asserted", "source": None, "polarity": "positive", "entities": frozenset(),
        "numbers": (), "times": frozenset(), "via": None, "lemmas": LEMMAS, **fields,
    }  # fmt: skip
    return ClaimUnit(
        id=claim_id,
        article=outlet.lower(),
        outlet=outlet,
        text=text,
        start=0,
        end=len(text),
        phrases=spans,
        **values,
    )


def test_a_phrase_that_says_what_the_other_outlet_says_in_other_words_stays() -> None:
    refusing = _unit("a", "Herald", "The minister resigned on Friday, refusing to speak to the press.",
                     ("refusing to speak to the press",))  # fmt: skip
    [[kept, _]], rest = cut_to_cores([refusing, _unit("b", "Courier", STEPPED_DOWN)], [[0, 1]], encode_minilm)
    assert kept is refusing and rest == []


def test_what_comes_off_takes_its_own_figures_and_dates_with_it() -> None:
    leaving = _unit(
        "a", "Herald", "The minister resigned on Friday, leaving a budget gap of 4 billion euros.",
        ("leaving a budget gap of 4 billion euros",), numbers=("4 billion euros",),
        times=frozenset({"2025-05-16"}), dated=((27, "2025-05-16"),),
        predicates=frozenset({"resign@minister", "leave"}),
    )  # fmt: skip
    [[core, _]], [gap] = cut_to_cores([leaving, _unit("b", "Courier", STEPPED_DOWN)], [[0, 1]], encode_minilm)
    assert (core.text, core.part_of, core.numbers, core.times) == (
        "The minister resigned on Friday", "a", (), frozenset({"2025-05-16"}))  # fmt: skip
    assert core.predicates == frozenset({"resign@minister"})
    assert (gap.text, gap.numbers, gap.times) == (
        "leaving a budget gap of 4 billion euros",
        ("4 billion euros",),
        frozenset(),
    )


def test_a_cut_leaves_a_statement_or_does_not_happen() -> None:
    citing = _unit("a", "Herald", "He resigned, citing a dispute over the budget of the port.",
                   ("citing a dispute over the budget of the port",))  # fmt: skip
    [[kept, _]], rest = cut_to_cores([citing, _unit("b", "Courier", STEPPED_DOWN)], [[0, 1]], encode_minilm)
    assert kept is citing and rest == []  # "He resigned" would keep one content word


def test_a_claim_cut_for_one_group_is_not_also_a_single_outlet_fact_whole() -> None:
    # align.held_elsewhere leaves the holder in its own group too: there, only its parts remain.
    gap = "leaving a budget gap of 4 billion euros"
    leaving = _unit("a", "Herald", f"The minister resigned on Friday, {gap}.", (gap,))
    groups, rest = cut_to_cores([leaving, _unit("b", "Courier", STEPPED_DOWN)], [[0], [1, 0]], encode_minilm)
    assert [[u.id for u in g] for g in groups] == [["b", part_id("a", 0, 31)]]
    assert [u.text for u in rest] == ["leaving a budget gap of 4 billion euros"]


def test_a_part_states_only_the_figures_whose_words_it_has() -> None:
    claim = _claim("The blast on 12 May killed 2 people and one man was hurt.")
    assert (
        part_records([replace(claim, numbers=("2 people", "one man"))], [part_id(claim.id, 0, 22)])[0].numbers
        == ()
    )


def test_a_cut_keeps_the_period_of_an_initialism() -> None:
    gap = "leaving a budget gap of 4 billion euros"
    leaving = _unit("a", "Herald", f"The minister resigned in Washington, D.C., {gap}.", (gap,))
    [[core, _]], _ = cut_to_cores([leaving, _unit("b", "Courier", STEPPED_DOWN)], [[0, 1]], encode_minilm)
    assert core.text == "The minister resigned in Washington, D.C."


def test_the_reading_view_marks_a_cut_sentence_shared_in_part(cut: dict[str, Any]) -> None:
    document = from_json(cut)
    columns = reading_articles(document.articles, document.claims, document.claim_groups)
    sentences = {s.text: s for column in columns for paragraph in column.paragraphs for s in paragraph}
    approved = sentences[APPROVED]
    assert approved.claim is not None
    assert (approved.claim.status, approved.claim.label) == ("shared", "shared in part")
    plain = sentences[PLAIN].claim
    assert plain is not None and (plain.label, plain.group) == ("shared", approved.claim.group)
