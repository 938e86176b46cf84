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


def _finite_at_least(low: float) -> Callable[[Any, attrs.Attribute[float], float], None]:
    def check(_: Any, attribute: attrs.Attribute[float], value: float) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{attribute.name} must be a number, not {type(value).__name__}")
        if not math.isfinite(value) or value < low:
            raise ValueError(f"{attribute.name} must be a finite number >= {low:g}, got {value!r}")

    return check


@attrs.frozen(kw_only=True)
class PollPolicy:
    """How often to poll a job and for how long, all in seconds.

    The n-th pause is ``initial * multiplier ** (n - 1)``, capped at ``maximum``, less a
    random part of up to ``jitter`` so that many waiters do not poll in step. The wait
    gives up ``timeout`` seconds after it started; the last pause is shortened to end at
    the deadline, so it is overshot by at most one request.
    """

    initial: float = attrs.field(validator=_finite_at_least(0))
    maximum: float = attrs.field(validator=_finite_at_least(0))
    multiplier: float = attrs.field(default=1.5, validator=_finite_at_least(1))
    jitter: float = attrs.field(default=0.0, validator=_finite_at_least(0))
    timeout: float = attrs.field(validator=_finite_at_least(0))

    def __attrs_post_init__(self) -> None:
        if self.maximum < self.initial:
            raise ValueError(
                f"maximum ({self.maximum:g}) must be at least initial ({self.initial:g})"
            )

    def delay(self, attempt: int, *, rng: random.Random | None = None) -> float:
        """The pause after poll number ``attempt`` (1 for the first); ``rng`` for tests."""
        try:
            base = min(self.initial * self.multiplier ** (attempt - 1), self.maximum)
        except OverflowError:
            base = self.maximum
        spread = (rng or random).uniform(0.0, min(self.jitter, base))
        return base - spread
