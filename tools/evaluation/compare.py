"""The comparison benchmark of ../shared/compare, split in two halves, fast enough to iterate on.

Each event is ingested and analysed once into a store under `--work` (the language layer is the
slow part); every run after that only compares again (the stored comparisons are dropped) and
scores the export with the benchmark's own scorer. Events are split by name into a half to tune
on and a half to check on, as the issue asks: a change is kept only when neither half loses.

    python -m tools.evaluation.compare [--gold ../shared/compare] [--fresh] [--explain]

`--fresh` analyses the events again (needed after a change to the language layer: claims,
quotes, entities).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MEASURES = (
    "shared_recall",
    "shared_precision",
    "unique_recall",
    "conflict_recall",
    "conflict_precision",
    "false_alarms",
    "people_merged",
    "speakers",
)
Counts = dict[str, tuple[int, int]]


def load_scorer(gold_dir: Path) -> ModuleType:
    """The benchmark's scorer, imported from its file (it is not a package)."""
    spec = importlib.util.spec_from_file_location("score_compare", gold_dir / "score_compare.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(gold_dir / "score_compare.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def halves(events: list[str]) -> tuple[list[str], list[str]]:
    """Sorted by name, alternating: a split fixed by the names alone, not by how events score."""
    ordered = sorted(events)
    return ordered[0::2], ordered[1::2]


def export_event(gold_path: Path, work: Path, fresh: bool) -> dict[str, Any]:
    """The event's export, compared again by the current code (analysed again if `fresh`)."""
    from newsweave import open_store
    from newsweave.compare.stage import CompareStage

    source = gold_path.with_name(gold_path.name.replace(".gold.json", ".jsonl"))
    db = work / f"{source.stem}.db"
    if fresh:
        db.unlink(missing_ok=True)
    new = not db.exists()
    with open_store(db) as workspace:
        if new:
            workspace.ingest([source])
            workspace.analyse()
        else:
            # Analysed before: compare every story again with the code as it is now.
            workspace.store.drop_comparisons([s.id for s in workspace.stories()])
            CompareStage().run(workspace.store, [])
        return workspace.export()


def add(total: Counts, counts: Counts) -> None:
    for k, (a, b) in counts.items():
        x, y = total.get(k, (0, 0))
        total[k] = (x + a, y + b)


def line(name: str, counts: Counts) -> str:
    return f"{name:>8}: " + "  ".join(
        f"{k} {counts[k][0]}/{counts[k][1]}={counts[k][0] / counts[k][1]:.3f}" if counts[k][1] else f"{k} -"
        for k in MEASURES
        if k in counts
    )


def run(
    gold_dir: Path, work: Path, fresh: bool, explain: bool, out: Callable[[str], None]
) -> dict[str, Counts]:
    scorer = load_scorer(gold_dir)
    work.mkdir(parents=True, exist_ok=True)
    golds = {p.name.replace(".gold.json", ""): p for p in sorted(gold_dir.glob("*.gold.json"))}
    tune, _ = halves(list(golds))
    totals: dict[str, Counts] = {"tune": {}, "check": {}, "all": {}}
    for name, path in golds.items():
        why: list[str] | None = [] if explain else None
        counts = scorer.score(export_event(path, work, fresh), json.loads(path.read_text("utf-8")), why)
        out(line(name, counts))
        for reason in why or []:
            out("   - " + reason)
        add(totals["tune" if name in tune else "check"], counts)
        add(totals["all"], counts)
    for half, counts in totals.items():
        out(line(half, counts))
    return totals


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "compare")
    ap.add_argument("--work", type=Path, default=Path("/tmp/newsweave-compare"))
    ap.add_argument("--fresh", action="store_true", help="analyse the events again")
    ap.add_argument("--explain", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the totals here")
    args = ap.parse_args(argv)
    totals = run(args.gold, args.work, args.fresh, args.explain, print)
    if args.json:
        args.json.write_text(json.dumps(totals, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
