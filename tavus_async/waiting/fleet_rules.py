"""What a fleet's waits need beside ``engine.PollRules``: their first polls' spread, and
a poll's outcome as the rules read it (``fleet.py`` applies them after each poll).
"""

from __future__ import annotations

from .policy import PollPolicy

__all__ = ["PollOutcome", "first_poll_spread"]

#: A fleet spreads its first polls so that they come at most this often (per second),
#: up to its longest pause.
FIRST_POLLS_PER_SECOND = 1000.0


def first_poll_spread(policy: PollPolicy, count: int, *, callbacks: bool) -> float:
    """Over how many seconds the first polls of the ``count`` waits started together fall.

    Polling alone, a fleet settles into polling each job about once per ``maximum`` pause:
    its first polls are spread over that much, 5 s at most for a small fleet, longer when
    the fleet is large enough to poll more than 1,000 jobs a second otherwise. With
    callbacks the first poll only catches jobs that already ended: it comes at once. So
    does the first poll of a wait started later, when another ends: those are spread
    already.
    """
    if count < 2 or callbacks:
        return 0.0
    return min(policy.maximum, max(5.0, count / FIRST_POLLS_PER_SECOND))


class PollOutcome:
    """A poll's outcome where tenacity's call state keeps one: what its rules read of it
    (``failed``, ``result()``, ``exception()``), without a future's lock and condition."""

    __slots__ = ("_job", "_trouble")

    def __init__(self, job: object, trouble: BaseException | None) -> None:
        self._job = job
        self._trouble = trouble

    @property
    def failed(self) -> bool:
        return self._trouble is not None

    def result(self) -> object:
        if self._trouble is not None:
            raise self._trouble
        return self._job

    def exception(self) -> BaseException | None:
        return self._trouble
