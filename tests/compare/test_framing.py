"""Framing per outlet: a lexicon word that is part of a name, and a quoted phrase other outlets
of the story use too, are not the outlet's framing."""

from __future__ import annotations

from newsweave.compare.framing import find_terms
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
        "Couples may now choose “married filing jointly” on their returns. The agency called the "
        "rule change “a clarification.”",
    )
    courier = make_article(
        "courier", "Courier", "Same-sex couples can now use the married filing jointly status."
    )
    scare = [t.term for t in find_terms([herald, courier], []) if t.kind == "scare_quote"]
    assert scare == ["“a clarification.”"]
