"""Stance scored on FNC-1 (train part) with a split by story: no story is in both parts.

Every body has a `story`; a headline belongs to the story of the bodies it is related to. Related
pairs (agree, disagree, discuss) always join a headline and a body of one story; unrelated pairs
join two stories. A seed shuffles the stories and holds out about a fifth of them: a pair is held
out when both its headline's and its body's stories are held out, kept for training when both are
not, and dropped when it joins the two parts (an unrelated pair across the split), so no headline,
body or story text of the held-out part is seen in training.

Scores: the FNC-1 weighted score (0.25 for getting related/unrelated right, 0.75 more for the
right related label, as a share of the best possible), macro-F1 over the four classes, per-class
precision, recall and F1, and the confusion matrix (rows gold, columns predicted).

    python -m tools.evaluation.stance [--data ../shared/data/fnc1] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
RELATED = frozenset(LABELS[:3])
HELD_OUT_SHARE = 0.2
SPLIT_SEED = 0
# tools/evaluation/stance.py → the repository root → ../shared beside it
DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fnc1"


@dataclass(frozen=True, slots=True, kw_only=True)
class Pair:
    claim: str
    body_id: int
    stance: str
    claim_story: str
    body_story: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Corpus:
    bodies: dict[int, str]
    pairs: tuple[Pair, ...]

    @property
    def stories(self) -> list[str]:
        return sorted({p.body_story for p in self.pairs} | {p.claim_story for p in self.pairs})


def load(folder: Path) -> Corpus:
    """FNC-1 bodies and (headline, body, stance) pairs with the story of each side."""
    bodies: dict[int, str] = {}
    body_story: dict[int, str] = {}
    with open(folder / "train_articles.jsonl", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            bodies[a["body_id"]] = a["text"]
            body_story[a["body_id"]] = a["story"]
    with open(folder / "train_headlines.jsonl", encoding="utf-8") as f:
        claim_story = {h["id"]: h["story"] for h in map(json.loads, f)}
    pairs = []
    with open(folder / "train_stances.jsonl", encoding="utf-8") as f:
        for line in f:
            s = json.loads(line)
            pairs.append(
                Pair(
                    claim=s["headline"],
                    body_id=s["body_id"],
                    stance=s["stance"],
                    claim_story=claim_story[s["headline_id"]],
                    body_story=body_story[s["body_id"]],
                )
            )
    return Corpus(bodies=bodies, pairs=tuple(pairs))


def held_out_stories(
    stories: Sequence[str], seed: int = SPLIT_SEED, share: float = HELD_OUT_SHARE
) -> set[str]:
    """The stories held out by `seed`: a fixed shuffle of the sorted story names."""
    order = sorted(stories)
    random.Random(seed).shuffle(order)
    return set(order[: round(len(order) * share)])


def story_folds(stories: Sequence[str], folds: int, seed: int = SPLIT_SEED) -> list[set[str]]:
    """The stories cut into `folds` disjoint parts (for cross-validation over stories)."""
    order = sorted(stories)
    random.Random(seed).shuffle(order)
    return [set(order[i::folds]) for i in range(folds)]


def split(corpus: Corpus, held_out: set[str]) -> tuple[list[Pair], list[Pair]]:
    """(train, held-out) pairs; pairs joining the two parts are in neither."""
    train, test = [], []
    for p in corpus.pairs:
        a, b = p.claim_story in held_out, p.body_story in held_out
        if a and b:
            test.append(p)
        elif not a and not b:
            train.append(p)
    return train, test


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """The FNC-1 weighted score as a share of the best possible (1.0 = all right)."""
    got = best = 0.0
    for g, p in zip(gold, predicted, strict=True):
        best += 0.25 + 0.75 * (g in RELATED)
        if (g in RELATED) == (p in RELATED):
            got += 0.25
            if g == p and g in RELATED:
                got += 0.75
    return got / best if best else 0.0


def score(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """FNC score, macro-F1, accuracy, per-class P/R/F1 and the confusion matrix."""
    confusion = {g: dict.fromkeys(LABELS, 0) for g in LABELS}
    for g, p in zip(gold, predicted, strict=True):
        confusion[g][p] += 1
    per_class: dict[str, dict[str, float | int]] = {}
    for label in LABELS:
        tp = confusion[label][label]
        n_pred = sum(confusion[g][label] for g in LABELS)
        n_gold = sum(confusion[label].values())
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": n_gold,
        }
    correct = sum(confusion[label][label] for label in LABELS)
    return {
        "pairs": len(gold),
        "fnc_score": round(fnc_score(gold, predicted), 4),
        "macro_f1": round(sum(float(c["f1"]) for c in per_class.values()) / len(LABELS), 4),
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "per_class": per_class,
        "confusion": confusion,
    }


def evaluate_shipped(folder: Path, seed: int = SPLIT_SEED) -> dict[str, Any]:
    """Score the shipped model on the held-out part of the split made by `seed`."""
    from newsweave.stance.model import StancePair, load_model

    corpus = load(folder)
    _, test = split(corpus, held_out_stories(corpus.stories, seed))
    model = load_model()
    predictions = model.predict(
        [StancePair(id=str(i), claim=p.claim, body=corpus.bodies[p.body_id]) for i, p in enumerate(test)]
    )
    result = score([p.stance for p in test], [s.stance for s in predictions])
    result["seed"] = seed
    result["held_out_stories"] = len(held_out_stories(corpus.stories, seed))
    return result


def format_result(result: dict[str, Any]) -> str:
    lines = [
        f"pairs {result['pairs']}  FNC score {result['fnc_score']:.2%}  macro-F1 {result['macro_f1']:.3f}"
        f"  accuracy {result['accuracy']:.3f}",
        f"{'class':<10} {'P':>6} {'R':>6} {'F1':>6} {'n':>6}",
    ]
    for label, c in result["per_class"].items():
        lines.append(
            f"{label:<10} {c['precision']:>6.3f} {c['recall']:>6.3f} {c['f1']:>6.3f} {c['support']:>6}"
        )
    lines.append("confusion (rows gold, columns predicted): " + " ".join(f"{x[:4]:>6}" for x in LABELS))
    for g in LABELS:
        lines.append(f"{g:<10} " + " ".join(f"{result['confusion'][g][p]:>6}" for p in LABELS))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Score the shipped stance model on FNC-1 held out by story.")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the fnc1 folder")
    ap.add_argument("--seed", type=int, default=SPLIT_SEED, help="split seed (shipped: 0)")
    args = ap.parse_args(argv)
    print(format_result(evaluate_shipped(args.data, args.seed)))


if __name__ == "__main__":
    main()
