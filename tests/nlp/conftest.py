"""One processed doc per text for the language-layer tests (the pipeline loads once)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from spacy.tokens import Doc

from newsweave.nlp.runtime import analyse

ANCHOR = date(2025, 3, 4)


@pytest.fixture(scope="session")
def process() -> Callable[[str], Doc]:
    cache: dict[str, Doc] = {}

    def run(text: str) -> Doc:
        if text not in cache:
            (cache[text],) = analyse([(text, ANCHOR)])
        return cache[text]

    return run
