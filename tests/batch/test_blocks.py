"""Blocking for the second stage of a batch: which articles may share a story."""

from __future__ import annotations

from datetime import date

import pytest

from newsweave.batch.blocks import BlockArticle, plan_blocks
from newsweave.errors import ConfigError


def _article(
    n: int, names: set[str], day: date | None = date(2024, 3, 4), key: str | None = None
) -> BlockArticle:
    return BlockArticle(
        id=f"a{n}", key=key or f"url:https://example.org/{n}", published=day, names=frozenset(names)
    )


def _positions(blocks: list[list[int]]) -> list[int]:
    return sorted(i for block in blocks for i in block)


def test_every_article_is_in_exactly_one_block_in_reading_order() -> None:
    articles = [_article(n, {f"person {n % 7}"}) for n in range(50)]
    blocks = plan_blocks(articles, max_block=10)
    assert _positions(blocks) == list(range(50))
    assert all(block == sorted(block) for block in blocks)
    assert all(len(block) <= 10 for block in blocks)


def test_articles_sharing_a_name_stay_together_and_others_may_part() -> None:
    quake = [_article(n, {"kathmandu", "nepal army"}) for n in range(4)]
    vote = [_article(n, {"ohio", "jane roe"}) for n in range(4, 8)]
    articles = [x for pair in zip(quake, vote, strict=True) for x in pair]  # read interleaved
    blocks = plan_blocks(articles, max_block=4)
    block_of = {articles[i].id: b for b, block in enumerate(blocks) for i in block}
    assert len({block_of[a.id] for a in quake}) == 1
    assert len({block_of[a.id] for a in vote}) == 1
    assert block_of["a0"] != block_of["a4"]


def test_a_corpus_that_fits_is_one_block_whatever_it_shares() -> None:
    articles = [_article(n, {f"name {n}"}) for n in range(30)]
    assert plan_blocks(articles, max_block=30) == [list(range(30))]


def test_a_name_in_too_many_articles_links_nothing() -> None:
    articles = [_article(n, {"washington", f"topic {n % 2}"}) for n in range(6)]
    blocks = plan_blocks(articles, max_block=3, max_name_articles=5)
    together = {frozenset(articles[i].names - {"washington"}) for block in blocks for i in block}
    assert len(blocks) == 2
    for block in blocks:
        assert len({articles[i].names - {"washington"} == {"topic 0"} for i in block}) == 1
    assert together == {frozenset({"topic 0"}), frozenset({"topic 1"})}


def test_time_windows_part_articles_that_share_names() -> None:
    early = [_article(n, {"river flood"}, date(2024, 1, 3)) for n in range(3)]
    late = [_article(n, {"river flood"}, date(2024, 6, 3)) for n in range(3, 6)]
    blocks = plan_blocks([*early, *late], window_days=7, max_block=3)
    assert blocks == [[0, 1, 2], [3, 4, 5]]


def test_versions_of_one_article_share_a_block_across_windows() -> None:
    first = _article(0, set(), date(2024, 1, 3), key="url:https://example.org/story")
    others = [_article(n, set(), date(2024, 1, 3)) for n in range(1, 4)]
    update = _article(4, set(), date(2024, 5, 1), key="url:https://example.org/story")
    blocks = plan_blocks([first, *others, update], max_block=2)
    assert any({0, 4} <= set(block) for block in blocks)


def test_rare_names_join_first_and_a_common_one_only_while_the_group_fits() -> None:
    rare = ["harbour strike", "mine rescue", "vote recount"]
    articles = [_article(n, {"washington", rare[n % 3]}) for n in range(6)]
    # Joined on "washington" first, the six would be one group cut at random into pairs.
    assert plan_blocks(articles, max_block=2) == [[0, 3], [1, 4], [2, 5]]


def test_a_name_shared_past_a_block_fills_one_and_leaves_the_rest_apart() -> None:
    articles = [_article(n, {"same event"}) for n in range(7)]
    assert plan_blocks(articles, max_block=3) == [[0, 1, 2], [3, 4, 5], [6]]


def test_versions_past_a_block_are_one_block_never_cut() -> None:
    live = [_article(n, set(), key="url:https://example.org/live-updates") for n in range(5)]
    other = _article(5, set())
    assert plan_blocks([*live, other], max_block=2) == [[0, 1, 2, 3, 4], [5]]


@pytest.mark.parametrize(("window_days", "max_block"), [(7, 10**7), (7, 0), (0, 100)])
def test_options_blocking_cannot_work_with_are_refused(window_days: int, max_block: int) -> None:
    with pytest.raises(ConfigError, match=r"--window-days|--block-articles"):
        plan_blocks([], window_days=window_days, max_block=max_block)
