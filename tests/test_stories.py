"""Stories: near-duplicate links, online clustering, persistence across runs, CLI and export.

The fixtures are short multi-outlet articles written for these tests: two events of the same
kind (two bridge closures in different cities) that must stay apart, a wire copy republished
with a changed headline that must be linked to its original, and an unrelated story.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.model import CleanArticle
from newsweave.store import SQLiteStore
from newsweave.stories.cluster import ClusterConfig, OnlineClusterer, _Sums
from newsweave.stories.features import StoryFeatures, capitalised_names, event_marks, make_features, words
from newsweave.stories.grouping import group_batch
from newsweave.stories.neardup import NearDuplicateIndex, find_duplicates
from newsweave.stories.sparse import Frequencies, Products, Row
from newsweave.stories.stage import StoriesStage
from newsweave.workspace import Workspace
from tools.evaluation.stories import bcubed

WIRE = (
    "Engineers closed the Harlow Street Bridge in Brackton on Tuesday after inspectors found cracks "
    "in two of its steel supports, the city's transport department said. About 40,000 vehicles cross "
    "the bridge each day. Mayor Elena Ruiz said the crossing would stay shut until a full structural "
    "survey was complete, which could take three weeks. Buses were diverted over the Canal Road "
    "crossing, and the department urged commuters to use the Brackton tram line. Inspectors from "
    "Wexley Engineering first reported corrosion on the supports in a routine survey last spring."
)
ARTICLES = {
    "brackton-wire": ("Wire Service", "Brackton shuts Harlow Street Bridge after cracks found", WIRE, 12),
    "brackton-copy": (
        "Brackton Evening Post",
        "Cracked bridge closed: what commuters need to know",
        "BRACKTON (Wire) - " + WIRE.replace("three weeks", "about three weeks"),
        12,
    ),
    "brackton-own": (
        "Daily Courier",
        "Harlow Street Bridge closure snarls Brackton traffic",
        "Traffic backed up across Brackton on Wednesday, a day after the Harlow Street Bridge was closed "
        "over cracked steel supports. Mayor Elena Ruiz told reporters the structural survey by Wexley "
        "Engineering had started and that the bridge would not reopen before the survey ends. Commuters "
        "crowded the Brackton tram line; the Canal Road crossing saw hour-long queues.",
        13,
    ),
    "dunmore-bridge": (
        "Northern Herald",
        "Dunmore closes Kell River bridge over flood damage",
        "Authorities in Dunmore closed the Kell River bridge on Tuesday after floodwater scoured its "
        "foundations, county engineer Tomas Brandt said. The bridge carries the A61 road and about 15,000 "
        "vehicles a day. Brandt said divers would inspect the piers once the river falls. Drivers were "
        "sent on a 20-mile detour through Ashby, and the county asked hauliers to avoid the area.",
        12,
    ),
    "dunmore-follow": (
        "Valley Times",
        "Divers inspect flood-hit Kell River bridge in Dunmore",
        "Divers began inspecting the piers of the Kell River bridge in Dunmore on Thursday as the river "
        "level fell, county engineer Tomas Brandt said. The A61 crossing has been shut since floodwater "
        "scoured its foundations. Hauliers still face the long detour through Ashby.",
        14,
    ),
    "election": (
        "Capital Gazette",
        "Governor Mara Quint wins second term",
        "Governor Mara Quint won a second term on Sunday with 54 percent of the vote, the electoral "
        "commission said, defeating challenger Owen Stroud. Turnout was 61 percent. Quint promised to "
        "expand rural broadband and cut property taxes; Stroud conceded in a speech to supporters.",
        15,
    ),
}


def _clean(key: str) -> CleanArticle:
    outlet, title, body, day = ARTICLES[key]
    return CleanArticle(
        source=f"fixtures/{key}.txt",
        input_format="text",
        url=f"https://example.org/{key}",
        body=body,
        outlet=outlet,
        title=title,
        published=date(2024, 5, day),
        language="en",
    )


def _vector(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(8).astype(np.float32)
    return v / np.linalg.norm(v)


def test_words_drop_stop_words_and_possessives() -> None:
    assert words("The city's mayor said the bridge's cracks were found") == [
        "city",
        "mayor",
        "bridge",
        "cracks",
    ]


def test_capitalised_names_skip_ordinary_sentence_starts() -> None:
    names = capitalised_names("Engineers closed the bridge. Mayor Elena Ruiz said Brackton would wait.")
    assert "mayor elena ruiz" in names and "brackton" in names
    assert "engineers" not in names


def test_event_marks_read_years_dates_weekdays_and_numbers() -> None:
    marks = event_marks("On Friday, June 13, 2013 a 6.1 quake killed 1,200 people; 5 May was calm.")
    assert dict(marks) == {
        "w:friday": 1,
        "d:jun-13": 1,
        "y:2013": 1,
        "e:2013": 1,  # and named in the first lines: the event's year
        "#:6.1": 1,
        "#:1200": 1,
        "d:may-5": 1,
    }


def _bridge_report(article_id: str, year: int, date_line: str = "") -> StoryFeatures:
    body = (
        f"Engineers closed the Harlow river bridge in {year} after inspectors found deep cracks in "
        f"its main span. {date_line} The council said the crossing would stay shut for repairs."
    )
    return make_features(
        article_id=article_id, title=None, body=body, published=None, outlet=None, vector=_vector(0)
    )


_DEFAULTS = ClusterConfig()
# Both reports name their year in the first lines: the year conflict and the lead-year conflict.
_BOTH_PENALTIES = _DEFAULTS.conflict_years + _DEFAULTS.conflict_lead_years


@pytest.mark.parametrize(("date_line", "penalty"), [("", _BOTH_PENALTIES), ("It happened on March 3.", 0.0)])
def test_naming_different_years_costs_a_report_unless_it_shares_the_date(
    date_line: str, penalty: float
) -> None:
    clusterer = OnlineClusterer(8)
    clusterer.add_batch([_bridge_report("a", 2009, date_line)])
    story = clusterer.stories[1]
    later = _bridge_report("b", 2016, date_line)
    with_conflicts = clusterer.score(later, story)
    clusterer.config = ClusterConfig(conflict_years=0.0, conflict_lead_years=0.0)
    assert clusterer.score(later, story) - with_conflicts == pytest.approx(penalty)


def test_a_year_named_only_deep_in_the_text_costs_only_the_year_conflict() -> None:
    filler = "The council met to discuss the budget, parking and the library roof. " * 8
    clusterer = OnlineClusterer(8)
    clusterer.add_batch([_bridge_report("a", 2009)])
    story = clusterer.stories[1]
    deep = make_features(
        article_id="c",
        title=None,
        body=filler + "Engineers closed the Harlow river bridge in 2016 after inspectors found deep cracks.",
        published=None,
        outlet=None,
        vector=_vector(0),
    )
    assert "e:2016" not in deep.marks and "y:2016" in deep.marks
    with_conflicts = clusterer.score(deep, story)
    clusterer.config = ClusterConfig(conflict_years=0.0, conflict_lead_years=0.0)
    assert clusterer.score(deep, story) - with_conflicts == pytest.approx(_DEFAULTS.conflict_years)


def test_wire_copy_with_changed_headline_is_linked_to_its_original() -> None:
    index = NearDuplicateIndex()
    bodies = [
        (k, ARTICLES[k][2]) for k in ("brackton-wire", "dunmore-bridge", "brackton-copy", "brackton-own")
    ]
    links, signatures = find_duplicates(index, bodies)
    assert [(link.article_id, link.original_id) for link in links] == [("brackton-copy", "brackton-wire")]
    assert links[0].similarity >= 0.8
    assert set(signatures) == {k for k, _ in bodies}


def test_two_events_of_the_same_kind_stay_apart() -> None:
    clusterer = OnlineClusterer(8)
    keys = ["brackton-wire", "dunmore-bridge", "election", "brackton-own", "dunmore-follow"]
    features = [
        make_features(
            article_id=k,
            title=ARTICLES[k][1],
            body=ARTICLES[k][2],
            published=date(2024, 5, ARTICLES[k][3]),
            outlet=ARTICLES[k][0],
            vector=_vector(i),
        )
        for i, k in enumerate(keys)
    ]
    story = {a.article_id: a.story for a in clusterer.add_batch(features)}
    story = {k: clusterer.story_of(s) for k, s in story.items()}
    assert story["brackton-wire"] == story["brackton-own"]
    assert story["dunmore-bridge"] == story["dunmore-follow"]
    assert len({story["brackton-wire"], story["dunmore-bridge"], story["election"]}) == 3


def test_bcubed_scores_a_known_clustering() -> None:
    score = bcubed(["a", "a", "b", "b"], [1, 1, 1, 2])
    assert score.precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert score.recall == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    db = tmp_path / "stories.db"
    with SQLiteStore(db) as store:
        store.store_batch([_clean(k) for k in ("brackton-wire", "dunmore-bridge", "election")])
    return db


def _stories(ws: Workspace) -> dict[frozenset[str], int]:
    ids = {a.id: a.external_id or a.url.rsplit("/", 1)[1] for a in ws.articles() if a.url}
    return {frozenset(ids[a] for a in s.articles): s.id for s in ws.stories()}


@pytest.mark.parametrize("new_process", [False, True], ids=["same-process", "restored-from-store"])
def test_later_articles_join_the_stories_of_an_earlier_run(filled: Path, new_process: bool) -> None:
    with Workspace(filled) as ws:
        first = _stories(ws)
        assert set(first) == {frozenset({k}) for k in ("brackton-wire", "dunmore-bridge", "election")}
        ws.store.store_batch([_clean(k) for k in ("brackton-copy", "brackton-own", "dunmore-follow")])
        if new_process:  # forget the clusterer kept in memory: it is read back from the store
            next(s for s in ws.stages if isinstance(s, StoriesStage)).forget()
        second = _stories(ws)
    brackton = frozenset({"brackton-wire", "brackton-copy", "brackton-own"})
    assert second == {
        brackton: first[frozenset({"brackton-wire"})],
        frozenset({"dunmore-bridge", "dunmore-follow"}): first[frozenset({"dunmore-bridge"})],
        frozenset({"election"}): first[frozenset({"election"})],
    }


def test_story_export_and_cli(filled: Path) -> None:
    with Workspace(filled) as ws:
        ws.store.store_batch([_clean("brackton-copy"), _clean("brackton-own")])
        document = ws.export()
        copy_id = next(a["id"] for a in document["articles"] if a["url"].endswith("brackton-copy"))
        wire_id = next(a["id"] for a in document["articles"] if a["url"].endswith("brackton-wire"))
    story = next(s for s in document["stories"] if copy_id in s["articles"])
    assert len(story["articles"]) == 3 and story["sources"] == 2
    assert story["duplicates"][0]["original"] == wire_id
    assert {"Wire Service", "Brackton Evening Post", "Daily Courier"} == set(story["outlets"])
    assert (story["start"], story["end"]) == ("2024-05-12", "2024-05-13")
    assert document["duplicates"] == [story["duplicates"][0]]
    runner = CliRunner()
    listed = runner.invoke(app, ["--db", str(filled), "stories", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert [len(r["articles"]) for r in rows] == [3, 1, 1]
    shown = runner.invoke(app, ["--db", str(filled), "story", str(story["id"])])
    assert shown.exit_code == 0, shown.output
    assert "3 articles (2 independent), 3 outlets, 2024-05-12 to 2024-05-13" in shown.output
    missing = runner.invoke(app, ["--db", str(filled), "story", "999"])
    assert missing.exit_code == 1 and "no story with id 999" in missing.output


def test_articles_in_other_languages_are_skipped_with_a_reason(tmp_path: Path) -> None:
    with Workspace(tmp_path / "fr.db") as ws:
        ws.store.store_batch(
            [
                CleanArticle(
                    source="fr.txt",
                    input_format="text",
                    body="Le pont a été fermé mardi après la découverte de fissures.",
                    language="fr",
                )
            ]
        )
        assert ws.stories() == []
        (article,) = ws.articles()
        assert "English" in (ws.store.stage_note(article.id, "stories") or "")


def test_batch_grouping_joins_the_most_similar_pairs_first() -> None:
    pairs = np.array([[0.0, 0.6, 0.1], [0.6, 0.0, 0.1], [0.1, 0.1, 0.0]])
    to_stories = np.array([[0.25], [0.05], [0.5]])  # article 0 fits the story, 1 fits only 0
    grouping = group_batch(pairs, to_stories, np.array([4.0]), threshold=0.2)
    # 0 and 1 pair first (0.6); together they average 0.15 with the story: a new story
    assert grouping.story == [-1, -1, 0]
    assert grouping.group[0] == grouping.group[1] != grouping.group[2]
    assert grouping.level[1] == pytest.approx(0.6)


# Two fires of one day: a first report of each arrives alone, worded alike; later reports part them.
FIRES = {
    "warehouse-first": (
        "Firefighters battled a warehouse blaze in Dunmore overnight; the Dunmore fire chief said"
        " sprinklers failed and two workers were treated for smoke."
    ),
    "ferry-first": (
        "Firefighters battled a ferry blaze off Kessel harbour; the Kessel coastguard said the "
        "engine room caught fire and forty passengers were rescued by lifeboats."
    ),
    "warehouse-2": (
        "The Dunmore warehouse fire destroyed stock worth millions; the fire chief blamed failed "
        "sprinklers in the Dunmore depot."
    ),
    "warehouse-3": (
        "Workers at the Dunmore depot were treated for smoke after the warehouse fire; sprinklers"
        " in the Dunmore warehouse had failed."
    ),
    "warehouse-4": (
        "Investigators in Dunmore are asking why the warehouse sprinklers failed before the "
        "overnight blaze at the Dunmore depot."
    ),
    "ferry-2": (
        "Lifeboats rescued forty passengers from the burning ferry off Kessel harbour after the "
        "engine room fire, the Kessel coastguard said."
    ),
    "ferry-3": (
        "The Kessel ferry fire started in the engine room; coastguard lifeboats took forty "
        "passengers off the ferry near Kessel harbour."
    ),
    "ferry-4": (
        "Kessel harbour reopened after the ferry fire; the coastguard said all forty passengers "
        "rescued by lifeboats were safe."
    ),
}
# Low enough for the two first reports to be grouped on their own, as a weak early decision.
_EAGER = ClusterConfig(join=0.05, merge=0.5)


def _fire(key: str) -> StoryFeatures:
    return make_features(
        article_id=key, title=None, body=FIRES[key], published=None, outlet=None, vector=_vector(0)
    )


@pytest.mark.parametrize("settle", [0, 512])
def test_a_provisional_article_moves_once_later_reports_part_two_events(settle: int) -> None:
    clusterer = OnlineClusterer(8, ClusterConfig(join=_EAGER.join, merge=_EAGER.merge, settle=settle))
    first = clusterer.add_batch([_fire("warehouse-first"), _fire("ferry-first")])
    assert first[0].story == first[1].story == 1
    later = clusterer.add_batch([_fire(k) for k in FIRES if not k.endswith("first")])
    story = {a.article_id: a.story for a in first + later}
    warehouse = {story[k] for k in FIRES if k.startswith("warehouse")}
    ferry = {story[k] for k in FIRES if k.startswith("ferry")}
    if settle:  # the first ferry report leaves the story it founded with the warehouse report
        assert warehouse == {1} and len(ferry) == 1 and ferry != warehouse
        assert [a.article_id for a in later if a.moved] == ["ferry-first"]
    else:  # settled at once: the early decision stands
        assert story["ferry-first"] == 1 and not any(a.moved for a in later)


def test_sparse_products_equal_dense_dot_products() -> None:
    rng = np.random.default_rng(3)

    def rows(count: int) -> list[Row]:
        out = []
        for _ in range(count):
            ids = rng.choice(60, size=int(rng.integers(0, 12)), replace=False)
            out.append(Row(ids.astype(np.int64), rng.normal(size=len(ids))))
        return out

    def dense(rs: list[Row]) -> np.ndarray:
        m = np.zeros((len(rs), 60))
        for i, r in enumerate(rs):
            m[i, r.ids] = r.values
        return m

    products = Products()
    for _ in range(3):  # the scratch space is reused between calls
        left, right = rows(7), rows(5)
        assert np.allclose(products.cross(left, right), dense(left) @ dense(right).T)
    assert products.cross([], right).shape == (0, 5)


def test_frequencies_give_stable_ids_and_count_articles() -> None:
    df = Frequencies({"bridge": 3, "closure": 1})
    ids = df.ids_of(["closure", "bridge", "flood"])
    df.add(ids[1:])
    assert [df["bridge"], df["closure"], df["flood"]] == [4, 1, 1]
    assert [df.key_of[i] for i in ids] == ["closure", "bridge", "flood"]
    assert list(df.ids_of(["bridge"])) == [ids[1]]


def test_frequencies_forget_keys_seen_once_long_ago_and_give_their_ids_again() -> None:
    df = Frequencies()
    df.clock = 1
    old = df.ids_of(["red sox", "species act"])
    df.add(old)
    df.add(old[:1])  # "red sox" seen twice
    df.clock = 100
    assert df.forget(seen_before=50) == ["species act"]
    assert "species act" not in df and df["red sox"] == 2
    reused = df.ids_of(["flood barrier"])
    assert list(reused) == [old[1]] and df["flood barrier"] == 0  # the id, not the count
    assert df.key_of[old[1]] == "flood barrier"
    assert df.forget(seen_before=50) == []  # born now: kept


def test_phrases_seen_once_are_forgotten_without_changing_the_stories() -> None:
    keys = list(FIRES)
    runs = []
    for forget_after in (1, 50_000):  # forget at every batch, or never here
        config = ClusterConfig(
            join=_EAGER.join, merge=_EAGER.merge, settle=0, forget_phrases_after=forget_after
        )
        clusterer = OnlineClusterer(8, config)
        placed = {}
        for key in keys:  # one article a batch, settled at once
            placed.update((a.article_id, a.story) for a in clusterer.add_batch([_fire(key)]))
        runs.append((placed, clusterer))
    (forgetful, small), (keeping, large) = runs
    assert forgetful == keeping
    assert small.forgotten and not large.forgotten
    assert len(small.phrase_df) < len(large.phrase_df)
    assert len(small.phrase_df.key_of) < len(large.phrase_df.key_of)  # forgotten ids given again
    # While its article is provisional (may be weighed again), none of its phrases is forgotten.
    provisional = OnlineClusterer(
        8, ClusterConfig(join=_EAGER.join, merge=_EAGER.merge, forget_phrases_after=1)
    )
    for key in keys:
        provisional.add_batch([_fire(key)])
    assert len(provisional.provisional) == len(keys) and not provisional.forgotten


def test_a_forgotten_phrase_leaves_the_store(tmp_path: Path) -> None:
    def save(store: SQLiteStore, df_changes: dict[str, int]) -> None:
        store.save_story_run(
            members=[],
            duplicates=[],
            stories=[],
            merges=[],
            df_changes=df_changes,
            documents=2,
            notes=[],
            stage="stories",
        )

    with SQLiteStore(tmp_path / "terms.db") as store:
        save(store, {"w:species act": 1, "w:bridge": 2})
        save(store, {"w:species act": 0})  # 0: the clusterer forgot it
        assert dict(store.story_term_df()) == {"w:bridge": 2}


def test_scores_kept_for_unchanged_provisional_articles_equal_fresh_ones() -> None:
    # Weights kept (the collection has not grown enough), the pair scores of the provisional
    # articles come from the last batch: they must be what scoring them again gives.
    clusterer = OnlineClusterer(8, ClusterConfig(join=_EAGER.join, merge=_EAGER.merge, reweigh_growth=10.0))
    clusterer.add_batch([_fire(k) for k in list(FIRES)[:4]])
    kept = [article for article, _ in clusterer.provisional.values()]
    clusterer.add_batch([_fire(k) for k in list(FIRES)[4:]])
    articles, pairs = clusterer._last_pairs  # the second batch
    # One first report was kept as weighed; the others share a phrase with the new reports now.
    assert sum(any(a is k for k in kept) for a in articles) == 1
    stacked = _Sums.of_articles(articles)
    assert np.allclose(pairs, clusterer._measure(stacked, stacked))


def test_a_moved_article_is_saved_with_its_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsweave.stories.stage as stage

    monkeypatch.setattr(stage, "ClusterConfig", lambda: _EAGER)

    def article(key: str, body: str | None = None) -> CleanArticle:
        return CleanArticle(
            source=f"fixtures/{key}.txt",
            input_format="text",
            url=f"https://example.org/{key}",
            body=body or FIRES[key],
            outlet=key,
            language="en",
        )

    db = tmp_path / "fires.db"
    copy = "KESSEL (Wire) - " + FIRES["ferry-first"]
    with Workspace(db) as ws:
        ws.store.store_batch(
            [article("warehouse-first"), article("ferry-first"), article("ferry-copy", copy)]
        )
        assert len(ws.stories()) == 1
        ws.store.store_batch([article(k) for k in FIRES if not k.endswith("first")])
        ws.stories()
    with Workspace(db) as ws:  # read back from the store
        stories = _stories(ws)
    ferry = next(members for members in stories if "ferry-2" in members)
    assert {"ferry-first", "ferry-copy"} <= ferry
    warehouse = next(members for members in stories if "warehouse-2" in members)
    assert "warehouse-first" in warehouse and stories[warehouse] == 1
