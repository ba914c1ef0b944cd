"""Development aid for quote attribution on PolNeAR (not a bench: no figures come from here).

Parses the documents once with the base spaCy model and caches them (DocBin, in
/tmp/polnear_cache/), then re-runs only newsweave's components on the cached docs, scores them
with the same scorer as `bench/quotes.py`, and dumps the quoted-view pairs whose speaker is wrong:

    python bench/quotes_errors.py [--split train|dev] [--dump errors.jsonl]

Final figures must come from `bench/quotes.py`, which runs the whole pipeline end to end.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, DocBin

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tools`, from the repository root
sys.path.insert(0, str(Path(__file__).resolve().parent))  # `_common`

from _common import require_data
from newsweave.nlp.runtime import COMPONENTS, load_pipeline
from tools.evaluation.quotes import Gold, Predicted, load, predictions, score, speaker_matches

CACHE = Path("/tmp/polnear_cache")
_UPSTREAM = ("newsweave_entities", "newsweave_references", "newsweave_roles", "newsweave_quotes")


def _parsed(docs: list[dict[str, Any]]) -> list[Doc]:
    nlp = load_pipeline()
    base = [name for name in nlp.pipe_names if name not in COMPONENTS]
    CACHE.mkdir(exist_ok=True)
    path = CACHE / "base.spacy"
    if path.exists():
        cached = {d.user_data.get("id"): d for d in DocBin().from_disk(path).get_docs(nlp.vocab)}
        if all(d["id"] in cached for d in docs):
            return [cached[d["id"]] for d in docs]
    all_docs, _ = load(require_data("polnear"))
    bin_ = DocBin(store_user_data=True)
    parsed = []
    with nlp.select_pipes(enable=base):
        for record, doc in zip(all_docs, nlp.pipe((d["text"] for d in all_docs), batch_size=32), strict=True):
            doc.user_data["id"] = record["id"]
            bin_.add(doc)
            parsed.append(doc)
    bin_.to_disk(path)
    by_id = {d.user_data["id"]: d for d in parsed}
    return [by_id[d["id"]] for d in docs]


def _predict(docs: list[dict[str, Any]]) -> tuple[list[Predicted], dict[str, Doc]]:
    nlp = load_pipeline()
    out: list[Predicted] = []
    processed: dict[str, Doc] = {}
    for record, doc in zip(docs, _parsed(docs), strict=True):
        for name in _UPSTREAM:
            doc = nlp.get_pipe(name)(doc)
        processed[record["id"]] = doc
        out += predictions(record["id"], doc)
    return out, processed


def _errors(predicted: list[Predicted], gold: list[Gold], docs: dict[str, Doc]) -> list[dict[str, Any]]:
    by_doc: dict[str, list[Gold]] = {}
    for g in gold:
        if g.quoted:
            by_doc.setdefault(g.doc_id, []).append(g)
    wrong = []
    for p in predicted:
        if p.kind not in {"direct", "partial"} or p.nested:
            continue
        hits = [g for g in by_doc.get(p.doc_id, []) if any(p.start < e and s < p.end for s, e in g.spans)]
        if hits and not any(speaker_matches(p, g) for g in hits):
            text = docs[p.doc_id].text
            wrong.append(
                {
                    "doc": p.doc_id,
                    "ours": p.speaker,
                    "canonical": p.canonical,
                    "gold": [g.speaker for g in hits],
                    "noisy": all(g.noisy for g in hits),
                    "context": text[max(0, p.start - 300) : p.end + 150],
                    "quote": text[p.start : p.end][:80],
                }
            )
    return wrong


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["train", "dev"], default=None, help="default: both")
    ap.add_argument("--dump", type=Path, default=None, help="write the wrong speakers here (JSON lines)")
    args = ap.parse_args()
    docs, gold = load(require_data("polnear"), split=args.split)
    start = time.perf_counter()
    predicted, processed = _predict(docs)
    print(f"{len(docs)} documents in {time.perf_counter() - start:.1f} s")
    print(json.dumps(score(predicted, gold), indent=2))
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for error in _errors(predicted, gold, processed):
                f.write(json.dumps(error, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
