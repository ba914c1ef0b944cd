"""Quotes: direct with the cue before or after, run-on, partial, indirect; names and scare quotes
are not quotes."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from newsweave.nlp.quotes import SPANS_KEY

TRIAL = (
    "Judge Carla Mendes adjourned the fraud trial of Viktor Hale on Thursday.\n\n"
    "“The defence needs more time to examine thousands of pages of new evidence,” Mendes said. "
    "“I will not rush a case of this size.”\n\n"
    "Hale’s lawyer, Priya Nair, told reporters that her client was “relieved” and would testify in May. "
    "Prosecutors said the delay would cost taxpayers more money.\n\n"
    "Nair said: “My client has waited two years to clear his name.”"
)
SCARE = (
    "The so-called “restructuring” ran for three months. Workers watched “The Wolf of Wall Street” in "
    "the canteen on the last day."
)
PRONOUN = (
    "Mayor Lena Fischer opened the bridge on Friday. “It took eleven years, but it is finally here,” she "
    "said in a statement posted on the city’s website."
)


def _quotes(doc: Doc) -> list[tuple[str, str, str, str | None, str | None]]:
    group = doc.spans[SPANS_KEY]
    return [
        (s.label_, s.text, s.kb_id_, info["cue"], info["via"])
        for s, info in zip(group, group.attrs["info"], strict=True)
    ]


def test_direct_quote_with_the_cue_after(process: Callable[[str], Doc]) -> None:
    quotes = _quotes(process(TRIAL))
    assert (
        "direct",
        "The defence needs more time to examine thousands of pages of new evidence",
        "Carla Mendes",
        "said",
        None,
    ) in quotes


def test_quote_without_a_cue_runs_on_with_the_speaker(process: Callable[[str], Doc]) -> None:
    quotes = _quotes(process(TRIAL))
    assert any(q[1].startswith("I will not rush") and q[2] == "Carla Mendes" for q in quotes)


def test_direct_quote_after_a_colon(process: Callable[[str], Doc]) -> None:
    quotes = _quotes(process(TRIAL))
    assert any(
        q[0] == "direct" and q[1].startswith("My client has waited") and q[2] == "Priya Nair" for q in quotes
    )


def test_partial_quote_inside_reported_speech(process: Callable[[str], Doc]) -> None:
    assert ("partial", "relieved", "Priya Nair", "told", None) in _quotes(process(TRIAL))


def test_indirect_speech(process: Callable[[str], Doc]) -> None:
    quotes = _quotes(process(TRIAL))
    assert any(q[0] == "indirect" and q[1] == "the delay would cost taxpayers more money" for q in quotes)


def test_pronoun_speaker_and_channel(process: Callable[[str], Doc]) -> None:
    (quote,) = [q for q in _quotes(process(PRONOUN)) if q[0] == "direct"]
    assert quote[2] == "Lena Fischer"
    assert quote[4] is not None and "statement" in quote[4]


def test_titles_and_scare_quotes_are_not_quotes(process: Callable[[str], Doc]) -> None:
    assert _quotes(process(SCARE)) == []


def test_transcript_lines_name_their_speaker(process: Callable[[str], Doc]) -> None:
    doc = process(
        "The debate went on past midnight.\n\n“MORALES: We will not raise taxes on working families.”"
    )
    group = doc.spans[SPANS_KEY]
    (info,) = [i for s, i in zip(group, group.attrs["info"], strict=True) if s.label_ == "direct"]
    assert info["speaker"] == "MORALES"
