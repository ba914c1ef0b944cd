"""The story report's sections, from the fixture story's export: order, citations, merging."""

from __future__ import annotations

from typing import Any

import pytest

from newsweave.errors import ConfigError
from newsweave.report import build_report, filter_document
from newsweave.report.brief import calendar_span
from newsweave.report.records import StoryReport
from newsweave.report.sections import quote_board
from tests.report.conftest import COMPARISON_KEYS, claims_with


@pytest.fixture
def report(story_export: dict[str, Any]) -> StoryReport:
    return build_report(story_export)


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
    report: StoryReport, story_export: dict[str, Any]
) -> None:
    bodies = {a["id"]: a["body"] for a in story_export["articles"]}
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
    from newsweave.report.records import Sources

    articles = [{"id": "a", "outlet": "A", "body": "x" * 200}, {"id": "b", "outlet": "B", "body": "y" * 200}]
    quotes = [
        {
            "article": "a",
            "text": "We will rebuild the bridge by spring",
            "kind": "direct",
            "speaker_entity": "e1",
        },
        {
            "article": "b",
            "text": "we will rebuild the bridge by spring",
            "kind": "direct",
            "speaker_entity": "e2",
        },
        {
            "article": "b",
            "text": "We will rebuild the bridge by spring.",
            "kind": "direct",
            "speaker_entity": "e1",
        },
    ]
    board = quote_board(
        quotes, [{"id": "e1", "name": "Mayor"}, {"id": "e2", "name": "Engineer"}], Sources(articles, [])
    )
    assert sorted((q.speaker, q.outlets) for q in board) == [("Engineer", ("B",)), ("Mayor", ("A", "B"))]


def test_matrix_has_a_cell_per_outlet_with_the_stance(report: StoryReport) -> None:
    outlets = report.matrix.outlets
    rows = {row.group: row for row in report.matrix.rows}
    assert [r.group for r in report.matrix.rows] == [line.group for line in report.brief]
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


def test_sources_keep_every_word_of_every_body(report: StoryReport, story_export: dict[str, Any]) -> None:
    for source, article in zip(report.sources, story_export["articles"], strict=True):
        text = " ".join("".join(seg.text for seg in p) for p in source.paragraphs)
        assert text.split() == article["body"].split()


def test_one_story_keeps_only_its_articles(story_export: dict[str, Any]) -> None:
    other = dict(story_export["articles"][0], id="zzz", outlet="Elsewhere Gazette")
    story_export["articles"].append(other)
    story_export["stories"].append({"id": "s2", "title": "Something else", "articles": ["zzz"]})
    report = build_report(story_export, story="s1")
    assert report.story == "s1" and "Elsewhere Gazette" not in report.outlets
    assert report.title == "Corran Bay water payment site hacked"
    assert len(filter_document(story_export, "s2")["articles"]) == 1
    assert "Elsewhere Gazette" in build_report(story_export).outlets


def test_an_unknown_story_is_an_error_that_lists_the_stories(story_export: dict[str, Any]) -> None:
    with pytest.raises(ConfigError, match="s1"):
        build_report(story_export, story="nope")


def test_before_the_comparison_runs_the_sections_say_so(pipeline_export: dict[str, Any]) -> None:
    language_only = {k: v for k, v in pipeline_export.items() if k not in COMPARISON_KEYS}
    report = build_report(language_only)
    for section in ("brief", "matrix", "differences", "framing"):
        assert report.is_empty(section)
    assert not report.is_empty("timeline") and not report.is_empty("quotes")
    assert report.title == "3 articles from 3 outlets"


def test_a_bare_document_still_makes_a_report() -> None:
    report = build_report({"articles": []})
    assert report.is_empty("sources") and report.is_empty("whos_who")


def test_claims_with_finds_the_fixture_sentences(story_export: dict[str, Any]) -> None:
    assert len(claims_with(story_export, "Police are investigating the attack")) == 3
