"""Entities within an article: cleaning, short names, acronyms, spelling variants."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.tokens import Doc

from newsweave.nlp.entities import SPANS_KEY, initials, near_miss, normalise_name

ENERGY = (
    "Finance Minister Ingrid Solberg said on Tuesday that the government would cut fuel taxes. "
    "Solberg, who took office in 2021, told reporters that the International Energy Agency (IEA) had "
    "warned of a winter shortage. The IEA later confirmed the warning.\n\n"
    "Her deputy, Lars Solberg, is not related to her."
)
FAMILY = (
    "Senator Maria Alvarez and her brother, Jorge Alvarez, attended the hearing in Santa Fe. "
    "Alvarez said the bill would pass. Their father, Ramon Alvarez, was the state's governor in the 1990s."
)
HARBOUR = (
    "The Rotterdam Harbour Authority rejected the plan on Monday, and the Rotterdam Harbor Authority's "
    "board met again on Friday to discuss the appeal."
)


def _entities(doc: Doc) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for span in doc.spans[SPANS_KEY]:
        out.setdefault(span.kb_id_, set()).add(span.text)
    return out


def test_surname_points_back_to_the_full_name(process: Callable[[str], Doc]) -> None:
    assert _entities(process(ENERGY))["Ingrid Solberg"] == {"Ingrid Solberg", "Solberg"}


def test_people_sharing_a_surname_stay_apart(process: Callable[[str], Doc]) -> None:
    entities = _entities(process(FAMILY))
    assert {"Maria Alvarez", "Jorge Alvarez", "Ramon Alvarez"} <= set(entities)
    assert entities["Jorge Alvarez"] == {"Jorge Alvarez"}
    assert entities["Ramon Alvarez"] == {"Ramon Alvarez"}


def test_a_shared_surname_goes_to_the_person_introduced_first(process: Callable[[str], Doc]) -> None:
    assert "Alvarez" in _entities(process(FAMILY))["Maria Alvarez"]


FATHER_AND_SON = (
    "Former Rep. Tomas Ruiz Jr. opened a bakery on Wednesday. His wife, Elena Ruiz, runs its kitchen, "
    "and Elena Ruiz will open a second shop in June. Elena Ruiz also sits on the city council. "
    "Ruiz's father, the Rev. Tomas Ruiz, cut the ribbon. Ruiz told reporters he had waited years for it."
)


def test_a_father_of_one_name_is_not_the_son_and_the_bare_surname_is_the_lead(
    process: Callable[[str], Doc],
) -> None:
    # "his father, Tomas Ruiz" lacks the son's "Jr.": a relative, not a shorter form of the son's
    # name. The bare "Ruiz" is the man the story opens with, though his wife is named in full
    # more often (a writer names the second person of a surname in full to tell them apart).
    entities = _entities(process(FATHER_AND_SON))
    assert entities["Tomas Ruiz"] == {"Tomas Ruiz"}
    assert "Ruiz" in entities["Tomas Ruiz Jr."]
    assert "Ruiz" not in entities["Elena Ruiz"]


def test_acronym_binds_to_its_expansion(process: Callable[[str], Doc]) -> None:
    entities = _entities(process(ENERGY))
    assert entities["International Energy Agency"] == {"International Energy Agency", "IEA"}


def test_spelling_variants_merge(process: Callable[[str], Doc]) -> None:
    entities = _entities(process(HARBOUR))
    assert len(entities) == 1
    (names,) = entities.values()
    # both spellings, each without its article or possessive
    assert names == {"Rotterdam Harbour Authority", "Rotterdam Harbor Authority"}


def test_titles_and_possessives_are_cut_from_names(process: Callable[[str], Doc]) -> None:
    texts = {s.text for s in process(FAMILY).spans[SPANS_KEY]}
    assert "Senator Maria Alvarez" not in texts and "Maria Alvarez" in texts


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Teachers’ Union of Ireland", "TUI"),
        ("International Energy Agency", "IEA"),
        ("Bank of England", "BE"),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("rotterdam harbour authority", "rotterdam harbor authority", True),
        ("xinhua wire", "xinhau wire", True),
        ("volodymyr zelensky", "volodymyr zelenskyy", True),
        ("jorge alvarez", "maria alvarez", False),
        ("north dakota", "south dakota", False),
    ],
)
def test_near_miss(a: str, b: str, same: bool) -> None:
    assert near_miss(a, b) is same


def test_normalise_name() -> None:
    assert normalise_name("U.K.  Treasury’s") == "uk treasury"


def test_different_first_names_are_different_people() -> None:
    assert not near_miss("maria alvarez", "mario alvarez", min_word=7)


def test_a_name_with_a_common_noun_in_it_is_not_a_person() -> None:
    import spacy
    from spacy.tokens import Span

    from newsweave.nlp.entities import _clean_span

    nlp = spacy.blank("en")
    doc = nlp("He drove the Volta sedan and met Ludwig van Berg.")
    sedan = _clean_span(Span(doc, 3, 5, label="PERSON"))
    ludwig = _clean_span(Span(doc, 7, 10, label="PERSON"))
    assert sedan is not None and sedan.label_ == "PRODUCT"
    assert ludwig is not None and ludwig.label_ == "PERSON"


def _parsed(words: list[str], heads: list[int], deps: list[str]) -> Doc:
    import spacy

    return Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps)


def test_a_surname_the_tagger_typed_as_a_place_or_an_organisation_is_the_person_named_in_full() -> None:
    from spacy.tokens import Span

    from newsweave.nlp.entities import cluster_mentions

    # "Ana Pereira won. Pereira told Okafor, said Tunde Okafor." with the tagger's mistakes: the
    # surname as an organisation (twice, outvoting the full name) and as a place.
    words = ["Ana", "Pereira", "won", ".", "Pereira", "thanked", "Pereira", "voters", "and", "told", "Okafor"]
    words += [",", "said", "Tunde", "Okafor", "."]
    heads = [1, 2, 2, 2, 5, 5, 7, 5, 5, 5, 9, 9, 9, 14, 12, 9]
    deps = ["compound", "nsubj", "ROOT", "punct", "nsubj", "ROOT", "poss", "dobj", "cc", "conj", "dative"]
    deps += ["punct", "conj", "compound", "dobj", "punct"]
    doc = _parsed(words, heads, deps)
    spans = [Span(doc, 0, 2, "PERSON"), Span(doc, 4, 5, "ORG"), Span(doc, 6, 7, "ORG")]
    spans += [Span(doc, 10, 11, "GPE"), Span(doc, 13, 15, "PERSON")]
    found = {(c.label, c.canonical, len(c.mentions)) for c in cluster_mentions(doc, spans)}
    assert found == {("PERSON", "Ana Pereira", 3), ("PERSON", "Tunde Okafor", 2)}


def test_a_place_named_as_a_place_stays_a_place_beside_a_person_of_that_name() -> None:
    from spacy.tokens import Span

    from newsweave.nlp.entities import cluster_mentions

    # "Tunde Jordan flew to Jordan."
    doc = _parsed(
        ["Tunde", "Jordan", "flew", "to", "Jordan", "."],
        [1, 2, 2, 2, 3, 2],
        ["compound", "nsubj", "ROOT", "prep", "pobj", "punct"],
    )
    spans = [Span(doc, 0, 2, "PERSON"), Span(doc, 4, 5, "GPE")]
    found = {(c.label, c.canonical) for c in cluster_mentions(doc, spans)}
    assert found == {("PERSON", "Tunde Jordan"), ("GPE", "Jordan")}


def test_a_later_surname_the_tagger_missed_is_a_mention_of_the_person() -> None:
    import spacy
    from spacy.tokens import Span

    from newsweave.nlp.entities import _surnames_missed

    # "Chief Tomasz Wierz spoke. Wierz elaborated. Wierz Street Wierz" — the second and last "Wierz"
    # are the person; "Wierz Street" is another name, and a "Wierz" before the full name is not
    # known yet.
    words = ["Wierz", "left", ".", "Chief", "Tomasz", "Wierz", "spoke", ".", "Wierz", "elaborated", "."]
    words += ["Wierz", "Street", "closed", "."]
    pos = ["PROPN", "VERB", "PUNCT", "PROPN", "PROPN", "PROPN", "VERB", "PUNCT", "PROPN", "VERB", "PUNCT"]
    pos += ["PROPN", "PROPN", "VERB", "PUNCT"]
    doc = Doc(spacy.blank("en").vocab, words=words, pos=pos)
    missed = _surnames_missed(doc, [Span(doc, 4, 6, "PERSON")])
    assert [(s.start, s.label_) for s in missed] == [(8, "PERSON")]
