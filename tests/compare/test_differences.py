"""What the comparison reports as a difference between outlets, and what it leaves alone: figures
for the same thing, a hedge on the shared fact, a charge against a plain statement, two posts for
one person; not rounding, not approximations, not routine attribution, not abbreviations."""

from __future__ import annotations

from newsweave.compare.differences import (
    certainty_and_attribution,
    disagreements,
    hedged_things,
    title_and_naming,
)
from newsweave.compare.figures import dated_figure_conflicts, figure_conflicts, figures
from newsweave.compare.records import ClaimUnit
from newsweave.model import Article, EntityRecord, EntityRole
from tests.conftest import make_article

LEMMAS = {
    "says": "say", "accused": "accuse", "violates": "violate", "shipped": "ship", "shells": "shell",
    "repaid": "repay", "arrested": "arrest", "used": "use", "papers": "paper",
}  # fmt: skip


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


def test_one_outlet_denying_what_another_states_is_a_polarity_conflict() -> None:
    charged = _claim(
        "h", "Herald", "The driver has been charged with manslaughter.", predicates={"charge@driver"}
    )
    none = _claim(
        "c",
        "Courier",
        "Although no charges were brought against him, officials said the driver was arrested.",
        predicates={"no charge", "arrest"},
    )
    found = _claim("p", "Post", "The inquiry found the cause of the fire.", predicates={"find@inquiry"})
    not_found = _claim("q", "Herald", "The inquiry has not found a cause.", predicates={"not find@inquiry"})
    assert [(kind, a.id, b.id) for kind, a, b in disagreements([charged, none])] == [("polarity", "h", "c")]
    assert [(kind, a.id, b.id) for kind, a, b in disagreements([found, not_found])] == [
        ("polarity", "p", "q")
    ]


def test_a_denial_of_something_else_or_of_someone_else_is_no_conflict() -> None:
    spoke = _claim("h", "Herald", "The senator spoke to reporters.", predicates={"speak@senator"})
    questions = _claim(
        "c",
        "Courier",
        "The senator took no questions and his aide did not speak.",
        predicates={"no question", "take@senator", "not speak@aide"},
    )
    both = _claim("p", "Post", "The senator did not speak to reporters.", predicates={"not speak@senator"})
    again = _claim(
        "q", "Courier", "The senator did not speak to reporters.", predicates={"not speak@senator"}
    )
    assert disagreements([spoke, questions]) == []
    assert disagreements([both, again]) == []  # both deny it: they agree


def test_one_figure_given_for_different_years_is_a_date_difference_citing_every_outlet() -> None:
    claims = [
        _claim(
            "h",
            "Herald",
            "His lawyers said in 2019 that he repaid the fund about $40,000.",
            times=frozenset({"2019"}),
        ),
        _claim(
            "c",
            "Courier",
            "He repaid the fund more than $40,000 earlier this year.",
            times=frozenset({"2021"}),
        ),
        _claim("p", "Post", "His lawyer said he had already repaid about $40,000 to the fund."),
    ]
    [difference], apart = dated_figure_conflicts(claims, OUTLETS)
    assert difference.kind == "date"
    assert [s["claim"] for s in difference.spans] == ["h", "c", "p"]
    assert "Courier dates it 2021" in difference.note and "Post dates it not at all" in difference.note
    assert apart == {frozenset("hc")}


def test_one_figure_in_claims_about_different_deeds_or_agreeing_dates_is_no_date_difference() -> None:
    claims = [
        _claim(
            "h",
            "Herald",
            "Court papers filed Friday say he must forfeit $750,000.",
            times=frozenset({"2013-02-15"}),
        ),
        _claim(
            "c",
            "Courier",
            "Court papers released Wednesday show how he used the $750,000.",
            times=frozenset({"2013-02-20"}),
        ),
        # Days near New Year: the fire on Friday, the figure given on Monday.
        _claim("p", "Post", "The fire did $90,000 of damage on Friday.", times=frozenset({"2011-12-30"})),
        _claim(
            "q",
            "Herald",
            "The fire did $90,000 of damage, officials said Monday.",
            times=frozenset({"2012-01-02"}),
        ),
        _claim("r", "Courier", "Two states filed the lawsuit in 2014.", times=frozenset({"2014"})),
        _claim("s", "Post", "Two states filed the lawsuit in 2015.", times=frozenset({"2015"})),
    ]
    assert dated_figure_conflicts(claims, OUTLETS) == ([], set())


def test_a_thing_one_outlet_hedges_and_another_names_outright_is_a_certainty_difference() -> None:
    claims = [
        _claim(
            "h",
            "Herald",
            "Police arrested a man over parcels containing likely pipe bombs sent to officials.",
        ),
        _claim("c", "Courier", "The man's arrest came hours after more pipe bombs were found."),
    ]
    [difference] = hedged_things(claims, OUTLETS)
    assert difference.kind == "certainty" and difference.about == "pipe bombs"
    assert [s["claim"] for s in difference.spans] == ["c", "h"]


def test_a_quoted_hedge_a_hedge_on_both_sides_or_the_same_words_elsewhere_are_no_difference() -> None:
    claims = [
        _claim("h", "Herald", "The chief, calling them “likely pipe bombs,” ordered the arrest of a man."),
        _claim("c", "Courier", "Police arrested a man over parcels containing likely pipe bombs."),
        _claim("p", "Post", "The man's arrest came hours after more apparent pipe bombs were found."),
        _claim("q", "Herald", "The singer died on Monday of apparent heart disease."),
        _claim("r", "Courier", "His brother had suffered from heart disease for years."),
    ]
    assert hedged_things(claims, OUTLETS) == []


def test_an_ordinal_or_a_clock_time_is_no_figure() -> None:
    text = "She was hit on 117th Street at 9pm, the 7th crash there this year."
    assert figures(_claim("h", "Herald", text)) == []
