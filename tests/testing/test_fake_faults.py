"""FakeTavus's hold, cut and file-host faults, over real sockets.

A held request never answers, so the only wall-clock waiting here is a client's own
short timeout giving up on one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tavus_async import APIConnectionError, APITimeoutError, TavusClient, Video
from tavus_async.testing import FakeTavus, Fault

from _support.clocks import FakeClock
from _support.emulator import EMULATOR_TIMING

RENDERED = EMULATOR_TIMING.video_queue + EMULATOR_TIMING.video_rendering
TIMEOUT = 0.2  # real seconds: the timeout of a client that a held request leaves waiting


async def stock_id(tavus: TavusClient) -> str:
    return (await tavus.replicas.list(replica_type="system", limit=1)).data[0].replica_id


async def ready_video(tavus: TavusClient, clock: FakeClock) -> Video:
    """A new video, rendered to ready on the fake's clock."""
    video = await tavus.videos.create(replica_id=await stock_id(tavus), script="Hi")
    clock.advance(RENDERED)
    return await tavus.videos.get(video.video_id)


async def ready_file_url(tavus: TavusClient, clock: FakeClock) -> str:
    """The download_url of a new video, rendered to ready on the fake's clock."""
    url = (await ready_video(tavus, clock)).download_url
    assert url is not None
    return url


async def read_until_cut(response: aiohttp.ClientResponse) -> bytes:
    """The bytes that came before the connection closed short of Content-Length."""
    received = bytearray()
    try:
        async for chunk in response.content.iter_any():
            received += chunk
    except aiohttp.ClientPayloadError:
        return bytes(received)
    raise AssertionError(f"the whole body came: {len(received)} bytes")


@pytest.fixture
async def plain() -> AsyncIterator[aiohttp.ClientSession]:
    """A session with no key and no retries of its own: what the file host sees of a client."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.mark.parametrize("call", ["create", "rename"])
async def test_a_held_request_times_out_the_client_and_is_never_acted_on(
    fake: FakeTavus, tavus: TavusClient, call: str
) -> None:
    """A held create or rename raises APITimeoutError; after the client left, nothing changed."""
    replica_id = await stock_id(tavus)
    video = await tavus.videos.create(replica_id=replica_id, script="Hi", video_name="Before")
    method = "POST" if call == "create" else "PATCH"
    fake.fault(method=method, path="/v2/videos*", hang=True)

    async with fake.client(timeout=TIMEOUT, max_retries=0) as impatient:
        held = (
            impatient.videos.create(replica_id=replica_id, script="Again")
            if call == "create"
            else impatient.videos.rename(video.video_id, "After")
        )
        with pytest.raises(APITimeoutError) as raised:
            await held
    await asyncio.wait_for(fake.until_held(0), 5)  # the fake saw the client hang up

    assert raised.value.request_sent
    assert (fake.requests[-1].method, fake.requests[-1].created) == (method, None)
    assert list(fake.jobs.videos) == [video.video_id]
    assert fake.jobs.videos[video.video_id].video_name == "Before"
    assert fake.held == 0


async def test_a_held_read_is_retried_after_the_timeout(fake: FakeTavus) -> None:
    """A GET held once times out, and the client's retry gets the answer."""
    fake.fault(method="GET", path="/v2/replicas", hang=True)

    async with fake.client(timeout=TIMEOUT, max_retries=1) as tavus:
        page = await tavus.replicas.list()

    assert page.total_count == 3
    assert [r.path for r in fake.requests] == ["/v2/replicas"] * 2


@pytest.mark.parametrize("host", ["api", "files"])
async def test_closing_the_fake_lets_held_requests_go_at_once(
    clock: FakeClock, host: str, tmp_path: Any
) -> None:
    """close() with a held request returns promptly; the client gets an APIConnectionError."""
    async with (
        FakeTavus(clock=clock, timing=EMULATOR_TIMING) as fake,
        fake.client(max_retries=0) as tavus,
    ):
        video = await ready_video(tavus, clock)
        fake.fault(path="/files/*" if host == "files" else "/v2/*", hang=True)
        held = asyncio.create_task(
            tavus.videos.download(video, tmp_path) if host == "files" else tavus.replicas.list()
        )
        await asyncio.wait_for(fake.until_held(1), 5)

        started = time.perf_counter()
        await asyncio.wait_for(fake.close(), 5)  # a regression fails here, not forever
        took = time.perf_counter() - started

        with pytest.raises(APIConnectionError):
            await held
    assert took < 1.0  # a held request must not wait out a timeout (the client's is 30 s)
    assert fake.held == 0
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_cut_after_bytes_sends_the_whole_length_then_closes(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock, plain: aiohttp.ClientSession
) -> None:
    """cut_after_bytes=N: headers name the whole length, N bytes come, then the line closes."""
    url = await ready_file_url(tavus, clock)
    async with plain.get(url) as response:
        whole = await response.read()
    fake.fault(path="/files/*", cut_after_bytes=1000)

    async with plain.get(url) as response:
        received = await read_until_cut(response)

    assert (response.status, response.content_length) == (200, len(whole))
    assert received == whole[:1000]


async def test_truncated_on_the_file_host_cuts_at_half(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock, plain: aiohttp.ClientSession
) -> None:
    """truncated on a file keeps the whole Content-Length and stops at half the body."""
    url = await ready_file_url(tavus, clock)
    fake.fault(path="/files/*", truncated=True)

    async with plain.get(url) as response:
        received = await read_until_cut(response)

    assert response.content_length is not None
    assert len(received) == response.content_length // 2


async def test_malformed_on_the_file_host_is_html_labelled_as_the_file(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock, plain: aiohttp.ClientSession
) -> None:
    """malformed on a file answers 200 with an HTML page that claims to be video/mp4."""
    url = await ready_file_url(tavus, clock)
    fake.fault(path="/files/*", malformed=True)

    async with plain.get(url) as response:
        body = await response.read()

    assert (response.status, response.content_type) == (200, "video/mp4")
    assert body.startswith(b"<html")


async def test_cut_api_answers_act_and_a_read_is_retried(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """On the API, a cut create made its job and is not retried; a cut read is retried."""
    fake.fault(method="POST", path="/v2/videos", cut_after_bytes=10)
    fake.fault(method="GET", path="/v2/replicas", cut_after_bytes=10)
    replica_id = await stock_id(tavus)  # the cut list, then its retry

    with pytest.raises(APIConnectionError) as raised:
        await tavus.videos.create(replica_id=replica_id, script="Hi")

    assert raised.value.request_sent
    assert [r.created for r in fake.requests if r.method == "POST"] == list(fake.jobs.videos)
    assert len(fake.jobs.videos) == 1
    assert [r.path for r in fake.requests if r.method == "GET"] == ["/v2/replicas"] * 2


async def test_api_faults_leave_the_file_host_alone(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock, plain: aiohttp.ClientSession
) -> None:
    """The default path, /v2/*, and the rate limit never touch the file host."""
    url = await ready_file_url(tavus, clock)
    fake.fault(status=503)
    fake.rate_limit(per_second=1)

    statuses = []
    for _ in range(3):
        async with plain.get(url) as response:
            await response.read()
            statuses.append(response.status)

    assert statuses == [200, 200, 200]
    assert fake.faults.scheduled[0].remaining == 1  # still waiting for an API request


@pytest.mark.parametrize("files", [False, True])
async def test_random_faults_reach_the_file_host_only_when_asked(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock, plain: aiohttp.ClientSession, files: bool
) -> None:
    """random_faults(files=True) faults file requests too, never with a malformed 200."""
    url = await ready_file_url(tavus, clock)
    async with plain.get(url) as response:
        whole = await response.read()
    fake.random_faults(0.5, seed=3, kinds=("503", "malformed", "truncated"), files=files)

    outcomes = []
    for _ in range(20):
        try:
            async with plain.get(url) as response:
                body = await response.read()
                outcomes.append("whole" if body == whole else f"{response.status} other")
        except aiohttp.ClientPayloadError:
            outcomes.append("cut")

    assert set(outcomes) == ({"whole", "503 other", "cut"} if files else {"whole"})


@pytest.mark.parametrize("bad", [-1, True, 1.5, "10"])
def test_cut_after_bytes_must_be_a_whole_number(bad: Any) -> None:
    """A negative or non-integer cut_after_bytes is refused when the fault is made."""
    with pytest.raises(ValueError, match="cut_after_bytes"):
        Fault(cut_after_bytes=bad)
