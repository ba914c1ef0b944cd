"""Where the comparison benchmark's gold ties a shared fact to a single-outlet one.

A shared fact whose every snippet in one outlet covers (by the scorer's own `covers`) a snippet of
a fact only that outlet states cannot be grouped with that outlet's claim without the group
counting as wrong and the single-outlet fact as lost. Where the fact has no two other outlets to
stand on, every system pays for it: this lists those entries, so a change is not blamed for them.

    python -m tools.evaluation.gold_overlaps [--gold ../shared/compare]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.evaluation.compare import ROOT, load_scorer


@dataclass(frozen=True, slots=True)
class Overlap:
    event: str
    fact: str  # the shared fact's id
    outlet: str  # the outlet whose every snippet of it covers a single-outlet snippet
    unique: tuple[str, ...]  # ids ("U<n>") of the single-outlet facts it covers
    unavoidable: bool  # fewer than two outlets state the fact without such an overlap


def overlaps(event: str, gold: dict[str, Any], covers: Any) -> list[Overlap]:
    out = []
    for fact in gold["facts"]:
        found = []
        for outlet, snippets in fact["snippets"].items():
            own = [(f"U{i}", u["snippet"]) for i, u in enumerate(gold["unique_facts"]) if u["in"] == outlet]
            covered = [{uid for uid, text in own if covers(s, text)} for s in snippets]
            if covered and all(covered):  # no snippet of the fact in this outlet stands apart
                found.append((outlet, tuple(sorted(set().union(*covered)))))
        free = len(fact["snippets"]) - len(found)
        out += [Overlap(event, fact["id"], outlet, hit, free < 2) for outlet, hit in found]
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "compare")
    args = ap.parse_args(argv)
    covers = load_scorer(args.gold).covers
    found: list[Overlap] = []
    for path in sorted(args.gold.glob("*.gold.json")):
        found += overlaps(path.name.replace(".gold.json", ""), json.loads(path.read_text("utf-8")), covers)
    for o in found:
        mark = "  unavoidable" if o.unavoidable else ""
        print(f"{o.event} {o.fact} ({o.outlet}) covers {', '.join(o.unique)}{mark}")
    lost = {(o.event, u) for o in found if o.unavoidable for u in o.unique}
    facts = {(o.event, o.fact) for o in found if o.unavoidable}
    print(f"{len(facts)} shared facts cannot be grouped without losing single-outlet facts ({len(lost)})")


if __name__ == "__main__":
    main()
