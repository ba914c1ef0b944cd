"""Framing per outlet: a lexicon word that is part of a name, a quoted phrase other outlets of
the story use too, and one its sentence reports as someone's words or cites as a label, are not
the outlet's framing."""

from __future__ import annotations

from newsweave.compare.framing import find_terms
from newsweave.model import QuoteRecord
from tests.conftest import make_article


def test_a_surname_is_not_a_loaded_word_but_the_word_in_a_sentence_is() -> None:
    herald = make_article(
        "herald",
        "Herald",
        "Representative Helen T. Slaughter of Ohio voted against the bill. Rep. Slaughter said "
        "little. Critics called the crackdown a slaughter of the opposition. Regime change was "
        "not on the agenda.",
    )
    terms = [(t.term, t.start) for t in find_terms([herald], [])]
    assert [term for term, _ in terms] == ["slaughter", "Regime"]


def test_a_quoted_term_other_outlets_use_is_not_a_scare_quote() -> None:
    herald = make_article(
        "herald",
        "Herald",
        "Couples may now choose “married filing jointly” on their returns. The agency’s “guidance” "
        "came late.",
    )
    courier = make_article(
        "courier", "Courier", "Same-sex couples can now use the married filing jointly status."
    )
    scare = [t.term for t in find_terms([herald, courier], []) if t.kind == "scare_quote"]
    assert scare == ["“guidance”"]


def test_a_quoted_phrase_reported_as_someones_words_or_cited_as_a_label_is_not_a_scare_quote() -> None:
    # The quote stage finds none of these quotations (no speaker as its subject, a word or two
    # long), so the sentence itself must tell a report or a label from the outlet's distancing.
    herald = make_article(
        "herald",
        "Herald",
        "The agency called the rule change “a clarification.” The mayor dismissed his rival’s "
        "plan as “a giveaway” on Monday. Records listed his occupation as “retired.” "
        "Critics point to the senator’s remark that voters are “confused.”\n\n"
        '<tweet author="cityhall" timestamp="1454432400"></tweet>\n\n'
        "The company’s “safety culture” has been questioned by inspectors. Its “independent” "
        "review board meets twice a year.",
    )
    scare = [t.term for t in find_terms([herald], []) if t.kind == "scare_quote"]
    assert scare == ["“safety culture”", "“independent”"]


def test_words_in_reported_speech_are_the_speakers_direct_or_indirect() -> None:
    body = (
        "The minister said the regime had staged a massacre in the north. "
        "“They are terrorists,” she told reporters. The brutal winter closed the roads."
    )
    herald = make_article("herald", "Herald", body)
    indirect = body.index("the regime")
    direct = body.index("“They")
    quotes = [
        QuoteRecord(
            id="q1",
            article="herald",
            text=body[indirect : body.index(".")],
            start=indirect,
            end=body.index("."),
            kind="indirect",
            speaker_entity=None,
            speaker="The minister",
            cue="said",
            via=None,
        ),
        QuoteRecord(
            id="q2",
            article="herald",
            text="They are terrorists,",
            start=direct,
            end=body.index("”") + 1,
            kind="direct",
            speaker_entity=None,
            speaker="she",
            cue="told",
            via=None,
        ),
    ]
    assert [t.term for t in find_terms([herald], quotes)] == ["brutal winter"]
    assert [t.term for t in find_terms([herald], [])] == ["regime", "massacre", "terrorists", "brutal winter"]
