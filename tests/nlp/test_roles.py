"""Roles an article gives a person: appositions, descriptions with a possessor, titles before names."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from newsweave.nlp.roles import SPANS_KEY
from tests.nlp.test_entities import ENERGY, FAMILY

BUSINESS = (
    "Tomas Weber, the chief executive of Nordlicht Energie, said the company would appeal the ruling. "
    "Weber spoke after the court in Hamburg fined the company on Monday."
)
LISTED = (
    "Clara Novak, deputy director of the Vienna Film Fund and wife of the festival founder, said the jury "
    "had finished its work."
)


def _roles(doc: Doc) -> set[tuple[str, str]]:
    return {(s.kb_id_, s.label_) for s in doc.spans[SPANS_KEY]}


def test_title_before_the_name(process: Callable[[str], Doc]) -> None:
    assert ("Ingrid Solberg", "Finance Minister") in _roles(process(ENERGY))
    assert ("Maria Alvarez", "Senator") in _roles(process(FAMILY))


def test_apposition_after_the_name(process: Callable[[str], Doc]) -> None:
    assert ("Tomas Weber", "the chief executive of Nordlicht Energie") in _roles(process(BUSINESS))


def test_apposition_listing_two_roles_gives_two(process: Callable[[str], Doc]) -> None:
    roles = {text for who, text in _roles(process(LISTED)) if who == "Clara Novak"}
    assert roles == {"deputy director of the Vienna Film Fund", "wife of the festival founder"}


def test_kin_with_a_possessive_names_the_relative(process: Callable[[str], Doc]) -> None:
    roles = _roles(process(FAMILY))
    assert ("Jorge Alvarez", "brother of Maria Alvarez") in roles
    # "Their father" has no single owner to name, so the role is kept as written
    assert any(who == "Ramon Alvarez" and "father" in text for who, text in roles)


MILL_SALE = (
    "Tomas Weber met Mayor Carla Mendes on Monday in Hamburg. He and his wife, Anna "
    "Weber, had agreed to sell the old mill to the city."
)


def test_a_possessive_after_a_pronoun_is_the_pronouns_person(process: Callable[[str], Doc]) -> None:
    # "He and his wife": the nearest name back is the mayor's, but "he" is Weber.
    roles = _roles(process(MILL_SALE))
    assert ("Anna Weber", "wife of Tomas Weber") in roles
    assert not [r for r in roles if "Mendes" in r[1]]


NOT_ROLES = (
    "Mayor Ana Ruiz opened the bridge on Friday. Ruiz and Tomas Weber, both engineers by training, "
    "thanked the crews. Weber, 58, said the city had paid for it."
)


def test_a_plural_after_a_name_is_no_role_of_that_person(process: Callable[[str], Doc]) -> None:
    # "Weber, both engineers by training": the apposition describes the two of them, not him.
    roles = {label for _, label in _roles(process(NOT_ROLES))}
    assert not [r for r in roles if "engineers" in r]
    assert "58" in roles
