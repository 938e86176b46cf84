"""PollPolicy: the values it refuses, and the pauses it gives."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from tavus_async import PollPolicy

VALID = {"initial": 1.0, "maximum": 8.0, "multiplier": 2.0, "jitter": 0.0, "timeout": 100.0}


@pytest.mark.parametrize(
    ("value", "error"),
    [
        *[(v, ValueError) for v in (-1, math.nan, math.inf, -math.inf)],
        *[(v, TypeError) for v in ("10", None, True)],
    ],
)
@pytest.mark.parametrize("field", list(VALID))
def test_poll_policy_refuses_bad_values(field: str, value: object, error: Any) -> None:
    """PollPolicy refuses negative, non-finite (ValueError) and non-numbers (TypeError) by name."""
    with pytest.raises(error, match=field):
        PollPolicy(**{**VALID, field: value})


@pytest.mark.parametrize(
    ("change", "field"),
    [({"initial": 10.0, "maximum": 5.0}, "maximum"), ({"multiplier": 0.5}, "multiplier")],
)
def test_poll_policy_refuses_inconsistent_values(change: dict[str, float], field: str) -> None:
    """PollPolicy refuses maximum below initial and a multiplier below 1."""
    with pytest.raises(ValueError, match=field):
        PollPolicy(**{**VALID, **change})


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"initial": 0}, "initial"),
        ({"initial": 0.0, "maximum": 0.0}, "initial"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": -0.0}, "timeout"),
    ],
)
def test_poll_policy_refuses_pauses_and_deadlines_of_zero(
    change: dict[str, float], field: str
) -> None:
    """PollPolicy refuses a zero initial pause (or maximum) and a zero timeout, naming it."""
    with pytest.raises(ValueError, match=field):
        PollPolicy(**{**VALID, **change})


def test_poll_policy_is_frozen() -> None:
    """A PollPolicy cannot be changed after it is made."""
    policy = PollPolicy(**VALID)

    with pytest.raises(AttributeError):
        policy.initial = 2.0  # type: ignore[misc]


def test_poll_policy_delay_grows_then_is_capped() -> None:
    """delay() multiplies until maximum, stays there, and jitter never makes it negative."""
    policy, jittery = PollPolicy(**VALID), PollPolicy(**{**VALID, "jitter": 50.0})
    rng = random.Random(7)

    jittered = [(n, jittery.delay(n, rng=rng)) for n in range(1, 8) for _ in range(50)]

    assert [policy.delay(n) for n in range(1, 7)] == [1, 2, 4, 8, 8, 8]
    assert policy.delay(100_000) == 8
    assert all(0 <= d <= min(2 ** (n - 1), 8) for n, d in jittered)
