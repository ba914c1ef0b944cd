"""Train the shipped stance model on FNC-1 (train part), held out by story, and write its weights.

    python -m tools.stance_train [--data ../shared/data/fnc1] [--out src/newsweave/stance/weights]
                                     [--check-seeds 1] [--folds 5]

Two boosted ensembles are fitted: related vs unrelated on every training pair, then agree /
disagree / discuss on the related pairs only. The model is trained on the training part of the
split made by `--seed` (0 for the shipped weights, so the floor test scores them on stories they
never saw). IDF is learnt from the training bodies only. The same recipe is then re-run on the
splits of `--check-seeds` (each with its own IDF and model, not shipped) and, with `--folds`,
cross-validated over story folds, to show the held-out score is not a lucky split. Everything is
lexical, so no model is run to build the features: a full run with five folds takes about five
minutes on one quiet core. Trees are written as plain arrays (`stance.npz`, the two ensembles
under `related_` and `stance_`); IDF, feature names, the training data, seed, parameters and the
measured scores go to `stance.json` beside them.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from newsweave.stance.features import FEATURE_NAMES, Idf, make_body, make_claim, pair_features
from newsweave.stance.model import LABELS, META, WEIGHTS, StanceModel, decide
from tools.evaluation.stance import (
    DEFAULT_DATA,
    HELD_OUT_SHARE,
    Corpus,
    Pair,
    held_out_stories,
    load,
    score,
    split,
    story_folds,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

PARAMS: dict[str, Any] = {
    "max_iter": 200,
    "learning_rate": 0.1,
    "max_leaf_nodes": 31,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
}
# Two stages, each with PARAMS: related vs unrelated on every training pair, then agree / disagree /
# discuss on the related pairs only, where rarer labels (disagree is 8% of them) are up-weighted by
# (largest class / class) ** power.
CLASS_WEIGHT_POWER = 0.25
RANDOM_STATE = 0
RELATED_LABELS = LABELS[:3]
# The weights ship inside the package: write them into its source tree, not an installed copy.
WEIGHTS_SOURCE = Path(__file__).resolve().parents[1] / "src" / "newsweave" / "stance" / "weights"


class TwoStage:
    """Related-vs-unrelated trees, then agree/disagree/discuss trees fitted on related pairs only."""

    def __init__(self, related: Any, stance: Any) -> None:
        self.related, self.stance = related, stance

    def predict_proba(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Columns in the order of LABELS: P(related) * P(label | related), then P(unrelated)."""
        related = self.related.predict_proba(x)[:, 1]
        given = self.stance.predict_proba(x)
        return np.column_stack([related[:, None] * given, 1.0 - related])

    def predict(self, x: NDArray[np.float64]) -> NDArray[np.str_]:
        return np.array(LABELS)[decide(self.predict_proba(x))]


def _boosted() -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(**PARAMS, early_stopping=False, random_state=RANDOM_STATE)


def _fit(x: NDArray[np.float64], y: Sequence[str]) -> TwoStage:
    labels = np.array(y)
    related = labels != "unrelated"
    first = _boosted().fit(x, related)
    rel = labels[related]
    counts = {label: int((rel == label).sum()) for label in RELATED_LABELS}
    if min(counts.values()) == 0 or related.all():
        raise ValueError(f"training data lacks a label: {counts}")
    largest = max(counts.values())
    weights = np.array([(largest / counts[label]) ** CLASS_WEIGHT_POWER for label in rel])
    second = _boosted().fit(x[related], rel, sample_weight=weights)
    if tuple(second.classes_) != RELATED_LABELS or tuple(first.classes_) != (False, True):
        raise ValueError(f"unexpected classes: {first.classes_}, {second.classes_}")
    return TwoStage(first, second)


def export_trees(model: Any) -> dict[str, NDArray[Any]]:
    """The boosted trees of a fitted HistGradientBoostingClassifier as flat arrays."""
    feature, threshold, left, right, leaf, value, roots, tree_class = [], [], [], [], [], [], [], []
    offset, depth = 0, 0
    for iteration in model._predictors:
        for c, predictor in enumerate(iteration):
            nodes = predictor.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported by the exported trees")
            roots.append(offset)
            tree_class.append(c)
            feature.append(nodes["feature_idx"])
            threshold.append(nodes["num_threshold"])
            left.append(nodes["left"].astype(np.int64) + offset)
            right.append(nodes["right"].astype(np.int64) + offset)
            leaf.append(nodes["is_leaf"].astype(bool))
            value.append(nodes["value"])
            depth = max(depth, int(nodes["depth"].max()))
            offset += len(nodes)
    baseline = np.asarray(model._baseline_prediction, dtype=np.float64).ravel()
    return {
        "feature": np.concatenate(feature).astype(np.int32),
        "threshold": np.concatenate(threshold).astype(np.float64),
        "left": np.concatenate(left).astype(np.int32),
        "right": np.concatenate(right).astype(np.int32),
        "leaf": np.concatenate(leaf),
        "value": np.concatenate(value).astype(np.float32),
        "roots": np.array(roots, dtype=np.int32),
        "tree_class": np.array(tree_class, dtype=np.int8),
        "baseline": baseline,
        "depth": np.array(depth + 1),
    }


class _Prepared:
    """Every body and claim of the corpus tokenised once."""

    def __init__(self, corpus: Corpus) -> None:
        self.body = {i: make_body(text) for i, text in corpus.bodies.items()}
        self.claim = {text: make_claim(text) for text in sorted({p.claim for p in corpus.pairs})}


def _features(pairs: Sequence[Pair], prepared: _Prepared, idf: Idf) -> NDArray[np.float64]:
    indexed = {i: idf.index(prepared.body[i]) for i in {p.body_id for p in pairs}}
    rows = [
        pair_features(prepared.claim[p.claim], prepared.body[p.body_id], idf, indexed[p.body_id])
        for p in pairs
    ]
    return np.array(rows, dtype=np.float64)


def _idf(corpus: Corpus, train: Sequence[Pair]) -> Idf:
    return Idf.fit(corpus.bodies[i] for i in sorted({p.body_id for p in train}))


def train_on_split(
    corpus: Corpus, prepared: _Prepared, seed: int, held_out: set[str] | None = None
) -> tuple[TwoStage, Idf, dict[str, Any]]:
    """Fit on the training part of split `seed` (or of `held_out` stories); score the held-out part."""
    held_out = held_out_stories(corpus.stories, seed) if held_out is None else held_out
    train, test = split(corpus, held_out)
    idf = _idf(corpus, train)
    model = _fit(_features(train, prepared, idf), [p.stance for p in train])
    predicted = model.predict(_features(test, prepared, idf))
    result = score([p.stance for p in test], list(predicted))
    result.update(seed=seed, held_out_stories=len(held_out), train_pairs=len(train))
    return model, idf, result


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the fnc1 folder")
    ap.add_argument("--out", type=Path, default=WEIGHTS_SOURCE, help="where the shipped weights live")
    ap.add_argument("--seed", type=int, default=0, help="split seed of the shipped model")
    ap.add_argument("--check-seeds", default="1", help="other split seeds to re-run the recipe on")
    ap.add_argument("--folds", type=int, default=0, help="also cross-validate over this many story folds")
    ap.add_argument(
        "--threads", type=int, default=1, help="OpenMP threads for the trees (1 is kind to shared machines)"
    )
    args = ap.parse_args(argv)

    start = time.perf_counter()
    corpus = load(args.data)
    prepared = _Prepared(corpus)
    threadpool_limits(args.threads)
    model, idf, held_out = train_on_split(corpus, prepared, args.seed)
    _report(held_out)
    checks = []
    for seed in (int(s) for s in args.check_seeds.split(",") if s.strip()):
        _, _, check = train_on_split(corpus, prepared, seed)
        _report(check)
        checks.append(check)
    folds = []
    for k, fold in enumerate(story_folds(corpus.stories, args.folds) if args.folds else []):
        _, _, result = train_on_split(corpus, prepared, args.seed, held_out=fold)
        result["seed"] = f"fold {k + 1}/{args.folds}"
        _report(result)
        folds.append(result)

    args.out.mkdir(parents=True, exist_ok=True)
    arrays = {f"related_{k}": v for k, v in export_trees(model.related).items()}
    arrays |= {f"stance_{k}": v for k, v in export_trees(model.stance).items()}
    np.savez_compressed(args.out / WEIGHTS, allow_pickle=False, **arrays)
    train, _ = split(corpus, held_out_stories(corpus.stories, args.seed))
    import sklearn

    meta = {
        "labels": list(LABELS),
        "features": list(FEATURE_NAMES),
        "training": {
            "data": "FNC-1 train (train_articles/headlines/stances.jsonl)",
            "split": f"by story: seed {args.seed}, {HELD_OUT_SHARE:.0%} of stories held out",
            "seed": args.seed,
            "pairs": len(train),
            "classes": {label: sum(p.stance == label for p in train) for label in LABELS},
            "model": "two sklearn HistGradientBoostingClassifier: related vs unrelated, then "
            "agree / disagree / discuss on related pairs",
            "params": PARAMS,
            "class_weight_power": CLASS_WEIGHT_POWER,
            "random_state": RANDOM_STATE,
            "sklearn": sklearn.__version__,
            "seconds": round(time.perf_counter() - start, 1),
        },
        "held_out": held_out,
        "check_seeds": checks,
        "cross_validation": _summary(folds) if folds else None,
        "default_idf": idf.default,
        "idf": dict(idf.values),
    }
    (args.out / META).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    _verify(args.out, model, corpus, prepared, idf, args.seed)
    print(f"wrote {args.out / WEIGHTS} and {args.out / META}")


def _summary(folds: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Mean and range of the fold scores, and each fold's."""
    out: dict[str, Any] = {"folds": len(folds)}
    for key in ("fnc_score", "macro_f1"):
        values = [f[key] for f in folds]
        out[key] = {"mean": round(sum(values) / len(values), 4), "min": min(values), "max": max(values)}
    out["per_fold"] = [{k: f[k] for k in ("pairs", "fnc_score", "macro_f1")} for f in folds]
    print(f"cross-validation: FNC score {out['fnc_score']}, macro-F1 {out['macro_f1']}", flush=True)
    return out


def _report(result: dict[str, Any]) -> None:
    print(
        f"seed {result['seed']}: {result['pairs']} held-out pairs, FNC score {result['fnc_score']:.2%}, "
        f"macro-F1 {result['macro_f1']:.3f}",
        flush=True,
    )


def _verify(folder: Path, model: TwoStage, corpus: Corpus, prepared: _Prepared, idf: Idf, seed: int) -> None:
    """The exported trees must give sklearn's probabilities on the held-out pairs."""
    _, test = split(corpus, held_out_stories(corpus.stories, seed))
    x = _features(test, prepared, idf)
    ours = StanceModel(folder).probabilities_of(x)
    theirs = model.predict_proba(x)
    if not np.allclose(ours, theirs, atol=1e-5):
        raise AssertionError(f"exported trees disagree with sklearn: max diff {np.abs(ours - theirs).max()}")


if __name__ == "__main__":
    main()
