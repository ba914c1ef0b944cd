"""The framing check against a corpus's attributions, on a corpus written for this test: the
framing finder runs on it, and each flagged term is placed inside or outside an attribution."""

from __future__ import annotations

from newsweave.compare.framing import find_terms
from tests.conftest import make_article
from tools.evaluation.framing import attribution_spans, classify

TEXT = (
    "The mayor’s “reform” of the port authority began in May. The council’s “independent” "
    "review found delays, and its chair said the plan was “rushed” and costly."
)
DOCUMENTS = {"doc-1": {"id": "doc-1", "text": TEXT, "primary_annotator": "ann1"}}
SECOND_SENTENCE = TEXT.index("The council’s")


def test_only_the_primary_annotators_attributions_count() -> None:
    rows = [
        {"doc_id": "doc-1", "annotator": "ann1", "quote_spans": [[SECOND_SENTENCE, len(TEXT)]]},
        {"doc_id": "doc-1", "annotator": "ann2", "quote_spans": [[0, len(TEXT)]]},
        {"doc_id": "unknown", "annotator": "ann1", "quote_spans": [[0, 4]]},
    ]
    assert attribution_spans(DOCUMENTS, rows) == {"doc-1": [(SECOND_SENTENCE, len(TEXT))]}


def test_a_flagged_quote_inside_an_attribution_counts_as_someones_words() -> None:
    article = make_article("a1", "Herald", TEXT)
    terms = [t for t in find_terms([article], []) if t.kind == "scare_quote"]
    # "its chair said the plan was “rushed”" reports the chair's word: not flagged at all.
    assert [t.term for t in terms] == ["“reform”", "“independent”"]
    spans = {"doc-1": [(SECOND_SENTENCE, len(TEXT))]}
    flagged = classify(terms, {"a1": "doc-1"}, DOCUMENTS, spans)
    assert [(f.kind, f.term, f.attributed) for f in flagged] == [
        ("scare_quote", "“reform”", False),
        ("scare_quote", "“independent”", True),
    ]
