"""The proposition a claim carries inside a frame, so that a report of it can meet an assertion of it.

"X accused Y of diverting W", "Y is accused of diverting W" and "X alleged that Y diverted W" report
a proposition on someone's word; "… in return for supplying W …" or "… after Y diverted W …"
take one for granted. Read whole, such a claim is mostly its frame (who accuses, what the
payment was for), and it looks unlike a plain statement of the same fact elsewhere; its embedded
proposition is what the two share. Only the text is read: no parse is needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# An accusation with its accused and the deed as a gerund: "accused Y of diverting W",
# "is accused of diverting W", "suspected of hiding W".
_ACCUSED_OF = re.compile(
    r"\b(?:accus|charg|suspect|blam|convict|indict|prosecut|fault)\w*\s+"
    r"(?:(?P<accused>(?!of\b)[^,;:]{1,60}?)\s+)?of\s+(?P<deed>\w+ing\b.+)",
    re.IGNORECASE,
)
# A reporting verb with a clause after it: "alleged that Y diverted W", "said last week that Y …",
# "said Y had diverted W" (but not "said in a statement …": no clause follows).
_REPORTED_CLAUSE = re.compile(
    r"\b(?:alleged?|alleges|claimed|claims|said|says|asserted|insisted|maintained|argued|contended|"
    r"testified|acknowledged|admitted|confirmed|denied|warned|stated)\s+"
    r"(?:(?:[\w’'-]+\s+){0,5}?that\s+|(?!(?:in|on|at|to|of|for|by|with|from|after|before|during|"
    r"last|earlier|this|next|as|so|it|was|is|were|are|has|had)\b))(?P<clause>\w.+)",
    re.IGNORECASE,
)
# A proposition taken for granted: the deed a clause is "for" or comes "after".
_PRESUPPOSED = re.compile(
    r"\b(?:for|after|following|over|since|because\s+of)\s+(?P<deed>\w+ing\b.+)"
    r"|\b(?:after|because|since|once)\s+(?P<clause>\w+(?:\s+\w+){3,}.*)",
    re.IGNORECASE,
)
_MIN_WORDS = 4
_MOSTLY = 0.75


@dataclass(frozen=True, slots=True)
class Proposition:
    text: str  # the embedded proposition, its subject first where the frame names one
    deed: str  # the same without a subject: what was done ("diverting W to Z")
    reported: bool  # True: on someone's word; False: taken for granted


def embedded(text: str) -> Proposition | None:
    """The proposition a claim reports or presupposes, or None when it has no such frame."""
    accused = _ACCUSED_OF.search(text)
    if accused:
        deed = accused["deed"]
        subject = (accused["accused"] or "").strip()
        return _checked(f"{subject} {deed}".strip(), deed, reported=True)
    reported = _REPORTED_CLAUSE.search(text)
    if reported:
        clause = reported["clause"]
        # "Police said the ferry sank": a short frame hardly hides its clause; the whole claim
        # already meets a statement of it, and another sentence to encode would buy nothing.
        if len(clause.split()) >= _MOSTLY * len(text.split()):
            return None
        return _checked(clause, clause, reported=True)
    presupposed = _PRESUPPOSED.search(text)
    if presupposed:
        found = presupposed["deed"] or presupposed["clause"]
        return _checked(found, found, reported=False)
    return None


def _checked(text: str, deed: str, *, reported: bool) -> Proposition | None:
    """A proposition long enough to be one (not "said so", "for now")."""
    if len(deed.split()) < _MIN_WORDS:
        return None
    return Proposition(text=text, deed=deed, reported=reported)
