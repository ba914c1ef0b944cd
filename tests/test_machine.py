"""How many cores a process uses: its affinity, capped by NEWSWEAVE_CORES (a batch worker's one)."""

from __future__ import annotations

import os

import pytest

from newsweave.machine import CORES_VARIABLE, usable_cores


def test_cores_are_the_affinity_mask_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CORES_VARIABLE, raising=False)
    assert usable_cores() == len(os.sched_getaffinity(0))


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("9999", None), ("0", None), ("two", None)])
def test_the_variable_caps_the_cores(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: int | None
) -> None:
    monkeypatch.setenv(CORES_VARIABLE, value)
    assert usable_cores() == (expected or len(os.sched_getaffinity(0)))
