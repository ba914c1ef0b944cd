"""The runtime across processes: docs from worker processes carry what one process gives."""

from __future__ import annotations

from datetime import date

import pytest

from newsweave.nlp.runtime import analyse, processes_for
from newsweave.nlp.stage import analysis_from_doc
from tests.conftest import FIXTURES


def test_worker_processes_give_the_records_and_dates_of_one_process() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "text").glob("*.txt"))]
    # Known and unknown publication dates alike: the time tagger reads one, infers the other.
    items = [(t, date(2024, 3, 18) if i % 2 else None) for i, t in enumerate(texts * 2)]

    def run(n_process: int) -> list[object]:
        docs = analyse(items, batch_size=2, n_process=n_process)
        return [
            (
                analysis_from_doc(str(i), d),
                d._.nw_published,
                d._.nw_published_inferred,
                d._.nw_anchor_inferred,
            )
            for i, d in enumerate(docs)
        ]

    alone = run(1)
    assert any(a[0].timexes for a in alone) and any(a[0].claims for a in alone)
    assert run(2) == alone


@pytest.mark.parametrize(
    ("texts", "cores", "expected"),
    [(10, 2, 1), (127, 2, 1), (128, 2, 2), (5_000, 2, 2), (5_000, 1, 1), (5_000, 64, 4), (200, 64, 3)],
)
def test_one_worker_per_core_while_each_gets_two_batches(texts: int, cores: int, expected: int) -> None:
    assert processes_for(texts, 32, cores) == expected
