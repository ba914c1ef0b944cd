"""Words of doubt, shared by the language layer (a claim's certainty) and the comparison (what a
claim hedges), in a module of their own so that the comparison needs no spaCy to read them."""

from __future__ import annotations

# Words that hedge a statement: the outlet or source does not vouch for it outright.
HEDGES = frozenset(
    [
        "likely",
        "unlikely",
        "possible",
        "possibly",
        "probably",
        "perhaps",
        "maybe",
        "reportedly",
        "allegedly",
        "alleged",
        "apparently",
        "presumably",
        "purportedly",
        "supposedly",
        "seemingly",
        "suspected",
        "believed",
        "rumored",
        "rumoured",
        "unconfirmed",
        "may",
        "might",
        "could",
        "appear",
        "appears",
        "appeared",
        "seem",
        "seems",
        "seemed",
        "suggest",
        "suggests",
        "suggested",
        "unclear",
        "uncertain",
    ]
)
# Hedges an outlet puts on a thing itself ("a likely gas leak", "an apparent overdose"): the
# thing is in doubt. ("Suspected" and "alleged" before a person are the law's caution, not the
# outlet's doubt about the thing.)
HEDGING_MODIFIERS = frozenset({"likely", "probable", "possible", "apparent", "purported", "presumed"})
