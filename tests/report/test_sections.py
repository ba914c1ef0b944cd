"""The story report's sections, from the fixture story's export: order, citations, merging."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from newsweave.contract import from_json
from newsweave.document import ExportDocument
from newsweave.errors import ConfigError
from newsweave.model import QuoteRecord
from newsweave.nlp.dates.calendar import calendar_span
from newsweave.report import build_report, filter_document, render_document
from newsweave.report.records import Sources, StoryReport
from newsweave.report.sections import quote_board
from newsweave.stories.records import Duplicate, Story
from tests.conftest import make_article
from tests.report.conftest import claims_with, without_comparison


@pytest.fixture
def report(story_document: ExportDocument) -> StoryReport:
    return build_report(story_document)


def _anchors(report: StoryReport) -> set[str]:
    anchors = {a.anchor for a in report.sources}
    anchors |= {seg.anchor for a in report.sources for p in a.paragraphs for seg in p if seg.anchor}
    anchors |= {anchor for a in report.sources for anchor, _ in a.captions}
    return anchors


def test_brief_puts_shared_facts_first_then_conflicts_then_single_sources(report: StoryReport) -> None:
    statuses = [line.status for line in report.brief]
    assert statuses == sorted(statuses, key=["shared", "conflict", "unique"].index)
    shared = [line for line in report.brief if line.status == "shared"]
    sources = [line.independent_sources for line in shared]
    assert sources == sorted(sources, reverse=True)
    assert shared[0].text.startswith("The Corran Bay Water Authority shut down")  # first told, of the 3s


def test_brief_sentences_are_verbatim_and_cite_every_outlet(
    report: StoryReport, story_document: ExportDocument
) -> None:
    bodies = {a.id: a.body for a in story_document.articles}
    for line in report.brief:
        assert any(line.text == bodies[c.article][c.start : c.end] for c in line.cites)
        assert set(line.outlets) == {c.outlet for c in line.cites}
    first = report.brief[0]
    assert set(first.outlets) == {"Corran Bay Courier", "Westshore Radio", "Techline Daily"}


def test_single_source_claims_and_conflicts_are_flagged(report: StoryReport) -> None:
    unique = {line.flag for line in report.brief if line.status == "unique"}
    assert "single source: Westshore Radio" in unique
    (conflict,) = [line for line in report.brief if line.status == "conflict"]
    sides = {side.stance: side for side in conflict.sides}
    assert sides["contradicts"].outlets == ("Westshore Radio",)
    assert "40,000" in sides["contradicts"].text and "14,000" in sides["supports"].text
    assert "Westshore Radio" in conflict.flag
    assert conflict.provenance and "→" in conflict.provenance[0]


def test_every_citation_links_to_an_anchor_in_the_sources(report: StoryReport) -> None:
    anchors = _anchors(report)
    cites = [c for line in report.brief for c in line.cites]
    cites += [c for e in report.timeline for c in e.cites]
    cites += [c for q in report.quotes for c in q.cites]
    cites += [c for g in report.whos_who for e in g.entries for o in e.by_outlet for c in o.cites]
    cites += [s.cite for d in report.differences for s in d.spans]
    cites += [f.cite for col in report.framing for f in col.items]
    assert len(cites) > 30
    missing = [c for c in cites if c.anchor not in anchors]
    assert not missing, missing
    # a claim's citation lands on its own sentence, not just the article
    assert all(c.anchor.startswith("s-") for line in report.brief for c in line.cites)


def test_timeline_is_in_calendar_order_with_seasons_and_captions_marked(report: StoryReport) -> None:
    labels = [e.label for e in report.timeline]
    assert labels.index("2023") < labels.index("autumn 2024") < labels.index("January 2025")
    assert labels.index("February 2025") < labels.index("Mon 10 Mar 2025") < labels.index("Fri 14 Mar 2025")
    (monday,) = [e for e in report.timeline if e.value == "2025-03-10"]  # one entry for the shared fact
    assert len(monday.outlets) == 3 and "shared" in monday.marks
    (caption,) = [e for e in report.timeline if "caption" in e.marks]
    assert caption.text.startswith("Customers queue") and caption.cites[0].field == "caption:0"
    assert not any(e.value.startswith(("P", "PRESENT", "PAST")) for e in report.timeline)


@pytest.mark.parametrize(
    ("value", "label", "first", "last"),
    [
        ("2025-03-10", "Mon 10 Mar 2025", "2025-03-10", "2025-03-10"),
        ("2024-FA", "autumn 2024", "2024-09-22", "2024-12-20"),
        ("2024-WI", "winter 2024", "2024-12-21", "2025-03-19"),
        ("2025-02", "February 2025", "2025-02-01", "2025-02-28"),
        ("2025-W12", "week of 17 Mar 2025", "2025-03-17", "2025-03-23"),
        ("2025-Q2", "Q2 2025", "2025-04-01", "2025-06-30"),
        ("2024-03-15/2024-03-16", "15–16 Mar 2024", "2024-03-15", "2024-03-16"),
        ("201X", "the 2010s", "2010-01-01", "2019-12-31"),
        ("2025-03-10T14:30", "Mon 10 Mar 2025, 14:30", "2025-03-10", "2025-03-10"),
    ],
)
def test_timex_values_on_the_calendar(value: str, label: str, first: str, last: str) -> None:
    span = calendar_span(value)
    assert span is not None
    assert (span[0].isoformat(), span[1].isoformat(), span[2]) == (first, last, label)


@pytest.mark.parametrize("value", ["PAST_REF", "PRESENT_REF", "P6Y", "XXXX-03-15", "2025-13", ""])
def test_values_off_the_calendar(value: str) -> None:
    assert calendar_span(value) is None


def test_whos_who_shows_each_outlets_roles_side_by_side(report: StoryReport) -> None:
    assert report.whos_who[0].label == "People"
    people = {e.name: e for e in report.whos_who[0].entries}
    spokeswoman = {o.outlet: o for o in people["Ellen Marsh"].by_outlet}
    assert spokeswoman["Corran Bay Courier"].roles == ("a spokeswoman for the authority",)
    assert spokeswoman["Techline Daily"].roles == ("a spokeswoman for the authority",)
    assert not spokeswoman["Westshore Radio"].mentioned
    assert [o.outlet for o in people["Ellen Marsh"].by_outlet] == list(report.outlets)


def test_quote_board_merges_the_same_words_across_outlets(report: StoryReport) -> None:
    (passwords,) = [q for q in report.quotes if "customer passwords" in q.words]
    assert passwords.speaker == "Ellen Marsh" and passwords.kind == "direct"
    assert set(passwords.outlets) == {"Corran Bay Courier", "Techline Daily"}
    assert passwords.variants  # the indirect wording of the other outlet
    assert report.quotes[0] is passwords  # carried by the most outlets


def test_quotes_of_different_speakers_stay_apart() -> None:
    from newsweave.model import EntityRecord

    articles = [make_article("a", "A", "x" * 200), make_article("b", "B", "y" * 200)]
    said = [
        ("a", "We will rebuild the bridge by spring", "e1"),
        ("b", "we will rebuild the bridge by spring", "e2"),
        ("b", "We will rebuild the bridge by spring.", "e1"),
    ]
    quotes = [
        QuoteRecord(
            id=f"q{n}",
            article=article,
            text=text,
            start=0,
            end=len(text),
            kind="direct",
            speaker_entity=entity,
            speaker=None,
            cue=None,
            via=None,
        )
        for n, (article, text, entity) in enumerate(said)
    ]
    entities = [
        EntityRecord(id="e1", name="Mayor", type="PERSON", aliases=()),
        EntityRecord(id="e2", name="Engineer", type="PERSON", aliases=()),
    ]
    board = quote_board(quotes, entities, Sources(articles, []))
    assert sorted((q.speaker, q.outlets) for q in board) == [("Engineer", ("B",)), ("Mayor", ("A", "B"))]


def test_matrix_has_a_cell_per_outlet_with_the_stance(report: StoryReport) -> None:
    outlets = report.matrix.outlets
    rows = {row.group: row for row in report.matrix.rows}
    # The brief leads the matrix: its rows start with the brief's groups, in the brief's order.
    assert [r.group for r in report.matrix.rows][: len(report.brief)] == [line.group for line in report.brief]
    (conflict,) = [r for r in rows.values() if r.status == "conflict"]
    assert conflict.cells[outlets.index("Westshore Radio")] == "contradicts"
    assert conflict.cells[outlets.index("Techline Daily")] == "supports"
    unique = next(r for r in rows.values() if r.status == "unique")
    assert sorted(unique.cells) == ["", "", "supports"]


def test_differences_and_framing_cite_the_outlets_words(report: StoryReport) -> None:
    number = report.differences[0]
    assert number.kind == "number" and [s.outlet for s in number.spans] == [
        "Corran Bay Courier",
        "Westshore Radio",
    ]
    assert all(s.cite.anchor.startswith("s-") for s in number.spans)
    framing = {col.outlet: col for col in report.framing}
    assert set(framing) == set(report.outlets)
    assert framing["Corran Bay Courier"].items[0].kind == "scare_quote"


def test_sources_keep_every_word_of_every_body(report: StoryReport, story_document: ExportDocument) -> None:
    for source, article in zip(report.sources, story_document.articles, strict=True):
        text = " ".join("".join(seg.text for seg in p) for p in source.paragraphs)
        assert text.split() == article.body.split()


def _with_another_story(doc: ExportDocument) -> ExportDocument:
    other = replace(doc.articles[0], id="zzz", outlet="Elsewhere Gazette")
    story = Story(id=12, title="Something else", articles=("zzz",), outlets=(), start=None, end=None)
    copy = Duplicate(article="zzz", original=doc.articles[0].id, similarity=0.99)
    return replace(doc, articles=(*doc.articles, other), stories=(*doc.stories, story), duplicates=(copy,))


def test_one_story_keeps_only_its_articles(story_document: ExportDocument) -> None:
    doc = _with_another_story(story_document)
    report = build_report(doc, story="1")
    assert report.story == "1" and "Elsewhere Gazette" not in report.outlets
    assert report.title == "Corran Bay water payment site hacked"
    assert [s.id for s in report.stories] == ["1"]
    other = filter_document(doc, "12")
    assert [a.id for a in other.articles] == ["zzz"] and [d.article for d in other.duplicates] == ["zzz"]
    assert not other.claims and not other.claim_groups and not other.differences and not other.framing
    assert filter_document(doc, "1").duplicates == ()
    assert "Elsewhere Gazette" in build_report(doc).outlets


def test_a_story_prefix_must_be_unique(story_document: ExportDocument) -> None:
    doc = _with_another_story(story_document)
    with pytest.raises(ConfigError, match="matches several stories"):
        build_report(doc, story="")
    assert filter_document(doc, "12").stories[0].title == "Something else"


def test_an_unknown_story_is_an_error_that_lists_the_stories(story_document: ExportDocument) -> None:
    with pytest.raises(ConfigError, match="stories: 1 "):
        build_report(story_document, story="nope")


def test_the_json_format_is_the_contract_of_one_story(story_document: ExportDocument) -> None:
    doc = _with_another_story(story_document)
    data = json.loads(render_document(doc, "json", story="1"))
    assert [s["id"] for s in data["stories"]] == [1]
    back = from_json(data)
    assert [a.id for a in back.articles] == [a.id for a in story_document.articles]
    assert back.claim_groups == story_document.claim_groups
    assert build_report(back, title="t").brief == build_report(doc, story="1", title="t").brief


def _timexes(doc: ExportDocument, value: str, first: date | None, last: date | None) -> ExportDocument:
    """The document with the language layer's days of one TIMEX3 value changed."""
    timexes = tuple(
        replace(t, first_day=first, last_day=last) if t.value == value else t for t in doc.timexes
    )
    return replace(doc, timexes=timexes)


def test_the_timeline_takes_its_days_from_the_language_layer(story_document: ExportDocument) -> None:
    assert "2023" in [e.value for e in build_report(story_document).timeline]
    off = _timexes(story_document, "2023", None, None)  # the language layer: not on the calendar
    assert "2023" not in [e.value for e in build_report(off).timeline]
    # the days, not the value, place an entry; the label is the value's
    moved = _timexes(story_document, "2023", date(2026, 1, 1), date(2026, 1, 1))
    assert build_report(moved).timeline[-1].label == "2023"


def test_a_groups_own_date_has_the_days_a_time_expression_gives_it(story_document: ExportDocument) -> None:
    groups = tuple(
        replace(g, times=("2025-03-10",)) if g.id == "g3" else g for g in story_document.claim_groups
    )
    doc = _timexes(
        replace(story_document, claim_groups=groups), "2025-03-10", date(2025, 3, 9), date(2025, 3, 9)
    )
    (entry,) = [e for e in build_report(doc).timeline if e.text.startswith('"No customer passwords')]
    assert entry.label == "Mon 10 Mar 2025" and entry.marks == ("shared",)
    assert entry.sort_key[0] == "2025-03-09"  # looked up in the document, not parsed again
    assert len(entry.outlets) == 2


def test_before_the_comparison_runs_the_sections_say_so(pipeline_document: ExportDocument) -> None:
    report = build_report(without_comparison(pipeline_document))
    for section in ("brief", "matrix", "differences", "framing"):
        assert report.is_empty(section)
    assert not report.is_empty("timeline") and not report.is_empty("quotes")
    assert report.title == "3 articles from 3 outlets"


def test_a_bare_document_still_makes_a_report() -> None:
    report = build_report(ExportDocument(articles=()))
    assert report.is_empty("sources") and report.is_empty("whos_who")


def test_claims_with_finds_the_fixture_sentences(story_document: ExportDocument) -> None:
    assert len(claims_with(story_document, "Police are investigating the attack")) == 3


def test_the_brief_leads_with_corroborated_facts_and_holds_at_most_twelve(
    story_document: ExportDocument,
) -> None:
    groups = story_document.claim_groups
    unique = [g for g in groups if g.status == "unique"]
    many = (*groups, *(replace(g, id=f"{g.id}-{n}") for n in range(6) for g in unique))
    report = build_report(replace(story_document, claim_groups=many))
    assert len(many) > 12
    assert len(report.brief) == 12 and report.brief_omitted == len(many) - 12
    statuses = [line.status for line in report.brief]
    corroborated = sum(g.status != "unique" for g in many)
    assert statuses[:corroborated] == sorted(statuses[:corroborated], key=["shared", "conflict"].index)
    assert "unique" not in statuses[:corroborated]
    assert len(report.matrix.rows) == len(many)  # nothing is lost: the rest is in the matrix
    page = render_document(replace(story_document, claim_groups=many), "md")
    assert f"{len(many) - 12} more claim groups in Claims by outlet" in page


def test_a_document_of_several_stories_splits_into_the_same_reports_as_one_story_each(
    story_document: ExportDocument,
) -> None:
    from newsweave.report.sections import build_reports, story_documents

    # Two stories: the fixture's articles split in two, and each split report must equal the
    # report of that story filtered the slow way.
    (story,) = story_document.stories
    first, *rest = story.articles
    stories = (replace(story, id=1, articles=(first,)), replace(story, id=2, articles=tuple(rest)))
    groups = tuple(replace(g, story="") for g in story_document.claim_groups)  # found by claims
    document = replace(story_document, stories=stories, claim_groups=groups)
    parts = story_documents(document)
    assert [p.stories[0].id for p in parts] == [2, 1]  # most articles first
    for part in parts:
        expected = filter_document(document, str(part.stories[0].id))
        for kind in (
            "articles",
            "claims",
            "quotes",
            "timexes",
            "entities",
            "claim_groups",
            "differences",
            "framing",
        ):
            assert getattr(part, kind) == getattr(expected, kind), kind
    reports = build_reports(document)
    assert [r.story for r in reports] == ["2", "1"]


def _harbour_chief(tmp_path: Path) -> Path:
    """One article naming a man with a courtesy title, an age and a post."""
    herald = tmp_path / "herald.txt"
    herald.write_text(
        "Harbour Board Names New Chief\n\n"
        "Mr. Tomas Brennick, 58, the harbour master of Port Alden, will lead the board from May. "
        "Mr. Brennick said the port would reopen its north quay.\n",
        encoding="utf-8",
    )
    return herald


def test_whos_who_leaves_courtesy_titles_out_and_shows_an_age_as_one(tmp_path: Path) -> None:
    import newsweave
    from newsweave.server.page_data import entity_page

    with newsweave.open_store(tmp_path / "s.db") as nw:
        nw.ingest([_harbour_chief(tmp_path)], published=date(2025, 3, 3))
        (entity,) = [e for e in nw.document().entities if e.name.endswith("Brennick")]
        report = build_report(nw.document())
        page = entity_page(nw.store, entity.id)
    assert "Mr." in {r.text for r in entity.roles}  # kept in the data: it tells the person's gender
    (person,) = [e for e in report.whos_who[0].entries if e.name.endswith("Brennick")]
    assert page is not None
    for roles in (
        [r for o in person.by_outlet for r in o.roles],
        [u.role for o in page.roles for u in o.roles],
    ):
        assert "Mr." not in roles
        assert "age 58" in roles and "58" not in roles
        assert any("harbour master" in r for r in roles)


def test_entity_page_courtesy_titles_take_no_row_of_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsweave
    from newsweave.server import page_data

    with newsweave.open_store(tmp_path / "s.db") as nw:
        nw.ingest([_harbour_chief(tmp_path)], published=date(2025, 3, 3))
        (entity,) = [e for e in nw.document().entities if e.name.endswith("Brennick")]
        real = {r.text for r in entity.roles} - {"Mr."}
        assert "Mr." in {r.text for r in entity.roles} and len(real) >= 2
        # "Mr." is the entity's most used role: read after the limit, it would take its row.
        monkeypatch.setattr(page_data, "ROLE_ROWS", 2)
        page = page_data.entity_page(nw.store, entity.id)
    assert page is not None
    shown = [u.role for o in page.roles for u in o.roles]
    assert len(shown) == 2 and "Mr." not in shown
