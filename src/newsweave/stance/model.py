"""The shipped stance model: gradient-boosted trees over the pair features, read from npz and JSON.

Two ensembles: one says whether the body is related to the claim, the other (trained on related
pairs only) whether it agrees, disagrees or discusses; a label's probability is P(related) times
P(label | related). The trees were grown by scikit-learn's `HistGradientBoostingClassifier`
(`tools/stance_train.py` in the repository) and are stored as plain arrays (no pickle), so
loading runs no code from the weights file and prediction is a few array look-ups per tree. Each
distinct body and claim of a call is tokenised and indexed once, however many pairs it is in. A
claim or body with no content word is judged unrelated without asking the trees: there is
nothing to compare.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np

from newsweave.errors import ModelNotInstalled
from newsweave.stance.features import (
    FEATURE_NAMES,
    Body,
    Claim,
    Idf,
    Indexed,
    make_body,
    make_claim,
    pair_features,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

Stance = Literal["agree", "disagree", "discuss", "unrelated"]
LABELS: tuple[Stance, ...] = ("agree", "disagree", "discuss", "unrelated")
WEIGHTS = "stance.npz"
META = "stance.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class StancePair:
    """A claim (a headline or one sentence) and an article body to judge it against."""

    id: str
    claim: str
    body: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StancePrediction:
    """The body's stance toward the claim, with the model's probability for it and for each label."""

    id: str
    stance: Stance
    score: float
    scores: tuple[float, float, float, float]  # in the order of LABELS


@dataclass(frozen=True, slots=True)
class _Trees:
    """One boosted ensemble: `nodes` rows are (feature, threshold, left, right, is_leaf, value)."""

    feature: NDArray[np.int64]
    threshold: NDArray[np.float64]
    left: NDArray[np.int64]
    right: NDArray[np.int64]
    leaf: NDArray[np.bool_]
    value: NDArray[np.float64]
    roots: NDArray[np.int64]  # first node of each tree
    tree_class: NDArray[np.int64]  # the class (column) each tree adds to
    baseline: NDArray[np.float64]
    depth: int

    @classmethod
    def of(cls, arrays: Any, prefix: str) -> _Trees:
        """The ensemble stored under `prefix` in an npz file."""
        return cls(
            feature=arrays[prefix + "feature"].astype(np.int64),
            threshold=arrays[prefix + "threshold"].astype(np.float64),
            left=arrays[prefix + "left"].astype(np.int64),
            right=arrays[prefix + "right"].astype(np.int64),
            leaf=arrays[prefix + "leaf"].astype(bool),
            value=arrays[prefix + "value"].astype(np.float64),
            roots=arrays[prefix + "roots"].astype(np.int64),
            tree_class=arrays[prefix + "tree_class"].astype(np.int64),
            baseline=arrays[prefix + "baseline"].astype(np.float64),
            depth=int(arrays[prefix + "depth"]),
        )

    def raw(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.repeat(self.baseline[None, :], len(x), axis=0)
        rows = np.arange(len(x))[:, None]
        node = np.repeat(self.roots[None, :], len(x), axis=0)
        for _ in range(self.depth):
            go_left = x[rows, self.feature[node]] <= self.threshold[node]
            step = np.where(go_left, self.left[node], self.right[node])
            node = np.where(self.leaf[node], node, step)
        contribution = self.value[node]
        for c in range(out.shape[1]):
            out[:, c] += contribution[:, self.tree_class == c].sum(axis=1)
        return out


def decide(probs: NDArray[np.float64]) -> NDArray[np.int64]:
    """The label (column) of each row of probabilities: the largest of the four."""
    best: NDArray[np.int64] = probs.argmax(axis=1)
    return best


def _softmax(raw: NDArray[np.float64]) -> NDArray[np.float64]:
    z = np.exp(raw - raw.max(axis=1, keepdims=True))
    result: NDArray[np.float64] = z / z.sum(axis=1, keepdims=True)
    return result


class StanceModel:
    """Loads the shipped weights once; `predict` judges many (claim, body) pairs in one batch."""

    def __init__(self, folder: Path) -> None:
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
            with np.load(folder / WEIGHTS, allow_pickle=False) as arrays:
                self._related = _Trees.of(arrays, "related_")
                self._stance = _Trees.of(arrays, "stance_")
        except (OSError, KeyError, ValueError) as e:
            raise ModelNotInstalled(
                f"stance weights in {folder} are missing or unreadable ({e}); "
                "rebuild them from a source checkout with `python -m tools.stance_train`"
            ) from e
        if tuple(meta["features"]) != FEATURE_NAMES or tuple(meta["labels"]) != LABELS:
            raise ModelNotInstalled(
                f"stance weights in {folder} were trained on other features or labels; "
                "rebuild them from a source checkout with `python -m tools.stance_train`"
            )
        self.meta: dict[str, Any] = meta
        self.idf = Idf(meta["idf"], float(meta["default_idf"]))

    def probabilities(self, claims: Sequence[Claim], bodies: Sequence[Body]) -> NDArray[np.float64]:
        """Probabilities (rows: pairs, columns: LABELS) for tokenised claims and bodies."""
        if not claims:
            return np.zeros((0, len(LABELS)))
        indexed: dict[int, Indexed] = {}
        rows = []
        for c, b in zip(claims, bodies, strict=True):
            if id(b) not in indexed:
                indexed[id(b)] = self.idf.index(b)
            rows.append(pair_features(c, b, self.idf, indexed[id(b)]))
        probs = self.probabilities_of(np.array(rows, dtype=np.float64))
        empty = [not c.text.tf or not b.tf for c, b in zip(claims, bodies, strict=True)]
        probs[empty] = np.eye(len(LABELS))[LABELS.index("unrelated")]
        return probs

    def probabilities_of(self, features: NDArray[np.float64]) -> NDArray[np.float64]:
        """Probabilities for rows of `pair_features` (in chunks, to bound the memory of the walk)."""
        chunks = [self._chunk(features[i : i + 1024]) for i in range(0, len(features), 1024)]
        return np.concatenate(chunks) if chunks else np.zeros((0, len(LABELS)))

    def _chunk(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """P(related) times P(agree, disagree, discuss | related), and P(unrelated) = 1 - P(related)."""
        related = 1.0 / (1.0 + np.exp(-self._related.raw(x)[:, 0]))
        given = _softmax(self._stance.raw(x))
        probs = np.column_stack([related[:, None] * given, 1.0 - related])
        return probs

    def predict(self, pairs: Sequence[StancePair]) -> list[StancePrediction]:
        """The stance of each pair's body toward its claim; each distinct text is encoded once."""
        bodies = {text: make_body(text) for text in dict.fromkeys(p.body for p in pairs)}
        claims = {text: make_claim(text) for text in dict.fromkeys(p.claim for p in pairs)}
        probs = self.probabilities([claims[p.claim] for p in pairs], [bodies[p.body] for p in pairs])
        out = []
        for p, row in zip(pairs, probs, strict=True):
            best = int(decide(row[None, :])[0])
            out.append(
                StancePrediction(
                    id=p.id,
                    stance=LABELS[best],
                    score=round(float(row[best]), 4),
                    scores=cast(tuple[float, float, float, float], tuple(round(float(v), 4) for v in row)),
                )
            )
        return out


def weights_dir() -> Path:
    """The folder of the shipped weights inside the installed package."""
    return Path(str(resources.files("newsweave.stance") / "weights"))


@lru_cache(maxsize=1)
def load_model() -> StanceModel:
    """The shipped model, loaded once per process."""
    return StanceModel(weights_dir())


def predict(pairs: Sequence[StancePair]) -> list[StancePrediction]:
    """The stance of each pair's body toward its claim (agree, disagree, discuss, unrelated)."""
    return load_model().predict(pairs)
