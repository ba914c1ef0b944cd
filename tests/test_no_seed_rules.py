"""Guard: no code, list, fixture or test expectation names a person or outlet from the seeds.

The same code is judged on news it has never seen, so a rule that knows the seed articles is a
defect. Runs only where ../shared/seeds is present (the names come from its gold file, so this
file names none of them either).
"""

from __future__ import annotations

import json
import re

from tests.conftest import ROOT, needs_shared

SCANNED = ("src", "tests", "bench", "tools")


def _seed_names() -> set[str]:
    gold = json.loads(needs_shared("seeds", "gold.json").read_text(encoding="utf-8"))
    names = {e["name"] for e in gold["entities"] if e["type"] == "PERSON" and " " in e["name"]}
    for article in gold["articles"].values():
        names.add(article["outlet"])
        if domain := article.get("outlet_domain"):
            names.add(domain)
    return names


def test_no_file_names_a_seed_person_or_outlet() -> None:
    pattern = re.compile("|".join(re.escape(n) for n in sorted(_seed_names())), re.IGNORECASE)
    offenders = []
    for folder in SCANNED:
        for path in (ROOT / folder).rglob("*"):
            # A shipped model's vocabulary (next to its weights) lists every word of a general
            # corpus: data, not a rule.
            if (path.parent / "model.safetensors").exists():
                continue
            if path.is_file() and path.suffix in {".py", ".txt", ".json", ".html", ".rss", ".atom", ".toml"}:
                text = path.read_text(encoding="utf-8", errors="replace")
                offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert not offenders, offenders
