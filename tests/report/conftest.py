"""A three-outlet story, run through the real pipeline, with the comparison written by hand.

The articles (`fixtures/*.txt`, invented but shaped like real local, radio and trade-press
reports) tell one event: a water utility's payment site hacked. The trade-press piece quotes
the attackers' code, `<script>` and `onerror=` included, so every section has hostile text in
it. The comparison's keys (`claim_groups`, `differences`, `framing`, `stories`) are written
here by hand in the export contract's shape, found by phrase among the claims the pipeline
produced, so these tests pin the report, not the comparison's current tuning;
`pipeline_export` keeps whatever the real comparison made.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import newsweave

STORY = Path(__file__).parent / "fixtures"
PUBLISHED = date(2025, 3, 11)
PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned=1">'
COMPARISON_KEYS = ("claim_groups", "differences", "framing", "stories")

# (status, phrases each matching claims of one article, stances by outlet, independent sources)
_GROUPS: list[tuple[str, list[str], dict[str, str], int]] = [
    (
        "shared",
        [
            "shut down its online payment portal on Monday",
            "took its payment website offline on Monday",
            "shut the site down on Monday",
        ],
        {},
        3,
    ),
    ("shared", ["Police are investigating the attack"], {}, 3),
    (
        "shared",
        ["No customer passwords were stored", "no customer passwords had been stored"],
        {},
        1,
    ),
    (
        "conflict",
        ["About 14,000 customer accounts", "as many as 40,000 accounts", "about 14,000 accounts may"],
        {"Westshore Radio": "contradicts"},
        2,
    ),
    ("unique", ["called in the National Cyber Security Centre"], {}, 1),
    ("unique", ["the attackers added the line"], {}, 1),
    ("unique", ["An independent audit last autumn"], {}, 1),
]


def claims_with(doc: dict[str, Any], phrase: str) -> list[dict[str, Any]]:
    found = [c for c in doc["claims"] if phrase.casefold() in c["text"].casefold()]
    assert found, f"no claim contains {phrase!r}: the fixture articles or the claim finder changed"
    return found


def article_of(doc: dict[str, Any], outlet: str) -> dict[str, Any]:
    (article,) = [a for a in doc["articles"] if a["outlet"] == outlet]
    return article


def add_comparison(doc: dict[str, Any]) -> dict[str, Any]:
    """The keys compare.py will fill, written by hand for the fixture story."""
    outlet_of = {a["id"]: a["outlet"] for a in doc["articles"]}
    groups = []
    for n, (status, phrases, stance_by_outlet, independent) in enumerate(_GROUPS, 1):
        claims = [c for phrase in phrases for c in claims_with(doc, phrase)]
        articles = list(dict.fromkeys(c["article"] for c in claims))
        groups.append(
            {
                "id": f"g{n}",
                "story": "s1",
                "claims": [c["id"] for c in claims],
                "status": status,
                "outlets": [outlet_of[a] for a in articles],
                "independent_sources": independent,
                "text": claims[0]["text"],
                "stances": {a: stance_by_outlet.get(outlet_of[a], "supports") for a in articles},
                "provenance": [
                    {"article": a, "outlet": outlet_of[a], "chain": ["the authority", outlet_of[a]]}
                    for a in articles
                    if status == "conflict"
                ],
                "times": ["2025-03-10"] if n == 1 else [],
            }
        )
    courier = article_of(doc, "Corran Bay Courier")["id"]
    westshore = article_of(doc, "Westshore Radio")["id"]
    techline = article_of(doc, "Techline Daily")["id"]
    doc["claim_groups"] = groups
    doc["differences"] = [
        {
            "kind": "number",
            "about": "accounts exposed",
            "spans": [
                {"article": courier, "text": "About 14,000 customer accounts"},
                {"article": westshore, "text": "as many as 40,000 accounts"},
            ],
            "note": "14,000 against 40,000",
        },
        {
            "kind": "date",
            "about": "when the portal reopens",
            "spans": [
                {"article": courier, "text": "the portal would reopen by Friday"},
                {"article": westshore, "text": "expects the portal to reopen next week"},
            ],
            "note": "",
        },
    ]
    doc["framing"] = [
        {
            "article": westshore,
            "outlet": "Westshore Radio",
            "term": "catastrophic failure",
            "kind": "loaded",
            "context": "Residents described the breach as a catastrophic failure.",
        },
        {
            "article": courier,
            "outlet": "Corran Bay Courier",
            "term": "minor incident",
            "kind": "scare_quote",
            "context": 'which the authority described as a "minor incident"',
        },
        {
            "article": techline,
            "outlet": "Techline Daily",
            "term": "skimming gangs",
            "kind": "evaluative",
            "context": "the technique was typical of skimming gangs",
        },
    ]
    doc["stories"] = [
        {
            "id": "s1",
            "title": "Corran Bay water payment site hacked",
            "articles": [a["id"] for a in doc["articles"]],
            "outlets": [a["outlet"] for a in doc["articles"]],
            "start": "2025-03-10",
            "end": "2025-03-11",
        }
    ]
    return doc


@pytest.fixture(scope="session")
def pipeline_export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The fixture story through ingest, clean, store and the language layer, exported."""
    with newsweave.open_store(tmp_path_factory.mktemp("story") / "story.db") as nw:
        report = nw.ingest([STORY], published=PUBLISHED)
        assert report.added == 3, report
        return nw.export()


@pytest.fixture
def story_export(pipeline_export: dict[str, Any]) -> dict[str, Any]:
    """The exported story with the comparison keys filled (a fresh copy for each test)."""
    return add_comparison(copy.deepcopy(pipeline_export))


MARKUP = "[bold red]Card-skimming[/] [link=https://example.invalid]code[/link] [click](javascript:alert(1))"


def add_hostile_text(doc: dict[str, Any]) -> dict[str, Any]:
    """Article text aimed at each renderer: HTML, Rich markup and Markdown links, in every section."""
    techline = article_of(doc, "Techline Daily")
    techline["title"] = f"{IMG_PAYLOAD} {PAYLOAD} {MARKUP}"
    doc["quotes"].append(
        {
            "id": "q-hostile",
            "article": techline["id"],
            "text": f"{PAYLOAD} is all it takes {IMG_PAYLOAD}",
            "kind": "direct",
            "speaker_entity": None,
            "speaker": "[link=https://example.invalid]Whitlock[/link]",
            "cue": "said",
            "via": "a <b>blog</b> post",
        }
    )
    doc["entities"].append(
        {
            "id": "e-hostile",
            "name": PAYLOAD,
            "type": "ORG",
            "aliases": [IMG_PAYLOAD],
            "roles": [{"article": techline["id"], "text": f"{IMG_PAYLOAD} {MARKUP}"}],
            "articles": [techline["id"]],
        }
    )
    doc["differences"][0]["about"] = f"{PAYLOAD} accounts"
    doc["framing"].append(
        {
            "article": techline["id"],
            "outlet": "Techline Daily",
            "term": IMG_PAYLOAD,
            "kind": "loaded",
            "context": PAYLOAD,
        }
    )
    doc["stories"][0]["title"] = f"Water site hacked {PAYLOAD}"
    return doc


@pytest.fixture
def hostile_export(story_export: dict[str, Any]) -> dict[str, Any]:
    """The story with hostile text in a title, a quote, an entity, a difference, framing and the title."""
    return add_hostile_text(story_export)
