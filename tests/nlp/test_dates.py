"""The temporal tagger on sentences written for these tests: a port strike, an election, a flood,
a trial, a product launch, company results. Each test pins one behaviour; the anchor (publication
date) is Friday 15 March 2024 unless a test says otherwise."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from newsweave.nlp.dates import TimeExpression, find_time_expressions, infer_anchor

ANCHOR = date(2024, 3, 15)  # a Friday


def _tags(text: str, anchor: date | None = ANCHOR) -> list[TimeExpression]:
    return find_time_expressions(text, anchor)


def _one(text: str, phrase: str, anchor: date | None = ANCHOR) -> TimeExpression:
    """The expression whose text is `phrase` (it must be found exactly once)."""
    found = [t for t in _tags(text, anchor) if t.text == phrase]
    assert len(found) == 1, (phrase, _tags(text, anchor))
    return found[0]


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        (
            "Dockworkers walked off the job on March 4, 2024, after talks collapsed.",
            "March 4, 2024",
            "2024-03-04",
        ),
        ("The ferry sank on 12 January 2023 with 40 people aboard.", "12 January 2023", "2023-01-12"),
        ("The filing, dated 2024-02-29, lists three creditors.", "2024-02-29", "2024-02-29"),
        ("Ballots postmarked by 11/5/2024 will be counted.", "11/5/2024", "2024-11-05"),
        ("The verdict was read on Sept. 9, 2021, to a silent courtroom.", "Sept. 9, 2021", "2021-09-09"),
    ],
)
def test_explicit_dates_are_normalised(text: str, phrase: str, value: str) -> None:
    found = _one(text, phrase)
    assert (found.value, found.type) == (value, "DATE")


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        # Close to the anchor, the nearest occurrence is the one meant, whichever way it lies.
        ("The strike began on March 4 and has closed three terminals.", "March 4", "2024-03-04"),
        ("The union said the walkout would end on April 2.", "April 2", "2024-04-02"),
        # Months away, the tense decides: a past event reaches back into last year.
        ("The river burst its banks on Oct. 28, flooding hundreds of homes.", "Oct. 28", "2023-10-28"),
    ],
)
def test_a_day_and_month_take_the_year_a_reader_would(text: str, phrase: str, value: str) -> None:
    assert _one(text, phrase).value == value


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The company first showed the headset to investors in September.", "September", "2023-09"),
        ("The mayor said a September visit by the minister had been cancelled.", "September", "2023-09"),
        ("The launch will take place next September in Austin.", "next September", "2024-09"),
        ("Voters will return to the polls in November.", "November", "2024-11"),
        ("Prices rose sharply in February, the statistics office said.", "February", "2024-02"),
        ("Back in February the port handled a record 2 million containers.", "February", "2024-02"),
    ],
)
def test_a_month_alone_follows_the_tense(text: str, phrase: str, value: str) -> None:
    assert _one(text, phrase).value == value


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The jury returned on Monday after a weekend break.", "Monday", "2024-03-11"),
        ("Officials met on Sunday to discuss the evacuation.", "Sunday", "2024-03-10"),
        ("The appeal will be heard on Wednesday.", "Wednesday", "2024-03-20"),
        ("Polls open on Tuesday, the commission said.", "Tuesday", "2024-03-19"),
        ("The company reported record sales today.", "today", "2024-03-15"),
        ("Police arrested two men yesterday.", "yesterday", "2024-03-14"),
        ("The minister is expected to resign tomorrow.", "tomorrow", "2024-03-16"),
    ],
)
def test_days_resolve_against_the_anchor(text: str, phrase: str, value: str) -> None:
    assert _one(text, phrase).value == value


def test_a_weekday_with_a_part_of_the_day_is_a_time() -> None:
    found = _one("Flood waters peaked on Friday morning near the bridge.", "Friday morning")
    assert (found.value, found.type) == ("2024-03-15TMO", "TIME")


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The court heard 40 witnesses last month.", "last month", "2024-02"),
        ("Dock fees were raised earlier this month.", "earlier this month", "2024-03"),
        ("Turnout this year is expected to top 60 percent.", "this year", "2024"),
        ("The plant closed last year after a fire.", "last year", "2023"),
        ("Negotiations resume next week in Rotterdam.", "next week", "2024-W12"),
    ],
)
def test_relative_periods_count_from_the_anchor(text: str, phrase: str, value: str) -> None:
    assert _one(text, phrase).value == value


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        # In March, a quarter that has not begun yet is last year's when the sentence looks back.
        ("Shipments fell 8 percent in the third quarter.", "the third quarter", "2023-Q3"),
        ("Shipments are expected to recover in the third quarter.", "the third quarter", "2024-Q3"),
        ("First-quarter orders are running ahead of plan.", "First-quarter", "2024-Q1"),
        ("The carrier reported its Q4 results on Feb. 14.", "Q4", "2023-Q4"),
        ("Guidance for Q2 2024 was raised.", "Q2 2024", "2024-Q2"),
        ("Revenue for FY2023 topped $2 billion.", "FY2023", "2023"),
    ],
)
def test_quarters_and_fiscal_years(text: str, phrase: str, value: str) -> None:
    assert _one(text, phrase).value == value


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Dec. 31 is the deadline for claims.", "Dec. 31", "2024-12-31"),
        ("The ceremony is on the third of May.", "the third of May", "2024-05-03"),
        ("The walkout is set for Christmas Eve.", "Christmas Eve", "2024-12-24"),
        ("The strikers marched on Thanksgiving Day.", "Thanksgiving Day", "2023-11-23"),
    ],
)
def test_dates_written_other_ways(text: str, phrase: str, value: str) -> None:
    assert _one(text, phrase).value == value


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Last year's visit by the inspectors found no violations.", "Last year's", "2023"),
        ("The dam was inspected in September of last year.", "September of last year", "2023-09"),
        ("The election was called in July last year.", "July last year", "2023-07"),
    ],
)
def test_a_year_word_reaches_back(text: str, phrase: str, value: str) -> None:
    assert _one(text, phrase).value == value


@pytest.mark.parametrize(
    ("text", "phrase", "value", "kind"),
    [
        ("The flood hit two weeks ago.", "two weeks ago", "2024-W09", "DATE"),
        ("The factory opened three years ago.", "three years ago", "2021", "DATE"),
        ("The defendant was arrested five days ago in Lyon.", "five days ago", "2024-03-10", "DATE"),
        ("The strike has lasted six years in all.", "six years", "P6Y", "DURATION"),
        ("Recovery will take three months, engineers said.", "three months", "P3M", "DURATION"),
        ("The jury deliberated for 48 hours.", "48 hours", "PT48H", "DURATION"),
        ("Prices have doubled over the past decade.", "the past decade", "P10Y", "DURATION"),
        ("The trial has dragged on for two and a half years.", "two and a half years", "P2Y6M", "DURATION"),
    ],
)
def test_ago_gives_a_date_and_a_length_gives_a_duration(
    text: str, phrase: str, value: str, kind: str
) -> None:
    found = _one(text, phrase)
    assert (found.value, found.type) == (value, kind)


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The port was dredged last fall.", "last fall", "2023-FA"),
        ("The port was dredged last autumn.", "last autumn", "2023-FA"),
        ("The device goes on sale this spring.", "this spring", "2024-SP"),
        ("Shipyards boomed in the 1990s.", "the 1990s", "199"),
        ("Few trials of the 20th century drew such crowds.", "the 20th century", "19"),
    ],
)
def test_seasons_decades_and_centuries(text: str, phrase: str, value: str) -> None:
    assert _one(text, phrase).value == value


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The vote is scheduled for March 19-20.", "March 19-20", "2024-03-19/2024-03-20"),
        ("Talks ran from March 11 to 13 in Geneva.", "March 11 to 13", "2024-03-11/2024-03-13"),
        ("Turnout fell between 2019 and 2021.", "between 2019 and 2021", "2019/2021"),
    ],
)
def test_ranges_are_one_interval(text: str, phrase: str, value: str) -> None:
    assert _one(text, phrase).value == value


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The treaty, a 2017 O.A.S. resolution, was never ratified.", "2017", "2017"),
        ("The company has lost money since 2018.", "2018", "2018"),
        ("The plan runs to 2030.", "2030", "2030"),
        ("The bridge was built in 1932.", "1932", "1932"),
    ],
)
def test_years(text: str, phrase: str, value: str) -> None:
    assert _one(text, phrase).value == value


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Polls close at 8 p.m. on election day.", "8 p.m.", "2024-03-15T20:00"),
        ("The jury returned at noon.", "noon", "2024-03-15T12:00"),
    ],
)
def test_clock_times(text: str, phrase: str, value: str) -> None:
    found = _one(text, phrase)
    assert (found.value, found.type) == (value, "TIME")


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Inspectors visit every week.", "every week", "P1W"),
        ("The ferry sails daily from the north pier.", "daily", "P1D"),
        ("The report is published annually.", "annually", "P1Y"),
    ],
)
def test_recurring_times_are_sets(text: str, phrase: str, value: str) -> None:
    found = _one(text, phrase)
    assert (found.value, found.type) == (value, "SET")


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The dockers are now on their third week without pay.", "now", "PRESENT_REF"),
        ("The company currently employs 1,200 people.", "currently", "PRESENT_REF"),
        ("The mayor recently toured the flooded district.", "recently", "PAST_REF"),
        ("Such floods were rare in the past.", "the past", "PAST_REF"),
        ("The firm plans more launches in the future.", "the future", "FUTURE_REF"),
    ],
)
def test_present_past_and_future_references(text: str, phrase: str, value: str) -> None:
    assert _one(text, phrase).value == value


def test_the_next_day_follows_the_last_date_mentioned() -> None:
    text = "The levee failed on March 2. The next day, soldiers began filling sandbags."
    assert _one(text, "The next day").value == "2024-03-03"


def test_without_an_anchor_a_day_and_month_keep_an_unknown_year() -> None:
    assert _one("The trial opens on March 15.", "March 15", anchor=None).value == "XXXX-03-15"


def test_without_an_anchor_relative_days_use_an_earlier_full_date() -> None:
    text = "The polls closed on June 2, 2022. Results came the following day, and on Monday the count ended."
    assert _one(text, "the following day", anchor=None).value == "2022-06-03"


@pytest.mark.parametrize(
    "text",
    [
        "The strikers may return to work if the offer improves.",
        "Protesters plan to march on the harbour office.",
        "It is the second largest port in the country.",
        "The union said 1,400 workers had joined the strike.",
        "The ticket price was cut to $2018 for the launch edition.",
        "Around 2,000 homes were flooded.",
        "She told the Sunday Times the verdict was unjust.",
        "May Thompson, a nurse, was the first witness.",
        "The comedian hosted Saturday Night Live twice.",
        "The store is open 24/7 and sells the Model 3.",
    ],
)
def test_words_that_only_look_like_time_are_not_tagged(text: str) -> None:
    assert _tags(text) == []


def test_expressions_come_in_order_and_do_not_overlap() -> None:
    text = (
        "The launch, first planned for last fall, was moved to March 20, 2024, and then to next week; "
        "the company has delayed it three times in two years."
    )
    found = _tags(text)
    assert [t.start for t in found] == sorted(t.start for t in found)
    assert all(a.end <= b.start for a, b in pairwise(found))
    assert all(text[t.start : t.end] == t.text for t in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Filed on 3 May 2021. Amended on June 9, 2022. Heard in 2023.", date(2022, 6, 9)),
        ("The council met in March and will meet again next year.", None),
    ],
)
def test_infer_anchor_takes_the_latest_full_date(text: str, expected: date | None) -> None:
    assert infer_anchor(text) == expected
