"""Retries on FakeTavus over real sockets: reads retried, creates billed once, Retry-After kept."""

from __future__ import annotations

import logging

import pytest

from tavus_async import (
    APIConnectionError,
    NotFoundError,
    ServerError,
    TavusClient,
)
from tavus_async.testing import FakeTavus, ManualClock, RecordedRequest

from _support.emulator import MP4, stock_replica


def sent(fake: FakeTavus, method: str, path: str = "/v2/") -> list[RecordedRequest]:
    """The requests of ``method`` whose path starts with ``path``."""
    return [r for r in fake.requests if r.method == method and r.path.startswith(path)]


async def test_get_retries_past_two_503s(fake: FakeTavus, tavus: TavusClient) -> None:
    """Two 503s on a GET are retried away with the default max_retries: three requests."""
    video = await tavus.videos.create(replica_id=await stock_replica(tavus), script="Hi")
    fake.fault(method="GET", path="/v2/videos/*", times=2, status=503)
    got = await tavus.videos.get(video.video_id)
    assert got.video_id == video.video_id
    assert len(sent(fake, "GET", "/v2/videos/")) == 3


async def test_retry_after_is_honoured_on_the_shared_clock(
    fake: FakeTavus, tavus: TavusClient, clock: ManualClock
) -> None:
    """A 429 with Retry-After: 1 is retried after the client slept at least 1 s of clock."""
    fake.fault(method="GET", path="/v2/replicas", status=429, headers={"Retry-After": "1"})
    before = clock()
    page = await tavus.replicas.list()
    assert page.total_count == 3
    assert clock() - before >= 1
    assert len(sent(fake, "GET")) == 2


async def test_a_create_answered_503_is_not_retried(fake: FakeTavus, tavus: TavusClient) -> None:
    """A POST answered 503 raises ServerError after exactly one request and makes no job."""
    replica_id = await stock_replica(tavus)
    fake.fault(method="POST", path="/v2/videos", times=5, status=503)
    with pytest.raises(ServerError):
        await tavus.videos.create(replica_id=replica_id, script="Hi")
    assert len(sent(fake, "POST")) == 1
    assert fake.jobs.videos == {}


async def test_a_create_answered_429_is_retried_once_billed(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """A POST answered 429 is retried and makes exactly one job, named by the second request."""
    replica_id = await stock_replica(tavus)
    fake.fault(method="POST", path="/v2/videos", status=429, headers={"Retry-After": "0"})
    video = await tavus.videos.create(replica_id=replica_id, script="Hi")
    posts = sent(fake, "POST")
    assert list(fake.jobs.videos) == [video.video_id]
    assert [p.created for p in posts] == [None, video.video_id]


async def test_rate_limited_client_gets_through(
    fake: FakeTavus, tavus: TavusClient, clock: ManualClock
) -> None:
    """Under a 2-per-second rate limit, six GETs all succeed by honouring Retry-After."""
    fake.rate_limit(per_second=2)
    pages = [await tavus.replicas.list() for _ in range(6)]
    assert [p.total_count for p in pages] == [3] * 6
    assert clock() >= 2  # six requests at two a second span at least two seconds
    assert len(sent(fake, "GET")) > 6


@pytest.mark.parametrize("kind", ["videos", "replicas"])
async def test_each_create_makes_at_most_one_job(
    fake: FakeTavus, tavus: TavusClient, kind: str
) -> None:
    """Under drop_after, create raises request_sent=True and jobs equal the POSTs sent."""
    replica_id = await stock_replica(tavus)
    before = len(fake.jobs.videos) + len(fake.jobs.replicas)
    fake.fault(method="POST", path=f"/v2/{kind}", times=3, drop_after=True)
    errors = []
    for n in range(3):
        create = (
            tavus.videos.create(replica_id=replica_id, script=f"n{n}")
            if kind == "videos"
            else tavus.replicas.create(train_video_url=MP4)
        )
        with pytest.raises(APIConnectionError) as caught:
            await create
        errors.append(caught.value)
    made = len(fake.jobs.videos) + len(fake.jobs.replicas) - before
    assert all(e.request_sent for e in errors)
    assert made == len(sent(fake, "POST")) == 3
    assert all("may have created" in str(e) for e in errors)


async def test_only_idempotent_requests_are_resent_on_a_dropped_keep_alive(
    fake: FakeTavus,
) -> None:
    """A GET whose connection closed before an answer is sent again at once (RFC 9112), even
    with max_retries=0; a POST never is."""
    fake.fault(method="GET", path="/v2/replicas", drop=True)
    fake.fault(method="POST", path="/v2/videos", drop=True)
    async with fake.client(max_retries=0) as tavus:
        await tavus.replicas.list()  # warms the pool; the resend of the dropped GET succeeds
        stock = [r async for r in tavus.replicas.iter(replica_type="system")]
        with pytest.raises(APIConnectionError):
            await tavus.videos.create(replica_id=stock[0].replica_id, script="Hi")
    assert len(sent(fake, "POST")) == 1


async def test_a_retried_delete_answered_404_has_deleted(
    fake: FakeTavus, tavus: TavusClient, caplog: pytest.LogCaptureFixture
) -> None:
    """A DELETE that acted but lost its answer returns on the retry's 404, said at DEBUG."""
    video = await tavus.videos.create(replica_id=await stock_replica(tavus), script="Hi")
    fake.fault(method="DELETE", path="/v2/videos/*", drop_after=True)
    caplog.set_level(logging.DEBUG, logger="tavus_async")

    assert await tavus.videos.delete(video.video_id) is None

    assert len(sent(fake, "DELETE")) == 2
    assert fake.jobs.videos[video.video_id].deleted
    assert any(
        r.levelno == logging.DEBUG and "404 on a retry" in r.getMessage() for r in caplog.records
    )


async def test_a_delete_answered_404_at_first_raises(fake: FakeTavus, tavus: TavusClient) -> None:
    """A DELETE of what is not there raises NotFoundError after one request."""
    video = await tavus.videos.create(replica_id=await stock_replica(tavus), script="Hi")
    await tavus.videos.delete(video.video_id)

    with pytest.raises(NotFoundError):
        await tavus.videos.delete(video.video_id)
    assert len(sent(fake, "DELETE")) == 2


async def test_a_retried_get_answered_404_raises(fake: FakeTavus, tavus: TavusClient) -> None:
    """Only a DELETE takes a retry's 404 as done: a GET retried after a 503 still raises."""
    fake.fault(method="GET", path="/v2/videos/*", status=503)

    with pytest.raises(NotFoundError):
        await tavus.videos.get("vnothere")
    assert len(sent(fake, "GET", "/v2/videos/")) == 2
