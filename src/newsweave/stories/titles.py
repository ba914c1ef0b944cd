"""A story's title: its most central headline, else one made from its key names and words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray


def central_headline(
    heads: Sequence[tuple[str, NDArray[np.float32]]], centre: NDArray[np.float32] | None
) -> str | None:
    """The headline whose article vector is nearest the story's mean vector."""
    if not heads:
        return None
    if centre is None or not np.any(centre):
        return heads[0][0]
    return max(heads, key=lambda h: float(h[1] @ centre))[0]


def _display(name: str) -> str:
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in name.split())


def title_from_keys(names: Counter[str], terms: Mapping[str, float], *, n_names: int = 3) -> str:
    """ "Name, Name, Name: word, word" from the most mentioned names and heaviest words."""
    top_names = [_display(n) for n, _ in names.most_common(n_names)]
    shown = {w for n in top_names for w in n.lower().split()}
    top_terms = [t for t in sorted(terms, key=terms.__getitem__, reverse=True) if t not in shown][:3]
    if not top_names:
        return ", ".join(top_terms) or "(untitled)"
    return ", ".join(top_names) + (f": {', '.join(top_terms)}" if top_terms else "")


def story_title(
    heads: Sequence[tuple[str, NDArray[np.float32]]],
    centre: NDArray[np.float32] | None,
    names: Counter[str],
    terms: Mapping[str, float],
) -> str:
    return central_headline(heads, centre) or title_from_keys(names, terms)
