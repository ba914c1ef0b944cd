"""spaCy component around the temporal tagger (`nlp.dates`): time spans on the doc.

The anchor is the article's publication date, read from `doc._.nw_published`; where it is
unknown, the latest full date in the text stands in and `doc._.nw_anchor_inferred` says so.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsweave.nlp.dates import find_time_expressions, infer_anchor

SPANS_KEY = "nw_timexes"


class TimexTagger:
    """Time expressions in `doc.spans["nw_timexes"]`: label = TIMEX3 type, `kb_id_` = value,
    `id_` = TIMEX3 mod ("" when none)."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str = SPANS_KEY) -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        anchor = doc._.nw_published
        doc._.nw_anchor_inferred = anchor is None
        if anchor is None:
            anchor = infer_anchor(doc.text)
            doc._.nw_published_inferred = anchor
        spans: list[Span] = []
        for found in find_time_expressions(doc.text, anchor):
            span = doc.char_span(
                found.start,
                found.end,
                label=found.type,
                kb_id=found.value,
                span_id=found.mod or "",
                alignment_mode="expand",
            )
            if span is not None and not any(s.start < span.end and span.start < s.end for s in spans):
                spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc
