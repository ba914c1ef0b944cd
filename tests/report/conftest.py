"""A three-outlet story, run through the real pipeline, with the comparison written by hand.

The articles (`fixtures/*.txt`, invented but shaped like real local, radio and trade-press
reports) tell one event: a water utility's payment site hacked. The trade-press piece quotes
the attackers' code, `<script>` and `onerror=` included, so every section has hostile text in
it. The comparison's records (claim groups, differences, framing, the story) are written here
by hand, found by phrase among the claims the pipeline produced, so these tests pin the
report, not the comparison's current tuning; `pipeline_document` keeps whatever the real
comparison made.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

import newsweave
from newsweave.compare.framing import FramingTerm
from newsweave.compare.records import ClaimGroup, Difference, Provenance
from newsweave.document import ExportDocument
from newsweave.model import Article, ClaimRecord, EntityRecord, EntityRole, QuoteRecord
from newsweave.stories.records import Story

STORY = Path(__file__).parent / "fixtures"
PUBLISHED = date(2025, 3, 11)
PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned=1">'

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


def without_comparison(doc: ExportDocument) -> ExportDocument:
    """The document as it is before the comparison runs: the language layer's records only."""
    return replace(doc, stories=(), duplicates=(), claim_groups=(), differences=(), framing=())


def claims_with(doc: ExportDocument, phrase: str) -> list[ClaimRecord]:
    found = [c for c in doc.claims if phrase.casefold() in c.text.casefold()]
    assert found, f"no claim contains {phrase!r}: the fixture articles or the claim finder changed"
    return found


def article_of(doc: ExportDocument, outlet: str) -> Article:
    (article,) = [a for a in doc.articles if a.outlet == outlet]
    return article


def _framing(article: Article, term: str, kind: str, context: str) -> FramingTerm:
    start = article.body.find(term)
    return FramingTerm(
        article=article.id,
        outlet=article.outlet or "",
        term=term,
        kind=kind,
        start=start,
        end=start + len(term),
        context=context,
    )


def _group(doc: ExportDocument, n: int) -> ClaimGroup:
    status, phrases, stance_by_outlet, independent = _GROUPS[n - 1]
    outlet_of = {a.id: a.outlet or "" for a in doc.articles}
    claims = [c for phrase in phrases for c in claims_with(doc, phrase)]
    articles = list(dict.fromkeys(c.article for c in claims))
    return ClaimGroup(
        id=f"g{n}",
        story="1",
        claims=tuple(c.id for c in claims),
        text=claims[0].text,
        context="",
        status=status,
        outlets=tuple(outlet_of[a] for a in articles),
        independent_sources=independent,
        stances={a: stance_by_outlet.get(outlet_of[a], "supports") for a in articles},
        provenance=tuple(
            Provenance(article=a, outlet=outlet_of[a], chain=("the authority", outlet_of[a]))
            for a in articles
            if status == "conflict"
        ),
        times=("2025-03-10",) if n == 1 else (),
        numbers=(),
    )


def add_comparison(doc: ExportDocument) -> ExportDocument:
    """The records the comparison stage makes, written by hand for the fixture story."""
    courier = article_of(doc, "Corran Bay Courier")
    westshore = article_of(doc, "Westshore Radio")
    techline = article_of(doc, "Techline Daily")
    differences = (
        Difference(
            kind="number",
            about="accounts exposed",
            spans=(
                {"article": courier.id, "text": "About 14,000 customer accounts"},
                {"article": westshore.id, "text": "as many as 40,000 accounts"},
            ),
            note="14,000 against 40,000",
        ),
        Difference(
            kind="date",
            about="when the portal reopens",
            spans=(
                {"article": courier.id, "text": "the portal would reopen by Friday"},
                {"article": westshore.id, "text": "expects the portal to reopen next week"},
            ),
            note="",
        ),
    )
    framing = (
        _framing(
            westshore,
            "catastrophic failure",
            "loaded",
            "Residents described the breach as a catastrophic failure.",
        ),
        _framing(
            courier, "minor incident", "scare_quote", 'which the authority described as a "minor incident"'
        ),
        _framing(techline, "skimming gangs", "evaluative", "the technique was typical of skimming gangs"),
    )
    story = Story(
        id=1,
        title="Corran Bay water payment site hacked",
        articles=tuple(a.id for a in doc.articles),
        outlets=tuple(a.outlet or "" for a in doc.articles),
        start=date(2025, 3, 10),
        end=date(2025, 3, 11),
    )
    return replace(
        doc,
        stories=(story,),
        duplicates=(),
        claim_groups=tuple(_group(doc, n) for n in range(1, len(_GROUPS) + 1)),
        differences=differences,
        framing=framing,
    )


@pytest.fixture(scope="session")
def pipeline_document(tmp_path_factory: pytest.TempPathFactory) -> ExportDocument:
    """The fixture story through ingest, clean, store and the language layer: its document."""
    with newsweave.open_store(tmp_path_factory.mktemp("story") / "story.db") as nw:
        report = nw.ingest([STORY], published=PUBLISHED)
        assert report.added == 3, report
        return nw.document()


@pytest.fixture
def story_document(pipeline_document: ExportDocument) -> ExportDocument:
    """The story's document with the comparison written by hand (records are frozen: no copy)."""
    return add_comparison(pipeline_document)


MARKUP = "[bold red]Card-skimming[/] [link=https://example.invalid]code[/link] [click](javascript:alert(1))"


def add_hostile_text(doc: ExportDocument) -> ExportDocument:
    """Article text aimed at each renderer: HTML, Rich markup and Markdown links, in every section."""
    techline = article_of(doc, "Techline Daily")
    words = f"{PAYLOAD} is all it takes"
    said = techline.body.find(words)
    img = techline.body.find(IMG_PAYLOAD)
    quote = QuoteRecord(
        id="q-hostile",
        article=techline.id,
        text=f"{PAYLOAD} is all it takes {IMG_PAYLOAD}",
        start=said,
        end=said + len(words),
        kind="direct",
        speaker_entity=None,
        speaker="[link=https://example.invalid]Whitlock[/link]",
        cue="said",
        via="a <b>blog</b> post",
    )
    entity = EntityRecord(
        id="e-hostile",
        name=PAYLOAD,
        type="ORG",
        aliases=(IMG_PAYLOAD,),
        roles=(
            EntityRole(
                article=techline.id, text=f"{IMG_PAYLOAD} {MARKUP}", start=img, end=img + len(IMG_PAYLOAD)
            ),
        ),
        articles=(techline.id,),
    )
    titled = replace(techline, title=f"{IMG_PAYLOAD} {PAYLOAD} {MARKUP}")
    return replace(
        doc,
        articles=tuple(titled if a.id == techline.id else a for a in doc.articles),
        quotes=(*doc.quotes, quote),
        entities=(*doc.entities, entity),
        differences=(replace(doc.differences[0], about=f"{PAYLOAD} accounts"), *doc.differences[1:]),
        framing=(*doc.framing, _framing(techline, IMG_PAYLOAD, "loaded", PAYLOAD)),
        stories=(replace(doc.stories[0], title=f"Water site hacked {PAYLOAD}"),),
    )


@pytest.fixture
def hostile_document(story_document: ExportDocument) -> ExportDocument:
    """The story with hostile text in a title, a quote, an entity, a difference, framing and the title."""
    return add_hostile_text(story_document)
