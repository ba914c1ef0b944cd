"""Stance on FNC-1 held out by story (the shipped weights), and how fast pairs are judged.

    python bench/stance.py [--seed 0]

Speed is measured on a story-sized job: 20 held-out bodies, each against 10 claims (200 pairs),
as the cross-source comparison of a 20-article story would ask, and on the whole held-out part.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tools`, from the repository root
sys.path.insert(0, str(Path(__file__).resolve().parent))  # `_common`

from _common import machine, peak_rss_mb, require_data, write_result
from newsweave.stance.model import StancePair, load_model
from tools.evaluation.stance import held_out_stories, load, score, split


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=0, help="split seed (the shipped model is trained on 0)")
    args = ap.parse_args()
    corpus = load(require_data("fnc1"))
    _, test = split(corpus, held_out_stories(corpus.stories, args.seed))
    start = time.perf_counter()
    model = load_model()
    load_seconds = time.perf_counter() - start

    pairs = [StancePair(id=str(i), claim=p.claim, body=corpus.bodies[p.body_id]) for i, p in enumerate(test)]
    start = time.perf_counter()
    predicted = model.predict(pairs)
    seconds = time.perf_counter() - start

    bodies = list(dict.fromkeys(p.body_id for p in test))[:20]
    claims = list(dict.fromkeys(p.claim for p in test))[:10]
    story = [StancePair(id=f"{b}-{c}", claim=c, body=corpus.bodies[b]) for b in bodies for c in claims]
    rounds = []
    for _ in range(3):
        start = time.perf_counter()
        model.predict(story)
        rounds.append(time.perf_counter() - start)

    result: dict[str, Any] = {
        "split_seed": args.seed,
        "held_out": score([p.stance for p in test], [p.stance for p in predicted]),
        "shipped_record": {
            "held_out": {k: model.meta["held_out"][k] for k in ("fnc_score", "macro_f1")},
            "check_seeds": [
                {k: c[k] for k in ("seed", "fnc_score", "macro_f1", "pairs")}
                for c in model.meta["check_seeds"]
            ],
        },
        "load_seconds": round(load_seconds, 3),
        "pairs_per_second_one_core": round(len(pairs) / seconds, 1),
        "story_20_bodies_x_10_claims_seconds": round(min(rounds), 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "machine": machine(),
    }
    write_result("stance", result)


if __name__ == "__main__":
    main()
