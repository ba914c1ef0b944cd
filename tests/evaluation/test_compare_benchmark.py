"""Floors on the comparison benchmark (../shared/compare: eight real three-outlet events with a
careful reader's gold, scored for precision as well as recall), per half of the events.

The floors are today's figures, measured (docs/compare.md), so that no change lowers any measure
on either half unnoticed; they are not issue 15's targets, which are far above (shared
precision 0.85 and recall 0.60, and the rest; of them, only the conflict measures are met, over
all eight events: recall 6/10, precision 7/8). Runs only where ../shared/compare is present.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import needs_shared
from tools.evaluation.compare import run

# found / total per measure and half: (found at least, or at most for false alarms)
FLOORS = {
    "tune": {
        "shared_recall": 69,
        "shared_precision": (45, 72),
        "unique_recall": 66,
        "conflict_recall": 5,
        "conflict_precision": (6, 7),
        "false_alarms": 0,
        "people_merged": 41,
        "speakers": 47,
    },
    "check": {
        "shared_recall": 49,
        "shared_precision": (25, 45),
        "unique_recall": 61,
        "conflict_recall": 1,
        "conflict_precision": (1, 1),
        "false_alarms": 0,
        "people_merged": 35,
        "speakers": 46,
    },
}


@pytest.mark.slow
def test_no_measure_falls_on_either_half(tmp_path: Path) -> None:
    gold = needs_shared("compare")
    totals = run(gold, tmp_path, fresh=True, explain=False, out=lambda _: None)
    for half, floors in FLOORS.items():
        measured = totals[half]
        for measure, floor in floors.items():
            found, total = measured[measure]
            if isinstance(floor, tuple):  # a ratio: found/total at least the floor's
                assert found * floor[1] >= floor[0] * total, (half, measure, measured[measure], floor)
            elif measure == "false_alarms":
                assert found <= floor, (half, measure, measured[measure])
            else:
                assert found >= floor, (half, measure, measured[measure])
