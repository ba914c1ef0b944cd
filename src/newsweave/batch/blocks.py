"""The second stage's unit of work: a block of articles that may share stories.

Stories and the comparison need the articles of a story together, but not the whole corpus: a
report is compared only with reports of about the same days that name the same people, places
and organisations. So the corpus is cut into blocks, each clustered and compared on its own
(in parallel), and the blocks' stores are merged by `newsweave load`:

1. **Time window**: articles are bucketed by publication date (`window_days`, a week by default;
   undated articles share one bucket). Articles of one story published in two windows end in
   two stories: that is what the blocking costs (docs/scaling.md measures it).
2. **Shared names**: within a window, pairs of articles that share named entities (the language
   layer's local names, normalised) are joined, strongest first, and only while the group stays
   within a block. A pair's strength is the summed IDF of the names it shares: two reports
   naming the same rare people and places are the surest sign of one story, two that both
   mention "Washington" the weakest. Joining on every shared name instead (connected
   components) makes one group of a whole window, cut at random: on FNC-1 in blocks of 800,
   it kept 0.45 of same-story pairs together against 0.87 now (docs/scaling.md). A name in
   more than `max_name_articles` (50) of the window's articles links nothing.
3. **Versions**: every version of an article (one key) is in one block, whatever its date.
4. Groups are packed, in the order their first article was read, into blocks of at most
   `max_block` articles. Only the versions of one article can make a group larger than that
   (joining on names stops at a block's size); such a group is a block of its own, never cut,
   since each block numbers the versions it holds.

Within a block the articles keep the order they were read in, so a corpus that fits one block
gets exactly the stories and comparison of one `newsweave analyse` over it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from newsweave.errors import ConfigError

WINDOW_DAYS = 7
MAX_BLOCK = 20_000
MAX_NAME_ARTICLES = 50
"""A name in more of a window's articles links none of them: it says little about which story
an article is in, and its pairs (n²/2) would cost more than all the rest."""
STORY_ID_STRIDE = 1_000_000
"""Story ids of block n start at n × this + 1, so blocks' stores merge without renumbering."""
MAX_BLOCK_LIMIT = STORY_ID_STRIDE // 10
"""A block's stories take fewer ids than it has articles, a few more when provisional articles
move to new stories: a tenth of the stride leaves room for that many times over (and
`block.build_block` checks)."""


@dataclass(frozen=True, slots=True)
class BlockArticle:
    """What blocking reads of one article."""

    id: str
    key: str
    published: date | None
    names: frozenset[str]


class _Components:
    """Union-find over article positions, with each group's size."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int, *, limit: int | None = None) -> None:
        """Join the groups of `a` and `b`, unless together they would pass `limit`."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb or (limit is not None and self.size[ra] + self.size[rb] > limit):
            return
        # The earlier article is the root: a group is known by its first article.
        root, other = min(ra, rb), max(ra, rb)
        self.parent[other] = root
        self.size[root] += self.size[other]


def check_block_options(*, window_days: int, max_block: int) -> None:
    """Raise `ConfigError` for options blocking cannot work with (checked before a batch starts)."""
    if window_days < 1:
        raise ConfigError(f"--window-days {window_days}: a time window is at least one day")
    if not 0 < max_block <= MAX_BLOCK_LIMIT:
        raise ConfigError(f"--block-articles {max_block:,}: a block holds 1 to {MAX_BLOCK_LIMIT:,} articles")


def window_of(published: date | None, window_days: int) -> int | None:
    return None if published is None else published.toordinal() // window_days


def plan_blocks(
    articles: Sequence[BlockArticle],
    *,
    window_days: int = WINDOW_DAYS,
    max_block: int = MAX_BLOCK,
    max_name_articles: int = MAX_NAME_ARTICLES,
) -> list[list[int]]:
    """Blocks as lists of positions into `articles` (which are in reading order), each in
    reading order; every position is in exactly one block."""
    check_block_options(window_days=window_days, max_block=max_block)
    components = _Components(len(articles))
    first_of_key: dict[str, int] = {}
    windows: dict[int | None, list[int]] = defaultdict(list)
    for i, article in enumerate(articles):
        if (first := first_of_key.setdefault(article.key, i)) != i:
            components.join(first, i)
        windows[window_of(article.published, window_days)].append(i)
    for members in windows.values():
        for _, a, b in _pairs_by_shared_names(articles, members, max_name_articles):
            components.join(a, b, limit=max_block)
    grouped: dict[int, list[int]] = defaultdict(list)
    for i in range(len(articles)):
        grouped[components.find(i)].append(i)
    return _packed(sorted(grouped.values(), key=lambda c: c[0]), max_block)


def _pairs_by_shared_names(
    articles: Sequence[BlockArticle], window: Sequence[int], max_name_articles: int
) -> list[tuple[float, int, int]]:
    """Pairs of the window's articles that share a name, strongest first: a pair's strength is
    the summed IDF (over the window) of the names it shares, so two reports naming the same rare
    people and places come before two that both mention a capital."""
    by_name: dict[str, list[int]] = defaultdict(list)
    for i in window:
        for name in sorted(articles[i].names):  # sorted: the same sums under every hash seed
            by_name[name].append(i)
    strength: dict[tuple[int, int], float] = defaultdict(float)
    for name in sorted(by_name):
        members = by_name[name]
        if 1 < len(members) <= max_name_articles:
            idf = math.log(len(window) / len(members))
            for pair in combinations(members, 2):
                strength[pair] += idf
    return sorted(((-w, a, b) for (a, b), w in strength.items()))


def _packed(groups: Sequence[list[int]], max_block: int) -> list[list[int]]:
    blocks: list[list[int]] = []
    current: list[int] = []
    for group in groups:
        if current and len(current) + len(group) > max_block:
            blocks.append(sorted(current))
            current = []
        current += group
    if current:
        blocks.append(sorted(current))
    return blocks
