"""How often a waiter polls a job and for how long: PollPolicy.

Each job family names its own default and fallback policies in its spec.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["PollPolicy"]


def _finite(
    low: float, *, strictly: bool = False
) -> Callable[[Any, attrs.Attribute[float], float], None]:
    """A validator: a finite number at least ``low`` (above it, when ``strictly``)."""
    bound = f"> {low:g}" if strictly else f">= {low:g}"

    def check(_: Any, attribute: attrs.Attribute[float], value: float) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{attribute.name} must be a number, not {type(value).__name__}")
        if not math.isfinite(value) or value < low or (strictly and value == low):
            raise ValueError(f"{attribute.name} must be a finite number {bound}, got {value!r}")

    return check


@attrs.frozen(kw_only=True)
class PollPolicy:
    """How often to poll a job and for how long, all in seconds.

    The n-th pause is ``initial * multiplier ** (n - 1)``, capped at ``maximum``, less a
    random part of up to ``jitter`` so that many waiters do not poll in step. The wait
    gives up ``timeout`` seconds after it started; the last pause is shortened to end at
    the deadline, so it is overshot by at most one request.

    Pauses are always positive: ``initial`` and ``timeout`` must be above 0, ``maximum`` at
    least ``initial``, ``multiplier`` at least 1 and ``jitter`` at least 0 (each refused with
    a ``ValueError`` naming it), because a waiter that does not pause hammers Tavus and
    earns a rate limit for the whole account. Tests pause on a fake clock instead.

    Attributes:
        initial: The first pause, in seconds (above 0).
        maximum: The longest pause, in seconds (at least ``initial``).
        multiplier: How much each pause grows on the one before (at least 1).
        jitter: The most a pause is shortened at random, in seconds (at least 0).
        timeout: How long the wait lasts at most, in seconds (above 0).
    """

    initial: float = attrs.field(validator=_finite(0, strictly=True))
    maximum: float = attrs.field(validator=_finite(0, strictly=True))
    multiplier: float = attrs.field(default=1.5, validator=_finite(1))
    jitter: float = attrs.field(default=0.0, validator=_finite(0))
    timeout: float = attrs.field(validator=_finite(0, strictly=True))

    def __attrs_post_init__(self) -> None:
        if self.maximum < self.initial:
            raise ValueError(
                f"maximum ({self.maximum:g}) must be at least initial ({self.initial:g})"
            )

    def delay(self, attempt: int, *, rng: random.Random | None = None) -> float:
        """The pause after poll number ``attempt`` (1 for the first); ``rng`` for tests.

        Args:
            attempt: The poll's number, 1 for the first.
            rng: The source of the jitter (``random`` by default); a seeded one in tests.

        Returns:
            The pause, in seconds.
        """
        try:
            base = min(self.initial * self.multiplier ** (attempt - 1), self.maximum)
        except OverflowError:
            base = self.maximum
        spread = (rng or random).uniform(0.0, min(self.jitter, base))
        return base - spread
