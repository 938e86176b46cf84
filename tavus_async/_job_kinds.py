"""Which status means done, failed or keep waiting: one small table per kind of job."""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from typing import Generic, TypeVar

import attrs

from ._errors import JobFailedError, ReplicaTrainingError, VideoGenerationError
from ._models import Replica, Video
from ._policy import (
    REPLICA_FALLBACK_POLICY,
    REPLICA_POLICY,
    VIDEO_FALLBACK_POLICY,
    VIDEO_POLICY,
    PollPolicy,
)

__all__ = ["REPLICA_TRAINING", "VIDEO_RENDERING", "JobKind", "JobState"]

logger = logging.getLogger("tavus_async")

J = TypeVar("J")


class JobState(enum.Enum):
    """Where a job stands, as a waiter reads its status."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


@attrs.frozen(kw_only=True)
class JobKind(Generic[J]):
    """What a waiter needs to know about one kind of job (replica training, video rendering)."""

    name: str
    id_field: str
    progress_field: str
    states: Mapping[str, JobState]
    failure: type[JobFailedError]
    reason_fields: tuple[str, ...]
    default_policy: PollPolicy
    fallback_policy: PollPolicy

    def state(self, job: J) -> JobState:
        status = getattr(job, "status", None)
        word = str(status) if status is not None else ""
        state = self.states.get(word)
        if state is None:
            seen = (self.name, word)
            if word not in _KNOWN_PENDING and seen not in _unknown_logged:
                if len(_unknown_logged) < 256:  # a server inventing words must not grow this
                    _unknown_logged.add(seen)
                logger.warning("unknown %s status %r: still waiting", self.name, word)
            return JobState.PENDING
        return state

    def failure_error(self, job: J) -> JobFailedError:
        job_id = getattr(job, self.id_field)
        reasons = [getattr(job, f, None) for f in self.reason_fields]
        reason = next((str(r) for r in reasons if r), None)
        message = f"{self.name} {job_id} ended with status {getattr(job, 'status', None)!s}"
        if reason:
            message += f": {reason}"
        return self.failure(message, job=job)  # type: ignore[arg-type]

    def change_key(self, job: J) -> tuple[object, object]:
        return (getattr(job, "status", None), getattr(job, self.progress_field, None))


# Words Tavus documents as "still working"; anything else unknown is logged once.
_KNOWN_PENDING = frozenset({"", "started", "training", "queued", "generating"})
_unknown_logged: set[tuple[str, str]] = set()

#: Replica training: GET says ``completed`` where the callback says ``ready``.
REPLICA_TRAINING: JobKind[Replica] = JobKind(
    name="replica",
    id_field="replica_id",
    progress_field="training_progress",
    states={"completed": JobState.DONE, "ready": JobState.DONE, "error": JobState.FAILED},
    failure=ReplicaTrainingError,
    reason_fields=("error_message",),
    default_policy=REPLICA_POLICY,
    fallback_policy=REPLICA_FALLBACK_POLICY,
)
#: Video rendering: a deleted video will never be ready.
VIDEO_RENDERING: JobKind[Video] = JobKind(
    name="video",
    id_field="video_id",
    progress_field="generation_progress",
    states={"ready": JobState.DONE, "error": JobState.FAILED, "deleted": JobState.FAILED},
    failure=VideoGenerationError,
    reason_fields=("status_details", "error_details"),
    default_policy=VIDEO_POLICY,
    fallback_policy=VIDEO_FALLBACK_POLICY,
)
