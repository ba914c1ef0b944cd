"""What this process may use of the machine."""

from __future__ import annotations

import os

CORES_VARIABLE = "NEWSWEAVE_CORES"
"""At most this many cores per process: `newsweave batch` sets 1 for each worker, which Ray
gives one CPU, so that a worker's own pools (spaCy, the embedding lanes) do not take the
others' cores."""


def usable_cores() -> int:
    """Cores this process may run on (its affinity mask, not the machine's count), at most
    `NEWSWEAVE_CORES` when set."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    cap = os.environ.get(CORES_VARIABLE, "")
    return max(1, min(cores, int(cap))) if cap.isdigit() and int(cap) > 0 else cores
