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
