"""The cleaner on realistic articles in other outlets' layouts (fixtures with gold files)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from newsweave.clean import clean_document, normalise_text
from newsweave.ingest.text import read_text
from newsweave.model import CleanArticle, Document
from tests.conftest import FIXTURES

TEXT_FIXTURES = sorted((FIXTURES / "text").glob("*.txt"))


def _clean(path: Path) -> tuple[CleanArticle, dict[str, object]]:
    doc = read_text(path.read_bytes(), source=str(path))
    assert isinstance(doc, Document)
    gold = json.loads(path.with_suffix(".gold.json").read_text(encoding="utf-8"))
    return clean_document(doc), gold


@pytest.mark.parametrize("path", TEXT_FIXTURES, ids=lambda p: p.stem)
def test_metadata_read_from_the_text(path: Path) -> None:
    article, gold = _clean(path)
    assert article.title == gold["title"]
    assert article.outlet == gold["outlet"]
    assert article.section == gold["section"]
    assert article.author == gold["author"]
    if "published" in gold:
        assert article.published is not None and article.published.isoformat() == gold["published"]


@pytest.mark.parametrize("path", TEXT_FIXTURES, ids=lambda p: p.stem)
def test_body_keeps_content_and_drops_boilerplate(path: Path) -> None:
    article, gold = _clean(path)
    for snippet in gold["must_contain"]:  # type: ignore[union-attr]
        assert snippet in article.body
    for snippet in gold["must_not_contain"]:  # type: ignore[union-attr]
        assert snippet not in article.body


@pytest.mark.parametrize("path", TEXT_FIXTURES, ids=lambda p: p.stem)
def test_captions_kept_apart_and_every_cut_has_a_reason(path: Path) -> None:
    article, gold = _clean(path)
    assert list(article.captions) == gold["captions"]
    assert Counter(r.reason for r in article.removed) == Counter(gold["removed_reasons"])  # type: ignore[arg-type]


def test_language_is_marked_not_rejected() -> None:
    article, gold = _clean(FIXTURES / "text" / "spanish_elecciones.txt")
    assert article.language == gold["language"]
    assert article.body


def test_normalise_repairs_mojibake_and_keeps_curly_quotes() -> None:
    broken = "The minister said: â€œWe will not resign.â€\x9d   It was   Monday."
    assert normalise_text(broken) == "The minister said: “We will not resign.” It was Monday."


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = (
        "Council votes to close library branch\n\n"
        "The city council voted on Tuesday to close the Elm Street library branch at the\n"
        "end of the year, citing falling visitor numbers and a repair bill of more than\n"
        "two million dollars for the ageing building, officials said late on Tuesday.\n\n"
        "Residents who spoke at the meeting urged the council to reconsider and said the\n"
        "branch was the only quiet place for students to study in the neighbourhood now.\n"
    )
    article = clean_document(Document(source="wrapped.txt", input_format="text", text=text))
    assert article.title == "Council votes to close library branch"
    assert article.body.split("\n\n")[0].startswith(
        "The city council voted on Tuesday to close the Elm Street library branch at the end"
    )
    assert len(article.body.split("\n\n")) == 2


def test_first_sentence_is_not_taken_for_a_title() -> None:
    text = (
        "Police in the northern city arrested three men on Friday in connection with a string of "
        "jewellery shop robberies, a spokesperson said.\nThe men, aged 19 to 24, were held overnight.\n"
    )
    article = clean_document(Document(source="t.txt", input_format="text", text=text))
    assert article.title is None
    assert article.body.startswith("Police in the northern city arrested three men")


def test_given_date_used_only_when_the_input_has_none() -> None:
    from datetime import date

    doc = Document(
        source="t.txt", input_format="text", text="Storm closes schools\n\nAll schools shut today."
    )
    assert clean_document(doc, published_default=date(2024, 1, 2)).published_from == "given"
    dated = Document(source="t.txt", input_format="text", text=doc.text, published=date(2023, 5, 6))
    article = clean_document(dated, published_default=date(2024, 1, 2))
    assert (article.published, article.published_from) == (date(2023, 5, 6), "document")
