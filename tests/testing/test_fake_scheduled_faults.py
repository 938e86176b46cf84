"""FakeTavus's scheduled, random and rate-limit faults, over real sockets.

What each fault does to a plain request (and to the SDK where it matters), that faults
repeat with their seed, and that none gets past authentication or spoils a refusal. The
hold, cut and file-host faults are in test_fake_faults.py.
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

import aiohttp
import pytest

from tavus_async import APIConnectionError, ResponseValidationError, TavusClient
from tavus_async.testing import FakeTavus, ManualClock

from _support.emulator import MP4
from _support.fake_http import Raw, call, new_video, session, stock_id


async def test_scheduled_fault_serves_exactly_times(raw: Raw, fake: FakeTavus) -> None:
    """A fault for times=2 answers the next two matching requests, then normal service."""
    video_id = await new_video(raw)
    fake.fault(method="GET", path="/v2/videos/*", times=2, status=503, headers={"Retry-After": "0"})
    answers, one = [], f"/v2/videos/{video_id}"
    for path in (one, "/v2/videos", one, one):  # the list's path does not match the glob
        async with raw.get(path) as response:
            answers.append((response.status, response.headers.get("Retry-After")))
    assert answers == [(503, "0"), (200, None), (503, "0"), (200, None)]


@pytest.mark.parametrize(("flag", "jobs"), [("drop", 0), ("drop_after", 1)])
async def test_drop_and_drop_after_lose_the_answer(
    raw: Raw, fake: FakeTavus, tavus: TavusClient, flag: str, jobs: int
) -> None:
    """drop closes the connection before acting, drop_after after the create made its job."""
    replica_id = await stock_id(raw)
    fake.fault(method="POST", path="/v2/videos", **{flag: True})
    with pytest.raises(APIConnectionError) as caught:
        await tavus.videos.create(replica_id=replica_id, script="Hi")
    created = [r.created for r in fake.requests if r.method == "POST"]
    assert (caught.value.request_sent, len(created), len(fake.jobs.videos)) == (True, 1, jobs)
    assert [c for c in created if c] == list(fake.jobs.videos)  # the SDK did not retry


@pytest.mark.parametrize("flag", ["malformed", "truncated"])
async def test_malformed_and_truncated_are_200_but_not_json(
    raw: Raw, fake: FakeTavus, flag: str
) -> None:
    """malformed/truncated answer 200 with a body that does not parse as JSON."""
    fake.fault(method="GET", path="/v2/replicas", times=2, **{flag: True})
    async with raw.get("/v2/replicas") as response:
        status, text = response.status, await response.text()
    async with fake.client(max_retries=0) as tavus:
        with pytest.raises(ResponseValidationError):
            await tavus.replicas.list()
    assert status == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)


async def test_delay_delays_the_answer(raw: Raw, fake: FakeTavus) -> None:
    """delay=0.05 holds the answer back at least that long, then answers normally."""
    fake.fault(method="GET", path="/v2/replicas", delay=0.05)
    started = time.perf_counter()
    status, _ = await call(raw, "GET", "/v2/replicas")
    assert (status, time.perf_counter() - started >= 0.05) == (200, True)


async def random_outcomes(seed: int) -> tuple[list[object], int]:
    """The outcomes of 50 raw GETs under 30 % random faults, and how many faults were served."""
    outcomes: list[object] = []
    async with FakeTavus(seed=99) as fake, session(fake) as raw:
        fake.random_faults(0.3, seed=seed)
        for _ in range(50):
            try:
                outcomes.append(await call(raw, "GET", "/v2/replicas/rnope"))
            except aiohttp.ClientError as exc:
                outcomes.append(type(exc).__name__)
        return outcomes, fake.faults.served


async def test_random_faults_repeat_with_the_seed() -> None:
    """The same seed serves the same outcomes, another seed others, at about the rate asked."""
    first, served = await random_outcomes(seed=7)
    second, _ = await random_outcomes(seed=7)
    other, _ = await random_outcomes(seed=8)
    faulty = sum(o != (404, {"error": "Replica not found"}) for o in first)
    assert (first == second, other == first) == (True, False)
    assert 5 <= faulty <= served <= 30  # ~15 of 50; aiohttp resends a dropped GET once


async def test_rate_limit_answers_429_past_per_second(
    raw: Raw, fake: FakeTavus, clock: ManualClock
) -> None:
    """With 2 per second, the third request in a second gets 429 + Retry-After; later ones pass."""
    fake.rate_limit(per_second=2)
    answers = []
    for _ in range(3):
        async with raw.get("/v2/replicas") as response:
            answers.append((response.status, float(response.headers.get("Retry-After", "0"))))
    clock.advance(1)
    after, _ = await call(raw, "GET", "/v2/replicas")
    assert ([s for s, _ in answers], answers[2][1] >= 1, after) == ([200, 200, 429], True, 200)


@pytest.mark.parametrize(
    "fault", [{"delay": 0.01}, {"malformed": True}, {"drop_after": True}], ids=str
)
async def test_faults_do_not_bypass_authentication(fake: FakeTavus, fault: dict[str, Any]) -> None:
    """A create with a wrong key makes no job, even when a fault is scheduled for it."""
    fake.fault(method="POST", path="/v2/replicas", **fault)
    async with session(fake, **{"x-api-key": "wrong"}) as anonymous:
        with contextlib.suppress(aiohttp.ClientError):
            await call(anonymous, "POST", "/v2/replicas", json={"train_video_url": MP4})
    assert len(fake.jobs.replicas) == 3  # the stock replicas only


@pytest.mark.parametrize("spoil", [{"malformed": True}, {"truncated": True}])
async def test_spoiling_faults_leave_refusals_alone(
    fake: FakeTavus, raw: Raw, spoil: dict[str, bool]
) -> None:
    """A malformed or truncated fault spoils successes only: a 404 stays a readable 404."""
    fake.fault(method="GET", path="/v2/videos/*", **spoil)

    status, body = await call(raw, "GET", "/v2/videos/vmissing")
    assert (status, body) == (404, {"error": "Video not found"})
