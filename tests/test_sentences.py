"""Where sentences end: one rule for the report's citations, the reading view and framing."""

from __future__ import annotations

from itertools import pairwise

from newsweave.sentences import sentence_ends


def test_sentences_run_past_titles_and_initials() -> None:
    body = (
        "Earlier, Mr. Varga said no. By March 2017, Lt. Gov. Ana B. Lopez had met Tom Reyes Jr. at the "
        "port. The hearing went to Dr. Lena Park Jr.\nThe next day, the vote passed!"
    )
    ends = [0, *sentence_ends(body), len(body)]
    sentences = [body[a:b].strip() for a, b in pairwise(ends) if body[a:b].strip()]
    assert sentences == [
        "Earlier, Mr. Varga said no.",
        "By March 2017, Lt. Gov. Ana B. Lopez had met Tom Reyes Jr. at the port.",
        "The hearing went to Dr. Lena Park Jr.",
        "The next day, the vote passed!",
    ]


def test_a_run_of_line_breaks_is_one_end_and_an_ellipsis_ends_a_sentence() -> None:
    assert sentence_ends("Ships waited\n\nThe board met.") == [14]
    assert sentence_ends("The port reopened…  Ships waited.") == [18]


def test_ends_within_bounds_are_judged_by_the_text_past_them() -> None:
    body = "Gov. Ana Ruiz spoke. Mr. Weber left. The vote passed."
    assert sentence_ends(body) == [20, 36]
    # The period at 35 ends a sentence because "The" follows, past the bound of 36.
    assert sentence_ends(body, 21, 36) == [36]
    assert sentence_ends(body, 21, 35) == []
