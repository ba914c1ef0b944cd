"""The time newsweave writes into what it stores and exports ("ingested_at", "exported_at").

`SOURCE_DATE_EPOCH` (the reproducible-builds convention: seconds since 1970, UTC) fixes it, so
two runs over the same input give the same export byte for byte."""

from __future__ import annotations

import os
from datetime import UTC, datetime


def now() -> datetime:
    """The current time in UTC, or `SOURCE_DATE_EPOCH` when it is set to a whole number."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if fixed.isdigit():
        return datetime.fromtimestamp(int(fixed), UTC)
    return datetime.now(UTC)


def now_iso() -> str:
    """`now()` as ISO 8601 to the second, as stored."""
    return now().isoformat(timespec="seconds")
