"""The server under load: concurrent clients over search and story pages on a store of 10,000
real articles, latency per endpoint (p50, p95, p99) and errors.

Store (built once, kept with `--db`): real bodies from the shared data. First `--analysed` FNC-1
bodies, whole stories in the order they first appear (as bench/pipeline.py takes them), ingested
and analysed, so there are stories, entities and comparisons to serve; then every other body of
FNC-1, ECB+, PolNeAR and TempEval-3, and, to reach `--articles`, FNC-1 headline and body pairs not
used yet (a body under another of its headlines: a distinct article, with text already seen),
ingested only: analysing 10,000 would take about 20 minutes here. So search runs over all of
them and story pages over the analysed part. Each article gets an outlet from a pool of 50 and,
where its source has none, a publication day spread over 2014-2015.

Server: `uvicorn` in a subprocess on loopback, one process, as `newsweave serve` runs it.
Load: `--clients` clients (one asyncio loop, httpx, a connection each) for `--seconds` after a
warm-up, each request drawn (seeded) from a mix, half API and half web pages: article searches
(some with a filter or a later page), article lists, story searches, story pages, entity and
article pages through `/api`; the story list and its search, story pages, side-by-side reading
views and entity pages of the web app.

    python bench/server.py [--articles 10000] [--analysed 300] [--clients 20] [--seconds 45] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, machine, require_data, write_result
from pipeline import OUTLETS, choose_bodies

QUERIES = (
    "ebola",
    "islamic state",
    '"islamic state"',
    "isis hostage",
    "apple watch",
    "iphone",
    "kim jong un",
    "north korea",
    "meteorite",
    "police shooting",
    "ferguson",
    "boko haram girls",
    "missing plane",
    "malaysia airlines",
    "ukraine russia",
    "syria",
    "banksy",
    "putin",
    "obama",
    "clinton",
    "trump debate",
    "earthquake",
    "rehab",
    "court ruling",
    "arrest*",
    "election",
    "tropical storm",
    "stock market",
    "climate",
    "pope francis",
)


def _day(index: int) -> str:
    return (date(2014, 1, 1) + timedelta(days=index % 730)).isoformat()


def _normal(title: str | None, text: str) -> str:
    return " ".join(f"{title or ''}\n{text}".split()).casefold()


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def bench_articles(total: int, analysed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the articles to analyse, the articles to ingest only), as JSON Lines records."""
    fnc1 = require_data("fnc1", "train_articles.jsonl")
    first = [
        {
            "id": r["id"],
            "title": r.get("title"),
            "text": r["text"],
            "outlet": r["outlet"],
            "published": _day(i),
        }
        for i, r in enumerate(choose_bodies(fnc1, analysed))
    ]
    used = {r["id"] for r in first}
    rest: list[dict[str, Any]] = []

    def add(record_id: str, title: str | None, text: str, published: str | None) -> None:
        normal = _normal(title, text)
        if normal in seen:  # the store would keep one of two equal texts
            return
        seen.add(normal)
        n = len(first) + len(rest)
        rest.append(
            {
                "id": record_id,
                "title": title,
                "text": text,
                "outlet": f"Outlet {n % OUTLETS + 1}",
                "published": published or _day(n),
            }
        )

    seen: set[str] = {_normal(r.get("title"), r["text"]) for r in first}
    bodies: dict[int, str] = {}
    for r in _rows(fnc1):
        bodies[int(r["body_id"])] = r["text"]
        if r["id"] not in used:
            add(r["id"], r.get("title"), r["text"], None)
    for folder in ("ecbplus", "polnear", "tempeval3"):
        for r in _rows(require_data(folder, "docs.jsonl")):
            add(f"{folder}-{r['id']}", r.get("title"), r["text"], r.get("published") or r.get("dct"))
    for r in _rows(require_data("fnc1", "train_stances.jsonl")):
        if len(first) + len(rest) >= total:
            break
        add(f"{r['headline_id']}-b{r['body_id']}", r["headline"], bodies[int(r["body_id"])], None)
    return first, rest[: total - len(first)]


def build_store(db: Path, total: int, analysed: int) -> dict[str, Any]:
    import newsweave

    first, rest = bench_articles(total, analysed)
    with tempfile.TemporaryDirectory() as folder:
        timings: dict[str, float] = {}
        with newsweave.open_store(db) as ws:
            for name, records in (("analysed", first), ("ingest only", rest)):
                path = Path(folder, f"{name.replace(' ', '_')}.jsonl")
                path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
                start = time.perf_counter()
                report = ws.ingest([path])
                timings[f"ingest {name} (s)"] = round(time.perf_counter() - start, 1)
                took = timings[f"ingest {name} (s)"]
                print(
                    f"{name}: {report.added} stored, {len(report.rejected)} rejected in {took} s", flush=True
                )
                if name == "analysed":
                    start = time.perf_counter()
                    ws.analyse()
                    timings["analyse (s)"] = round(time.perf_counter() - start, 1)
                    print(f"analysed in {timings['analyse (s)']} s", flush=True)
    return timings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(db: Path, port: int) -> Iterator[str]:
    code = (
        "import uvicorn\n"
        "from newsweave.server import create_app\n"
        f"uvicorn.run(create_app({str(db)!r}), host='127.0.0.1', port={port}, log_level='warning')\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/api/stories?limit=1", trust_env=False).status_code == 200:
                    break
            time.sleep(0.3)
        else:
            raise SystemExit("the server did not come up within 60 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def cold_story_pages(base: str) -> dict[str, Any]:
    """Each story page asked for once, one at a time, on a server just started: what a first
    reader waits for before the page is kept (server/cache.py)."""
    timings: list[tuple[float, int, int]] = []
    with httpx.Client(base_url=base, trust_env=False, timeout=60) as c:
        for story in c.get("/api/stories", params={"limit": 100}).json()["items"]:
            began = time.perf_counter()
            response = c.get(f"/api/stories/{story['id']}")
            timings.append(((time.perf_counter() - began) * 1000, story["articles"], len(response.content)))
    ms = [t for t, _, _ in timings]
    largest = max(timings, key=lambda t: t[1])
    return {
        "stories": len(timings),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "max_ms": round(max(ms), 1),
        "largest_story": {"articles": largest[1], "ms": round(largest[0], 1), "bytes": largest[2]},
    }


def targets(base: str) -> dict[str, list[str]]:
    """Ids to ask for: the analysed stories, some of their entities and articles."""
    with httpx.Client(base_url=base, trust_env=False, timeout=60) as c:
        listed = c.get("/api/stories", params={"limit": 100}).json()
        story_ids = [str(s["id"]) for s in listed["items"]]
        entities: list[str] = []
        articles: list[str] = []
        for story_id in story_ids[:10]:
            document = c.get(f"/api/stories/{story_id}").json()
            entities += [e["id"] for e in document["entities"][:10]]
            articles += [a["id"] for a in document["articles"][:5]]
    return {"stories": story_ids, "entities": entities, "articles": articles, "total": [str(listed["total"])]}


def choose(rng: random.Random, ids: dict[str, list[str]]) -> tuple[str, str, dict[str, Any]]:
    """(endpoint label, path, query) of one request: half to the API, half to the web pages."""
    roll = rng.random()
    q = rng.choice(QUERIES)
    story = rng.choice(ids["stories"])
    if roll < 0.13:
        return "GET /api/articles?q", "/api/articles", {"q": q}
    if roll < 0.21:
        extra = rng.choice(
            [
                {"outlet": f"Outlet {rng.randint(1, OUTLETS)}"},
                {"published_from": "2014-06-01", "published_to": "2014-12-31"},
                {"offset": 20 * rng.randint(1, 5)},
            ]
        )
        return "GET /api/articles?q+filter", "/api/articles", {"q": q, **extra}
    if roll < 0.24:
        return "GET /api/articles (list)", "/api/articles", {"offset": 20 * rng.randint(0, 400)}
    if roll < 0.32:
        return "GET /api/stories?q", "/api/stories", {"q": q}
    if roll < 0.34:
        return "GET /api/stories (list)", "/api/stories", {"offset": 20 * rng.randint(0, 3)}
    if roll < 0.46:
        return "GET /api/stories/{id}", f"/api/stories/{story}", {}
    if roll < 0.48:
        return "GET /api/entities/{id}", f"/api/entities/{rng.choice(ids['entities'])}", {}
    if roll < 0.50:
        return "GET /api/articles/{id}", f"/api/articles/{rng.choice(ids['articles'])}", {}
    if roll < 0.64:
        return "page / ?q (story search)", "/", {"q": q}
    if roll < 0.67:
        return "page / (story list)", "/", {"page": rng.randint(1, 2)}
    if roll < 0.85:
        return "page /stories/{id}", f"/stories/{story}", {}
    if roll < 0.95:
        return "page /stories/{id}/read", f"/stories/{story}/read", {}
    return "page /entities/{id}", f"/entities/{rng.choice(ids['entities'])}", {}


async def load(
    base: str, ids: dict[str, list[str]], clients: int, seconds: float, warmup: float, seed: int
) -> tuple[dict[str, list[float]], dict[str, int], float]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    start = time.monotonic()
    measuring_from, end = start + warmup, start + warmup + seconds

    async def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        async with httpx.AsyncClient(base_url=base, trust_env=False, timeout=30) as http:
            while (now := time.monotonic()) < end:
                label, path, params = choose(rng, ids)
                began = time.perf_counter()
                try:
                    response = await http.get(path, params=params)
                    failed = response.status_code != 200
                    await response.aread()
                except httpx.HTTPError:
                    failed = True
                took = (time.perf_counter() - began) * 1000
                if now >= measuring_from:
                    latencies[label].append(took)
                    if failed:
                        errors[label] += 1

    await asyncio.gather(*(client(i) for i in range(clients)))
    return latencies, errors, seconds


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(latencies: dict[str, list[float]], errors: dict[str, int], seconds: float) -> dict[str, Any]:
    rows = {}
    for label in sorted(latencies):
        values = latencies[label]
        rows[label] = {
            "requests": len(values),
            "errors": errors.get(label, 0),
            "p50_ms": round(percentile(values, 50), 1),
            "p95_ms": round(percentile(values, 95), 1),
            "p99_ms": round(percentile(values, 99), 1),
            "mean_ms": round(statistics.fmean(values), 1),
        }
    everything = [v for values in latencies.values() for v in values]
    rows["all"] = {
        "requests": len(everything),
        "errors": sum(errors.values()),
        "p50_ms": round(percentile(everything, 50), 1),
        "p95_ms": round(percentile(everything, 95), 1),
        "p99_ms": round(percentile(everything, 99), 1),
        "mean_ms": round(statistics.fmean(everything), 1),
        "requests_per_s": round(len(everything) / seconds, 1),
    }
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--analysed", type=int, default=300)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument(
        "--db", type=Path, help="Keep the store here (built when missing, reused when present)."
    )
    args = parser.parse_args()

    db = args.db or Path(tempfile.mkdtemp(prefix="newsweave-bench-server-")) / "bench.db"
    build: dict[str, Any] = {}
    if not db.exists():
        build = build_store(db, args.articles, args.analysed)
    os.environ.setdefault("NO_PROXY", "127.0.0.1")
    with server(db, free_port()) as base:
        cold = cold_story_pages(base)
        ids = targets(base)
        with httpx.Client(base_url=base, trust_env=False) as c:
            stored = c.get("/api/articles", params={"limit": 1}).json()["total"]
        load_before = os.getloadavg()[0]
        latencies, errors, seconds = asyncio.run(
            load(base, ids, args.clients, args.seconds, args.warmup, args.seed)
        )
        load_after = os.getloadavg()[0]
    result = {
        "machine": machine(),
        "store": {"articles": stored, "analysed": args.analysed, "stories": int(ids["total"][0]), **build},
        "load": {
            "clients": args.clients,
            "seconds": args.seconds,
            "warmup_s": args.warmup,
            "seed": args.seed,
        },
        "machine_load": {"1-min load average before": load_before, "after": load_after},
        "endpoints": summary(latencies, errors, seconds),
        "story pages, first request (uncached)": cold,
    }
    write_result("server", result)


if __name__ == "__main__":
    main()
