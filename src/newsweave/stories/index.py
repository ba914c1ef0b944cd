"""Candidate stories for a new article without comparing it to every story (no all-pairs step).

Two blocking indexes, each with bounded posting lists, so the work per article is bounded and
the total grows linearly with the number of articles:

- `KeyIndex`: an inverted index from an article's most distinctive words and names to the
  stories that used them recently. A story's articles share the rare words of their event.
- `HyperplaneLSH`: random-hyperplane LSH (SimHash) over the dense vectors: `tables` hash tables,
  each keyed by the signs of `bits` random projections; vectors at a small angle share a bucket
  in at least one table with high probability.

Both keep only the latest `cap` entries of a key: an old story that nobody reports on any more
drops out of the candidates by itself.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray


class KeyIndex:
    """Inverted index key → the stories that used it last (most recent first wins)."""

    def __init__(self, cap: int = 48) -> None:
        self.cap = cap
        self._postings: dict[str, deque[int]] = {}

    def add(self, keys: Iterable[str], story: int) -> None:
        for key in keys:
            posting = self._postings.get(key)
            if posting is None:
                posting = self._postings[key] = deque(maxlen=self.cap)
            elif story in posting:
                continue
            posting.append(story)

    def candidates(self, keys: Iterable[str], resolve: dict[int, int]) -> Counter[int]:
        """Stories sharing keys with the article, with how many keys each shares."""
        shared: Counter[int] = Counter()
        for key in keys:
            posting = self._postings.get(key)
            if posting:
                shared.update(_live(posting, resolve))
        return shared

    def __len__(self) -> int:
        return len(self._postings)


class HyperplaneLSH:
    """SimHash buckets of dense vectors → stories of the latest articles hashed there."""

    def __init__(self, dimensions: int, *, tables: int = 8, bits: int = 12, cap: int = 32, seed: int = 7):
        rng = np.random.default_rng(seed)
        self._planes = rng.standard_normal((dimensions, tables * bits)).astype(np.float32)
        self._tables = tables
        self._weights = (1 << np.arange(bits, dtype=np.int64)).astype(np.int64)
        self._bits = bits
        self.cap = cap
        self._buckets: list[dict[int, deque[int]]] = [{} for _ in range(tables)]

    def signature_rows(self, vectors: NDArray[np.float32]) -> list[list[int]]:
        """Each row's signature per table (the signs of its projections), one matrix product."""
        signs = (vectors @ self._planes > 0).reshape(len(vectors), self._tables, self._bits)
        return (signs.astype(np.int64) @ self._weights).tolist()  # type: ignore[no-any-return]

    def add(self, signatures: list[int], story: int) -> None:
        for table, signature in zip(self._buckets, signatures, strict=True):
            bucket = table.get(signature)
            if bucket is None:
                bucket = table[signature] = deque(maxlen=self.cap)
            bucket.append(story)

    def candidates(self, signatures: list[int], resolve: dict[int, int]) -> Counter[int]:
        """Stories hashed with the vector, with how many tables they share a bucket in."""
        found: Counter[int] = Counter()
        for table, signature in zip(self._buckets, signatures, strict=True):
            bucket = table.get(signature)
            if bucket:
                found.update(_live(bucket, resolve))
        return found


def _live(stories: Iterable[int], parent: dict[int, int]) -> set[int]:
    """The distinct stories these ids now belong to (through merges)."""
    if parent.keys().isdisjoint(stories):  # none merged since (the usual case): no lookups
        return set(stories)
    return {_find(parent, s) for s in stories}


def _find(parent: dict[int, int], story: int) -> int:
    """The story a (possibly merged) story id now belongs to, compressing the path."""
    root = story
    while (up := parent.get(root)) is not None:
        root = up
    while story != root:
        up = parent[story]
        parent[story] = root
        story = up
    return root


def find_story(parent: dict[int, int], story: int) -> int:
    return _find(parent, story)
