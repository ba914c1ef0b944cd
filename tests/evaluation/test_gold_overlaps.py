"""The gold-overlap check of the comparison benchmark, on a gold written for this test with the
benchmark's own scorer deciding what covers what."""

from __future__ import annotations

from tests.conftest import needs_shared
from tools.evaluation.compare import load_scorer
from tools.evaluation.gold_overlaps import Overlap, overlaps

GOLD = {
    "facts": [
        {  # B's only snippet is inside B's single-outlet sentence, and only A and B state it
            "id": "F1",
            "snippets": {"A": ["The port reopened on Monday"], "B": ["the port reopened after a week"]},
        },
        {  # the same overlap, but A and C still state it apart from B
            "id": "F2",
            "snippets": {
                "A": ["Ferries resumed their crossings"],
                "B": ["Ferries resumed their crossings to the island"],
                "C": ["ferry crossings resumed"],
            },
        },
        {  # B has a second snippet free of it: B's claim can be grouped without the detail
            "id": "F3",
            "snippets": {"A": ["Two cranes were damaged"], "B": ["two cranes were damaged", "Cranes broke"]},
        },
    ],
    "unique_facts": [
        {"in": "B", "snippet": "Officials said the port reopened after a week of repairs costing 4 million"},
        {"in": "B", "snippet": "Ferries resumed their crossings to the island"},
        {"in": "B", "snippet": "two cranes were damaged in the storm"},
    ],
}


def test_a_shared_fact_tied_to_a_single_outlet_one_is_listed() -> None:
    covers = load_scorer(needs_shared("compare")).covers
    assert overlaps("event", GOLD, covers) == [
        Overlap("event", "F1", "B", ("U0",), unavoidable=True),
        Overlap("event", "F2", "B", ("U1",), unavoidable=False),
    ]
