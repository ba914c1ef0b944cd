"""Guard: no code, list, fixture, test, doc or template names what the seed articles contain.

The same code is judged on news it has never seen, so a rule that knows the seed articles is a
defect, and so is an example in a comment or a doc that was lifted from them (a rule reworded
around it stays a seed rule). Guarded, from the seeds' gold file (so this file names none of
them either):
- every entity of every type, by its name and by each alias written as a name (capitalised),
  and each word of a person's name alone ("Surname");
- the two outlets and their domains;
- the distinctive phrases: framing terms of two words or more, both sides of every difference,
  every quotation.
Runs only where ../shared/seeds is present; the same for the comparison benchmark's gold
(../shared/compare), whose distinctive phrases and people's full names no file may repeat either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, needs_shared

SCANNED = ("src", "tests", "bench", "tools", "docs", ".ci")
TOP_LEVEL = ("README.md", "CHANGELOG.md", "Makefile", "pyproject.toml")
SUFFIXES = {".py", ".txt", ".json", ".jsonl", ".html", ".rss", ".atom", ".xml", ".toml", ".md", ".j2", ".css"}
SUFFIXES |= {".js", ".yaml", ".yml", ".cfg", ".ini", ".sh", ""}
_SHORTEST_NAME_WORD = 3  # "Un" or "Ae" alone would match ordinary text


def _gold() -> dict[str, Any]:
    return json.loads(needs_shared("seeds", "gold.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _seed_names(gold: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for entity in gold["entities"]:
        names.add(entity["name"])
        names.update(a for a in entity.get("aliases") or [] if a[:1].isupper())
        if entity["type"] == "PERSON":
            names.update(w for w in entity["name"].split() if len(w) >= _SHORTEST_NAME_WORD)
    for article in gold["articles"].values():
        names.add(article["outlet"])
        if domain := article.get("outlet_domain"):
            names.add(domain)
    return names


def _seed_phrases(gold: dict[str, Any]) -> set[str]:
    phrases = {p for side in gold["framing"].values() for p in side if len(p.split()) >= 2}
    phrases |= {d[side] for d in gold["differences"] for side in ("A", "B") if d.get(side)}
    phrases |= {q["text"] for q in gold["quotes"] if isinstance(q, dict) and q.get("text")}
    return phrases


def _files() -> Iterator[Path]:
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*")):
            # A shipped model's vocabulary (next to its weights) lists every word of a general
            # corpus: data, not a rule.
            weights = path.parent / "model.safetensors"
            if path.is_file() and path.suffix in SUFFIXES and not weights.exists():
                yield path
    yield from (ROOT / name for name in TOP_LEVEL if (ROOT / name).exists())


def _offenders(pattern: re.Pattern[str]) -> list[str]:
    found = []
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    return found


def test_no_file_names_a_seed_entity_or_outlet() -> None:
    names = sorted(_seed_names(_gold()), key=len, reverse=True)
    # Names are proper nouns: matched as written, as whole words (a short surname is not the
    # start of a longer word).
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
    offenders = _offenders(pattern)
    assert not offenders, offenders


def test_no_file_repeats_a_distinctive_seed_phrase() -> None:
    phrases = sorted(_seed_phrases(_gold()), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(p) for p in phrases), re.IGNORECASE)
    offenders = _offenders(pattern)
    assert not offenders, offenders


# The comparison benchmark (../shared/compare) is judged on events it does not have, like the
# seeds: no code, test or doc may repeat its gold's words either. Its distinctive phrases: both
# sides of every conflict and look-alike, every quotation (three words or more), every snippet
# of a fact (four words or more; shorter ones are ordinary phrases).
_SHORTEST_SPAN, _SHORTEST_SNIPPET = 3, 4


def _benchmark_phrases() -> set[str]:
    phrases: set[str] = set()
    for path in sorted(needs_shared("compare").glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        spans = [s for c in gold["conflicts"] + gold["not_conflicts"] for s in c["spans"].values()]
        spans += [q["text"] for q in gold.get("quotes", [])]
        snippets = [s for f in gold["facts"] for lst in f["snippets"].values() for s in lst]
        snippets += [u["snippet"] for u in gold["unique_facts"]]
        phrases |= {_plain(s) for s in spans if len(s.split()) >= _SHORTEST_SPAN}
        phrases |= {_plain(s) for s in snippets if len(s.split()) >= _SHORTEST_SNIPPET}
    return phrases


def _benchmark_people() -> set[str]:
    """The benchmark's people by every form of their name of two words or more ("Mr. Okafor"
    included; a lone surname is an ordinary word too often)."""
    names: set[str] = set()
    for path in sorted(needs_shared("compare").glob("*.gold.json")):
        for person in json.loads(path.read_text(encoding="utf-8"))["people"]:
            names |= {n for n in [person["name"], *person.get("aliases", [])] if len(n.split()) >= 2}
    return names


def _plain(text: str) -> str:
    """Lower case, straight quotes and apostrophes, single spaces: a copy differs in none of these."""
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "}))
    return re.sub(r"\s+", " ", text).strip().lower()


def test_no_file_repeats_a_phrase_of_the_comparison_benchmark() -> None:
    phrases = _benchmark_phrases()
    assert len(phrases) > 500  # the guard reads the gold (else it could never fail)
    offenders = []
    for path in _files():
        text = _plain(path.read_text(encoding="utf-8", errors="replace"))
        offenders += [f"{path.relative_to(ROOT)}: {p}" for p in phrases if p in text]
    assert not offenders, offenders


def test_no_file_names_a_person_of_the_comparison_benchmark() -> None:
    names = sorted(_benchmark_people(), key=len, reverse=True)
    assert len(names) > 50  # the guard reads the gold (else it could never fail)
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
    offenders = _offenders(pattern)
    assert not offenders, offenders


def test_the_guard_finds_what_it_guards(tmp_path: Path) -> None:
    """The patterns match the gold's own words (else the two tests above could never fail)."""
    gold = _gold()
    names, phrases = _seed_names(gold), _seed_phrases(gold)
    assert len(names) > 20 and len(phrases) > 5
    sample = f"x = '{sorted(names)[0]}'  # {sorted(phrases)[0]}"
    name_pattern = re.compile("|".join(re.escape(n) for n in names))
    phrase_pattern = re.compile("|".join(re.escape(p) for p in phrases), re.IGNORECASE)
    assert name_pattern.search(sample) and phrase_pattern.search(sample)
