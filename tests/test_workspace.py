"""A workspace owns its analysis stages: two in one process never share state or settings."""

from __future__ import annotations

from newsweave import Settings, Workspace, open_store
from newsweave.stories.stage import StoriesStage
from tests.conftest import FIXTURES

TEXT = FIXTURES / "text"


def _each_article_its_own_story(ws: Workspace) -> None:
    articles = {a.id: a for a in ws.articles()}
    stories = ws.stories()
    assert sorted(a for s in stories for a in s.articles) == sorted(articles)
    assert all(len(s.articles) == 1 for s in stories), [s.title for s in stories]
    for story in stories:  # titled from its own article
        own = articles[story.articles[0]]
        assert set(story.title.lower().split()) & set(f"{own.title} {own.body}".lower().split())


def test_two_workspaces_in_one_process_keep_their_own_stories_and_settings() -> None:
    fires = open_store(":memory:", settings=Settings(stories_embedding="none"))
    floods = open_store(":memory:", settings=Settings(stories_embedding="static"))
    with fires, floods:
        # Turn by turn, with as many articles in each, so that a clusterer kept for both would
        # look up to date in either: the school-board article must not meet the flood story.
        fires.ingest([TEXT / "broadcaster_wildfire.txt"])
        fires.analyse()
        floods.ingest([TEXT / "harbour_flood.txt"])
        floods.analyse()
        fires.ingest([TEXT / "valley_school_board.txt"])
        fires.analyse()
        floods.ingest([TEXT / "wire_port_strike.txt"])
        floods.analyse()

        _each_article_its_own_story(fires)
        _each_article_its_own_story(floods)
        flood_titles = {a.title for a in floods.articles()}
        assert not {s.title for s in fires.stories()} & flood_titles
        stages = [next(s for s in ws.stages if isinstance(s, StoriesStage)) for ws in (fires, floods)]
        assert [s.backend for s in stages] == ["none", "static"]
