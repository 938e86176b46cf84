"""Which status means done, failed or keep waiting: one small table per kind of job."""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from typing import Generic, TypeVar

import attrs

from .._exceptions import JobFailedError
from .policy import PollPolicy

__all__ = ["JobKind", "JobState"]

logger = logging.getLogger("tavus_async")

J = TypeVar("J")


class JobState(enum.Enum):
    """Where a job stands, as a waiter reads its status."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


@attrs.frozen(kw_only=True)
class JobKind(Generic[J]):
    """What a waiter needs to know about one kind of job (a training, a rendering, ...).

    ``states`` maps each status word Tavus documents to where the job stands; a word it
    does not hold keeps the waiter waiting and is logged once as unknown. ``failure`` is
    raised for a job that ended FAILED, its message carrying the first of
    ``reason_fields`` that is set; a kind of job that never fails (a conversation ends,
    whatever its reason) has none, and no FAILED word.
    """

    name: str
    id_field: str
    progress_field: str
    states: Mapping[str, JobState]
    failure: type[JobFailedError[J]] | None
    reason_fields: tuple[str, ...]
    default_policy: PollPolicy
    fallback_policy: PollPolicy

    def __attrs_post_init__(self) -> None:
        if self.failure is None and JobState.FAILED in self.states.values():
            raise ValueError(f"{self.name}: a FAILED status needs a failure class")

    def state(self, job: J) -> JobState:
        status = getattr(job, "status", None)
        word = str(status) if status is not None else ""
        state = self.states.get(word)
        if state is None:
            seen = (self.name, word)
            if word and seen not in _unknown_logged:
                if len(_unknown_logged) < 256:  # a server inventing words must not grow this
                    _unknown_logged.add(seen)
                logger.warning("unknown %s status %r: still waiting", self.name, word)
            return JobState.PENDING
        return state

    def failure_error(self, job: J) -> JobFailedError[J]:
        job_id = getattr(job, self.id_field)
        reasons = [getattr(job, f, None) for f in self.reason_fields]
        reason = next((str(r) for r in reasons if r), None)
        message = f"{self.name} {job_id} ended with status {getattr(job, 'status', None)!s}"
        if reason:
            message += f": {reason}"
        assert self.failure is not None, "only a kind with FAILED words fails"
        return self.failure(message, job=job)

    def change_key(self, job: J) -> tuple[object, object]:
        return (getattr(job, "status", None), getattr(job, self.progress_field, None))


_unknown_logged: set[tuple[str, str]] = set()
