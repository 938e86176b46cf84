"""wait_many's schedule (waiting/fleet.py): polls in flight bounded, pauses ended by
callbacks, the last object kept, the first polls spread, and injected sleeps honoured."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import attrs
import pytest
from aioresponses import CallbackResult
from yarl import URL

from tavus_async import PollPolicy, RateLimitError, TavusClient, Video, WaitTimeoutError
from tavus_async.waiting import fleet
from tavus_async.waiting.jobs import JobKind, JobState

from _support.clocks import FakeClock
from _support.http import BASE
from _support.waits import collect

POLICY = PollPolicy(initial=100, maximum=100, timeout=10_000)
BOUND = 10  # seconds: a guard that fails a test whose wait never ends, not a pause


@attrs.frozen
class Job:
    id: str
    status: str


JOB = JobKind(
    name="job",
    id_field="id",
    progress_field="status",
    states={"done": JobState.DONE, "working": JobState.PENDING},
    failure=None,
    reason_fields=(),
    default_policy=POLICY,
    fallback_policy=POLICY,
)


class Timeline:
    """A virtual clock whose sleeps end only when the test moves it past them."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        self.sleepers.append((self.now + seconds, future))
        await future

    async def advance_to(self, when: float) -> None:
        self.now = when
        for end, future in self.sleepers:
            if end <= when and not future.done():
                future.set_result(None)
        await settle()


async def settle(turns: int = 30) -> None:
    for _ in range(turns):
        await asyncio.sleep(0)


class Events:
    """A Subscriber handing out plain asyncio Events (not WakeEvents), as a user's might."""

    def __init__(self) -> None:
        self.events: dict[str, asyncio.Event] = {}

    @contextlib.contextmanager
    def subscribe(self, job_id: str) -> Iterator[asyncio.Event]:
        self.events[job_id] = event = asyncio.Event()
        try:
            yield event
        finally:
            del self.events[job_id]


def polling(
    answers: list[Callable[[], Awaitable[Job]]], timeline: Timeline, seen: list[float]
) -> Callable[[str], Awaitable[Job]]:
    """A fetch giving each answer in turn, noting the virtual time of each poll."""

    async def fetch(job_id: str) -> Job:
        seen.append(timeline.now)
        return await answers[len(seen) - 1]()

    return fetch


def answer(status: str) -> Callable[[], Awaitable[Job]]:
    async def give() -> Job:
        return Job("j1", status)

    return give


async def test_polls_in_flight_never_exceed_in_flight(clock: FakeClock) -> None:
    """With in_flight=3, twenty waits due at once are polled three at a time; all end."""
    live = peak = 0

    async def fetch(job_id: str) -> Job:
        nonlocal live, peak
        live += 1
        peak = max(peak, live)
        await settle(3)
        live -= 1
        return Job(job_id, "done")

    ids = [f"j{n}" for n in range(20)]
    waits = fleet.wait_many(
        fetch,
        ids,
        kind=JOB,
        policy=PollPolicy(initial=0.001, maximum=0.001, timeout=10),
        clock=clock,
        sleep=clock.sleep,
        concurrency=20,
        in_flight=3,
    )
    outcomes = await collect(waits)

    assert peak == 3
    assert sorted(o.id for o in outcomes) == sorted(ids)
    assert all(o.ok for o in outcomes)


async def test_a_sleep_that_leaves_the_clock_alone_still_ends_each_pause() -> None:
    """An injected sleep that returned ended its pause, though the injected clock stood still."""
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        await asyncio.sleep(0)

    answers = iter(["working", "working", "done"])

    async def fetch(job_id: str) -> Job:
        return Job(job_id, next(answers))

    policy = PollPolicy(initial=1, maximum=4, multiplier=2, timeout=100)
    waits = fleet.wait_many(
        fetch, ["j1"], kind=JOB, policy=policy, clock=lambda: 0.0, sleep=sleep, concurrency=1
    )
    outcomes = await asyncio.wait_for(collect(waits), BOUND)

    assert [o.ok for o in outcomes] == [True]
    assert slept == [1.0, 2.0]


async def test_a_callback_ends_a_pause_after_the_floor() -> None:
    """A plain Event set for the job brings its next poll forward to 1 s after the last."""
    timeline, seen, events = Timeline(), [], Events()
    fetch = polling([answer("working"), answer("done")], timeline, seen)
    waits = fleet.wait_many(
        fetch,
        ["j1"],
        kind=JOB,
        policy=POLICY,
        clock=timeline,
        sleep=timeline.sleep,
        concurrency=1,
        callbacks=events,
    )
    consumer = asyncio.ensure_future(collect(waits))
    await settle()
    assert seen == [0.0]

    events.events["j1"].set()  # a callback named the job
    await settle()
    await timeline.advance_to(1.0)
    outcomes = await asyncio.wait_for(consumer, BOUND)

    assert seen == [0.0, 1.0]  # not 100 s later
    assert [o.ok for o in outcomes] == [True]
    assert events.events == {}  # the subscription ended with the wait


async def test_a_callback_during_a_poll_shortens_the_next_pause() -> None:
    """A callback that comes while a poll is on the wire makes the next pause the 1 s floor."""
    timeline, seen, events = Timeline(), [], Events()
    gate = asyncio.Event()

    async def slow_working() -> Job:
        await gate.wait()
        return Job("j1", "working")

    fetch = polling([slow_working, answer("done")], timeline, seen)
    waits = fleet.wait_many(
        fetch,
        ["j1"],
        kind=JOB,
        policy=POLICY,
        clock=timeline,
        sleep=timeline.sleep,
        concurrency=1,
        callbacks=events,
    )
    consumer = asyncio.ensure_future(collect(waits))
    await settle()
    events.events["j1"].set()  # while the first poll is in flight
    await settle()
    gate.set()
    await settle()
    await timeline.advance_to(1.0)
    outcomes = await asyncio.wait_for(consumer, BOUND)

    assert seen == [0.0, 1.0]
    assert [o.ok for o in outcomes] == [True]


async def test_a_callback_never_cuts_a_retry_after_short() -> None:
    """After a 429 asking for 30 s, a callback brings the poll forward to 30 s, not 1 s."""
    timeline, seen, events = Timeline(), [], Events()

    async def limited() -> Job:
        raise RateLimitError("slow down", status=429, method="GET", url=f"{BASE}/x", retry_after=30)

    fetch = polling([limited, answer("done")], timeline, seen)
    waits = fleet.wait_many(
        fetch,
        ["j1"],
        kind=JOB,
        policy=POLICY,
        clock=timeline,
        sleep=timeline.sleep,
        concurrency=1,
        callbacks=events,
    )
    consumer = asyncio.ensure_future(collect(waits))
    await settle()
    events.events["j1"].set()
    await settle()
    await timeline.advance_to(1.0)
    assert seen == [0.0]  # the floor is the server's 30 s
    await timeline.advance_to(30.0)
    outcomes = await asyncio.wait_for(consumer, BOUND)

    assert seen == [0.0, 30.0]
    assert [o.ok for o in outcomes] == [True]


async def test_a_timed_out_wait_carries_the_last_video_seen(
    timed_client: TavusClient, http: Any
) -> None:
    """Polls failing until the deadline: the error holds the last video seen and the trouble."""
    url = f"{BASE}/v2/videos/v1"
    seen = {"video_id": "v1", "status": "generating", "generation_progress": "40/100"}
    http.get(url, payload=seen)
    http.get(url, status=503, payload={"error": "busy"}, repeat=True)
    policy = PollPolicy(initial=1, maximum=1, timeout=5)

    outcomes = await collect(timed_client.videos.wait_many(["v1"], policy=policy))

    (outcome,) = outcomes
    assert isinstance(outcome.error, WaitTimeoutError)
    assert outcome.error.last == Video.from_dict(seen)
    assert "the last poll failed" in str(outcome.error)
    assert getattr(outcome.error.__cause__, "status", None) == 503
    assert len(http.requests[("GET", URL(url))]) >= 5


@pytest.mark.parametrize(
    ("count", "maximum", "callbacks", "spread"),
    [
        (1, 30, False, 0.0),  # one wait polls at once
        (30, 4, False, 4.0),  # within the longest pause
        (300, 30, False, 5.0),  # a small fleet: 5 s at most
        (10_000, 30, False, 10.0),  # 1,000 first polls a second
        (100_000, 30, False, 30.0),  # no longer than the longest pause
        (100_000, 30, True, 0.0),  # with callbacks, the first poll only catches the ended
    ],
)
def test_first_polls_are_spread_by_the_size_of_the_fleet(
    count: int, maximum: float, callbacks: bool, spread: float
) -> None:
    """The first polls' spread grows with the fleet, up to the policy's longest pause."""
    policy = PollPolicy(initial=1, maximum=maximum, timeout=1000)

    assert fleet.first_poll_spread(policy, count, callbacks=callbacks) == spread


async def test_a_wait_started_as_another_ends_polls_at_once(clock: FakeClock) -> None:
    """Only the waits started together are spread: later ones poll with no pause first."""
    polled_at: dict[str, float] = {}

    async def fetch(job_id: str) -> Job:
        polled_at[job_id] = clock()
        return Job(job_id, "done")

    policy = PollPolicy(initial=4, maximum=4, timeout=100)
    ids = [f"j{n}" for n in range(6)]
    waits = fleet.wait_many(
        fetch, ids, kind=JOB, policy=policy, clock=clock, sleep=clock.sleep, concurrency=2
    )
    outcomes = await asyncio.wait_for(collect(waits), BOUND)

    assert all(o.ok for o in outcomes)
    assert len(clock.delays) <= 2  # the two first polls' spread, and no other pause
    first_two = max(polled_at["j0"], polled_at["j1"])
    assert all(polled_at[f"j{n}"] <= first_two for n in range(2, 6))  # as one ended


async def test_a_wait_timed_out_on_a_good_poll_carries_that_poll(
    timed_client: TavusClient, http: Any
) -> None:
    """The deadline met on a poll that answered: the error's last video is that answer."""
    url = f"{BASE}/v2/videos/v1"
    polls = 0

    def rendering(_: URL, **__: Any) -> CallbackResult:
        nonlocal polls
        polls += 1
        return CallbackResult(
            payload={
                "video_id": "v1",
                "status": "generating",
                "generation_progress": f"{polls}/100",
            }
        )

    http.get(url, callback=rendering, repeat=True)
    policy = PollPolicy(initial=1, maximum=1, timeout=5)

    (outcome,) = await collect(timed_client.videos.wait_many(["v1"], policy=policy))

    assert isinstance(outcome.error, WaitTimeoutError)
    assert isinstance(outcome.error.last, Video)
    assert outcome.error.last.generation_progress == f"{polls}/100"
