"""Clocks for tests: waits and retries that run instantly, in order, and are recorded."""

from __future__ import annotations

from tavus_async.testing import ManualClock


class FakeClock(ManualClock):
    """The emulator's ManualClock, remembering each pause it was asked to sleep.

    Pass ``clock`` as the client's ``clock`` and ``clock.sleep`` as its ``sleep``: a wait's
    pauses and deadline then run instantly, in order, and are recorded in ``delays``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.delays: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
        await super().sleep(seconds)
