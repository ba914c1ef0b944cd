"""Floor: on trafilatura's 990 evaluation pages, newsweave keeps at least as much of the wanted
text and leaves out at least as much of the unwanted text as bare trafilatura, in the same run.

About a minute; runs only where ../shared/data is present.
"""

from __future__ import annotations

import pytest

from tests.conftest import needs_shared
from tools.evaluation.extraction import load_pages, newsweave_text, score, trafilatura_text


@pytest.mark.slow
def test_newsweave_extracts_at_least_as_well_as_bare_trafilatura() -> None:
    pages = load_pages(needs_shared("data", "extraction", "pages.jsonl.gz"))
    scores = score(pages, {"trafilatura": trafilatura_text, "newsweave": newsweave_text})
    ours, bare = scores["newsweave"], scores["trafilatura"]
    assert ours.with_total == bare.with_total > 2_900
    assert ours.with_found >= bare.with_found, (ours, bare)
    assert ours.without_absent >= bare.without_absent, (ours, bare)
