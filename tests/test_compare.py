"""Cross-source comparison on a two-outlet story written for these tests (a ferry fire): the
outlets agree on some facts, differ on a number, on certainty and attribution, and on a title,
and each reports something the other does not."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from newsweave import open_store
from newsweave.compare import compare_story
from newsweave.compare.cores import whole_id
from newsweave.contract import from_json
from tests.conftest import FIXTURES

STORY = FIXTURES / "compare" / "ferry_fire.jsonl"


def _through_the_pipeline(story: Path, folder: Path) -> dict[str, Any]:
    with open_store(folder / "story.db") as ws:
        ws.ingest([story])
        ws.analyse()
        return ws.export()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _through_the_pipeline(STORY, tmp_path_factory.mktemp("compare"))


def _texts(document: dict[str, Any], group: dict[str, Any]) -> list[str]:
    claims = {c["id"]: c for c in document["claims"]}
    return [claims[c]["text"] for c in group["claims"]]


def _group_with(document: dict[str, Any], words: str) -> dict[str, Any]:
    return next(g for g in document["claim_groups"] if any(words in t for t in _texts(document, g)))


def test_every_claim_is_in_a_group(exported: dict[str, Any]) -> None:
    grouped = {c for g in exported["claim_groups"] for c in g["claims"]}
    parts = {c["id"] for c in exported["claims"] if c["part_of"]}
    assert parts <= grouped  # the comparison lists only the parts it groups
    # a claim is in a group itself or by the parts cut out of it
    assert {whole_id(c) for c in grouped} == {c["id"] for c in exported["claims"] if not c["part_of"]}


def test_a_sentence_stating_two_facts_is_in_the_group_of_each(tmp_path: Path) -> None:
    story = tmp_path / "bridge.jsonl"
    rows = [
        {
            "id": "a",
            "outlet": "Valley Post",
            "title": "Bridge approved",
            "published": "2025-05-12",
            "text": "The council approved the new river bridge on Monday and set aside 40 million euros "
            "for its repair fund, officials said.",
        },
        {
            "id": "b",
            "outlet": "River Times",
            "title": "Council backs bridge",
            "published": "2025-05-12",
            "text": "The council approved the new river bridge on Monday.\n\nThe council also set aside "
            "40 million euros for the bridge's repair fund.",
        },
    ]
    story.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    exported = _through_the_pipeline(story, tmp_path)
    claims = {c["id"]: c for c in exported["claims"]}
    long_claim = next(c["id"] for c in exported["claims"] if "and set aside" in c["text"])
    holding = [g for g in exported["claim_groups"] if long_claim in g["claims"]]
    partners = sorted(claims[c]["text"][:30] for g in holding for c in g["claims"] if c != long_claim)
    assert len(holding) == 2 and all(g["status"] == "shared" for g in holding)
    assert partners == ["The council also set aside 40 ", "The council approved the new r"]


def test_the_same_fact_in_two_outlets_is_one_shared_group(exported: dict[str, Any]) -> None:
    group = _group_with(exported, "has suspended all crossings")
    assert group["status"] == "shared"
    assert group["outlets"] == ["Coastal Herald", "Daily Courier"]
    assert group["independent_sources"] == 2
    assert set(group["stances"].values()) == {"supports"}


def test_a_fact_only_one_outlet_reports_is_unique(exported: dict[str, Any]) -> None:
    built = _group_with(exported, "built in 1998")
    panic = _group_with(exported, "scenes of panic")
    assert built["status"] == panic["status"] == "unique"
    assert built["outlets"] == ["Daily Courier"] and panic["outlets"] == ["Coastal Herald"]


def test_a_death_toll_that_differs_is_a_number_conflict(exported: dict[str, Any]) -> None:
    group = _group_with(exported, "killed 12 people")
    assert group["status"] == "conflict"
    number = next(d for d in exported["differences"] if d["kind"] == "number")
    assert {s["text"][:60] for s in number["spans"]} == {t[:60] for t in _texts(exported, group)}


def test_asserted_against_hedged(exported: dict[str, Any]) -> None:
    kinds = {d["kind"]: d for d in exported["differences"] if "electrical fault" in d["spans"][0]["text"]}
    assert "possibly caused" in kinds["certainty"]["spans"][1]["text"]
    # "Investigators said …" puts the fact on a source routinely, not as a charge in dispute:
    # on the comparison benchmark every such "difference" was none (docs/compare.md).
    assert "attribution" not in kinds
    group = _group_with(exported, "possibly caused")
    assert sorted(group["stances"].values()) == ["mentions", "supports"]


def test_two_titles_for_one_person(exported: dict[str, Any]) -> None:
    title = next(d for d in exported["differences"] if d["kind"] == "title")
    assert title["about"] == "Elena Vasquez"
    assert {s["text"] for s in title["spans"]} == {
        "Harbour master",
        "the port's deputy director of operations",
    }


def test_framing_is_per_outlet_and_skips_quoted_speech(exported: dict[str, Any]) -> None:
    terms = {(f["outlet"], f["kind"], f["term"]) for f in exported["framing"]}
    assert ("Daily Courier", "scare_quote", '"safety culture"') in terms
    assert not any("crew did everything" in f["term"] for f in exported["framing"])


def test_a_copy_counts_once(exported: dict[str, Any]) -> None:
    document = from_json(exported)
    first = document.articles[0]
    copy = replace(first, id="copy-of-first", outlet="Syndicator")
    comparison = compare_story(
        "s",
        [*document.articles, copy],
        [
            *document.claims,
            *(
                replace(c, id=c.id + "-copy", article=copy.id)
                for c in document.claims
                if c.article == first.id
            ),
        ],
        document.quotes,
        document.entities,
        document.timexes,
        duplicate_of={copy.id: first.id},
    )
    suspended = next(g for g in comparison.groups if "crossings" in g.text)
    assert suspended.independent_sources == 2
    assert not any(c.endswith("-copy") for g in comparison.groups for c in g.claims)


GALLERY = FIXTURES / "compare" / "gallery_theft.jsonl"


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _through_the_pipeline(GALLERY, tmp_path_factory.mktemp("gallery"))


def test_saturday_against_friday_is_a_date_conflict(gallery: dict[str, Any]) -> None:
    date = next(d for d in gallery["differences"] if d["kind"] == "date")
    assert {"Saturday night" in s["text"] or "Friday night" in s["text"] for s in date["spans"]} == {True}
    assert len(date["spans"]) == 2
    group = _group_with(gallery, "Saturday night")
    assert group["status"] == "conflict"
    # One side each; the police are the source, so the other outlet mentions rather than asserts.
    assert sorted(group["stances"].values()) == ["contradicts", "mentions"]


def test_arrests_made_against_none_made_is_a_contradiction(gallery: dict[str, Any]) -> None:
    group = _group_with(gallery, "have not arrested")
    assert group["status"] == "conflict"
    assert "contradicts" in group["stances"].values()
    assert any(d["kind"] == "polarity" for d in gallery["differences"])


def test_one_name_spelt_two_ways_is_noted_not_a_conflict(gallery: dict[str, Any]) -> None:
    naming = [d for d in gallery["differences"] if d["kind"] == "naming"]
    assert [sorted(s["text"] for s in d["spans"]) for d in naming] == [["Pieter Vrom", "Pieter Vroom"]]
    landscape = _group_with(gallery, "landscape by the Dutch painter")
    assert landscape["status"] == "shared"


def test_claim_vectors_are_encoded_once_and_kept_in_the_store(tmp_path: Path) -> None:
    from newsweave.compare.vectors import stored_encoder
    from newsweave.embeddings import encode_minilm
    from newsweave.store import SQLiteStore

    seen: list[str] = []

    def counting(texts: Sequence[str]) -> NDArray[np.float32]:
        seen.extend(texts)
        return encode_minilm(texts)

    texts = [
        "The ferry caught fire in the harbour.",
        "Twelve people died.",
        "The ferry caught fire in the harbour.",
    ]
    with SQLiteStore(tmp_path / "v.db") as store:
        first = stored_encoder(store, counting)(texts)
        again = stored_encoder(store, counting)(texts)
    assert seen == ["The ferry caught fire in the harbour.", "Twelve people died."]
    assert np.allclose(first, again) and np.allclose(first[0], first[2])
    assert np.allclose(first, encode_minilm(texts), atol=1e-3)


BRIDGE = FIXTURES / "compare" / "bridge_contract.jsonl"


@pytest.fixture(scope="module")
def bridge(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _through_the_pipeline(BRIDGE, tmp_path_factory.mktemp("bridge"))


def test_an_accusation_meets_the_fact_another_outlet_takes_for_granted(bridge: dict[str, Any]) -> None:
    # "accused the firm of diverting public funds" / "cancelled after the firm diverted public funds":
    # read whole, the two claims are far apart; their embedded proposition is one fact.
    group = _group_with(bridge, "accused the construction firm")
    assert group["status"] == "shared"
    assert any("after Halden Works diverted public funds" in t for t in _texts(bridge, group))
    attribution = next(d for d in bridge["differences"] if d["kind"] == "attribution")
    assert "attributes it to The transport ministry" in attribution["note"]
    assert {s["text"][:30] for s in attribution["spans"]} == {t[:30] for t in _texts(bridge, group)}


def test_an_accusation_of_something_else_stays_on_its_own(bridge: dict[str, Any]) -> None:
    quarry = _group_with(bridge, "ignoring safety rules")
    assert quarry["status"] == "unique" and quarry["outlets"] == ["Valley Tribune"]


def test_the_embedded_proposition_of_a_claim() -> None:
    from newsweave.compare.propositions import embedded

    accused = embedded("the regulator accused the lender of hiding losses from its auditors")
    assert accused is not None and accused.reported
    assert (accused.text, accused.deed) == (
        "the lender hiding losses from its auditors",
        "hiding losses from its auditors",
    )
    taken = embedded("the licence was withdrawn in return for hiding losses from its auditors")
    assert taken is not None and not taken.reported and taken.deed == "hiding losses from its auditors"
    assert embedded("The lender reported a loss of 3 million.") is None


def test_claim_words_meet_through_their_lemmas_not_their_first_letters() -> None:
    from newsweave.compare.records import content_lemmas

    police = content_lemmas("Police said two ships sank", {"said": "say", "ships": "ship", "sank": "sink"})
    assert police == {"police", "two", "ship", "sink"}  # "said" is "say", a stop word
    assert content_lemmas("a ship sinks", {"sinks": "sink"}) <= police
    # Without a lemma a word is its own: no cut at six letters joins "supplier" and "supplied".
    assert content_lemmas("the supplier supplied", {"supplied": "supply"}) == {"supplier", "supply"}


def test_two_outlets_same_sentence_joins_before_a_shared_deed() -> None:
    # A deed match (one claim presupposes what another states) outranks a topical neighbour,
    # but not two outlets printing one sentence: the wire copy must stay one group.
    from newsweave.compare.align import STRONG_THRESHOLD, components
    from newsweave.compare.records import ClaimUnit

    def unit(cid: str, article: str) -> ClaimUnit:
        return ClaimUnit(
            id=cid, article=article, outlet=article, text=cid, start=0, end=len(cid), certainty="asserted",
            source=None, polarity="positive", entities=frozenset(), numbers=(), times=frozenset(), via=None,
        )  # fmt: skip

    units = [unit("quote in A", "A"), unit("other in A", "A"), unit("quote in B", "B")]
    wire, deed = (0, 0.99, 0, 2), (1, 0.50, 1, 2)
    assert wire[1] >= STRONG_THRESHOLD
    assert components(units, [deed, wire]) == [[0, 2], [1]]
    # Below the strong line the deed still goes first.
    assert components(units, [deed, (0, 0.55, 0, 2)]) == [[0], [1, 2]]
