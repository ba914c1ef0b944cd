"""Pronoun and description subjects of speech verbs resolve to the person in focus."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from newsweave.nlp.references import SPANS_KEY

TWO_SPEAKERS = (
    "Tomas Weber, the chief executive of Nordlicht Energie, said the company would appeal. "
    "Anna Berg, his deputy, disagreed with the plan. “It is too early to decide,” she said."
)
DESCRIPTION = (
    "The ministry published the figures on Monday. Ingrid Solberg, the finance minister, presented them "
    "in parliament. The minister said the deficit would shrink next year."
)
HE_AFTER_SHE = (
    "Anna Berg said the company had been warned. Tomas Weber rejected that account on Friday. "
    "“We were never told,” he said."
)


def _refs(doc: Doc) -> list[tuple[str, str, str]]:
    return [(s.text, s.label_, s.kb_id_) for s in doc.spans[SPANS_KEY]]


def test_she_said_resolves_to_the_latest_speaker(process: Callable[[str], Doc]) -> None:
    assert ("she", "PRONOUN", "Anna Berg") in _refs(process(TWO_SPEAKERS))


def test_he_said_skips_a_woman_named_as_she(process: Callable[[str], Doc]) -> None:
    assert ("he", "PRONOUN", "Tomas Weber") in _refs(process(HE_AFTER_SHE))


def test_definite_description_resolves(process: Callable[[str], Doc]) -> None:
    assert ("The minister", "NOMINAL", "Ingrid Solberg") in _refs(process(DESCRIPTION))


WIFE_THEN_HE = (
    "Tomas Weber had praised his wife, who ran the family bakery, for its success, saying "
    "she baked every loaf herself, and in May he told a radio station that he knew the trade."
)
BROTHER_THEN_HE = "Tomas Weber said his brother had run the company for years, and he praised the staff."


def test_she_after_his_wife_is_the_wife_not_the_man_in_focus(process: Callable[[str], Doc]) -> None:
    # Crediting "she" to Weber would also record him as a woman, and send every later "he" to
    # whoever else is near: the words are the wife's, and Weber stays the man in focus.
    refs = _refs(process(WIFE_THEN_HE))
    assert not [r for r in refs if r[0] == "she"]
    assert [r for r in refs if r[0] == "he"] == [("he", "PRONOUN", "Tomas Weber")] * 2


def test_a_description_of_the_pronouns_own_gender_does_not_stop_it(process: Callable[[str], Doc]) -> None:
    assert ("he", "PRONOUN", "Tomas Weber") in _refs(process(BROTHER_THEN_HE))
