"""The second stage's unit of work: a block of articles that may share stories.

Stories and the comparison need the articles of a story together, but not the whole corpus: a
report is compared only with reports of about the same days that name the same people, places
and organisations. So the corpus is cut into blocks, each clustered and compared on its own
(in parallel), and the blocks' stores are merged by `newsweave load`:

1. **Time window**: articles are bucketed by publication date (`window_days`, a week by default;
   undated articles share one bucket). Articles of one story published in two windows end in
   two stories: that is what the blocking costs (docs/scaling.md measures it).
2. **Shared names**: within a window, articles sharing a named entity (the language layer's
   local names, normalised) are joined, the rarest names first, and only while the group stays
   within a block: a name few articles share is the surest sign of one story ("the Sayoc
   indictment"), one many share ("Washington") the weakest, and joining on it would make one
   group of the whole week, to be cut at random. A name in more than `max_name_articles` of
   the window's articles links nothing.
3. **Versions**: every version of an article (one key) is in one block, whatever its date.
4. Groups are packed, in the order their first article was read, into blocks of at most
   `max_block` articles (a group of versions larger than that is cut in reading order).

Within a block the articles keep the order they were read in, so a corpus that fits one block
gets exactly the stories and comparison of one `newsweave analyse` over it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

WINDOW_DAYS = 7
MAX_BLOCK = 20_000
MAX_NAME_ARTICLES = 1_000
STORY_ID_STRIDE = 1_000_000
"""Story ids of block n start at n × this + 1, so blocks' stores merge without renumbering;
a block (at most `MAX_BLOCK_LIMIT` articles) can never use them all."""
MAX_BLOCK_LIMIT = STORY_ID_STRIDE


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
    if not 0 < max_block <= MAX_BLOCK_LIMIT:
        raise ValueError(f"a block holds 1 to {MAX_BLOCK_LIMIT:,} articles, not {max_block:,}")
    components = _Components(len(articles))
    first_of_key: dict[str, int] = {}
    by_window_name: dict[tuple[int | None, str], list[int]] = defaultdict(list)
    for i, article in enumerate(articles):
        if (first := first_of_key.setdefault(article.key, i)) != i:
            components.join(first, i)
        window = window_of(article.published, window_days)
        for name in article.names:
            by_window_name[window, name].append(i)
    # Rarest names first (then the earliest read), each joining while the group fits a block.
    shared = sorted(
        (members for members in by_window_name.values() if 1 < len(members) <= max_name_articles),
        key=lambda members: (len(members), members[0]),
    )
    for members in shared:
        for other in members[1:]:
            components.join(members[0], other, limit=max_block)
    grouped: dict[int, list[int]] = defaultdict(list)
    for i in range(len(articles)):
        grouped[components.find(i)].append(i)
    return _packed(sorted(grouped.values(), key=lambda c: c[0]), max_block)


def _packed(components: Sequence[list[int]], max_block: int) -> list[list[int]]:
    blocks: list[list[int]] = []
    current: list[int] = []
    for component in components:
        if current and len(current) + len(component) > max_block:
            blocks.append(sorted(current))
            current = []
        while len(component) > max_block:  # one component past a block: cut in reading order
            blocks.append(component[:max_block])
            component = component[max_block:]
        current += component
    if current:
        blocks.append(sorted(current))
    return blocks
