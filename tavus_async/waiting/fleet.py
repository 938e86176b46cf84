"""wait_many as one schedule: a slot per wait, and a few pollers sending what falls due.

Waits as tasks (``wait`` for each id) cost every wait its own tenacity loop, coroutine
frames, timers and futures: some 80 objects the cyclic garbage collector walks, so that
with tens of thousands of waits a full collection stalls the event loop for tenths of a
second. Here a running wait is a slot in a few flat arrays (numbers, its id, the last
object seen) and an entry ``(due, sequence, slot)`` in a heap of next-poll times. One
driver task wakes once a tick for the polls that fell due and hands them, together, to
at most ``in_flight`` poller tasks (the pool's size); after each poll tenacity decides,
with the rules ``wait`` uses, whether to poll again and after what pause, whether the
deadline has come, and logs the trouble it retries.

Each wait behaves as ``wait`` does: the same pauses and jitter, deadline, Retry-After,
transient trouble retried, any other error ending that wait; a callback naming the job
ends its pause (after the floor, ``MIN_WOKEN_PAUSE`` or the Retry-After). Outcomes come
in the order the waits end; a wait that ends gives its slot to the next id before its
outcome is handed over, and the schedule runs on while the consumer is busy.
"""

from __future__ import annotations

import asyncio
import heapq
import math
import random
from array import array
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Generic, TypeVar, cast

import tenacity

from . import snapshot
from .engine import (
    Clock,
    PollRules,
    Sleep,
    Subscriber,
    WaitOutcome,
    WakeEvent,
    log_trouble,
    timed_out,
    woken_floor,
)
from .fleet_rules import PollOutcome, first_poll_spread
from .jobs import JobKind, JobState
from .policy import PollPolicy

__all__ = ["first_poll_spread", "wait_many"]

J = TypeVar("J")

#: Polls handed out in one turn of the event loop at most, so that a heartbeat beside a
#: fleet whose polls fall due together still ticks.
BATCH = 256
#: The driver wakes at most this often (seconds) for polls falling due: a poll comes up to
#: this much after its time, and the polls of one tick are sent together (a few: a
#: burst of many would set off the cyclic collector, which counts allocations).
TICK = 0.002


class _Fleet(Generic[J]):
    """The schedule of one ``wait_many``: slots, the heap of due polls, the pollers."""

    def __init__(
        self,
        fetch: Callable[[str], Awaitable[J]],
        ids: Sequence[str],
        *,
        kind: JobKind[J],
        policy: PollPolicy,
        clock: Clock,
        sleep: Sleep,
        concurrency: int,
        in_flight: int,
        callbacks: Subscriber | None,
    ) -> None:
        self.fetch = fetch
        self.in_flight = in_flight
        self.kind = kind
        self.policy = policy
        self.clock = clock
        self.sleep = sleep
        self.callbacks = callbacks
        self.pending = iter(ids)
        rules = PollRules(kind, policy, self.now)
        # The rules, as tenacity's strategies; ``_decide`` applies them as tenacity's loop
        # does, without the loop: one call state per poll, nothing per wait.
        self.retrying = tenacity.Retrying(
            stop=rules.stop, wait=rules.pause, retry=rules.retry, before_sleep=log_trouble
        )
        # One call state for every decision (each is made at once, start to end): the
        # wait's start, its attempt and the poll's outcome are set on it each time.
        self.state = tenacity.RetryCallState(self.retrying, None, (), {})
        # One slot per running wait, reused by the next id when its wait ends. Flat arrays
        # of numbers and a few lists: nothing per wait that the garbage collector walks
        # but the last object seen.
        slots = min(concurrency, len(ids))
        self.spread = first_poll_spread(policy, slots, callbacks=callbacks is not None)
        self.ids = [""] * slots
        self.started = array("d", bytes(8 * slots))  # when the first poll fell due
        self.attempts = array("q", bytes(8 * slots))  # the poll now in flight or next due
        self.paused_at = array("d", bytes(8 * slots))
        self.floor = array("d", bytes(8 * slots))  # a callback ends a pause only after this
        self.due = array("d", bytes(8 * slots))
        self.entry = array("q", bytes(8 * slots))  # the live heap entry's sequence; -1: none
        self.woken = bytearray(slots)  # a callback came while a poll was in flight
        # The last object seen, kept for a wait that times out where the collector never
        # walks it (``snapshot``: a tuple of its fields, or pickled), and how.
        self.last: list[object] = [None] * slots
        self.how = bytearray(slots)
        self.subscriptions: dict[int, AbstractContextManager[asyncio.Event]] = {}
        self.watchers: dict[int, asyncio.Task[None]] = {}
        self.free = list(range(slots - 1, -1, -1))
        self.heap: list[tuple[float, int, int]] = []
        self.sequence = 0
        self.running = 0
        # The pollers: at most ``in_flight`` tasks, each polling one due wait after another;
        # an idle one waits on its own future for the driver to hand it a slot.
        self.pollers: set[asyncio.Task[None]] = set()
        self.idle: deque[asyncio.Future[int]] = deque()
        self.failure: BaseException | None = None
        self.starved = False
        self.outcomes: asyncio.Queue[WaitOutcome[J] | None] = asyncio.Queue()
        self.wake: asyncio.Future[None] | None = None
        self.sleeper: asyncio.Future[None] | None = None
        self.sleeper_until = math.inf
        self.sleep_error: BaseException | None = None
        self.reached = -math.inf  # the target of the last pause slept to its end
        self.ticked = -math.inf  # when the driver last woke for polls falling due

    def now(self) -> float:
        """The clock, or the end of the last pause slept if later: an injected ``sleep``
        that returned has ended its pause, whatever an injected clock says."""
        return max(self.clock(), self.reached)

    # -- the driver ------------------------------------------------------------------

    async def drive(self) -> None:
        try:
            for admitted in range(1, len(self.free) + 1):
                self._admit()
                if admitted % (4 * BATCH) == 0:
                    await asyncio.sleep(0)  # a hundred thousand waits start in many turns
            self.spread = 0.0  # a wait started later, as another ends, polls at once
            while self.running:
                if self.failure is not None:
                    raise self.failure
                if self._hand_out() >= BATCH:
                    await asyncio.sleep(0)  # a turn of the loop for everything else
                else:
                    await self._idle()
        finally:
            await self._stop()

    def _poke(self) -> None:
        if self.wake is not None and not self.wake.done():
            self.wake.set_result(None)

    async def _idle(self) -> None:
        """Until a poll ends, a callback comes, or the next poll falls due."""
        if self.sleep_error is not None:
            raise self.sleep_error
        loop = asyncio.get_running_loop()
        self.wake = loop.create_future()
        room = bool(self.idle) or len(self.pollers) < self.in_flight
        self.starved = not room  # then a poller freeing up is what to wait for
        due = max(self.heap[0][0], self.ticked + TICK) if self.heap else math.inf
        if room and due < self.sleeper_until:
            if self.sleeper is not None:
                self.sleeper.cancel()
            self.sleeper_until = due
            self.sleeper = asyncio.ensure_future(self.sleep(max(0.0, due - self.now())))
            self.sleeper.add_done_callback(self._slept)
        try:
            await self.wake
        finally:
            self.wake = None

    def _slept(self, sleeper: asyncio.Future[None]) -> None:
        if sleeper is not self.sleeper:
            return  # replaced by an earlier one
        if not sleeper.cancelled():
            if sleeper.exception() is None:
                self.reached = max(self.reached, self.sleeper_until)
                self.ticked = self.sleeper_until
            else:
                self.sleep_error = sleeper.exception()
        self.sleeper, self.sleeper_until = None, math.inf
        self._poke()

    async def _stop(self) -> None:
        tasks: list[asyncio.Future[Any]] = [*self.pollers, *self.watchers.values()]
        if self.sleeper is not None:
            tasks.append(self.sleeper)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        for subscription in self.subscriptions.values():
            subscription.__exit__(None, None, None)
        self.subscriptions.clear()

    # -- a wait's life ---------------------------------------------------------------

    def _admit(self) -> None:
        """Give a free slot to the next id, its first poll due now or within the spread."""
        job_id = next(self.pending, None)
        if job_id is None:
            return
        slot = self.free.pop()
        now = self.now()
        first = now + random.uniform(0.0, self.spread) if self.spread else now
        self.ids[slot] = job_id
        self.started[slot] = first
        self.attempts[slot] = 1
        self.paused_at[slot] = now
        self.floor[slot] = 0.0
        self.woken[slot] = 0
        self.running += 1
        if self.callbacks is not None:
            self._subscribe(slot, job_id, self.callbacks)
        self._schedule(slot, first)

    def _schedule(self, slot: int, due: float) -> None:
        self.sequence += 1
        self.entry[slot] = self.sequence
        self.due[slot] = due
        heapq.heappush(self.heap, (due, self.sequence, slot))
        if max(due, self.ticked + TICK) < self.sleeper_until:
            self._poke()  # the driver's sleeper is set for later

    def _next_due(self) -> int | None:
        """Take the wait whose poll is due first, if one is; None if none is due yet."""
        heap, entry, now = self.heap, self.entry, self.now()
        while heap and heap[0][0] <= now:
            _, sequence, slot = heapq.heappop(heap)
            if entry[slot] == sequence:  # else superseded: a callback brought it forward
                entry[slot] = -1  # in flight
                return slot
        return None

    def _hand_out(self) -> int:
        """Give the polls that are due to idle pollers, or to new ones up to ``in_flight``;
        BATCH at most; how many were given.

        Past ``in_flight`` polls on the wire or waiting for a connection, a due poll waits
        in the heap (a tuple of numbers), not as a task holding a coroutine, a context and
        futures while it waits for the pool.
        """
        given = 0
        while given < BATCH and (self.idle or len(self.pollers) < self.in_flight):
            slot = self._next_due()
            if slot is None:
                break
            if self.idle:
                self.idle.popleft().set_result(slot)
            else:
                poller = asyncio.ensure_future(self._poll_from(slot))
                self.pollers.add(poller)
                poller.add_done_callback(self._poller_ended)
            given += 1
        return given

    async def _poll_from(self, slot: int) -> None:
        """A poller: poll the wait it is given, decide, then wait to be given another.

        It does not take the next due poll itself: the driver hands the due polls out
        together, once a tick, so that they share turns of the event loop (a poll sent
        alone, between others, costs the client more).
        """
        loop = asyncio.get_running_loop()
        while True:
            try:
                job = await self.fetch(self.ids[slot])
            except Exception as trouble:  # the rules judge it
                self._decide(slot, None, trouble)
            else:
                self._decide(slot, job, None)
            turn: asyncio.Future[int] = loop.create_future()
            self.idle.append(turn)
            if self.starved:  # the driver waits for a poller to be free
                self._poke()
            slot = await turn

    def _poller_ended(self, poller: asyncio.Task[None]) -> None:
        self.pollers.discard(poller)
        if not poller.cancelled() and poller.exception() is not None:
            self.failure = poller.exception()  # KeyboardInterrupt and the like: all end
            self._poke()

    def _decide(self, slot: int, job: J | None, trouble: Exception | None) -> None:
        """After a poll, tenacity's rules in tenacity's order: retry? if not, the wait ends
        with the job (or the error); if so, the pause, then stop? (the deadline), then the
        trouble is logged and the next poll scheduled."""
        rules, job_id, state = self.retrying, self.ids[slot], self.state
        state.start_time = self.started[slot]
        state.attempt_number = self.attempts[slot]
        # The poll's outcome as the rules read it; tenacity's own (``set_result``) is a
        # concurrent.futures.Future, a lock and a condition made for every poll.
        state.outcome = PollOutcome(job, trouble)  # type: ignore[assignment]
        if not rules.retry(state):
            if trouble is not None:  # not worth another poll: this wait ends with it
                self._finish(slot, WaitOutcome(id=job_id, error=trouble))
                return
            ended = cast("J", job)
            if self.kind.state(ended) is JobState.FAILED:
                failed = self.kind.failure_error(ended)
                self._finish(slot, WaitOutcome(id=job_id, result=ended, error=failed))
            else:
                self._finish(slot, WaitOutcome(id=job_id, result=ended))
            return
        state.upcoming_sleep = rules.wait(state)
        if rules.stop(state):  # the deadline came
            timeout = timed_out(
                self.kind,
                job_id,
                self.policy,
                last=self._last(slot) if trouble is not None else cast("J", job),
                trouble=trouble,
                elapsed=self.now() - self.started[slot],
            )
            timeout.__cause__ = trouble
            self._finish(slot, WaitOutcome(id=job_id, error=timeout))  # .last has the job
            return
        if rules.before_sleep is not None:
            rules.before_sleep(state)
        if trouble is None:  # kept only for a wait that goes on, as its last object seen
            self._keep(slot, cast("J", job))
        self.attempts[slot] += 1
        self._pause(slot, state.upcoming_sleep, trouble)

    def _keep(self, slot: int, job: J) -> None:
        """Keep ``job`` as the wait's last object seen, where a full collection never
        walks it: a tuple of its fields, or pickled (``snapshot``)."""
        self.how[slot], self.last[slot] = snapshot.keep(job)

    def _last(self, slot: int) -> J | None:
        """The wait's last object seen (an equal one, when it was kept as fields or
        pickled)."""
        kept = self.last[slot]
        return None if kept is None else cast("J", snapshot.restore(self.how[slot], kept))

    def _pause(self, slot: int, seconds: float, trouble: BaseException | None) -> None:
        now = self.now()
        self.paused_at[slot] = now
        self.floor[slot] = floor = woken_floor(trouble)
        if self.woken[slot]:  # a callback came while the poll was in flight
            self.woken[slot] = 0
            seconds = min(seconds, floor)
        self._schedule(slot, now + seconds)

    def _finish(self, slot: int, outcome: WaitOutcome[J]) -> None:
        """End a wait: free its slot for the next id, then hand its outcome over."""
        self.last[slot] = None
        self.entry[slot] = -1
        subscription = self.subscriptions.pop(slot, None)
        if subscription is not None:
            subscription.__exit__(None, None, None)
        watcher = self.watchers.pop(slot, None)
        if watcher is not None:
            watcher.cancel()
        self.free.append(slot)
        self.running -= 1
        self._admit()
        self.outcomes.put_nowait(outcome)

    # -- callbacks -------------------------------------------------------------------

    def _subscribe(self, slot: int, job_id: str, callbacks: Subscriber) -> None:
        subscription = callbacks.subscribe(job_id)
        event = subscription.__enter__()
        self.subscriptions[slot] = subscription

        def woken() -> None:
            event.clear()
            if self.subscriptions.get(slot) is subscription:
                self._woken(slot)

        if isinstance(event, WakeEvent):
            event.listen(woken)
        else:  # another Subscriber's plain Event: a small task awaits it
            self.watchers[slot] = asyncio.ensure_future(_await_each(event, woken))

    def _woken(self, slot: int) -> None:
        """A callback named the job: its pause ends once the floor has passed."""
        if self.entry[slot] < 0:  # its poll is in flight: the next pause is cut short
            self.woken[slot] = 1
            return
        due = max(self.paused_at[slot] + self.floor[slot], self.now())
        if due < self.due[slot]:
            self._schedule(slot, due)


async def _await_each(event: asyncio.Event, woken: Callable[[], None]) -> None:
    while True:
        await event.wait()
        woken()


async def wait_many(
    fetch: Callable[[str], Awaitable[J]],
    ids: Sequence[str],
    *,
    kind: JobKind[J],
    policy: PollPolicy,
    clock: Clock,
    sleep: Sleep,
    concurrency: int,
    in_flight: int = 128,
    callbacks: Subscriber | None = None,
) -> AsyncGenerator[WaitOutcome[J], None]:
    """One outcome per id, in the order the waits end, at most ``concurrency`` at a time.

    A wait that ends frees its slot before its outcome is handed over, so a slow consumer
    never holds a slot; the polls go on while the consumer is busy. At most ``in_flight``
    polls are sent or waiting for a connection at once; later ones wait their turn in the
    schedule. Leaving the loop early cancels the waits still running (at once with
    ``aclose()``, or ``contextlib.aclosing``).
    """
    if not ids:
        return
    fleet = _Fleet(
        fetch,
        ids,
        kind=kind,
        policy=policy,
        clock=clock,
        sleep=sleep,
        concurrency=concurrency,
        in_flight=in_flight,
        callbacks=callbacks,
    )
    driver = asyncio.ensure_future(fleet.drive())
    # If the driver ends early (it raised), the consumer must not wait for outcomes forever.
    driver.add_done_callback(lambda _: fleet.outcomes.put_nowait(None))
    try:
        for _ in range(len(ids)):
            outcome = await fleet.outcomes.get()
            if outcome is None:
                driver.result()  # raises what ended the driver
                raise AssertionError("unreachable: the driver ended with waits still running")
            yield outcome
    finally:
        driver.cancel()
        await asyncio.gather(driver, return_exceptions=True)
