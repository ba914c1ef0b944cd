"""What the comparison reports as a difference between outlets, and what it leaves alone: figures
for the same thing, a hedge on the shared fact, a charge against a plain statement, two posts for
one person; not rounding, not approximations, not routine attribution, not abbreviations."""

from __future__ import annotations

from newsweave.compare.differences import certainty_and_attribution, title_and_naming
from newsweave.compare.figures import figure_conflicts, figures
from newsweave.compare.records import ClaimUnit
from newsweave.model import Article, EntityRecord, EntityRole
from tests.conftest import make_article

LEMMAS = {"says": "say", "accused": "accuse", "violates": "violate", "shipped": "ship", "shells": "shell"}


def _claim(claim_id: str, outlet: str, text: str, **fields: object) -> ClaimUnit:
    values: dict[str, object] = {
        "certainty": "asserted",
        "source": None,
        "polarity": "positive",
        "entities": frozenset(),
        "numbers": (),
        "times": frozenset(),
        "via": None,
        "lemmas": LEMMAS,
        **fields,
    }
    return ClaimUnit(
        id=claim_id, article=outlet.lower(), outlet=outlet, text=text, start=0, end=len(text), **values
    )  # type: ignore[arg-type]


OUTLETS = {"herald": "Herald", "courier": "Courier", "post": "Post"}


def test_figures_for_the_same_thing_disagree_across_three_outlets_in_one_difference() -> None:
    claims = [
        _claim("h", "Herald", "The 48-page indictment lists trips to Hawaii and Italy."),
        _claim("c", "Courier", "“The goal was to enrich themselves,” the 47-page indictment says."),
        _claim("p", "Post", "In a 48-page indictment released by prosecutors, the couple is charged."),
    ]
    [difference], apart = figure_conflicts(claims, OUTLETS)
    assert difference.kind == "number" and difference.about == "indictment"
    assert [s["claim"] for s in difference.spans] == ["h", "c", "p"]
    assert "Courier gives 47-page" in difference.note
    assert apart == {frozenset("hc"), frozenset("cp")}  # 48 and 48 agree


def test_rounded_approximate_and_unrelated_figures_are_no_difference() -> None:
    claims = [
        _claim("h", "Herald", "He bought a $43,350 gold-plated Rolex watch with campaign money."),
        _claim("c", "Courier", "He bought a $43,000 Rolex watch with campaign funds."),
        _claim("p", "Post", "About 210 passengers were boarding the ferry when it caught fire."),
        _claim("q", "Herald", "200 passengers were boarding the ferry at the time."),
        _claim("r", "Courier", "Two states filed the lawsuit on Thursday."),
        _claim("s", "Post", "23 states have legalized marijuana for medical use."),
    ]
    assert figure_conflicts(claims, OUTLETS) == ([], set())


def test_a_hedge_on_the_shared_fact_is_a_certainty_difference_and_a_charge_an_attribution() -> None:
    stated = _claim("h", "Herald", "The gift violates the trade bloc's sanctions on luxury goods.")
    hedged = _claim(
        "c",
        "Courier",
        "The car was a gift, in a possible violation of a trade bloc resolution.",
        certainty="hedged",
        hedges=("possible",),
    )
    [certainty] = certainty_and_attribution("g", "the gift", [stated, hedged])
    assert certainty.kind == "certainty" and certainty.note == "Herald asserts it; Courier hedges it"

    shipped = _claim("p", "Post", "The country shipped artillery shells to its ally.")
    charged = _claim(
        "q",
        "Courier",
        "The allies have accused the country of shipping artillery shells.",
        source="the allies",
    )
    [attribution] = certainty_and_attribution("g", "shells", [shipped, charged])
    assert attribution.kind == "attribution" and "attributes it to the allies" in attribution.note


def test_a_routine_source_and_a_hedge_elsewhere_in_the_sentence_are_no_difference() -> None:
    found = _claim("h", "Herald", "The package for the senator was found in a Florida mail facility.")
    said = _claim(
        "c", "Courier", "The FBI says the package for the senator was found in Florida.", source="FBI"
    )
    elsewhere = _claim(
        "p",
        "Post",
        "The package for the senator was found in Florida, and more may yet be intercepted.",
        certainty="hedged",
        hedges=("may",),
    )
    assert certainty_and_attribution("g", "package", [found, said, elsewhere]) == []
    indicted = _claim("h", "Herald", "The mayor was indicted on Tuesday on charges of fraud.")
    announced = _claim(
        "c",
        "Courier",
        "The mayor was indicted on charges of fraud, prosecutors announced Tuesday.",
        source="prosecutors",
        lemmas={**LEMMAS, "charges": "charge"},
    )
    assert certainty_and_attribution("g", "indictment", [indicted, announced]) == []


def _person(roles: dict[str, str]) -> tuple[EntityRecord, dict[str, Article]]:
    articles = {
        o.lower(): make_article(o.lower(), o, f"{text} Ana Ruiz spoke on Monday.")
        for o, text in roles.items()
    }
    entity = EntityRecord(
        id="e1",
        name="Ana Ruiz",
        type="PERSON",
        aliases=("Ana Ruiz",),
        roles=tuple(EntityRole(article=o.lower(), text=t, start=0, end=len(t)) for o, t in roles.items()),
        articles=tuple(articles),
    )
    return entity, articles


def test_two_posts_for_one_person_are_a_title_difference() -> None:
    entity, articles = _person({"Herald": "deputy director of the agency", "Courier": "chief spokesperson"})
    [title] = title_and_naming([entity], articles)
    assert title.kind == "title" and {s["text"] for s in title.spans} == {
        "deputy director of the agency",
        "chief spokesperson",
    }


def test_abbreviations_a_fuller_post_a_past_post_and_a_description_are_no_title_difference() -> None:
    for roles in (
        {"Herald": "Sen.", "Courier": "Senator"},
        {"Herald": "Senator", "Courier": "Senate Minority Leader"},
        {"Herald": "the former director of national intelligence", "Courier": "a television contributor"},
        {"Herald": "liberal billionaire", "Courier": "the billionaire donor"},
    ):
        entity, articles = _person(roles)
        assert [d for d in title_and_naming([entity], articles) if d.kind == "title"] == [], roles


def test_figures_read_any_number_the_text_holds() -> None:
    odd = "Shares fell 2.67 percent, 1,2,3 went 0 to 4.5, 2024 and 1999.5 and $ and 007 and " + "9" * 400
    found = [(f.text, f.unit) for f in figures(_claim("h", "Herald", odd))]
    assert ("2.67 percent", "%") in found
    assert all(text != "9" * 400 for text, _ in found)  # an identifier, not a figure
    assert not any(text == "2024" for text, _ in found)  # a year is a date
