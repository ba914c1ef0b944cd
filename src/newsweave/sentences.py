"""Where the sentences of an article body end: one rule for every part that cuts a body into
sentences (the report's citations, the reading view, framing's look back for a reporting word).

A period after a title or an initial ("Mr. Varga", "Ana B. Lopez", "Gov.") ends no sentence, nor
one that a lower-case word follows ("Lt. Gov.", "the Smith Jr. family"); a line break (or a run
of them) ends one.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*(?=\s+[^\sa-z])|\n+")
_NOT_AN_END = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Rev|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Cmdr|Adm|Hon|St|Mt|Ft|No|"
    r"vs|Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec)|(?:\b|\.)[A-Z])\.$"
)


def sentence_ends(body: str, start: int = 0, end: int | None = None) -> list[int]:
    """Offsets just after each sentence end in body[start:end]."""
    stop = len(body) if end is None else end
    out = []
    # Searched to the body's end, not to `end`: whether a period ends a sentence depends on
    # the word after it, which may lie past the bound.
    for m in _SENTENCE_END.finditer(body, start):
        if m.end() > stop:
            break
        if m.group()[0] == "." and _NOT_AN_END.search(body[max(0, m.start() - 6) : m.start() + 1]):
            continue
        out.append(m.end())
    return out
