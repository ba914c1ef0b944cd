"""What each input limit holds the work to: wall time and peak memory of one `newsweave ingest`
(or `analyse`) process fed the input that hits the limit, each in a fresh process.

Inputs (written to a temporary folder):
- bomb: a gzipped plain-text file expanding to 13 GB (13 MB compressed), refused by its expansion;
- broken lines: 1.5 MB gzipped, a million lines that are not JSON (the file is abandoned after
  1,000 rejected in a row);
- deep JSON: a 5 MB line nested 2.5 million levels deep (the largest line read);
- long article: a 1.14 MB text (rejected: longer than the 200,000 characters analysed);
- longest article: a 199,000-character article, ingested and analysed (what the limit lets in);
- small records: 20,000 JSON Lines records, for records per second (the 1,000,000-records cap
  is projected from it).

    python bench/limits.py
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # `_common`

from _common import machine, write_result

NEWSWEAVE = [sys.executable, "-m", "newsweave.cli"]
PARAGRAPH = (
    "The harbour council met on Monday and approved the budget for the coming year after a long "
    "debate about the cost of the new sea wall, which engineers put at 14 million. "
)


def _measure(args: list[str]) -> dict[str, float | int]:
    """Wall seconds and peak resident memory (MB) of one process, by GNU time."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *args], capture_output=True, text=True, env=os.environ)
    seconds = time.perf_counter() - start
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return {
        "seconds": round(seconds, 2),
        "peak_mb": round(int(peak.group(1)) / 1024) if peak else -1,
        "exit": done.returncode,
    }


def _write_inputs(tmp: Path) -> dict[str, Path]:
    paths = {}
    bomb = tmp / "bomb.txt.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as f:
        block = b"The council met. " * 60_000
        for _ in range(13_000):  # 13 GB once expanded
            f.write(block)
    paths["bomb"] = bomb
    broken = tmp / "broken.jsonl.gz"
    with gzip.open(broken, "wt", compresslevel=9) as f:
        f.write('{"id": 1, "text": "not closed\n' * 1_000_000)
    paths["broken lines"] = broken
    deep = tmp / "deep.jsonl"
    deep.write_text('{"text": ' + "[" * 2_499_000 + "]" * 2_499_000 + "}\n")
    paths["deep JSON"] = deep
    long_text = tmp / "long.txt"
    long_text.write_text("Long read\n\n" + (PARAGRAPH + "\n\n") * 6_300)
    paths["long article"] = long_text
    longest = tmp / "longest.txt"
    longest.write_text("Long read\n\n" + (PARAGRAPH + "\n\n") * 1_080)
    paths["longest article"] = longest
    small = tmp / "small.jsonl"
    with open(small, "w") as f:
        for n in range(20_000):
            f.write(json.dumps({"id": n, "title": f"Report {n}", "text": f"Report {n}. {PARAGRAPH}"}) + "\n")
    paths["small records"] = small
    return paths


def main() -> None:
    results: dict[str, object] = {"machine": machine()}
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        inputs = _write_inputs(tmp)
        for name, path in inputs.items():
            db = tmp / f"{name.replace(' ', '_')}.db"
            run = _measure([*NEWSWEAVE, "--db", str(db), "ingest", "-q", str(path)])
            entry: dict[str, object] = {"input_mb": round(path.stat().st_size / 1e6, 2), "ingest": run}
            if name == "longest article":
                entry["analyse"] = _measure([*NEWSWEAVE, "--db", str(db), "analyse"])
            if name == "small records":
                per_second = 20_000 / float(run["seconds"])
                entry["records_per_second"] = round(per_second)
                entry["projected_minutes_for_1M"] = round(1_000_000 / per_second / 60, 1)
            results[name] = entry
            print(name, entry, flush=True)
    write_result("limits", results)


if __name__ == "__main__":
    main()
