"""Waiting for long jobs: poll policies, and wait / watch / wait_many on tenacity.

A replica trains for hours and a video renders for minutes. A waiter polls the job with
``get`` on a ``PollPolicy`` (exponential backoff with jitter, an overall deadline), tells
each observed change to the caller, and ends with the finished object, a typed failure,
or ``WaitTimeoutError`` carrying the last object seen. Which status means done, failed
or keep waiting is a small table per kind of job; any other word, a new one included,
keeps the waiter waiting.

Transient trouble while polling (connection errors, timeouts, 408, 429, 5xx, a body that
does not parse) never ends a wait before its deadline; any other API error (400, 401,
403, 404, ...) ends it at once.
"""

from __future__ import annotations

import asyncio
import enum
import inspect
import logging
import math
import random
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

import attrs
import tenacity

from ._errors import (
    APIConnectionError,
    APIError,
    JobFailedError,
    ReplicaTrainingError,
    ResponseValidationError,
    VideoGenerationError,
    WaitTimeoutError,
)
from ._models import Replica, Video
from ._retry import RETRYABLE_STATUSES

__all__ = [
    "REPLICA_POLICY",
    "REPLICA_TRAINING",
    "VIDEO_POLICY",
    "VIDEO_RENDERING",
    "JobKind",
    "JobState",
    "PollPolicy",
    "WaitOutcome",
    "wait",
    "wait_many",
    "watch",
]

logger = logging.getLogger("tavus_async")

J = TypeVar("J")
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
OnUpdate = Callable[[J], "Awaitable[None] | None"]


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


#: Videos render in minutes: first poll 3-5 s after the start, backing off to about once a
#: minute (58-60 s); give up after 2 hours.
VIDEO_POLICY = PollPolicy(initial=5.0, maximum=60.0, multiplier=1.5, jitter=2.0, timeout=7200.0)
#: Replicas train for 3-6 hours: first poll 30-60 s after the start, backing off to every
#: 4.5-5 minutes; give up after 8 hours.
REPLICA_POLICY = PollPolicy(
    initial=60.0, maximum=300.0, multiplier=1.5, jitter=30.0, timeout=8 * 3600.0
)


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
)


def _is_transient(exc: BaseException) -> bool:
    """Trouble that a later poll may not meet: keep waiting until the deadline."""
    if isinstance(exc, (APIConnectionError, ResponseValidationError)):
        return True
    return isinstance(exc, APIError) and exc.status in RETRYABLE_STATUSES


async def watch(
    fetch: Callable[[str], Awaitable[J]],
    job_id: str,
    *,
    kind: JobKind[J],
    policy: PollPolicy,
    clock: Clock,
    sleep: Sleep,
) -> AsyncGenerator[J, None]:
    """Each observed change of the job, the terminal one last; WaitTimeoutError at the deadline.

    A change is a new status or a new progress; the same state is never yielded twice in
    a row. A failed job is yielded, not raised: the caller reads its status.
    """
    started = clock()
    deadline = started + policy.timeout
    last: J | None = None
    last_key: tuple[object, object] | None = None

    def pause(retry_state: tenacity.RetryCallState) -> float:
        delay = policy.delay(retry_state.attempt_number)
        outcome = retry_state.outcome
        trouble = outcome.exception() if outcome is not None and outcome.failed else None
        if isinstance(trouble, APIError) and trouble.retry_after is not None:
            delay = max(delay, trouble.retry_after)  # the server asked us to hold off
        return min(delay, max(0.0, deadline - clock()))

    def pending(job: J) -> bool:
        return kind.state(job) is JobState.PENDING

    retrying = tenacity.AsyncRetrying(
        sleep=sleep,
        stop=lambda _: clock() >= deadline,
        wait=pause,
        retry=tenacity.retry_if_exception(_is_transient) | tenacity.retry_if_result(pending),
        retry_error_callback=lambda _: None,  # the deadline passed: end the loop below
        before_sleep=_log_trouble,
        reraise=True,
    )
    last_trouble: BaseException | None = None
    async for attempt in retrying:
        with attempt:
            job = await fetch(job_id)
        outcome = attempt.retry_state.outcome
        if outcome is not None and outcome.failed:
            last_trouble = outcome.exception()
            continue
        last_trouble = None
        attempt.retry_state.set_result(job)
        last = job
        key = kind.change_key(job)
        if key != last_key:
            last_key = key
            yield job
        if not pending(job):
            return
    elapsed = clock() - started
    message = (
        f"{kind.name} {job_id} did not finish within {policy.timeout:g} s "
        f"(last status: {getattr(last, 'status', None)!s})"
    )
    if last_trouble is not None:
        message += f"; the last poll failed: {last_trouble}"
    raise WaitTimeoutError(
        message,
        last=last,  # type: ignore[arg-type]
        elapsed=elapsed,
    ) from last_trouble


def _log_trouble(retry_state: tenacity.RetryCallState) -> None:
    outcome = retry_state.outcome
    if outcome is not None and outcome.failed:
        logger.info(
            "poll failed (%s); polling again in %.1f s",
            outcome.exception(),
            retry_state.upcoming_sleep,
        )


async def wait(
    fetch: Callable[[str], Awaitable[J]],
    job_id: str,
    *,
    kind: JobKind[J],
    policy: PollPolicy,
    clock: Clock,
    sleep: Sleep,
    on_update: OnUpdate[J] | None = None,
) -> J:
    """The finished job; raises its kind's JobFailedError, or WaitTimeoutError."""
    changes = watch(fetch, job_id, kind=kind, policy=policy, clock=clock, sleep=sleep)
    try:
        async for job in changes:
            if on_update is not None:
                called = on_update(job)
                if inspect.isawaitable(called):
                    await called
            state = kind.state(job)
            if state is JobState.DONE:
                return job
            if state is JobState.FAILED:
                raise kind.failure_error(job)
    finally:
        await changes.aclose()
    raise AssertionError("unreachable: watch ends on a terminal state or raises")


@attrs.frozen(kw_only=True)
class WaitOutcome(Generic[J]):
    """How one wait of ``wait_many`` ended.

    ``result`` is the terminal object when one was seen (the failed job too); ``error``
    is the exception when the job did not finish well (a TavusError, or whatever else
    ended that wait, such as the client being closed); ``ok`` is True only for a job
    that finished (a ready video, a trained replica).
    """

    id: str
    result: J | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.result is not None


async def wait_many(
    wait_one: Callable[[str], Awaitable[J]],
    ids: Iterable[str],
    *,
    concurrency: int,
) -> AsyncGenerator[WaitOutcome[J], None]:
    """One outcome per id, in the order the waits end, at most ``concurrency`` at a time.

    A wait that ends frees its slot before its outcome is handed over, so a slow consumer
    never holds a slot. Leaving the loop early cancels the waits still running (at once
    with ``aclose()``, or ``contextlib.aclosing``).
    """
    queue = iter(ids)
    running: dict[asyncio.Future[J], str] = {}
    ended: asyncio.Queue[asyncio.Future[J]] = asyncio.Queue()

    def start_next() -> None:
        job_id = next(queue, None)
        if job_id is not None:
            task = asyncio.ensure_future(wait_one(job_id))
            running[task] = job_id
            task.add_done_callback(ended.put_nowait)

    try:
        for _ in range(concurrency):
            start_next()
        while running:
            task = await ended.get()
            job_id = running.pop(task)
            start_next()
            yield _outcome(job_id, task)
    finally:
        for task in running:
            task.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)


def _outcome(job_id: str, task: asyncio.Future[J]) -> WaitOutcome[J]:
    exc = task.exception()  # tasks are cancelled only once no more outcomes are handed over
    if exc is None:
        return WaitOutcome(id=job_id, result=task.result())
    if isinstance(exc, JobFailedError):
        return WaitOutcome(id=job_id, result=exc.job, error=exc)  # type: ignore[arg-type]
    if isinstance(exc, Exception):
        return WaitOutcome(id=job_id, error=exc)
    raise exc
