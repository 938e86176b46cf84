"""Callbacks wake waits: wait, watch and wait_many end on a callback, confirmed by a GET.

A forged callback is only a hint; the policy with callbacks; cancelling or leaving a wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tavus_async import (
    PollPolicy,
    TavusClient,
    VideoGenerationError,
    VideoStatus,
    waiters,
)
from tavus_async.callbacks import CallbackReceiver
from tavus_async.testing import FakeTavus, Timing

from _support.callbacks import BOUND, LONG, VIDEO_BODY, create, gets, post, until
from _support.clocks import FakeClock

# Jobs that never end unless a test moves the fake's manual clock.
ENDLESS = Timing(replica_training=1000.0, video_queue=0.0, video_rendering=1000.0)
KINDS = ["videos", "replicas"]


@pytest.fixture
async def stuck(clock: FakeClock) -> AsyncIterator[FakeTavus]:
    """FakeTavus on a manual clock: its jobs end only when the test advances ``clock``."""
    async with FakeTavus(clock=clock, timing=ENDLESS, callback_interval=0.005) as fake:
        yield fake


@pytest.fixture
async def stuck_tavus(stuck: FakeTavus) -> AsyncIterator[TavusClient]:
    """A client of ``stuck`` that waits in real time (the fake's clock is not its clock)."""
    async with stuck.client(clock=time.monotonic, sleep=asyncio.sleep) as client:
        yield client


def statuses(jobs: list[Any]) -> list[str]:
    return [str(job.status) for job in jobs]


# -- callbacks wake waiters, end to end ---------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_wait_is_woken_by_the_callback(
    fast: FakeTavus, tavus: TavusClient, receiver: CallbackReceiver, kind: str
) -> None:
    """A callback ends a 30 s pause at once; one GET confirms; 2 GETs after create in all."""
    job_id = await create(tavus, fast, kind, receiver.url)
    resource = getattr(tavus, kind)
    started = time.monotonic()
    job = await asyncio.wait_for(resource.wait(job_id, callbacks=receiver, policy=LONG), BOUND)
    assert time.monotonic() - started < 5  # the first pause alone would take 30 s
    assert str(job.status) in ("ready", "completed")  # GET says completed for a replica
    assert gets(fast, kind, job_id) == 2
    assert [c.outcome for c in fast.callbacks] == [200]
    assert receiver.received == 1
    assert receiver._waiting == {}


async def test_a_failure_callback_ends_the_wait_with_the_apis_error(
    fast: FakeTavus, tavus: TavusClient, receiver: CallbackReceiver
) -> None:
    """A failed job's callback wakes the wait, which raises what the confirming GET says."""
    video_id = await create(tavus, fast, "videos", receiver.url, script="tavus-fail please")
    with pytest.raises(VideoGenerationError) as failed:
        await asyncio.wait_for(tavus.videos.wait(video_id, callbacks=receiver, policy=LONG), BOUND)
    assert failed.value.job.status == VideoStatus.ERROR
    assert gets(fast, "videos", video_id) == 2


@pytest.mark.parametrize("kind", KINDS)
async def test_watch_is_woken_by_the_callback(
    fast: FakeTavus, tavus: TavusClient, receiver: CallbackReceiver, kind: str
) -> None:
    """watch with callbacks yields the first state, then the last one right after the callback."""
    job_id = await create(tavus, fast, kind, receiver.url)

    async def collect() -> list[Any]:
        watched = getattr(tavus, kind).watch(job_id, callbacks=receiver, policy=LONG)
        return [job async for job in watched]

    seen = await asyncio.wait_for(collect(), BOUND)
    assert statuses(seen)[-1] in ("ready", "completed")
    assert len(seen) == 2
    assert gets(fast, kind, job_id) == 2
    assert receiver._waiting == {}


@pytest.mark.parametrize("kind", KINDS)
async def test_wait_many_is_woken_for_every_job(
    fast: FakeTavus, tavus: TavusClient, receiver: CallbackReceiver, kind: str
) -> None:
    """wait_many with callbacks ends every wait on its callback: 2 GETs per job after create."""
    ids = [await create(tavus, fast, kind, receiver.url) for _ in range(4)]

    async def collect() -> list[Any]:
        outcomes = getattr(tavus, kind).wait_many(ids, callbacks=receiver, policy=LONG)
        return [outcome async for outcome in outcomes]

    started = time.monotonic()
    outcomes = await asyncio.wait_for(collect(), BOUND)
    assert time.monotonic() - started < 5
    assert sorted(o.id for o in outcomes) == sorted(ids)
    assert all(o.ok for o in outcomes)
    assert {job_id: gets(fast, kind, job_id) for job_id in ids} == dict.fromkeys(ids, 2)
    assert receiver.received == len(ids)
    assert receiver._waiting == {}


# -- a forged callback is only a hint -----------------------------------------------


@pytest.mark.parametrize("forged_status", ["ready", "error"])
async def test_a_forged_callback_does_not_end_the_wait(
    stuck: FakeTavus,
    stuck_tavus: TavusClient,
    clock: FakeClock,
    receiver: CallbackReceiver,
    raw: aiohttp.ClientSession,
    forged_status: str,
) -> None:
    """A callback saying ready while the API says generating costs one GET; the wait goes on."""
    video_id = await create(stuck_tavus, stuck, "videos", receiver.url)
    waiting = asyncio.create_task(
        stuck_tavus.videos.wait(video_id, callbacks=receiver, policy=LONG)
    )
    try:
        await until(lambda: gets(stuck, "videos", video_id) == 1, "the first poll")
        forged = {**VIDEO_BODY, "video_id": video_id, "status": forged_status}
        assert await post(raw, receiver.url, json=forged) == 200
        await until(lambda: gets(stuck, "videos", video_id) == 2, "the confirming poll")
        await asyncio.sleep(0.2)  # time for the waiter to read that answer and pause again
        assert not waiting.done()
        assert gets(stuck, "videos", video_id) == 2
        assert receiver._waiting.keys() == {video_id}

        clock.advance(ENDLESS.video_queue + ENDLESS.video_rendering)  # now it really is ready
        video = await asyncio.wait_for(waiting, BOUND)  # FakeTavus's own callback wakes it
    finally:
        if not waiting.done():
            waiting.cancel()
            await asyncio.gather(waiting, return_exceptions=True)
    assert video.status == VideoStatus.READY
    assert gets(stuck, "videos", video_id) == 3
    assert [c.outcome for c in stuck.callbacks] == [200]
    assert receiver.received == 2


# -- the policy with callbacks, and what callbacks may be ---------------------------


@pytest.mark.parametrize("method", ["wait", "watch", "wait_many"])
@pytest.mark.parametrize(
    ("kind", "default", "fallback"),
    [
        ("videos", waiters.VIDEO_POLICY, waiters.VIDEO_FALLBACK_POLICY),
        ("replicas", waiters.REPLICA_POLICY, waiters.REPLICA_FALLBACK_POLICY),
    ],
)
async def test_callbacks_without_a_policy_poll_on_the_fallback_policy(
    clock: FakeClock,
    receiver: CallbackReceiver,
    method: str,
    kind: str,
    default: PollPolicy,
    fallback: PollPolicy,
) -> None:
    """With callbacks and no policy the first pause is the fallback's; without, the default's."""
    assert fallback.initial > default.initial  # the fallback polls less often

    async def first_pause(tavus: TavusClient, fake: FakeTavus, **callbacks: Any) -> float:
        job_id = await create(tavus, fake, kind, None)
        clock.delays.clear()
        resource = getattr(tavus, kind)
        if method == "wait":
            await resource.wait(job_id, **callbacks)
        elif method == "watch":
            _ = [job async for job in resource.watch(job_id, **callbacks)]
        else:
            outcomes = [o async for o in resource.wait_many([job_id], **callbacks)]
            assert outcomes[0].ok
        # With callbacks, wait and watch sleep a pause in two parts (the firm second, then
        # the wakeable rest); wait_many's schedule sleeps to the next poll in one.
        return sum(clock.delays[:2]) if callbacks and method != "wait_many" else clock.delays[0]

    async with FakeTavus(clock=clock, callback_interval=3600) as fake, fake.client() as tavus:
        assert getattr(tavus, kind).default_policy == default
        with_callbacks = await first_pause(tavus, fake, callbacks=receiver)
        without = await first_pause(tavus, fake)
    assert fallback.initial - fallback.jitter <= with_callbacks <= fallback.initial
    assert default.initial - default.jitter <= without <= default.initial


@pytest.mark.parametrize("method", ["wait", "watch", "wait_many"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bad", ["nope", 42, object()], ids=["str", "int", "object"])
async def test_callbacks_must_be_a_receiver(
    stuck: FakeTavus, stuck_tavus: TavusClient, method: str, kind: str, bad: object
) -> None:
    """callbacks that is not a CallbackReceiver raises TypeError before any request."""
    resource = getattr(stuck_tavus, kind)
    job_id = "v0123456789" if kind == "videos" else "r0123456789"
    before = len(stuck.requests)
    if method == "wait":
        with pytest.raises(TypeError, match="callbacks"):
            await resource.wait(job_id, callbacks=bad)
    else:  # watch and wait_many refuse it when called, before they are iterated
        with pytest.raises(TypeError, match="callbacks"):
            getattr(resource, method)(job_id if method == "watch" else [job_id], callbacks=bad)
    assert len(stuck.requests) == before


# -- cancelling or leaving a wait ----------------------------------------------------


def new_tasks(before: set[asyncio.Task[Any]]) -> list[asyncio.Task[Any]]:
    """Tasks started since ``before`` and still running, less the servers' connection handlers."""
    current = asyncio.current_task()
    return [
        task
        for task in asyncio.all_tasks() - before
        if task is not current
        and not task.done()
        and getattr(task.get_coro(), "__qualname__", "") != "RequestHandler.start"
    ]


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_cancelling_a_wait_leaves_no_task_and_unsubscribes(
    stuck: FakeTavus,
    stuck_tavus: TavusClient,
    receiver: CallbackReceiver,
    raw: aiohttp.ClientSession,
) -> None:
    """A wait cancelled in its pause ends its sleeper and waker tasks and its subscription."""
    video_id = await create(stuck_tavus, stuck, "videos", receiver.url)
    await stuck_tavus.videos.get(video_id)  # the connection to the fake exists before the snapshot
    await post(raw, receiver.url, json={"video_id": "v-warm-up", "status": "ready"})
    before = asyncio.all_tasks()
    waiting = asyncio.create_task(
        stuck_tavus.videos.wait(video_id, callbacks=receiver, policy=LONG)
    )
    await until(lambda: gets(stuck, "videos", video_id) == 2, "the first poll")
    await until(lambda: len(new_tasks(before)) >= 3, "the wait to pause (itself, sleeper, waker)")
    assert receiver._waiting.keys() == {video_id}

    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await settle()
    assert new_tasks(before) == []
    assert receiver._waiting == {}
    # A callback for the abandoned wait is acknowledged and harms nothing.
    assert await post(raw, receiver.url, json={"video_id": video_id, "status": "ready"}) == 200


async def test_leaving_a_watch_early_unsubscribes(
    stuck: FakeTavus, stuck_tavus: TavusClient, receiver: CallbackReceiver
) -> None:
    """Closing a watch after its first state ends its subscription."""
    video_id = await create(stuck_tavus, stuck, "videos", receiver.url)
    watched = stuck_tavus.videos.watch(video_id, callbacks=receiver, policy=LONG)
    first = await asyncio.wait_for(watched.__anext__(), BOUND)
    assert first.status == VideoStatus.GENERATING
    assert receiver._waiting.keys() == {video_id}
    await watched.aclose()
    assert receiver._waiting == {}


async def test_leaving_wait_many_early_cancels_and_unsubscribes_every_wait(
    stuck: FakeTavus,
    stuck_tavus: TavusClient,
    receiver: CallbackReceiver,
) -> None:
    """Leaving wait_many after the first outcome leaves no waits and no subscriptions behind."""
    ids = [await create(stuck_tavus, stuck, "videos", receiver.url) for _ in range(3)]
    before = asyncio.all_tasks()
    outcomes = stuck_tavus.videos.wait_many(ids, callbacks=receiver, policy=LONG)

    async def first_outcome() -> Any:
        return await outcomes.__anext__()

    nexts = asyncio.create_task(first_outcome())
    await until(lambda: all(gets(stuck, "videos", i) == 1 for i in ids), "every first poll")
    # One video ends: its callback wakes its wait, which confirms and hands the outcome over.
    stuck.jobs.videos[ids[0]].started -= ENDLESS.video_rendering
    first = await asyncio.wait_for(nexts, BOUND)
    assert first.id == ids[0]
    assert first.ok
    assert receiver._waiting.keys() == set(ids[1:])
    await outcomes.aclose()
    await settle()
    assert receiver._waiting == {}
    assert new_tasks(before) == []


async def test_waiters_of_one_receiver_are_woken_only_by_their_own_ids(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession
) -> None:
    """A callback sets the events of every waiter of its id and of no other id."""
    with (
        receiver.subscribe("v1") as first,
        receiver.subscribe("v1") as second,
        receiver.subscribe("v2") as other,
    ):
        assert await post(raw, receiver.url, json={"video_id": "v1", "status": "ready"}) == 200
        assert first.is_set()
        assert second.is_set()
        assert not other.is_set()
    assert receiver._waiting == {}


async def test_a_flood_of_callbacks_costs_at_most_a_get_a_second(
    stuck: FakeTavus,
    stuck_tavus: TavusClient,
    receiver: CallbackReceiver,
    raw: aiohttp.ClientSession,
) -> None:
    """Callbacks posted as fast as possible wake a wait at most about once a second."""
    video = await stuck_tavus.videos.create(
        replica_id=next(iter(stuck.jobs.replicas)), script="Hi", callback_url=receiver.url
    )
    waiting = asyncio.create_task(
        stuck_tavus.videos.wait(
            video.video_id,
            callbacks=receiver,
            policy=PollPolicy(initial=60, maximum=60, timeout=600),
        )
    )
    forged = {"video_id": video.video_id, "status": "ready"}
    try:
        flood_ends = time.monotonic() + 1.5
        while time.monotonic() < flood_ends:
            async with raw.post(receiver.url, json=forged) as answer:
                assert answer.status == 200
    finally:
        waiting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiting

    gets = [r for r in stuck.requests if r.method == "GET" and r.path.endswith(video.video_id)]
    assert receiver.received > 20  # it was a flood
    assert len(gets) <= 3  # the first poll, then at most one a second
