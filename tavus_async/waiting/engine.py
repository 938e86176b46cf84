"""Waiting for long jobs: wait / watch on tenacity, and the rules ``wait_many`` shares.

A training takes hours and a rendering minutes. A waiter polls the job with
``get`` on a ``PollPolicy`` (exponential backoff with jitter, an overall deadline), tells
each observed change to the caller, and ends with the finished object, a typed failure,
or ``WaitTimeoutError`` carrying the last object seen. Which status means done, failed
or keep waiting is a small table per kind of job; any other word, a new one included,
keeps the waiter waiting.

Transient trouble while polling (connection errors, timeouts, 408, 429, 5xx, a body that
does not parse) never ends a wait before its deadline; any other API error (400, 401,
403, 404, ...) ends it at once. ``wait_many`` (``fleet.py``) applies the same rules to
thousands of waits without a task for each.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Generic, Protocol, TypeVar

import attrs
import tenacity

from .._core.retry import RETRYABLE_STATUSES
from .._exceptions import (
    APIConnectionError,
    APIError,
    ResponseValidationError,
    WaitTimeoutError,
)
from .jobs import JobKind, JobState
from .policy import PollPolicy

__all__ = [
    "MIN_WOKEN_PAUSE",
    "OnUpdate",
    "PollRules",
    "Subscriber",
    "WaitOutcome",
    "WakeEvent",
    "timed_out",
    "wait",
    "watch",
]

logger = logging.getLogger("tavus_async")

J = TypeVar("J")
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
OnUpdate = Callable[[J], "Awaitable[None] | None"]


class Subscriber(Protocol):
    """What a wait's ``callbacks=`` must be: a ``CallbackReceiver``, or anything else with
    its ``subscribe``, an event set whenever a callback names the id."""

    def subscribe(self, job_id: str) -> AbstractContextManager[asyncio.Event]: ...


class WakeEvent(asyncio.Event):
    """An ``asyncio.Event`` that also calls its listeners when set.

    A ``CallbackReceiver`` hands these out: ``wait_many`` learns of a callback for any of
    thousands of jobs from a listener, without a task awaiting each job's event.
    """

    def __init__(self) -> None:
        super().__init__()
        self._listeners: list[Callable[[], None]] = []

    def listen(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` each time the event is set."""
        self._listeners.append(listener)

    def set(self) -> None:
        super().set()
        for listener in tuple(self._listeners):
            listener()


#: A callback can end a pause only after this long (or the server's Retry-After): a flood
#: of callbacks, forged or not, then costs at most one GET a second per wait.
MIN_WOKEN_PAUSE = 1.0


class _Wakeable:
    """``sleep``, whose pauses a callback for the job can cut short, after ``floor`` seconds."""

    def __init__(self, sleep: Sleep, woken: asyncio.Event) -> None:
        self.sleep = sleep
        self.woken = woken
        self.floor = MIN_WOKEN_PAUSE

    async def __call__(self, seconds: float) -> None:
        firm = min(seconds, self.floor)
        await self.sleep(firm)
        if seconds > firm and not self.woken.is_set():
            sleeper = asyncio.ensure_future(self.sleep(seconds - firm))
            waker = asyncio.ensure_future(self.woken.wait())
            try:
                await asyncio.wait((sleeper, waker), return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in (sleeper, waker):
                    task.cancel()
                await asyncio.gather(sleeper, waker, return_exceptions=True)
            if sleeper.done() and not sleeper.cancelled() and sleeper.exception() is not None:
                raise sleeper.exception()  # type: ignore[misc]
        self.woken.clear()


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
    callbacks: Subscriber | None = None,
) -> AsyncGenerator[J, None]:
    """Each observed change of the job, the terminal one last; WaitTimeoutError at the deadline.

    A change is a new status or a new progress; the same state is never yielded twice in
    a row. A failed job is yielded, not raised: the caller reads its status. With
    ``callbacks``, a callback naming the job ends the current pause at once; the poll that
    follows, not the callback, says what the job is.
    """
    subscription = callbacks.subscribe(job_id) if callbacks is not None else nullcontext(None)
    with subscription as woken:
        schedule = _Schedule(
            kind, policy, clock, sleep if woken is None else _Wakeable(sleep, woken)
        )
        retrying = tenacity.AsyncRetrying(
            sleep=schedule.sleep,
            stop=schedule.stop,
            wait=schedule.pause,
            retry=schedule.retry,
            retry_error_callback=_give_up,  # the deadline passed: end the loop below
            before_sleep=log_trouble,
            reraise=True,
        )
        last: J | None = None
        last_key: tuple[object, object] | None = None
        last_trouble: BaseException | None = None
        try:
            async for attempt in retrying:
                with attempt:
                    job = await fetch(job_id)
                last_trouble = _failure(attempt.retry_state)
                if last_trouble is not None:
                    continue
                attempt.retry_state.set_result(job)
                last = job
                key = kind.change_key(job)
                if key != last_key:
                    last_key = key
                    yield job
                if not schedule.pending(job):
                    return
        finally:
            # tenacity's controller and its call state point at each other: a cycle that only
            # a full garbage collection frees, holding the last object seen. Thousands of
            # waits would pile them up; cut it when the wait ends.
            vars(retrying).pop("_retry_state", None)
    raise timed_out(
        kind, job_id, policy, last=last, trouble=last_trouble, elapsed=clock() - schedule.started
    ) from last_trouble


def timed_out(
    kind: JobKind[J],
    job_id: str,
    policy: PollPolicy,
    *,
    last: J | None,
    trouble: BaseException | None,
    elapsed: float,
) -> WaitTimeoutError[J]:
    """The error of a wait that reached its deadline, naming the last status and trouble."""
    message = (
        f"{kind.name} {job_id} did not finish within {policy.timeout:g} s "
        f"(last status: {getattr(last, 'status', None)!s})"
    )
    if trouble is not None:
        message += f"; the last poll failed: {trouble}"
    return WaitTimeoutError(message, last=last, elapsed=elapsed)


class PollRules(Generic[J]):
    """tenacity's stop, wait and retry for a wait: functions of a call state.

    A wait ends at ``deadline(state)``: by default its call state's ``start_time`` plus
    the policy's timeout (``wait_many`` sets both on the one call state it reuses). One
    small object whose methods tenacity calls, rather than a closure for each rule.
    """

    __slots__ = ("clock", "kind", "policy")

    def __init__(self, kind: JobKind[J], policy: PollPolicy, clock: Clock) -> None:
        self.kind = kind
        self.policy = policy
        self.clock = clock

    def deadline(self, state: tenacity.RetryCallState) -> float:
        return state.start_time + self.policy.timeout

    def pending(self, job: J) -> bool:
        return self.kind.state(job) is JobState.PENDING

    def stop(self, state: tenacity.RetryCallState) -> bool:
        return self.clock() >= self.deadline(state)

    def retry(self, state: tenacity.RetryCallState) -> bool:
        """Poll again after transient trouble, or while the job is still pending."""
        trouble = _failure(state)
        if trouble is not None:
            return _is_transient(trouble)
        outcome = state.outcome
        return outcome is not None and self.pending(outcome.result())

    def pause(self, state: tenacity.RetryCallState) -> float:
        delay = _pause_after(self.policy, state.attempt_number, _failure(state))
        return min(delay, max(0.0, self.deadline(state) - self.clock()))


class _Schedule(PollRules[J]):
    """One ``wait``'s rules: its deadline counted from its start on ``clock`` (tenacity's
    own call state starts on ``time.monotonic``), and a pause a callback may cut short
    only after the floor, which a Retry-After raises."""

    __slots__ = ("ends", "sleep", "started")

    def __init__(self, kind: JobKind[J], policy: PollPolicy, clock: Clock, sleep: Sleep) -> None:
        super().__init__(kind, policy, clock)
        self.sleep = sleep
        self.started = clock()
        self.ends = self.started + policy.timeout

    def deadline(self, state: tenacity.RetryCallState) -> float:
        return self.ends

    def pause(self, state: tenacity.RetryCallState) -> float:
        if isinstance(self.sleep, _Wakeable):  # no callback may cut a Retry-After short
            self.sleep.floor = woken_floor(_failure(state))
        return super().pause(state)


def _pause_after(policy: PollPolicy, attempt: int, trouble: BaseException | None) -> float:
    """The policy's pause after poll number ``attempt``, or the server's Retry-After if longer."""
    delay = policy.delay(attempt)
    retry_after = trouble.retry_after if isinstance(trouble, APIError) else None
    if retry_after is not None:
        delay = max(delay, retry_after)  # the server asked us to hold off
    return delay


def woken_floor(trouble: BaseException | None) -> float:
    """How long a pause lasts at least when a callback wakes it: a Retry-After is honoured."""
    retry_after = trouble.retry_after if isinstance(trouble, APIError) else None
    return max(MIN_WOKEN_PAUSE, retry_after or 0.0)


def _failure(retry_state: tenacity.RetryCallState) -> BaseException | None:
    """The exception the last attempt raised, if it did."""
    outcome = retry_state.outcome
    return outcome.exception() if outcome is not None and outcome.failed else None


def _give_up(retry_state: tenacity.RetryCallState) -> None:
    """tenacity's ``retry_error_callback``: at the deadline, end the loop with None."""
    return


def log_trouble(retry_state: tenacity.RetryCallState) -> None:
    trouble = _failure(retry_state)
    if trouble is not None:
        logger.info(
            "poll failed (%s); polling again in %.1f s", trouble, retry_state.upcoming_sleep
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
    callbacks: Subscriber | None = None,
) -> J:
    """The finished job; raises its kind's JobFailedError, or WaitTimeoutError."""
    changes = watch(
        fetch, job_id, kind=kind, policy=policy, clock=clock, sleep=sleep, callbacks=callbacks
    )
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

    Attributes:
        id: The job's id, as given to ``wait_many``.
        result: The terminal object when one was seen (the failed job too).
        error: The exception when the job did not finish well (a TavusError, or
            whatever else ended that wait, such as the client being closed).
    """

    id: str
    result: J | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        """True only for a job that finished (a ready video, a trained replica, ...)."""
        return self.error is None and self.result is not None
