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
    "says": "say", "accused": "accuse", "breaches": "breach", "exported": "export", "drones": "drone",
    "selling": "sell", "sold": "sell", "pledged": "pledge", "spent": "spend", "blamed": "blame",
    "followed": "follow",
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
        _claim("h", "Herald", "The 36-page report lists trips to Malta and Peru."),
        _claim("c", "Courier", "“The aim was to enrich themselves,” the 35-page report says."),
        _claim("p", "Post", "In a 36-page report released by auditors, the couple is blamed."),
    ]
    [difference], apart = figure_conflicts(claims, OUTLETS)
    assert difference.kind == "number" and difference.about == "report"
    assert [s["claim"] for s in difference.spans] == ["h", "c", "p"]
    assert "Courier gives 35-page" in difference.note
    assert apart == {frozenset("hc"), frozenset("cp")}  # 48 and 48 agree


def test_rounded_approximate_and_unrelated_figures_are_no_difference() -> None:
    claims = [
        _claim("h", "Herald", "He bought a $27,350 gilded carriage clock with party money."),
        _claim("c", "Courier", "He bought a $27,000 carriage clock with party funds."),
        _claim("p", "Post", "About 210 passengers were boarding the ferry when it caught fire."),
        _claim("q", "Herald", "200 passengers were boarding the ferry at the time."),
        _claim("r", "Courier", "Two states filed the lawsuit on Thursday."),
        _claim("s", "Post", "23 states have legalized marijuana for medical use."),
    ]
    assert figure_conflicts(claims, OUTLETS) == ([], set())


def test_a_hedge_on_the_shared_fact_is_a_certainty_difference_and_a_charge_an_attribution() -> None:
    stated = _claim("h", "Herald", "The export breaches the union's embargo on machine tools.")
    hedged = _claim(
        "c",
        "Courier",
        "The lathes were exported, in a possible breach of a union embargo.",
        certainty="hedged",
        hedges=("possible",),
    )
    [certainty] = certainty_and_attribution("g", "the export", [stated, hedged])
    assert certainty.kind == "certainty" and certainty.note == "Herald asserts it; Courier hedges it"

    sold = _claim("p", "Post", "The company sold surveillance drones to the militia.")
    charged = _claim(
        "q",
        "Courier",
        "Rival firms have accused the company of selling surveillance drones to the militia.",
        source="rival firms",
    )
    [attribution] = certainty_and_attribution("g", "drones", [sold, charged])
    assert attribution.kind == "attribution" and "attributes it to rival firms" in attribution.note


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
    arrested = _claim(
        "h", "Herald", "Police arrested two fishermen at the harbour.", predicates={"arrest@police"}
    )
    none = _claim(
        "c",
        "Courier",
        "No arrests were made, the coastguard said, and the boats were towed away.",
        predicates={"no arrest", "tow@boat"},
    )
    approved = _claim(
        "p", "Post", "The ministry approved the dam on Monday.", predicates={"approve@ministry"}
    )
    not_yet = _claim(
        "q", "Herald", "The ministry has not approved the dam.", predicates={"not approve@ministry"}
    )
    assert [(kind, a.id, b.id) for kind, a, b in disagreements([arrested, none])] == [("polarity", "h", "c")]
    assert [(kind, a.id, b.id) for kind, a, b in disagreements([approved, not_yet])] == [
        ("polarity", "p", "q")
    ]


def test_a_denial_of_something_else_of_someone_else_or_of_both_is_no_conflict() -> None:
    spoke = _claim("h", "Herald", "The coach spoke to the players.", predicates={"speak@coach"})
    calls = _claim(
        "c",
        "Courier",
        "The coach took no calls and his assistant did not speak.",
        predicates={"no call", "take@coach", "not speak@assistant"},
    )
    both = _claim("p", "Post", "The coach did not speak to the players.", predicates={"not speak@coach"})
    again = _claim("q", "Courier", "The coach did not speak after the game.", predicates={"not speak@coach"})
    assert disagreements([spoke, calls]) == []
    assert disagreements([both, again]) == []  # both deny it: they agree
    # One claim both states it (of one) and says there is none (of another): no denial of the other.
    some = _claim("r", "Post", "Police arrested the captain.", predicates={"arrest@police"})
    mixed = _claim(
        "s",
        "Herald",
        "Police arrested the captain, but no arrests of the crew were made.",
        predicates={"arrest@police", "no arrest"},
    )
    assert disagreements([some, mixed]) == []


def test_one_figure_given_for_different_years_is_a_date_difference_citing_every_outlet() -> None:
    claims = [
        _claim(
            "h",
            "Herald",
            "The club sold its old stadium to the council for $12 million in 2004, records show.",
            times=frozenset({"2004"}),
            predicates={"sell@club", "show@record"},
        ),
        _claim(
            "c",
            "Courier",
            "In 2006 the club sold the stadium to the council for $12 million.",
            times=frozenset({"2006"}),
            predicates={"sell@club"},
        ),
        _claim(
            "p",
            "Post",
            "The council bought the stadium, which the club sold for about $12 million.",
            predicates={"buy@council", "sell@club"},
        ),
        _claim("q", "Post", "The stadium holds 12,000 fans."),
    ]
    [difference], apart = dated_figure_conflicts(claims, OUTLETS)
    assert difference.kind == "date"
    assert [s["claim"] for s in difference.spans] == ["h", "c", "p"]
    assert "Courier dates it 2006" in difference.note and "Post dates it not at all" in difference.note
    assert apart == {frozenset("hc")}


def test_one_figure_for_different_deeds_agreeing_years_or_only_the_amount_is_no_date_difference() -> None:
    claims = [
        # Two deeds with one amount, in two years: pledged, then spent.
        _claim(
            "h",
            "Herald",
            "The mayor pledged $900,000 to the library in 2019.",
            times=frozenset({"2019"}),
            predicates={"pledge@mayor"},
        ),
        _claim(
            "c",
            "Courier",
            "Auditors say the library spent the $900,000 on books in 2021.",
            times=frozenset({"2021"}),
            predicates={"spend@library"},
        ),
        # One deed, two years, nothing else in common but the amount and the verb.
        _claim(
            "p",
            "Post",
            "Farmers sold $60 million of wheat in 2020.",
            times=frozenset({"2020"}),
            predicates={"sell@farmer"},
        ),
        _claim(
            "q",
            "Herald",
            "A charity sold $60 million of bonds in 2022.",
            times=frozenset({"2022"}),
            predicates={"sell@charity"},
        ),
        # Days near New Year: the fire on Friday, the figure given on Monday.
        _claim(
            "r",
            "Post",
            "The fire did $90,000 of damage on Friday.",
            times=frozenset({"2011-12-30"}),
            predicates={"do@fire"},
        ),
        _claim(
            "s",
            "Herald",
            "The fire did $90,000 of damage, officials said Monday.",
            times=frozenset({"2012-01-02"}),
            predicates={"do@fire"},
        ),
    ]
    assert dated_figure_conflicts(claims, OUTLETS) == ([], set())


def test_a_thing_one_outlet_hedges_and_another_names_outright_is_a_certainty_difference() -> None:
    claims = [
        _claim(
            "h",
            "Herald",
            "Engineers blamed a probable crane failure for the collapse at the port.",
            hedged_terms=("crane failure",),
        ),
        _claim("c", "Courier", "The collapse at the port followed a crane failure, the operator said."),
    ]
    [difference] = hedged_things(claims, OUTLETS)
    assert difference.kind == "certainty" and difference.about == "crane failure"
    assert [s["claim"] for s in difference.spans] == ["c", "h"]


def test_a_hedge_on_both_sides_a_quoted_mention_or_the_same_words_elsewhere_are_no_difference() -> None:
    hedging = _claim(
        "h",
        "Herald",
        "Engineers blamed a probable crane failure for the collapse at the port.",
        hedged_terms=("crane failure",),
    )
    others = [
        # Hedged too, in words the language layer does not read as a modifier.
        _claim("c", "Courier", "The collapse at the port may have followed a crane failure."),
        # Named outright only inside someone's quotation.
        _claim("p", "Post", "“It was a crane failure,” a docker said of the collapse at the port."),
        # Named outright, but nothing else in common: it may be said of something else.
        _claim("q", "Courier", "A crane failure last year cost the shipyard two contracts."),
    ]
    assert hedged_things([hedging, *others], OUTLETS) == []
    for other in others:  # each of them alone, too
        assert hedged_things([hedging, other], OUTLETS) == []


def test_ordinals_clock_times_and_decades_are_no_figures_glued_scales_multiply_currencies_differ() -> None:
    text = "She was hit on 117th Street at 9pm, the 7th crash there since the 1990s."
    assert figures(_claim("h", "Herald", text)) == []
    [deal] = figures(_claim("h", "Herald", "The deal is worth $1.5bn to the port."))
    assert (deal.value, deal.unit) == (1.5e9, "$")
    [walk] = figures(_claim("h", "Herald", "They walked 10km to the camp."))
    assert (walk.value, walk.unit) == (10, "km")
    [euros] = figures(_claim("h", "Herald", "The gems were worth €103 million, the insurer said."))
    [pounds] = figures(_claim("c", "Courier", "The gems were worth £88m, the insurer said."))
    assert (euros.unit, pounds.unit, pounds.value) == ("€", "£", 88e6)  # two currencies, not two amounts


def test_a_quoted_hedge_or_a_hedge_on_a_name_is_no_certainty_difference() -> None:
    stated = _claim("h", "Herald", "Divers were treating the crates as live munitions.")
    quoted = _claim(
        "c",
        "Courier",
        "Officials called them simply “suspected munitions crates.”",
        certainty="hedged",
        hedges=("suspected",),
    )
    assert certainty_and_attribution("g", "the crates", [stated, quoted]) == []
    leaders = _claim(
        "p",
        "Post",
        "Party leaders are eager to bring Okafor and her voters into the fold.",
        entities=frozenset({"Okafor"}),
    )
    suggested = _claim(
        "q",
        "Herald",
        "The premier has privately suggested that Okafor leave the race.",
        certainty="hedged",
        hedges=("suggested",),
        entities=frozenset({"Okafor"}),
    )
    assert certainty_and_attribution("g", "the race", [leaders, suggested]) == []
