"""Sparse vectors over dense integer ids, so the clusterer scores with numpy and one sparse
matrix product per channel instead of Python loops over string keys.

- `Frequencies`: document frequencies, with a dense id per key (words, phrases, names, marks);
- `Row`: one sparse vector as its id and value arrays;
- `cross`: the dot products between each of two lists of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

IdArray = NDArray[np.int64]
ValueArray = NDArray[np.float64]


class Frequencies(Mapping[str, int]):
    """How many articles used each key, stored by a dense id so that the counts of many keys
    are read at once (`of`). A key looked up before it is counted gets an id and count 0.

    Keys counted once and not seen again for a while can be forgotten (`forget`): their ids are
    given to new keys, so memory follows the keys in use, not every key ever read."""

    def __init__(
        self, counts: Mapping[str, int] | None = None, born: Mapping[str, int] | None = None
    ) -> None:
        """Start from saved `counts`, and `born`: when keys were first seen (absent keys: at 0)."""
        self.ids: dict[str, int] = {}
        self.key_of: list[str] = []
        """The key of each id ("" for a forgotten one not yet given again)."""
        self.clock = 0
        """Now, in articles read: when a new key was first seen (`forget` reads it)."""
        self._counts = np.zeros(1024, dtype=np.float64)
        self._born = np.zeros(1024, dtype=np.int64)
        self._free: list[int] = []
        if counts:
            ids = self.ids_of(counts)  # first: it grows the arrays
            self._counts[ids] = np.fromiter(counts.values(), np.float64, len(counts))
        if born:
            ids = self.ids_of(list(born))
            self._born[ids] = np.fromiter(born.values(), np.int64, len(born))

    def ids_of(self, keys: Iterable[str]) -> IdArray:
        """The id of each key (new keys get free or next ids; ids are labels only)."""
        keys = keys if isinstance(keys, list) else list(keys)
        ids = self.ids
        new = set(keys).difference(ids)  # set operations and lookups in C: no Python loop
        if new:
            self._give_ids(list(new))
        if len(keys) == 1:
            return np.array([ids[keys[0]]], dtype=np.int64)
        return np.array(itemgetter(*keys)(ids) if keys else [], dtype=np.int64)

    def _give_ids(self, new: list[str]) -> None:
        reused = min(len(new), len(self._free))
        given = self._free[len(self._free) - reused :]
        del self._free[len(self._free) - reused :]
        for key, i in zip(new, given, strict=False):
            self.key_of[i] = key
        first = len(self.key_of)
        self.key_of.extend(new[reused:])
        given += range(first, len(self.key_of))
        self.ids.update(zip(new, given, strict=True))
        self._grow(len(self.key_of))
        self._born[given] = self.clock

    def first_seen(self, key: str) -> int:
        """The clock when a key was first seen (0 for a key not known)."""
        i = self.ids.get(key)
        return 0 if i is None else int(self._born[i])

    def add(self, ids: IdArray) -> None:
        """One more article used each of these (distinct) keys."""
        self._counts[ids] += 1.0

    def of(self, ids: IdArray) -> ValueArray:
        return self._counts[ids]

    def forget(self, seen_before: int) -> list[str]:
        """Forget the keys counted once, first seen before `seen_before`; returns them."""
        known = len(self.key_of)
        once = np.flatnonzero((self._counts[:known] == 1.0) & (self._born[:known] < seen_before))
        forgotten = [self.key_of[i] for i in once.tolist()]
        for key in forgotten:
            del self.ids[key]
        for i in once.tolist():
            self.key_of[i] = ""
        self._counts[once] = 0.0
        self._free += once.tolist()
        return forgotten

    def _grow(self, size: int) -> None:
        if size > len(self._counts):
            capacity = max(size, 2 * len(self._counts))
            self._counts = np.concatenate([self._counts, np.zeros(capacity - len(self._counts))])
            self._born = np.concatenate([self._born, np.zeros(capacity - len(self._born), dtype=np.int64)])

    def __getitem__(self, key: str) -> int:
        return int(self._counts[self.ids[key]])

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, slots=True)
class Row:
    """A sparse vector: the ids of its entries and their values."""

    ids: IdArray
    values: ValueArray

    @classmethod
    def of(cls, weights: Mapping[int, float]) -> Row:
        return cls(
            np.fromiter(weights.keys(), np.int64, len(weights)),
            np.fromiter(weights.values(), np.float64, len(weights)),
        )


EMPTY = Row(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


class Products:
    """`cross` with a reusable scratch array (one slot per id), so no call allocates or sorts
    anything the size of the vocabulary."""

    def __init__(self) -> None:
        self._column = np.full(1024, -1, dtype=np.int64)

    def cross(self, left: Sequence[Row], right: Sequence[Row]) -> NDArray[np.float64]:
        """The dot product of each left row with each right row (len(left) × len(right)).

        Columns are the left side's ids only: a right entry no left row has cannot contribute,
        so it is dropped before the product."""
        out = np.zeros((len(left), len(right)))
        left_ids = np.concatenate([r.ids for r in left]) if left else EMPTY.ids
        right_ids = np.concatenate([r.ids for r in right]) if right else EMPTY.ids
        if not len(left_ids) or not len(right_ids):
            return out
        top = int(max(left_ids.max(), right_ids.max())) + 1
        if top > len(self._column):
            self._column = np.full(max(top, 2 * len(self._column)), -1, dtype=np.int64)
        column = self._column
        column[left_ids] = np.arange(len(left_ids))  # duplicates: the last write names the column
        try:
            left_matrix = csr_matrix(
                (np.concatenate([r.values for r in left]), column[left_ids], _indptr(left)),
                shape=(len(left), len(left_ids)),
            )
            right_columns = column[right_ids]
            kept = right_columns >= 0
            kept_before = np.concatenate([[0], np.cumsum(kept)])
            right_matrix = csr_matrix(
                (
                    np.concatenate([r.values for r in right])[kept],
                    right_columns[kept],
                    kept_before[_indptr(right)],
                ),
                shape=(len(right), len(left_ids)),
            )
            product = left_matrix @ right_matrix.T
        finally:
            column[left_ids] = -1
        product.toarray(out=out)
        return out


def _indptr(rows: Sequence[Row]) -> IdArray:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r.ids) for r in rows], out=indptr[1:])
    return indptr
