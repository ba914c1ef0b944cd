"""Stance of an article body toward a claim, on pairs written for these tests (not from the data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.stance.features import (
    FEATURE_NAMES,
    Idf,
    make_body,
    make_claim,
    pair_features,
    split_sentences,
)
from newsweave.stance.model import LABELS, StancePair, load_model, predict

CLAIM = "City council votes to ban plastic bags from supermarkets next year"

AGREE = """The city council on Tuesday voted to ban single-use plastic bags from supermarkets and
grocery stores, starting next January.

The measure passed by nine votes to two after a three-hour debate. Shops that keep handing out
plastic bags will face fines of up to 500 dollars, the council said.

Council member Dana Ortiz, who proposed the ban, said the vote was a victory for the city's rivers,
where plastic waste has piled up for years. Supermarkets will be allowed to sell paper bags for ten
cents each.

A grocers' association said its members would comply with the ban and had already ordered reusable
bags for customers."""

DENY = """A spokesman for the city council has denied reports that councillors voted to ban plastic
bags, calling the story false.

"There has been no vote on plastic bags, and no ban is planned," the spokesman said on Wednesday.
"These reports are simply untrue."

Claims of a ban spread on social media after a local blog misread a council agenda, which listed a
discussion of litter in parks. The blog has since retracted its post. Supermarkets said they had not
been told of any change, and the council said it would not consider such a measure this year."""

DISCUSS = """The city council could vote to ban plastic bags from supermarkets as early as next year,
according to people familiar with the plans.

A draft of the measure is reportedly being circulated among council members, though it is unclear
whether it has enough support to pass. Two members are said to be undecided.

Supporters claim a ban would cut litter in the city's rivers; shop owners say it may raise costs. A
council spokeswoman declined to comment on the reports, saying only that several proposals on
waste were under discussion. It is not known when, or if, a vote will be held."""

UNRELATED = """The home side came from two goals down to win 3-2 on Saturday, with a stoppage-time
header from their captain sending the crowd into raptures.

The visitors had led through a penalty and a long-range strike before half-time. The coach said
afterwards that his players had shown great character.

The win lifts the club to fourth in the table, two points behind the leaders, with five matches of
the season left to play."""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (AGREE, "agree"),
        pytest.param(
            DENY,
            "disagree",
            marks=pytest.mark.xfail(
                strict=True,
                reason="known weakness: disagree recall is about 3-8% on FNC-1 held out by story; "
                "denials come out as discuss (see docs/stance.md)",
            ),
        ),
        (DISCUSS, "discuss"),
        (UNRELATED, "unrelated"),
    ],
    ids=["agreeing report", "denial", "hedged report", "other news"],
)
def test_stance_of_a_written_article(body: str, expected: str) -> None:
    (prediction,) = predict([StancePair(id="p", claim=CLAIM, body=body)])
    assert prediction.stance == expected, prediction
    assert prediction.score == max(prediction.scores)


def test_a_denial_leans_to_disagree_more_than_any_other_report() -> None:
    out = predict(
        [StancePair(id=str(i), claim=CLAIM, body=b) for i, b in enumerate([DENY, AGREE, DISCUSS, UNRELATED])]
    )
    disagree = [p.scores[LABELS.index("disagree")] for p in out]
    assert disagree[0] > 5 * max(disagree[1:]), out


def test_one_batch_keeps_order_ids_and_gives_probabilities() -> None:
    pairs = [
        StancePair(id=str(i), claim=CLAIM, body=body)
        for i, body in enumerate([UNRELATED, AGREE, UNRELATED, DISCUSS])
    ]
    out = predict(pairs)
    assert [p.id for p in out] == ["0", "1", "2", "3"]
    assert (out[0].stance, out[0].scores) == (out[2].stance, out[2].scores)
    for p in out:
        assert sum(p.scores) == pytest.approx(1.0, abs=1e-3)
        assert p.stance == LABELS[p.scores.index(max(p.scores))]


def test_an_empty_body_or_claim_is_judged_unrelated() -> None:
    out = predict([StancePair(id="a", claim=CLAIM, body=""), StancePair(id="b", claim="", body=AGREE)])
    assert [p.stance for p in out] == ["unrelated", "unrelated"]


def test_shipped_weights_carry_their_training_record() -> None:
    meta = load_model().meta
    assert meta["training"]["seed"] == 0
    assert "by story" in meta["training"]["split"]
    assert meta["held_out"]["pairs"] > 1000
    assert meta["check_seeds"], "the recipe must be re-run on other splits"


def test_sentences_are_split_on_ends_and_lines() -> None:
    text = 'He said "it is over." Then he left.\nA new line starts here. NATO forces stayed on.'
    assert split_sentences(text) == [
        'He said "it is over."',
        "Then he left.",
        "A new line starts here.",
        "NATO forces stayed on.",
    ]


def test_features_see_the_words_of_a_denial_near_the_claim() -> None:
    idf = Idf({}, 1.0)
    claim = make_claim(CLAIM)
    denial = pair_features(claim, make_body(DENY), idf)
    agree = pair_features(claim, make_body(AGREE), idf)
    refute_top = FEATURE_NAMES.index("refute_top")
    assert denial[refute_top] >= 2
    assert agree[refute_top] == 0


def test_sentence_features_find_the_claim_and_the_denial_beside_its_words() -> None:
    idf = Idf({}, 1.0)
    claim = make_claim(CLAIM)
    denial = pair_features(claim, make_body(DENY), idf)
    other = pair_features(claim, make_body(UNRELATED), idf)
    overlap = FEATURE_NAMES.index("sentence_overlap_max")
    refute_window = FEATURE_NAMES.index("refute_window")
    assert denial[overlap] > 0.5 > other[overlap]
    assert denial[refute_window] >= 1
    assert other[refute_window] == 0


runner = CliRunner()


def test_cli_judges_a_jsonl_file_and_reports_bad_lines(tmp_path: Path) -> None:
    source = tmp_path / "pairs.jsonl"
    lines = [
        json.dumps({"id": 1, "claim": CLAIM, "body": AGREE}),
        "{not json",
        json.dumps({"id": "two", "claim": CLAIM}),
        "",
        json.dumps({"id": "three", "claim": CLAIM, "body": UNRELATED}),
        json.dumps({"id": "four", "claim": 4, "body": DISCUSS}),
        json.dumps(["a", "list"]),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["stance", str(source), "--out", str(target)])
    assert result.exit_code == 0, result.stderr
    out = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [o["id"] for o in out] == [1, "three"]
    assert [o["stance"] for o in out] == ["agree", "unrelated"]
    assert all(set(o) == {"id", "stance", "score"} and 0 < o["score"] <= 1 for o in out)
    err = result.stderr
    assert f"{source}:2: not JSON" in err
    assert f"{source}:3: missing body" in err
    assert f"{source}:6: claim must be text" in err
    assert f"{source}:7: expected an object" in err
    assert "wrote 2 stances" in err and "skipped 4 bad lines" in err


def test_cli_writes_to_stdout_by_default(tmp_path: Path) -> None:
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"id": "x", "claim": CLAIM, "body": DISCUSS}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["stance", str(source)])
    assert result.exit_code == 0, result.stderr
    (expected,) = predict([StancePair(id="x", claim=CLAIM, body=DISCUSS)])
    # the line carries the model's own probability for the stance it gives, the largest of four
    assert json.loads(result.stdout) == {"id": "x", "stance": "discuss", "score": expected.score}
    assert expected.score == max(expected.scores) and 0.25 < expected.score <= 1


def test_cli_names_a_missing_input_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stance", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert "nope.jsonl" in result.stderr and "Traceback" not in result.stderr


def test_cli_reads_standard_input() -> None:
    line = json.dumps({"id": "s", "claim": CLAIM, "body": UNRELATED})
    result = runner.invoke(app, ["stance", "-", "--out", "-"], input=line + "\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stance"] == "unrelated"
