"""One person under several written forms: middle initials, suffixes, nicknames, a lone name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import newsweave
from newsweave.nlp.name_variants import parse_person_name, same_person_name


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Peter K. Lindqvist", "Peter Lindqvist", True),
        ("Mateo Ruiz Jr.", "Mateo Ruiz", True),
        ("Tom Ortiz", "Thomas Ortiz", True),
        ("Joe Varga", "Joseph R. Varga Jr.", True),
        ("Mike Ostberg", "Michael Ostberg", True),
        ("Peter K. Lindqvist", "Peter J. Lindqvist", False),  # the initials disagree
        ("Tomas Ruiz Jr.", "Tomas Ruiz Sr.", False),  # father and son
        ("Mary Ostberg", "Michael Ostberg", False),
        ("Anna Ruiz", "Anna Ortiz", False),
        # A pet name spelt another way than the nickname list's ("Debby"): still hers.
        ("Debbi Ostberg", "Deborah Ostberg", True),
        ("Katie Varga", "Kathleen Varga", True),
        # A given name that is only the stem of a pet name is another name.
        ("Rand Ostberg", "Andrew Ostberg", False),
        ("Terri Ostberg", "Terrell Ostberg", False),
    ],
)
def test_forms_of_one_name(a: str, b: str, same: bool) -> None:
    pa, pb = parse_person_name(a), parse_person_name(b)
    assert pa is not None and pb is not None
    assert same_person_name(pa, pb) is same


def test_a_bare_name_described_as_a_relative_does_not_join_the_suffixed_form() -> None:
    son, father = parse_person_name("Tomas L. Ruiz Jr."), parse_person_name("Tomas L. Ruiz")
    assert son is not None and father is not None
    assert same_person_name(son, father)
    assert not same_person_name(son, father, bare_is_relative=True)


def test_a_middle_word_is_not_taken_for_an_initial() -> None:
    assert parse_person_name("Anna Lopez Ferreira") is None  # it may be part of the surname
    assert parse_person_name("Ruiz") is None


FIRST = (
    "Governor faces recall vote\n\n"
    "Governor Michael Ostberg said on Monday that the recall petition against him was a stunt. "
    "Ostberg told reporters in Denver that his office would cooperate with the county clerk. "
    "His wife, Margaret, declined to comment."
)
SECOND = (
    "Recall petition certified\n\n"
    "The county clerk certified the recall petition against Gov. Mike Ostberg on Tuesday. "
    "Mike Ostberg called the petition a stunt in Denver, and Margaret Ostberg said the family "
    "would campaign across the state."
)
THIRD = (
    "Clerk's son joins recall campaign\n\n"
    "Thomas R. Hale Jr., a lawyer in Denver, joined the campaign on Wednesday. His father, "
    "Thomas R. Hale, is the county clerk who certified the recall petition against Governor Michael Ostberg."
)


def test_name_forms_across_outlets_become_one_person_and_a_father_stays_apart(tmp_path: Path) -> None:
    for name, text in (("first.txt", FIRST), ("second.txt", SECOND), ("third.txt", THIRD)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    with newsweave.open_store(tmp_path / "names.db") as nw:
        nw.ingest(sorted(tmp_path.glob("*.txt")), published=date(2025, 6, 3))
        export = nw.export()
    holders = {
        form: [e["name"] for e in export["entities"] if form in {e["name"], *e["aliases"]}]
        for form in ("Michael Ostberg", "Mike Ostberg", "Margaret", "Margaret Ostberg", "Thomas R. Hale")
    }
    assert holders["Michael Ostberg"] == holders["Mike Ostberg"] == ["Michael Ostberg"]
    assert holders["Margaret"] == holders["Margaret Ostberg"] == ["Margaret Ostberg"]
    # "His father, Thomas R. Hale" is the son's relative, not the son without his suffix.
    assert holders["Thomas R. Hale"] == ["Thomas R. Hale"]
    assert any(e["name"] == "Thomas R. Hale Jr." for e in export["entities"])


HUB = (
    "Family firm changes hands\n\n"
    "John Smith Jr. took over the family bakery in Leeds on Monday. His cousins John O. Smith and "
    "John P. Smith, who run the shop in York, said they welcomed the change. Christopher Ortiz and "
    "Christina Ortiz, the bakery's accountants, signed the papers. Chris Ortiz thanked the staff."
)


def test_a_short_form_never_joins_two_people_through_a_fuller_one(tmp_path: Path) -> None:
    (tmp_path / "hub.txt").write_text(HUB, encoding="utf-8")
    with newsweave.open_store(tmp_path / "hub.db") as nw:
        nw.ingest([tmp_path / "hub.txt"], published=date(2025, 6, 3))
        export = nw.export()
    holder = {form: e["name"] for e in export["entities"] for form in {e["name"], *e["aliases"]}}
    # "John O." and "John P." disagree on the initial: they are never one entity, even through
    # "John Smith Jr.", which either could be.
    assert holder["John O. Smith"] != holder["John P. Smith"]
    # "Chris" could be Christopher or Christina: the short form joins neither.
    assert holder["Christopher Ortiz"] != holder["Christina Ortiz"]
    assert holder.get("Chris Ortiz", "Chris Ortiz") not in {
        holder["Christopher Ortiz"],
        holder["Christina Ortiz"],
    }


def test_a_name_everyone_mentions_is_no_evidence_that_two_forms_are_one_person(tmp_path: Path) -> None:
    # Sixty articles mention Canada; the two forms of one name share only Canada, then a small
    # town. Only the town is evidence.
    for n in range(60):
        (tmp_path / f"c{n}.txt").write_text(
            f"Trade talks {n}\n\nCanada announced new tariffs on steel on day {n} of the talks.",
            encoding="utf-8",
        )
    (tmp_path / "a.txt").write_text(
        "Coach quits\n\nMichael Ostberg resigned as coach on Monday after a season in Canada.",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "Coach leaves\n\nMike Ostberg said on Tuesday that he had enjoyed his years in Canada.",
        encoding="utf-8",
    )
    with newsweave.open_store(tmp_path / "common.db") as nw:
        nw.ingest(sorted(tmp_path.glob("*.txt")), published=date(2025, 6, 3))
        apart = {e["name"] for e in nw.export()["entities"] if "Ostberg" in e["name"]}
        (tmp_path / "c.txt").write_text(
            "Coach honoured\n\nMike Ostberg was honoured in Port Harlow on Wednesday.\n\n"
            "Michael Ostberg had coached the Port Harlow team for a decade.",
            encoding="utf-8",
        )
        nw.ingest([tmp_path / "c.txt"], published=date(2025, 6, 4))
        together = {e["name"] for e in nw.export()["entities"] if "Ostberg" in e["name"]}
    assert apart == {"Michael Ostberg", "Mike Ostberg"}
    assert together == {"Michael Ostberg"}
