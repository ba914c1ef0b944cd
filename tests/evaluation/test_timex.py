"""Floor: the temporal tagger on the TempEval-3 training data (TimeBank and AQUAINT, 256 articles,
1,822 gold TIMEX3), anchored on each article's creation date.

Relaxed span F1 (any overlap, one to one) and value F1 (overlapping and the same TIMEX3 value)
are pinned. These are in-sample figures: the tagger was built on this data. (HeidelTime's value
F1 of 0.776 is on the TempEval-3 test set, other data.) Runs only where ../shared/data is present.
"""

from __future__ import annotations

import pytest

from tests.conftest import needs_shared
from tools.evaluation.timex import TimexScore, load_docs, score


@pytest.fixture(scope="module")
def timex_score() -> TimexScore:
    folder = needs_shared("data", "tempeval3", "docs.jsonl").parent
    needs_shared("data", "tempeval3", "timex.jsonl")
    total, _ = score(load_docs(folder))
    return total


def test_every_gold_expression_is_scored(timex_score: TimexScore) -> None:
    assert timex_score.gold == 1822


def test_relaxed_span_f1_floor(timex_score: TimexScore) -> None:
    assert timex_score.relaxed_f1 >= 0.88, timex_score.as_dict()


def test_value_f1_floor(timex_score: TimexScore) -> None:
    assert timex_score.value_f1 >= 0.80, timex_score.as_dict()
