"""Near-duplicates: wire copies, syndicated and lightly edited republications.

Each body becomes a set of word 5-shingles, summarised by a 128-permutation MinHash; an LSH
index (datasketch) finds the stored articles whose estimated Jaccard similarity may reach the
threshold, and the MinHash estimate confirms it. A copy is linked to its original (the first
article of the group seen, in publication order within a batch): never deleted, counted as one
source downstream, and placed in its original's story without being clustered itself.

A changed headline, a different outlet name, an added dateline or a trimmed last paragraph
leave most 5-shingles of a body intact; a rewrite from the same facts does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from datasketch import MinHash

PERMUTATIONS = 128
SHINGLE_WORDS = 5
THRESHOLD = 0.5
"""Least estimated Jaccard similarity of two bodies' shingle sets for a copy."""
SCHEME = "affine32"
"""datasketch's hashing scheme: stored values are only comparable under the same one."""
MIN_SHINGLES = 12
"""Bodies shorter than this many shingles (about 16 words) are never called copies."""
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True, kw_only=True)
class DuplicateLink:
    article_id: str
    original_id: str
    similarity: float
    """Estimated Jaccard similarity of the two bodies' 5-shingle sets."""


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    words = _TOKEN.findall(text.casefold())
    return {" ".join(words[i : i + size]).encode() for i in range(max(0, len(words) - size + 1))}


def _minhash(values: NDArray[np.uint32] | None = None) -> MinHash:
    # datasketch imports scipy (a quarter of a second): import it when articles are hashed.
    from datasketch import MinHash

    return MinHash(num_perm=PERMUTATIONS, seed=1, hashvalues=values, scheme=SCHEME)


def signature(text: str) -> NDArray[np.uint32] | None:
    """MinHash values of a body, or None when it is too short to judge."""
    found = shingles(text)
    if len(found) < MIN_SHINGLES:
        return None
    minhash = _minhash()
    minhash.update_batch(list(found))
    values: NDArray[np.uint32] = minhash.hashvalues.astype(np.uint32)
    return values


class NearDuplicateIndex:
    """Stored articles' MinHashes in an LSH index; finds the original a new body copies."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
        self._hashes: dict[str, MinHash] = {}
        self._original: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._hashes)

    def load(self, rows: Iterable[tuple[str, NDArray[np.uint32], str | None]]) -> None:
        """Rebuild from stored (article id, MinHash values, original id or None) rows."""
        for article_id, values, original in rows:
            self._insert(article_id, values)
            if original:
                self._original[article_id] = original

    def _insert(self, article_id: str, values: NDArray[np.uint32]) -> MinHash:
        minhash = _minhash(values)
        self._lsh.insert(article_id, minhash, check_duplication=False)
        self._hashes[article_id] = minhash
        return minhash

    def add(self, article_id: str, values: NDArray[np.uint32]) -> DuplicateLink | None:
        """Index an article; if it copies one already indexed, the link to that one's original."""
        if article_id in self._hashes:
            return None
        minhash = _minhash(values)
        best: tuple[float, str] | None = None
        for other in self._lsh.query(minhash):
            similarity = float(minhash.jaccard(self._hashes[other]))
            if similarity >= self.threshold and (best is None or similarity > best[0]):
                best = (similarity, other)
        self._insert(article_id, values)
        if best is None:
            return None
        original = self._original.get(best[1], best[1])
        self._original[article_id] = original
        return DuplicateLink(article_id=article_id, original_id=original, similarity=round(best[0], 3))


def find_duplicates(
    index: NearDuplicateIndex, bodies: Sequence[tuple[str, str]]
) -> tuple[list[DuplicateLink], dict[str, NDArray[np.uint32]]]:
    """Links for the copies among `bodies` ((article id, body), earliest first) and the
    signatures of every body long enough to have one."""
    links: list[DuplicateLink] = []
    signatures: dict[str, NDArray[np.uint32]] = {}
    for article_id, body in bodies:
        values = signature(body)
        if values is None:
            continue
        signatures[article_id] = values
        if (link := index.add(article_id, values)) is not None:
            links.append(link)
    return links, signatures
