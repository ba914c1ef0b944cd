"""Quotes: direct with the cue before or after, run-on, partial, indirect; names and scare quotes
are not quotes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.tokens import Doc

from newsweave.nlp.quotes import SPANS_KEY

TRIAL = (
    "Judge Carla Mendes adjourned the fraud trial of Viktor Hale on Thursday.\n\n"
    "“The defence needs more time to examine thousands of pages of new evidence,” Mendes said. "
    "“I will not rush a case of this size.”\n\n"
    "Hale’s lawyer, Priya Nair, told reporters that her client was “relieved” and would testify in May. "
    "Prosecutors said the delay would cost taxpayers more money.\n\n"
    "Nair said: “My client has waited two years to clear his name.”"
)
SCARE = (
    "The so-called “restructuring” ran for three months. Workers watched “The Wolf of Wall Street” in "
    "the canteen on the last day."
)
PRONOUN = (
    "Mayor Lena Fischer opened the bridge on Friday. “It took eleven years, but it is finally here,” she "
    "said in a statement posted on the city’s website."
)


def _quotes(doc: Doc) -> list[tuple[str, str, str, str | None, str | None]]:
    group = doc.spans[SPANS_KEY]
    return [
        (s.label_, s.text, s.kb_id_, info["cue"], info["via"])
        for s, info in zip(group, group.attrs["info"], strict=True)
    ]


def test_direct_quote_with_the_cue_after(process: Callable[[str], Doc]) -> None:
    quotes = _quotes(process(TRIAL))
    assert (
        "direct",
        "The defence needs more time to examine thousands of pages of new evidence",
        "Carla Mendes",
        "said",
        None,
    ) in quotes


def test_quote_without_a_cue_runs_on_with_the_speaker(process: Callable[[str], Doc]) -> None:
    quotes = _quotes(process(TRIAL))
    assert any(q[1].startswith("I will not rush") and q[2] == "Carla Mendes" for q in quotes)


def test_direct_quote_after_a_colon(process: Callable[[str], Doc]) -> None:
    quotes = _quotes(process(TRIAL))
    assert any(
        q[0] == "direct" and q[1].startswith("My client has waited") and q[2] == "Priya Nair" for q in quotes
    )


def test_partial_quote_inside_reported_speech(process: Callable[[str], Doc]) -> None:
    assert ("partial", "relieved", "Priya Nair", "told", None) in _quotes(process(TRIAL))


def test_indirect_speech(process: Callable[[str], Doc]) -> None:
    quotes = _quotes(process(TRIAL))
    assert any(q[0] == "indirect" and q[1] == "the delay would cost taxpayers more money" for q in quotes)


def test_pronoun_speaker_and_channel(process: Callable[[str], Doc]) -> None:
    (quote,) = [q for q in _quotes(process(PRONOUN)) if q[0] == "direct"]
    assert quote[2] == "Lena Fischer"
    assert quote[4] is not None and "statement" in quote[4]


def test_titles_and_scare_quotes_are_not_quotes(process: Callable[[str], Doc]) -> None:
    assert _quotes(process(SCARE)) == []


def test_transcript_lines_name_their_speaker(process: Callable[[str], Doc]) -> None:
    doc = process(
        "The debate went on past midnight.\n\n“MORALES: We will not raise taxes on working families.”"
    )
    group = doc.spans[SPANS_KEY]
    (info,) = [i for s, i in zip(group, group.attrs["info"], strict=True) if s.label_ == "direct"]
    assert info["speaker"] == "MORALES"


def _speakers(doc: Doc) -> dict[str, tuple[str, str]]:
    """Quoted words → (speaker as written, canonical name)."""
    group = doc.spans[SPANS_KEY]
    return {
        s.text: (info["speaker"] or "", s.kb_id_) for s, info in zip(group, group.attrs["info"], strict=True)
    }


NESTED_DOUBLE = (
    "Nurse Amira Haddad was on the ward when the director arrived on Tuesday.\n\n"
    "\"He told me, 'we will not resign,' and left,\" she said."
)
NESTED_BRITISH = (
    "Union convenor Tom Becker spoke outside the plant gates on Monday.\n\n"
    "‘The manager told us, “the line will close in March,” and walked off,’ Becker said."
)
NESTED_CURLY = (
    "Council member Rosa Delgado described the budget meeting to reporters. “The mayor looked at me and "
    "said, ‘I have the votes,’ and that was it,” Delgado said in an interview."
)


@pytest.mark.parametrize(
    ("text", "outer", "outer_speaker", "inner", "inner_words"),
    [
        (
            NESTED_DOUBLE,
            "He told me, 'we will not resign,' and left",
            "Amira Haddad",
            "we will not resign",
            "He",
        ),
        (
            NESTED_BRITISH,
            "The manager told us, “the line will close in March,” and walked off",
            "Tom Becker",
            "the line will close in March",
            "The manager",
        ),
        (
            NESTED_CURLY,
            "The mayor looked at me and said, ‘I have the votes,’ and that was it",
            "Rosa Delgado",
            "I have the votes",
            "The mayor",
        ),
    ],
)
def test_a_quote_inside_a_quote_has_its_own_speaker(
    process: Callable[[str], Doc], text: str, outer: str, outer_speaker: str, inner: str, inner_words: str
) -> None:
    speakers = _speakers(process(text))
    assert outer_speaker in speakers[outer][1]
    words, canonical = speakers[inner]
    assert words == inner_words
    assert outer_speaker not in canonical  # the one quoted would say "I", not "he"


def test_the_speaker_span_points_at_the_speakers_words(process: Callable[[str], Doc]) -> None:
    doc = process(PRONOUN)
    group = doc.spans[SPANS_KEY]
    (info,) = [i for s, i in zip(group, group.attrs["info"], strict=True) if s.label_ == "direct"]
    start, end = info["speaker_span"]
    assert doc.text[start:end] == "she"


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        # the cue sentence comes before, ending in "X said." — the quotation goes on with X
        (
            "Harbour master Ines Oliveira said the ferry would not sail until the storm had passed, and "
            "that the crew had been sent home. “Nobody goes out in this,” Oliveira said. “Not today.”\n\n"
            "Fishermen said the harbour had been closed since dawn. Oliveira said the port would reopen "
            "on Thursday. “We will check every mooring first.”",
            "We will check every mooring first.",
            "Ines Oliveira",
        ),
        # a partial quote, then a full one with no cue of its own
        (
            "Senator Dana Whitfield called the bill “a gift to the banks,” and said she would vote against "
            "it. “I have read all four hundred pages.”",
            "I have read all four hundred pages.",
            "Dana Whitfield",
        ),
        # the cue in the next sentence, a few words in ("“…?” a narrator in the ad asks.")
        (
            "The advertisement opens on an empty factory floor in Ohio.\n\n“Who closed it?” a narrator in "
            "the advertisement asks.",
            "Who closed it?",
            "a narrator",
        ),
        # a phrasal speech verb: "went on", "shot back"
        (
            "Governor Paul Brennan defended the budget at the town hall. “We cut what we had to,” "
            "Brennan said. A woman in the front row shouted that the schools were closing.\n\n"
            "“Schools are not closing,” Brennan shot back.",
            "Schools are not closing",
            "Paul Brennan",
        ),
        # a name and a colon, no verb
        (
            "Analysts were divided on the result.\n\nMore from economist Laura Kemp: “The rate cut came a "
            "quarter too late.”",
            "The rate cut came a quarter too late.",
            "Laura Kemp",
        ),
        # a speaker described by age
        (
            "The winner of the regional spelling bee was from a small school in Leeds.\n\n“I practised "
            "every night for a year,” said the 12-year-old.",
            "I practised every night for a year",
            "the 12-year-old",
        ),
        # a name between commas after the role heading the subject
        (
            "A spokesman for Mr. Kessler, Michael Brandt, said Tuesday that the senator “believes this "
            "action is purely political,” and referred a reporter to a letter.",
            "believes this action is purely political",
            "Michael Brandt",
        ),
        # a description ("the governor") is the person the text gave that title, not the last
        # person in focus
        (
            "Governor Helen Marsh praised the new budget on Monday.\n\nDavid Cole, the treasurer, "
            "presented it to the assembly.\n\n“This budget keeps every school open,” the governor said.",
            "This budget keeps every school open",
            "Helen Marsh",
        ),
        # "NAME added: “…”" after a paragraph that runs on, a cue in the next one
        (
            "Asked why the intruder chose that night, Minister Jeff Holloway said he did not know but "
            "that the man “seems to have planned it for weeks”\n\nKessler added: “We cannot speak about a "
            "reason yet.”\n\nInvestigators identified the man from a fingerprint, officials said Friday.",
            "We cannot speak about a reason yet.",
            "Kessler",
        ),
        # a person named inside the quotation is not who "she" is
        (
            "Asked about the vote, Linda Warren said she was not worried about her seat.\n\n"
            "“I will stay on as chair, as Governor Paul Brennan has asked me to do,” she said.",
            "I will stay on as chair, as Governor Paul Brennan has asked me to do",
            "Linda Warren",
        ),
        # a member of a group, named in apposition: "one of her lawyers, NAME, says"
        (
            "The offence carries a fine of up to ten thousand euros. However, one of her lawyers, "
            'Tom Reilly, says the settlement "does not foresee a penalty of that size."',
            "does not foresee a penalty of that size.",
            "Tom Reilly",
        ),
        # a verb of contention is a cue: a partial quote, not scare quotes
        (
            "The lawyer, Maria Lopez, wrote to the prosecutors last week. Lopez contended that there "
            'was a "hurry to prosecute" after an inquiry of two years.',
            "hurry to prosecute",
            "Lopez",
        ),
        # a belief is a cue too: the quoted words are the believer's
        (
            "Not everyone welcomed the ruling. Ruth Adeyemi, head of a parents' group, believes that "
            "letting the clubs merge “undoes a decade of careful work” across the league.",
            "undoes a decade of careful work",
            "Ruth Adeyemi",
        ),
        # a quotation with no cue, after a quotation whose cue follows it
        (
            "The prosecutor, Daniel Okafor, spoke after the verdict. “The jury listened to every witness,” "
            "Mr. Okafor added. “Today shows that the law applies to everyone.”",
            "Today shows that the law applies to everyone.",
            "Daniel Okafor",
        ),
    ],
)
def test_speaker_constructions(process: Callable[[str], Doc], text: str, quote: str, speaker: str) -> None:
    words, canonical = _speakers(process(text))[quote]
    assert speaker in (words, canonical), (words, canonical)


def test_a_source_in_the_next_paragraph_does_not_take_a_quote_that_ends_this_one(
    process: Callable[[str], Doc],
) -> None:
    # The parser runs the second quote's sentence on over the paragraph break, up to the next
    # paragraph's "according to": that source is the next paragraph's, not this quote's.
    text = (
        "“Elected officials should guard the public’s trust, not abuse it,” Minister Ada Okafor added. "
        "“Today’s ruling shows that every office must answer for its spending.”\n\n"
        "Beyond the trips and the school fees, the charges listed dental work and theater tickets, as well "
        "as “thousands of dollars on smaller purchases,” according to a statement released by the ministry."
    )
    quotes = _quotes(process(text))
    assert any(q[1].startswith("Today’s ruling") and q[2] == "Ada Okafor" for q in quotes), quotes


OWNED = (
    "The council leader rejected union chief Marta Ibsen's warning last week that the port was "
    'heading for a "slow decline" under the new contract. Separately, Mayor Lena Fischer called '
    'Ibsen\'s "divisive" remarks unhelpful.'
)


def test_a_quotation_in_someones_claim_is_theirs(process: Callable[[str], Doc]) -> None:
    # "Ibsen's warning that … “…”": the words are Ibsen's, not the council leader's; a quoted
    # word that describes the remarks ("Ibsen's “divisive” remarks") is not Ibsen's content.
    quotes = [(kind, text, speaker, cue) for kind, text, speaker, cue, _ in _quotes(process(OWNED))]
    assert ("partial", "slow decline", "Marta Ibsen", "warning") in quotes
    assert not [q for q in quotes if q[1] == "divisive" and q[2] == "Marta Ibsen"]
