"""Writes the hostile inputs of this folder (each found by a hostile tester to end or poison a
run on the code of 2026-12-06). Run from the repository root: python -m tests.ingest.hostile_fixtures"""

from __future__ import annotations

import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
_STORY = (
    "The harbour council met on {day} and approved the budget for the coming year after a long "
    "debate about the cost of the new sea wall, which engineers put at {cost} million."
)


def story(n: int) -> str:
    """One council report, different for each fixture so that none is stored as a copy."""
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "the weekend"]
    return _STORY.format(day=days[n % len(days)], cost=12 + n)


def _warc(pages: int, gzipped: bool, first: int = 0) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    for n in range(first, first + pages):
        body = (
            f"<html><head><title>Council vote {n}</title></head><body><article><h1>Council vote {n}</h1>"
            f"<p>{story(n)}</p><p>{story(n + 1)}</p></article></body></html>"
        )
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                f"https://harbour.example/news/{n}",
                "response",
                payload=io.BytesIO(body.encode()),
                http_headers=headers,
            )
        )
    return out.getvalue()


def main() -> None:
    ok = {"id": "ok", "title": "Council vote", "text": story(20)}
    (HERE / "lone_surrogate.jsonl").write_text(
        json.dumps({"id": "surrogate", "title": "Council vote", "text": story(21) + " \ud800"})
        + "\n"
        + json.dumps(ok)
        + "\n"
    )
    (HERE / "year_zero.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour News</title>'
        f"<item><title>Council vote</title><description>{story(22)}</description>"
        "<pubDate>0000-00-00</pubDate></item></channel></rss>\n"
    )
    (HERE / "year_zero.atom").write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Harbour News</title><entry><title>Council vote</title><updated>0000-00-00</updated>"
        f"<content>{story(23)}</content></entry></feed>\n"
    )
    (HERE / "nested_deep.jsonl").write_text('{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    (HERE / "wrong_types.jsonl").write_text(
        json.dumps({"id": "t1", "title": "T", "text": {"a": 1}})
        + "\n"
        + json.dumps({"id": {"x": 1}, "text": story(24)})
        + "\n"
    )
    (HERE / "leading_whitespace.txt").write_text(" " * 70_000 + "\nCouncil vote\n\n" + story(25) + "\n")
    escapes = {
        "id": "esc\x1b]0;pwned\x07",
        "outlet": "Harbour\x1b[31m Herald\u202e",
        "author": "A\x9b2J Writer",
        "url": "https://harbour.example/\u202egnp.exe",
        "title": "Council\x1b[2J vote [bold]now[/bold]",
        "text": story(26) + " \x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    }
    (HERE / "escape_sequences.jsonl").write_text(json.dumps(escapes) + "\n")
    full = _warc(3, gzipped=True)
    # Cut inside the third record (a cut exactly between records leaves a valid, shorter WARC).
    (HERE / "truncated.warc.gz").write_bytes(full[: len(full) * 2 // 3 + 40])
    plain = _warc(2, gzipped=False, first=10)
    at = plain.index(b"sea wall")
    (HERE / "damaged_page.warc").write_bytes(plain[:at] + b"XXX wall" + plain[at + 8 :])
    (HERE / "empty.txt").write_bytes(b"")
    (HERE / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)


if __name__ == "__main__":
    main()
