"""ManualClock: the fake's (and a client's) clock that moves only when told."""

from __future__ import annotations

import asyncio

__all__ = ["ManualClock"]


class ManualClock:
    """A clock that moves only when told: ``advance(seconds)``, or ``await sleep(seconds)``.

    Give the same clock to FakeTavus and to a TavusClient (``clock=clock``,
    ``sleep=clock.sleep``; ``fake.client()`` does it for you) and every wait runs at once.
    """

    def __init__(self, start: float = 0.0) -> None:
        """Make a clock that reads ``start``.

        Args:
            start: The time it reads first, in seconds.
        """
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock ``seconds`` on.

        Args:
            seconds: How far, 0 or more.

        Raises:
            ValueError: A negative ``seconds``.
        """
        if seconds < 0:
            raise ValueError(f"seconds must be 0 or more, got {seconds}")
        self.now += seconds

    async def sleep(self, seconds: float) -> None:
        """Move the clock ``seconds`` on, then let the other tasks run: ``sleep=`` for a client.

        Args:
            seconds: How far, 0 or more.

        Raises:
            ValueError: A negative ``seconds``.
        """
        self.advance(seconds)
        await asyncio.sleep(0)
