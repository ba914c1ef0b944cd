"""Average-link grouping of one batch: its articles with each other and with existing stories.

Placing a batch's articles one at a time makes early, weak decisions: an article joins a story
at the threshold before the report it truly belongs with has been read. Within a batch the
clusterer can do what a batch method does, at a cost bounded by the batch: agglomerate the
batch's articles average-link, most similar pair first, where a pair is two groups of the
batch or a group and an existing candidate story (never two existing stories: merging those
is `OnlineClusterer.consolidate`'s work). Similarities of merged groups follow the
Lance–Williams update for average link, exact for the clusterer's bilinear measures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class Grouping:
    story: list[int]
    """Per article: the index of the existing story it joins, or -1 if its group is new."""
    group: list[int]
    """Per article: its group (the index of the group's first article)."""
    level: list[float]
    """Per article: the similarity at which it joined its group or story (0 for a founder)."""


def group_batch(
    pairs: NDArray[np.float64],
    to_stories: NDArray[np.float64],
    story_sizes: NDArray[np.float64],
    threshold: float,
) -> Grouping:
    """Agglomerate `n` articles given their `pairs` (n×n) and `to_stories` (n×C) similarities.

    Each step merges the most similar pair reaching `threshold`; the cost is about
    O(n·(n + C)) per step, so O(n²·(n + C)) at worst for a batch, independent of the store.
    """
    n = to_stories.shape[0]
    sim = np.concatenate([pairs, to_stories], axis=1).astype(np.float64)
    sim[np.arange(n), np.arange(n)] = -np.inf
    size = np.concatenate([np.ones(n), story_sizes.astype(np.float64)])
    members: list[list[int]] = [[i] for i in range(n)]
    active = np.ones(n, dtype=bool)
    story = [-1] * n
    level = [0.0] * n
    best = sim.max(axis=1) if sim.shape[1] else np.full(n, -np.inf)
    arg = sim.argmax(axis=1) if sim.shape[1] else np.zeros(n, dtype=np.int64)
    while n:
        rows = np.where(active, best, -np.inf)
        i = int(rows.argmax())
        value = float(rows[i])
        if value < threshold:
            break
        j = int(arg[i])
        if j < n:  # two groups of the batch: j joins i
            for k in members[j]:
                level[k] = value
            merged = (size[i] * sim[i] + size[j] * sim[j]) / (size[i] + size[j])
            size[i] += size[j]
            members[i] += members[j]
            members[j] = []
            active[j] = False
            sim[j, :] = -np.inf
            sim[:, j] = -np.inf
            merged[i] = merged[j] = -np.inf
            sim[i, :] = merged
            sim[:n, i] = merged[:n]
            column = i
        else:  # group i joins existing story j - n
            for k in members[i]:
                story[k] = j - n
                if level[k] == 0.0:
                    level[k] = value
            sim[:n, j] = (size[j] * sim[:n, j] + size[i] * sim[:n, i]) / (size[j] + size[i])
            size[j] += size[i]
            active[i] = False
            sim[i, :] = -np.inf
            sim[:, i] = -np.inf
            column = j
        stale = active & ((arg == i) | (arg == j) | (sim[:, column] > best))
        for r in np.flatnonzero(stale):
            arg[r] = int(sim[r].argmax())
            best[r] = sim[r, arg[r]]
    group = list(range(n))
    for i in range(n):
        for k in members[i]:
            group[k] = i
    return Grouping(story=story, group=group, level=level)
