"""Claims: verbatim units with source, certainty, polarity, numbers."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from newsweave.nlp.claims import SPANS_KEY

REPORT = (
    "The ferry company cut its winter timetable by 40 percent. Regional officials said the service would "
    "likely resume in March; the union has accused the company of ignoring safety warnings. "
    "The company did not respond to requests for comment. According to port records, two ships were "
    "withdrawn in January."
)


def _claims(doc: Doc) -> list[tuple[str, str, str, dict[str, object]]]:
    group = doc.spans[SPANS_KEY]
    return [(s.text, s.label_, s.kb_id_, info) for s, info in zip(group, group.attrs["info"], strict=True)]


def test_claims_are_verbatim_spans(process: Callable[[str], Doc]) -> None:
    doc = process(REPORT)
    for span in doc.spans[SPANS_KEY]:
        assert doc.text[span.start_char : span.end_char] == span.text


def test_the_outlet_asserts_unattributed_statements_with_their_numbers(process: Callable[[str], Doc]) -> None:
    first = _claims(process(REPORT))[0]
    assert first[0].startswith("The ferry company cut") and first[1] == "asserted" and first[2] == ""
    assert "40 percent" in first[3]["numbers"]  # type: ignore[operator]


def test_a_hedged_statement_by_a_named_source(process: Callable[[str], Doc]) -> None:
    claims = _claims(process(REPORT))
    officials = next(c for c in claims if c[0].startswith("Regional officials said"))
    assert officials[1] == "hedged" and officials[2] == "Regional officials"
    assert officials[3]["hedges"] == ["likely"]


def test_a_sentence_with_two_statements_gives_two_claims(process: Callable[[str], Doc]) -> None:
    claims = _claims(process(REPORT))
    union = next(c for c in claims if "accused" in c[0])
    assert union[0].startswith("the union has accused") and union[2] == "the union"


def test_negation_and_according_to(process: Callable[[str], Doc]) -> None:
    claims = _claims(process(REPORT))
    silent = next(c for c in claims if "did not respond" in c[0])
    assert silent[3]["polarity"] == "negative"
    records = next(c for c in claims if c[0].startswith("According to port records"))
    assert records[2] == "port records"


def test_a_quoted_cue_and_the_outlets_own_follow_up_are_two_claims(process: Callable[[str], Doc]) -> None:
    text = (
        "“The bridge is safe,” the mayor said, so the council reopened it on Monday, in a possible breach "
        "of the national safety code."
    )
    claims = _claims(process(text))
    assert claims[0][0] == "“The bridge is safe,” the mayor said," and claims[0][2] == "the mayor"
    assert claims[1][0].startswith("so the council reopened it")
    assert claims[1][1] == "hedged" and claims[1][2] == ""


def test_side_statements_are_claims_of_their_own_with_their_context(process: Callable[[str], Doc]) -> None:
    text = (
        "The new bridge, which cost 40 million euros, opened to traffic on Monday, following two years "
        "of delays. The mayor, who took office last spring, is known for her support of public transport."
    )
    claims = {c[0]: c[3] for c in _claims(process(text))}
    assert claims["which cost 40 million euros"]["context"] == "The new bridge"
    assert "following two years of delays." in claims
    assert claims["who took office last spring"]["context"] == "The mayor"
    assert "The new bridge," not in claims  # a subject left before its clause says nothing alone
    known = next(info for text, info in claims.items() if text.startswith("is known for"))
    assert known["context"] == "The mayor"


def test_a_reason_or_time_clause_after_a_comma_is_a_claim_of_its_own(process: Callable[[str], Doc]) -> None:
    text = (
        "Police widened their search along the coast, as several of the boats may have sailed "
        "from the northern harbour. The road stays closed if it rains."
    )
    claims = [c[0] for c in _claims(process(text))]
    assert "Police widened their search along the coast," in claims
    assert "as several of the boats may have sailed from the northern harbour" in claims
    assert "The road stays closed if it rains." in claims  # a condition is part of its statement


def test_a_quotation_is_never_cut_into_side_statements(process: Callable[[str], Doc]) -> None:
    text = '"The bridge, which we fought for, is finally open," the mayor said on Monday.'
    claims = [c[0] for c in _claims(process(text))]
    assert claims == ['"The bridge, which we fought for, is finally open," the mayor said on Monday.']


def test_a_claim_keeps_the_lemmas_of_its_words_and_its_context(process: Callable[[str], Doc]) -> None:
    text = "The new bridges, which cost 40 million euros, opened on Monday. Two ships were withdrawn."
    claims = {c[0]: c[3] for c in _claims(process(text))}
    side = claims["which cost 40 million euros"]
    assert side["context"] == "The new bridges"
    assert side["lemmas"] == {"euros": "euro", "bridges": "bridge"}  # its context's words too
    ships = claims["Two ships were withdrawn."]["lemmas"]
    assert isinstance(ships, dict) and ships["ships"] == "ship" and ships["withdrawn"] == "withdraw"
    assert "two" not in ships  # a word that is its own lemma is not repeated


def test_predicates_name_what_a_claim_states_and_what_it_denies(process: Callable[[str], Doc]) -> None:
    text = (
        "No arrests were made at the harbour, and the boats were towed away. "
        "Police arrested two fishermen at the harbour. "
        "The inquiry found the cause of the fire. "
        "The inquiry has not found a cause."
    )
    predicates = {c[0]: c[3]["predicates"] for c in _claims(process(text))}
    # What "no arrests" denies is the noun, not the making.
    assert "no arrest" in predicates[next(k for k in predicates if k.startswith("No arrests"))]
    assert not {"make", "not make"} & set(
        predicates[next(k for k in predicates if k.startswith("No arrests"))]
    )
    assert predicates["Police arrested two fishermen at the harbour."] == ["arrest@police"]
    assert predicates["The inquiry found the cause of the fire."] == ["find@inquiry"]
    assert predicates["The inquiry has not found a cause."] == ["not find@inquiry"]


def test_suppositions_questions_timing_denials_and_reported_beliefs_state_nothing(
    process: Callable[[str], Doc],
) -> None:
    text = (
        "Tenants may stay on even if the landlord does not renew the lease. "
        "The inspector warned there may be more leaks not yet repaired. "
        "Nobody knows whether the bridge was built to last. "
        "Residents do not believe the mayor had a plan. "
        "The minister denied that the aide took the money. "
        "Did the council approve the budget? "
        "The club did not take the lead until the final minute."
    )
    stated = [p for c in _claims(process(text)) for p in c[3]["predicates"]]  # type: ignore[attr-defined]
    assert not {p.split("@")[0].removeprefix("not ") for p in stated} & {
        "stay", "renew", "repair", "build", "last", "have", "take", "approve"
    }  # fmt: skip


def test_a_thing_hedged_in_the_outlets_own_words_is_kept_without_the_hedge(
    process: Callable[[str], Doc],
) -> None:
    text = (
        "Engineers blamed a probable crane failure for the collapse. "
        "Likely voters backed the plan. "
        "A docker called it “a possible crane failure” on Monday."
    )
    terms = {c[0]: c[3]["hedged_terms"] for c in _claims(process(text))}
    assert terms["Engineers blamed a probable crane failure for the collapse."] == ["crane failure"]
    assert terms["Likely voters backed the plan."] == []  # a kind of voter, not a doubt
    assert all(t == [] for k, t in terms.items() if "docker" in k)  # the docker's words


def _phrases_of(doc: Doc) -> dict[str, list[str]]:
    return {text: [doc.text[a:b] for a, b in info["phrases"]] for text, _, _, info in _claims(doc)}  # type: ignore[attr-defined]


def test_the_phrases_that_could_come_off_a_claim(process: Callable[[str], Doc]) -> None:
    doc = process(
        "In a 40-page ruling released on Monday, the appeals court struck down the permit for the harbour "
        "tunnel. The council approved the tunnel, which will cost 2.3 billion euros over the next nine years."
    )
    phrases = _phrases_of(doc)
    ruling = next(p for t, p in phrases.items() if t.startswith("In a 40-page"))
    assert "In a 40-page ruling released on Monday" in ruling
    assert "for the harbour tunnel" not in ruling  # a bare setting: part of the fact it qualifies
    cost = next(p for t, p in phrases.items() if "will cost" in t)
    assert "over the next nine years" in cost


def test_no_phrase_in_quoted_words_an_attribution_or_a_supposition(process: Callable[[str], Doc]) -> None:
    doc = process(
        "“We will build it within nine years, whatever it costs,” the mayor said on Monday. According to "
        "the port authority, the tunnel will open in 2031 if the council finds 2 billion euros for it."
    )
    phrases = [p for ps in _phrases_of(doc).values() for p in ps]
    assert not any("within nine years" in p or "whatever it costs" in p for p in phrases)
    assert not any(p.startswith(("According", "if the council")) for p in phrases)


def test_a_conjunct_comes_off_unless_it_is_a_name_or_an_alternative(process: Callable[[str], Doc]) -> None:
    doc = process(
        "Ms. Varga is a retired pilot and a self-taught sculptor. "
        "The mayor thanked the firefighters and met Ana Lopez and Peter Novak. "
        "The inspectors did not say whether the pipes were laid badly or simply wore out. "
        "The crew will repair the pump or replace it."
    )
    phrases = _phrases_of(doc)
    sculptor = next(p for t, p in phrases.items() if "sculptor" in t)
    assert "a self-taught sculptor" in sculptor  # a second thing said of her
    mayor = next(p for t, p in phrases.items() if "mayor" in t)
    assert any(p.startswith("met Ana Lopez") for p in mayor)  # a second deed
    assert "Peter Novak" not in mayor  # one of the people met: cut off, the rest names a subset
    pipes = next(p for t, p in phrases.items() if "pipes" in t)
    assert pipes == []  # an alternative inside a supposition: the whole "whether" is one thing
    pump = next(p for t, p in phrases.items() if "pump" in t)
    assert not any(p.startswith("replace") for p in pump)  # cut off, "will repair" would be certain


def test_a_relative_clause_in_the_opening_setting_stays_with_its_claim(process: Callable[[str], Doc]) -> None:
    # Cut there, "By June 2015," would be a fragment, dropped, and the statement would lose its date.
    doc = process(
        "By June 2015, when the city council opened its own inquiry, the mayor was already being "
        "investigated by state prosecutors. The new bridge, which cost 40 million euros to build, opened "
        "on Tuesday."
    )
    texts = [c[0] for c in _claims(doc)]
    whole = [t for t in texts if t.startswith("By June 2015, when the city council")]
    assert len(whole) == 1 and whole[0].endswith("prosecutors.")
    assert "which cost 40 million euros to build" in texts  # a subject's relative clause is still cut


def test_a_question_is_not_split_into_fragments(process: Callable[[str], Doc]) -> None:
    doc = process("So who is Ana Lopez, and how did she win the seat? The mayor quit, and the council met.")
    texts = [c[0] for c in _claims(doc)]
    assert "So who is Ana Lopez, and how did she win the seat?" in texts
    assert "the council met." in texts  # a statement still splits at its second clause
