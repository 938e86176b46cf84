"""wait_many: one outcome per id, in completion order, bounded concurrency, early exit."""

from __future__ import annotations

import asyncio
from typing import Any

import attrs
import pytest
from aioresponses import CallbackResult
from yarl import URL

from tavus_async import (
    NotFoundError,
    PollPolicy,
    TavusClient,
    Video,
    VideoGenerationError,
    VideoStatus,
    WaitTimeoutError,
)
from tavus_async.waiting import fleet
from tavus_async.waiting.jobs import JobKind, JobState

from _support.clocks import FakeClock
from _support.http import API_KEY, BASE, total_requests
from _support.waits import POLICY, collect


def video_url(video_id: str) -> str:
    return f"{BASE}/v2/videos/{video_id}"


def video(video_id: str, status: str, **fields: Any) -> dict[str, Any]:
    return {"video_id": video_id, "status": status, **fields}


def polled_ids(http: Any, collection: str = "videos") -> list[str]:
    """The ids GET was called for, one entry per distinct id."""
    prefix = f"/v2/{collection}/"
    return [
        url.path.removeprefix(prefix)
        for (method, url), calls in http.requests.items()
        if method == "GET" and url.path.startswith(prefix) and calls
    ]


async def test_every_kind_of_ending_gives_one_outcome(timed_client: TavusClient, http: Any) -> None:
    """Ready, failed, missing and never-ending videos each give one outcome of the right shape."""
    http.get(video_url("vready"), payload=video("vready", "ready", download_url="https://c/x.mp4"))
    http.get(
        video_url("vfailed"),
        payload=video("vfailed", "error", status_details="Script too long"),
    )
    http.get(video_url("vmissing"), status=404, payload={"error": "Video not found"})
    http.get(video_url("vforever"), payload=video("vforever", "generating"), repeat=True)
    ids = ["vready", "vfailed", "vmissing", "vforever"]

    outcomes = await collect(timed_client.videos.wait_many(ids, policy=POLICY))

    assert sorted(o.id for o in outcomes) == sorted(ids)
    by_id = {o.id: o for o in outcomes}
    ready = by_id["vready"]
    assert ready.ok
    assert ready.error is None
    assert isinstance(ready.result, Video)
    assert ready.result.status == VideoStatus.READY
    failed = by_id["vfailed"]
    assert not failed.ok
    assert isinstance(failed.result, Video)
    assert failed.result.status == VideoStatus.ERROR
    assert isinstance(failed.error, VideoGenerationError)
    assert "Script too long" in str(failed.error)
    missing = by_id["vmissing"]
    assert not missing.ok
    assert missing.result is None
    assert isinstance(missing.error, NotFoundError)
    forever = by_id["vforever"]
    assert not forever.ok
    assert forever.result is None
    assert isinstance(forever.error, WaitTimeoutError)
    assert forever.error.last == Video.from_dict(video("vforever", "generating"))


async def test_outcomes_come_in_completion_order(timed_client: TavusClient, http: Any) -> None:
    """A video ready at the first poll comes out before one needing four, though listed later."""
    for _ in range(3):
        http.get(video_url("vslow"), payload=video("vslow", "generating"))
    http.get(video_url("vslow"), payload=video("vslow", "ready"))
    http.get(video_url("vquick"), payload=video("vquick", "ready"))

    outcomes = await collect(timed_client.videos.wait_many(["vslow", "vquick"], policy=POLICY))

    assert [o.id for o in outcomes] == ["vquick", "vslow"]
    assert all(o.ok for o in outcomes)


async def test_at_most_concurrency_waits_are_in_flight(http: Any, clock: FakeClock) -> None:
    """With concurrency=3, only three videos are polled until a wait ends; then all ten end."""
    gate = asyncio.Event()

    async def ready_once_opened(url: URL, **_: Any) -> CallbackResult:
        await gate.wait()  # every second poll hangs until the test has looked
        return CallbackResult(payload=video(url.path.rsplit("/", 1)[-1], "ready"))

    ids = [f"v{i}" for i in range(10)]
    for video_id in ids:
        http.get(video_url(video_id), payload=video(video_id, "generating"))
        http.get(video_url(video_id), callback=ready_once_opened)
    policy = PollPolicy(initial=2, maximum=2, timeout=60)

    async with TavusClient(API_KEY, sleep=clock.sleep, clock=clock, max_retries=0) as tavus:
        consumer = asyncio.ensure_future(
            collect(tavus.videos.wait_many(ids, policy=policy, concurrency=3))
        )
        for _ in range(50):
            await asyncio.sleep(0)
        in_flight = polled_ids(http)
        gate.set()
        outcomes = await consumer

    assert sorted(in_flight) == ["v0", "v1", "v2"]
    assert sorted(o.id for o in outcomes) == sorted(ids)
    assert all(o.ok for o in outcomes)


async def test_leaving_early_cancels_the_waits_still_running(
    timed_client: TavusClient, http: Any, clock: FakeClock
) -> None:
    """Breaking out after the first outcome and closing leaves no task and makes no request."""
    http.get(video_url("vdone"), payload=video("vdone", "ready"))
    for video_id in ("vlong1", "vlong2"):
        http.get(video_url(video_id), payload=video(video_id, "generating"), repeat=True)
    policy = PollPolicy(initial=1, maximum=1, timeout=10_000)
    outcomes = timed_client.videos.wait_many(["vlong1", "vdone", "vlong2"], policy=policy)

    seen = []
    async for outcome in outcomes:
        seen.append(outcome)
        break
    await outcomes.aclose()
    requests_at_close = total_requests(http)
    for _ in range(20):
        await asyncio.sleep(0)

    assert [o.id for o in seen] == ["vdone"]
    assert asyncio.all_tasks() == {asyncio.current_task()}
    assert total_requests(http) == requests_at_close
    assert clock() < 100  # cancelled, not left to poll on to their deadline


async def test_bare_string_ids_are_refused(timed_client: TavusClient, http: Any) -> None:
    """A bare string for ids is a TypeError, before any request."""
    with pytest.raises(TypeError, match="ids"):
        timed_client.videos.wait_many("v1")

    assert total_requests(http) == 0


async def test_unsafe_id_is_refused_naming_its_position(
    timed_client: TavusClient, http: Any
) -> None:
    """An unsafe id is a ValueError naming ids[1], before any request, even for the good ids."""
    with pytest.raises(ValueError, match=r"ids\[1\]"):
        timed_client.videos.wait_many(["ok", "bad/id"])

    assert total_requests(http) == 0


async def test_zero_concurrency_is_refused(timed_client: TavusClient, http: Any) -> None:
    """concurrency=0 is a ValueError naming concurrency, before any request."""
    with pytest.raises(ValueError, match="concurrency"):
        timed_client.videos.wait_many(["v1"], concurrency=0)

    assert total_requests(http) == 0


async def test_policy_of_wrong_type_is_refused(timed_client: TavusClient, http: Any) -> None:
    """A policy that is not a PollPolicy is a TypeError naming policy, before any request."""
    with pytest.raises(TypeError, match="policy"):
        timed_client.replicas.wait_many(["r1"], policy="x")  # type: ignore[arg-type]

    assert total_requests(http) == 0


async def test_empty_ids_yield_nothing(timed_client: TavusClient, http: Any) -> None:
    """No ids: the iterator ends at once, without a request."""
    outcomes = await collect(timed_client.videos.wait_many([], policy=POLICY))

    assert outcomes == []
    assert total_requests(http) == 0


async def test_duplicate_ids_give_one_outcome_each(timed_client: TavusClient, http: Any) -> None:
    """An id listed twice is waited for twice and gives two outcomes."""
    http.get(video_url("v1"), payload=video("v1", "ready"), repeat=True)

    outcomes = await collect(timed_client.videos.wait_many(["v1", "v1"], policy=POLICY))

    assert [o.id for o in outcomes] == ["v1", "v1"]
    assert all(o.ok for o in outcomes)
    assert len(http.requests[("GET", URL(video_url("v1")))]) == 2


@attrs.frozen
class Job:
    id: str
    status: str = "done"


JOB = JobKind(
    name="job",
    id_field="id",
    progress_field="status",
    states={"done": JobState.DONE},
    failure=None,
    reason_fields=(),
    default_policy=POLICY,
    fallback_policy=POLICY,
)


def many(fetch: Any, ids: list[str], clock: FakeClock, concurrency: int) -> Any:
    """fleet.wait_many on the simple job kind above, with the fake clock."""
    return fleet.wait_many(
        fetch, ids, kind=JOB, policy=POLICY, clock=clock, sleep=clock.sleep, concurrency=concurrency
    )


async def test_an_unexpected_error_loses_no_other_outcome(clock: FakeClock) -> None:
    """A poll that raises something other than a TavusError ends that wait alone; none is lost."""

    async def fetch(job_id: str) -> Job:
        await asyncio.sleep(0)
        if job_id == "v13":
            raise RuntimeError("this TavusClient is closed")
        return Job(job_id)

    ids = [f"v{i}" for i in range(40)]

    outcomes = await collect(many(fetch, ids, clock, concurrency=7))

    assert sorted(o.id for o in outcomes) == sorted(ids)
    (broken,) = [o for o in outcomes if not o.ok]
    assert broken.id == "v13"
    assert isinstance(broken.error, RuntimeError)


async def test_a_slow_consumer_never_holds_a_slot(clock: FakeClock) -> None:
    """While the consumer holds the first outcome, the next waits start and end regardless."""
    started: list[str] = []

    async def fetch(job_id: str) -> Job:
        started.append(job_id)
        await asyncio.sleep(0)
        return Job(job_id)

    outcomes = many(fetch, ["a", "b", "c"], clock, concurrency=1)
    first = await outcomes.__anext__()
    for _ in range(20):  # the consumer is busy with ``first``; the schedule is not
        await asyncio.sleep(0)

    assert first.id == "a"
    assert started == ["a", "b", "c"]
    assert [o.id async for o in outcomes] == ["b", "c"]


async def test_first_polls_of_many_waits_are_spread(http: Any) -> None:
    """Polling alone, each wait's first poll falls at random within the longest pause (<= 5 s)."""
    clock = FakeClock()
    policy = PollPolicy(initial=4, maximum=4, timeout=100)
    ids = [f"v{n}" for n in range(30)]
    for video_id in ids:
        http.get(video_url(video_id), payload=video(video_id, "ready"))

    async with TavusClient(API_KEY, sleep=clock.sleep, clock=clock, max_retries=0) as tavus:
        outcomes = await collect(tavus.videos.wait_many(ids, policy=policy, concurrency=30))

    assert all(o.ok for o in outcomes)
    assert len(clock.delays) == 30  # one spreading pause per wait, then each was ready
    assert all(0 <= d <= 4 for d in clock.delays)
    assert len({round(d, 3) for d in clock.delays}) > 20  # not all at the same instant


async def test_a_single_wait_is_not_delayed(http: Any) -> None:
    """wait_many of one id polls it at once, as wait does."""
    clock = FakeClock()
    http.get(video_url("v1"), payload=video("v1", "ready"))

    async with TavusClient(API_KEY, sleep=clock.sleep, clock=clock, max_retries=0) as tavus:
        outcomes = await collect(tavus.videos.wait_many(["v1"], policy=POLICY))

    assert [o.ok for o in outcomes] == [True]
    assert clock.delays == []
