"""The record the tagger returns: one time expression, its place in the text and TIMEX3 value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeExpression:
    """One time expression: where it is, what it says, and its TIMEX3 normalisation."""

    start: int
    end: int
    text: str
    value: str
    type: TimexType
    mod: str | None = None
