"""Waiting for jobs: wait / watch through the resources, pauses, failures and the deadline."""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Any

import aiohttp
import pytest
from aioresponses import CallbackResult

from tavus_async import (
    APIError,
    AuthenticationError,
    BadRequestError,
    JobFailedError,
    NotFoundError,
    PermissionDeniedError,
    PollPolicy,
    Replica,
    ReplicaTrainingError,
    TavusClient,
    Video,
    VideoGenerationError,
    WaitTimeoutError,
)
from tavus_async.waiting import jobs as _job_kinds

from _support.clocks import FakeClock
from _support.http import API_KEY, BASE, connector_error, sent, total_requests

VIDEO_URL = f"{BASE}/v2/videos/v1"
REPLICA_URL = f"{BASE}/v2/replicas/r1"
FAST = PollPolicy(initial=10, maximum=40, multiplier=2, jitter=0, timeout=1000)
SHORT = PollPolicy(initial=10, maximum=40, multiplier=2, jitter=0, timeout=100)


def video(status: str, progress: str | None = None, **fields: Any) -> dict[str, Any]:
    """A video object as GET /v2/videos/v1 returns it."""
    body = {"video_id": "v1", "status": status, **fields}
    return body if progress is None else {**body, "generation_progress": progress}


def replica(status: str, progress: str | None = None, **fields: Any) -> dict[str, Any]:
    """A replica object as GET /v2/replicas/r1 returns it."""
    body = {"replica_id": "r1", "status": status, **fields}
    return body if progress is None else {**body, "training_progress": progress}


# resource -> (url, object maker, id, a pending word, a done word)
KINDS: dict[str, tuple[str, Any, str, str, str]] = {
    "videos": (VIDEO_URL, video, "v1", "queued", "ready"),
    "replicas": (REPLICA_URL, replica, "r1", "training", "completed"),
}


def serve(http: Any, url: str, payloads: list[dict[str, Any]]) -> None:
    """Answer successive GETs of ``url`` with ``payloads``, one each, in order."""
    for payload in payloads:
        http.get(url, payload=payload)


def gets(http: Any, url: str = VIDEO_URL) -> int:
    return len(sent(http, "GET", url))


def states(jobs: list[Any]) -> list[tuple[str, str | None]]:
    return [
        (str(j.status), j.generation_progress if isinstance(j, Video) else j.training_progress)
        for j in jobs
    ]


async def run(jobs: Any, method: str, *args: Any, **kwargs: Any) -> None:
    """Await ``jobs.wait(...)``, or iterate ``jobs.watch(...)`` to its end."""
    if method == "watch":
        async for _ in jobs.watch(*args, **kwargs):
            pass
    else:
        await jobs.wait(*args, **kwargs)


@pytest.mark.parametrize(
    ("resource", "done"), [("videos", "ready"), ("replicas", "completed"), ("replicas", "ready")]
)
async def test_wait_returns_the_finished_job(
    timed_client: TavusClient, http: Any, resource: str, done: str
) -> None:
    """wait polls through pending states and returns the finished job, one GET per state."""
    url, make, ident, pending, _ = KINDS[resource]
    serve(http, url, [make(pending), make(pending, "10/100"), make(pending, "60/100"), make(done)])

    result = await getattr(timed_client, resource).wait(ident, policy=FAST)

    assert isinstance(result, Video if resource == "videos" else Replica)
    assert (str(result.status), result.progress) == (done, None)
    assert getattr(result, resource[:-1] + "_id") == ident
    assert gets(http, url) == 4


@pytest.mark.parametrize(("jitter", "polls"), [(0, 7), (5, 13)])
async def test_pauses_follow_the_policy(
    timed_client: TavusClient, http: Any, clock: FakeClock, jitter: float, polls: int
) -> None:
    """Pauses are initial, doubled each poll, capped at maximum, each less at most `jitter`."""
    policy = PollPolicy(initial=10, maximum=40, multiplier=2, jitter=jitter, timeout=10_000)
    serve(http, VIDEO_URL, [video("queued")] * (polls - 1) + [video("ready")])

    await timed_client.videos.wait("v1", policy=policy)

    bases = [10, 20] + [40] * (polls - 3)
    if jitter == 0:
        assert clock.delays == bases
    assert len(clock.delays) == len(bases)
    assert all(b - jitter <= d <= b for d, b in zip(clock.delays, bases, strict=True))


@pytest.mark.parametrize(
    ("resource", "expect"),
    [("videos", ((3, 5), (58, 60), 2)), ("replicas", ((30, 60), (270, 300), 8))],
)
async def test_default_policies_fit_their_jobs(
    timed_client: TavusClient, http: Any, clock: FakeClock, resource: str, expect: Any
) -> None:
    """Default pauses and deadlines are those waiters.py documents for each kind of job."""
    (first, longest, hours), (url, make, ident, pending, done) = expect, KINDS[resource]
    serve(http, url, [make(pending), make(done)])
    jobs = getattr(timed_client, resource)

    await jobs.wait(ident)

    (pause,) = clock.delays
    assert first[0] <= pause <= first[1]
    assert jobs.default_policy.timeout == hours * 3600
    assert all(longest[0] <= jobs.default_policy.delay(n) <= longest[1] for n in range(30, 60))


@pytest.mark.parametrize("is_async", [False, True], ids=["function", "coroutine"])
async def test_on_update_called_once_per_change(
    timed_client: TavusClient, http: Any, is_async: bool
) -> None:
    """on_update sees each change of status or progress once, the first and last state included."""
    served = [video("queued"), video("queued"), video("generating", "10/100")]
    served += [video("generating", "10/100"), video("generating", "50/100"), video("ready")]
    serve(http, VIDEO_URL, served)
    seen: list[Video] = []

    async def record_async(job: Video) -> None:
        await asyncio.sleep(0)
        seen.append(job)

    on_update = record_async if is_async else seen.append
    await timed_client.videos.wait("v1", policy=FAST, on_update=on_update)

    expected = [("queued", None), ("generating", "10/100"), ("generating", "50/100")]
    assert states(seen) == [*expected, ("ready", None)]
    assert gets(http) == 6


@pytest.mark.parametrize(
    ("resource", "done"), [("videos", "ready"), ("replicas", "completed"), ("videos", "error")]
)
async def test_watch_yields_each_change_once_then_stops(
    timed_client: TavusClient, http: Any, resource: str, done: str
) -> None:
    """watch skips repeated states, yields the terminal one (a failure too, unraised), then ends."""
    url, make, ident, pending, _ = KINDS[resource]
    served = [make(pending), make(pending), make(pending, "5/100"), make(pending, "5/100")]
    serve(http, url, [*served, make(pending, "90/100"), make(done)])
    http.get(url, payload=make(done), repeat=True)  # would be seen if watch polled past the end

    updates = [job async for job in getattr(timed_client, resource).watch(ident, policy=FAST)]

    expected = [(pending, None), (pending, "5/100"), (pending, "90/100"), (done, None)]
    assert states(updates) == expected
    assert gets(http, url) == 6


@pytest.mark.parametrize(
    ("resource", "last", "error", "model"),
    [
        ("videos", video("error", status_details="Audio unreadable"), VideoGenerationError, Video),
        ("videos", video("deleted", status_details="Deleted by user"), VideoGenerationError, Video),
        ("replicas", replica("error", error_message="Too short"), ReplicaTrainingError, Replica),
    ],
    ids=["video-error", "video-deleted", "replica-error"],
)
async def test_failed_job_raises_its_job_failed_error(
    timed_client: TavusClient, http: Any, resource: str, last: Any, error: Any, model: Any
) -> None:
    """A failed job raises its JobFailedError subclass with .job and Tavus's reason in the text."""
    url, make, ident, pending, _ = KINDS[resource]
    serve(http, url, [make(pending, "30/100"), last])

    with pytest.raises(error) as caught:
        await getattr(timed_client, resource).wait(ident, policy=FAST)

    assert isinstance(caught.value, JobFailedError)
    assert isinstance(caught.value.job, model)
    assert str(caught.value.job.status) == last["status"]
    assert (last.get("status_details") or last.get("error_message")) in str(caught.value)
    assert gets(http, url) == 2


@pytest.mark.parametrize(
    ("method", "timeout", "delays"),
    [("wait", 100, [10, 20, 40, 30]), ("wait", 5, [5]), ("watch", 100, [10, 20, 40, 30])],
)
async def test_a_job_that_never_ends_times_out_at_the_deadline(
    timed_client: TavusClient, http: Any, clock: FakeClock, method: str, timeout: float, delays: Any
) -> None:
    """wait and watch raise WaitTimeoutError exactly at the deadline, with the last video seen."""
    policy = PollPolicy(initial=10, maximum=40, multiplier=2, jitter=0, timeout=timeout)
    serve(http, VIDEO_URL, [video("generating", f"{n}/100") for n in range(len(delays))])
    http.get(VIDEO_URL, payload=video("generating", "last"), repeat=True)

    with pytest.raises(WaitTimeoutError) as caught:
        await run(timed_client.videos, method, "v1", policy=policy)

    assert clock.delays == delays  # the last pause is cut short to end at the deadline
    assert caught.value.elapsed == timeout
    assert isinstance(caught.value.last, Video)
    assert caught.value.last.generation_progress == "last"
    assert gets(http) == len(delays) + 1  # timeout 100: polls at t = 0, 10, 30, 70, 100


async def test_deadline_is_overshot_by_at_most_one_request(
    timed_client: TavusClient, http: Any, clock: FakeClock
) -> None:
    """When each poll takes 15 s, the wait ends at the first poll that ends past the deadline."""

    def slow(*_: Any, **__: Any) -> CallbackResult:
        clock.now += 15
        return CallbackResult(payload=video("generating"))

    http.get(VIDEO_URL, callback=slow, repeat=True)

    with pytest.raises(WaitTimeoutError) as caught:
        await timed_client.videos.wait("v1", policy=SHORT)

    assert clock.delays == [10, 20, 25]  # polls end at 15, 40, 75, 115
    assert caught.value.elapsed == 115


async def test_unknown_status_keeps_waiting_and_is_logged_once(
    timed_client: TavusClient, http: Any, caplog: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unknown status word keeps the wait going and logs one warning however often seen."""
    monkeypatch.setattr(_job_kinds, "_unknown_logged", set())
    served = [video("queued"), video("finetuning"), video("finetuning", "20/100")]
    serve(http, VIDEO_URL, [*served, video("finetuning", "20/100"), video("ready")])

    with caplog.at_level(logging.WARNING, logger="tavus_async"):
        result = await timed_client.videos.wait("v1", policy=FAST)

    assert str(result.status) == "ready"
    assert gets(http) == 5
    warned = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "tavus_async"]
    assert len(warned) == 1
    assert "finetuning" in warned[0].getMessage()


TRANSIENT = {
    "503": {"status": 503, "payload": {"message": "Service Unavailable"}},
    "429": {"status": 429, "payload": {"message": "Too many requests"}},
    "500-html": {"status": 500, "body": "<html>Oops</html>", "content_type": "text/html"},
    "disconnect": {"exception": aiohttp.ServerDisconnectedError()},
    "connector": {"exception": connector_error()},
    "timeout": {"exception": asyncio.TimeoutError()},
    "bad-json": {"status": 200, "body": "not json"},
    "wrong-shape": {"status": 200, "payload": ["not", "a", "video"]},
}


@pytest.mark.parametrize(
    "faults",
    [*([fault, fault] for fault in TRANSIENT.values()), list(TRANSIENT.values())],
    ids=[*(f"{name}-twice" for name in TRANSIENT), "all-in-a-row"],
)
async def test_transient_trouble_does_not_end_the_wait(
    timed_client: TavusClient, http: Any, clock: FakeClock, faults: list[dict[str, Any]]
) -> None:
    """Transient faults while polling are outlived: the wait goes on and returns the ready video."""
    http.get(VIDEO_URL, payload=video("queued"))
    sends = 0
    for fault in faults:
        # A connection closed before any answer is sent again at once: the poll fails
        # only when both sends do.
        for _ in range(2 if fault is TRANSIENT["disconnect"] else 1):
            http.get(VIDEO_URL, **fault)
            sends += 1
    http.get(VIDEO_URL, payload=video("ready"))

    result = await timed_client.videos.wait("v1", policy=FAST)

    assert str(result.status) == "ready"
    assert gets(http) == sends + 2
    assert clock.delays == [min(10 * 2**n, 40) for n in range(len(faults) + 1)]


async def test_only_server_errors_end_at_the_deadline(
    timed_client: TavusClient, http: Any, clock: FakeClock
) -> None:
    """A job answering only 503 ends with WaitTimeoutError at the deadline, not ServerError."""
    http.get(VIDEO_URL, status=503, payload={"message": "down"}, repeat=True)

    with pytest.raises(WaitTimeoutError) as caught:
        await timed_client.videos.wait("v1", policy=SHORT)

    assert caught.value.last is None
    assert caught.value.elapsed == 100
    assert (sum(clock.delays), gets(http)) == (100, 5)


@pytest.mark.parametrize(
    ("status", "error"),
    {
        400: BadRequestError,
        401: AuthenticationError,
        403: PermissionDeniedError,
        404: NotFoundError,
    }.items(),
)
async def test_client_errors_end_the_wait_at_once(
    timed_client: TavusClient, http: Any, clock: FakeClock, status: int, error: Any
) -> None:
    """400, 401, 403 and 404 end the wait with their APIError after exactly one request."""
    http.get(VIDEO_URL, status=status, payload={"error": "nope"}, repeat=True)

    with pytest.raises(error) as caught:
        await timed_client.videos.wait("v1", policy=FAST)

    assert caught.value.status == status
    assert (total_requests(http), clock.delays) == (1, [])


@pytest.mark.parametrize("where", ["pause", "request"])
async def test_cancelling_a_wait_stops_it_and_leaves_no_task(http: Any, where: str) -> None:
    """Cancelling a wait, in a pause or a request, ends it at once and leaves no task behind."""
    reached = asyncio.Event()

    async def block(*_: Any, **__: Any) -> None:
        reached.set()
        await asyncio.Event().wait()

    if where == "pause":
        http.get(VIDEO_URL, payload=video("queued"), repeat=True)
    else:
        http.get(VIDEO_URL, callback=block, repeat=True)
    async with TavusClient(API_KEY, sleep=block, max_retries=0) as tavus:
        task = asyncio.create_task(tavus.videos.wait("v1", policy=FAST))
        await reached.wait()

        task.cancel()
        for _ in range(5):
            await asyncio.sleep(0)

        assert task.cancelled()
        assert gets(http) == 1
    assert asyncio.all_tasks() == {asyncio.current_task()}


BAD_ARGUMENTS = {
    "wait-bad-id": ("videos", "wait", "bad/id", {}, ValueError, "video_id"),
    "wait-bad-replica-id": ("replicas", "wait", "../r1", {}, ValueError, "replica_id"),
    "wait-policy": ("videos", "wait", "v1", {"policy": "fast"}, TypeError, "policy"),
    "wait-on_update": ("videos", "wait", "v1", {"on_update": 42}, TypeError, "on_update"),
    "watch-empty-id": ("videos", "watch", "", {}, ValueError, "video_id"),
    "watch-bad-replica-id": ("replicas", "watch", "a b", {}, ValueError, "replica_id"),
    "watch-policy": ("videos", "watch", "v1", {"policy": "fast"}, TypeError, "policy"),
}


async def call_only(method: Any, *args: Any, **kwargs: Any) -> None:
    """Call ``method`` and await what it returns if awaitable; never iterate a watch."""
    result = method(*args, **kwargs)
    if inspect.isawaitable(result):
        await result


@pytest.mark.parametrize("case", list(BAD_ARGUMENTS.values()), ids=list(BAD_ARGUMENTS))
async def test_bad_arguments_fail_before_any_request(
    timed_client: TavusClient, http: Any, case: tuple[Any, ...]
) -> None:
    """wait and watch (at call time) refuse a bad id, policy or on_update, naming it."""
    resource, method, ident, kwargs, error, name = case

    with pytest.raises(error, match=name):
        await call_only(getattr(getattr(timed_client, resource), method), ident, **kwargs)

    assert total_requests(http) == 0


async def test_polls_do_not_stack_http_retries(clock: FakeClock, http: Any) -> None:
    """With the client's default retries, each poll is one request and the deadline holds."""
    http.get(VIDEO_URL, status=503, repeat=True)

    async with TavusClient(API_KEY, sleep=clock.sleep, clock=clock) as tavus:
        with pytest.raises(WaitTimeoutError) as caught:
            await tavus.videos.wait("v1", policy=SHORT)

    assert len(sent(http, "GET", VIDEO_URL)) == 5  # at 0, 10, 30, 70 and 100 s
    assert caught.value.elapsed == 100


async def test_timeout_names_and_chains_the_last_failed_poll(
    timed_client: TavusClient, http: Any
) -> None:
    """A wait that only ever met errors times out with the last error as its cause."""
    http.get(VIDEO_URL, status=503, payload={"error": "upstream down"}, repeat=True)

    with pytest.raises(WaitTimeoutError) as caught:
        await timed_client.videos.wait("v1", policy=SHORT)

    assert "upstream down" in str(caught.value)
    assert isinstance(caught.value.__cause__, APIError)
    assert caught.value.__cause__.status == 503


async def test_retry_after_is_honoured_between_polls(
    timed_client: TavusClient, http: Any, clock: FakeClock
) -> None:
    """A 429 asking for 30 s makes the next poll wait at least 30 s, whatever the policy."""
    http.get(VIDEO_URL, status=429, headers={"Retry-After": "30"})
    serve(http, VIDEO_URL, [video("ready")])

    ready = await timed_client.videos.wait("v1", policy=FAST)

    assert ready.status == "ready"
    assert clock.delays == [30.0]


async def test_retry_after_never_pushes_a_poll_past_the_deadline(
    timed_client: TavusClient, http: Any, clock: FakeClock
) -> None:
    """A Retry-After longer than the time left is cut to the deadline."""
    http.get(VIDEO_URL, status=429, headers={"Retry-After": "500"}, repeat=True)

    with pytest.raises(WaitTimeoutError) as caught:
        await timed_client.videos.wait("v1", policy=SHORT)

    assert clock.delays == [100.0]
    assert caught.value.elapsed == 100


async def test_closing_the_client_ends_its_waits_at_once(http: Any, clock: FakeClock) -> None:
    """A wait whose client is closed raises RuntimeError at its next poll, not at its deadline."""
    serve(http, VIDEO_URL, [video("generating", "10/100")])
    http.get(VIDEO_URL, payload=video("generating", "20/100"), repeat=True)
    tavus = TavusClient(API_KEY, sleep=clock.sleep, clock=clock)

    async def close_client(_: Video) -> None:
        await tavus.close()

    with pytest.raises(RuntimeError, match="closed"):
        await tavus.videos.wait("v1", policy=FAST, on_update=close_client)

    assert len(sent(http, "GET", VIDEO_URL)) == 1
    assert clock.delays == [10.0]
