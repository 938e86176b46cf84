"""What every family's models share: the status enum base and progress parsing.

A family's ``types`` module imports only attrs and this module. The converter knows a
family's models by what they are, so nothing registers them by name: an attrs class
with an ``extra`` field is a model (unknown keys survive in ``extra``), and a
``StatusEnum`` in a field's type is a status (unknown words survive as plain strings).
"""

from __future__ import annotations

import enum
import math

__all__ = ["StatusEnum", "parse_progress"]


class StatusEnum(str, enum.Enum):
    """Base of every family's status words: a member prints as its word."""

    def __str__(self) -> str:
        return str(self.value)


def parse_progress(value: object) -> float | None:
    """``"42/100"`` → 0.42. A bare number or ``"42%"`` is read as a percentage. Else None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, str):
            done, slash, total = value.strip().rstrip("%").partition("/")
            ratio = float(done) / float(total) if slash else float(done) / 100
        elif isinstance(value, (int, float)):
            ratio = value / 100
        else:
            return None
    except (ValueError, ZeroDivisionError):
        return None
    if not math.isfinite(ratio):
        return None
    return min(max(ratio, 0.0), 1.0)
