"""The SDK across calls, on FakeTavus over real sockets, on one ManualClock (no real waiting)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tavus_async import (
    APIConnectionError,
    PollPolicy,
    ReplicaStatus,
    ReplicaTrainingError,
    ServerError,
    TavusClient,
    VideoGenerationError,
    VideoStatus,
)
from tavus_async.testing import FakeTavus, ManualClock, RecordedRequest

MP4 = "https://example.com/train.mp4"
QUICK = PollPolicy(initial=0.5, maximum=2, timeout=3600)


async def stock_replica(tavus: TavusClient) -> str:
    page = await tavus.replicas.list(replica_type="system", limit=1)
    return page.data[0].replica_id


def sent(fake: FakeTavus, method: str, path: str = "/v2/") -> list[RecordedRequest]:
    """The requests of ``method`` whose path starts with ``path``."""
    return [r for r in fake.requests if r.method == method and r.path.startswith(path)]


def max_overlap(fake: FakeTavus, ids: list[str]) -> int:
    """The most videos whose polling (first to last GET) overlapped at any moment."""
    paths = [r.path for r in fake.requests if r.method == "GET"]
    spans = []
    for video_id in ids:
        hits = [i for i, path in enumerate(paths) if path == f"/v2/videos/{video_id}"]
        spans.append((hits[0], hits[-1]))
    return max(sum(a <= i <= b for a, b in spans) for i in range(len(paths)))


async def test_train_render_wait_many_and_download(
    fake: FakeTavus, tavus: TavusClient, tmp_path: Path
) -> None:
    """A trained replica renders videos; wait_many yields each once; ready ones download."""
    replica = await tavus.replicas.create(train_video_url=MP4, replica_name="Me")
    seen: list[str] = []
    trained = await tavus.replicas.wait(
        replica.replica_id, policy=QUICK, on_update=lambda r: seen.append(str(r.status))
    )
    scripts = ["One", "Two", "Three", "Four tavus-fail"]
    ids = [
        (await tavus.videos.create(replica_id=trained.replica_id, script=s)).video_id
        for s in scripts
    ]
    outcomes = [o async for o in tavus.videos.wait_many(ids, policy=QUICK, concurrency=2)]
    paths = [
        await tavus.videos.download(o.result, tmp_path / f"{o.id}.mp4")
        for o in outcomes
        if o.ok and o.result is not None
    ]
    assert trained.status == ReplicaStatus.COMPLETED
    assert (seen[0], seen[-1]) == ("started", "completed")
    assert "training" in seen
    assert sorted(o.id for o in outcomes) == sorted(ids)
    failed = [o for o in outcomes if not o.ok]
    assert [o.id for o in failed] == [ids[3]]
    assert isinstance(failed[0].error, VideoGenerationError)
    assert getattr(failed[0].result, "status", None) == VideoStatus.ERROR
    assert len(paths) == 3
    assert all(p.read_bytes()[4:8] == b"ftyp" for p in paths)
    assert [f.key_sent for f in fake.file_requests] == [False] * 3
    assert max_overlap(fake, ids) == 2


async def test_watch_yields_each_change_until_ready(tavus: TavusClient) -> None:
    """watch yields queued, rising progress, then ready last, never the same state twice."""
    video = await tavus.videos.create(replica_id=await stock_replica(tavus), script="Hi")
    states = [
        (v.status, v.generation_progress)
        async for v in tavus.videos.watch(video.video_id, policy=QUICK)
    ]
    progress = [v for _, v in states if v is not None]
    assert (states[0][0], states[-1][0]) == (VideoStatus.QUEUED, VideoStatus.READY)
    assert VideoStatus.GENERATING in {s for s, _ in states}
    assert all(a != b for a, b in itertools.pairwise(states))
    assert progress == sorted(progress, key=lambda p: int(p.split("/")[0]))


async def test_replica_wait_raises_training_error(tavus: TavusClient) -> None:
    """A replica that fails training makes wait raise with Tavus's error message."""
    replica = await tavus.replicas.create(train_video_url="https://x/tavus-fail.mp4")
    with pytest.raises(ReplicaTrainingError, match="minimum duration") as caught:
        await tavus.replicas.wait(replica.replica_id, policy=QUICK)
    assert caught.value.job.replica_id == replica.replica_id


@pytest.mark.parametrize("first_page", [0, 1])
async def test_iter_yields_every_video_once(clock: ManualClock, first_page: int) -> None:
    """videos.iter(page_size=10) yields all 25 videos once whether pages count from 0 or 1."""
    async with FakeTavus(clock=clock, first_page=first_page) as fake, fake.client() as tavus:
        replica_id = await stock_replica(tavus)
        ids = [
            (await tavus.videos.create(replica_id=replica_id, script=f"n{n}")).video_id
            for n in range(25)
        ]
        walked = [v.video_id async for v in tavus.videos.iter(page_size=10)]
        last = await tavus.videos.list(limit=10, page=first_page + 2)
        beyond = await tavus.videos.list(limit=10, page=first_page + 3)
    assert (len(walked), sorted(walked)) == (25, sorted(ids))
    assert (len(last.data), last.total_count) == (5, 25)
    assert (beyond.data, beyond.total_count) == ((), 25)


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


async def test_wait_survives_random_faults(fake: FakeTavus, tavus: TavusClient) -> None:
    """A video waited on under 30 % random faults on GETs still comes back ready."""
    video = await tavus.videos.create(replica_id=await stock_replica(tavus), script="Hi")
    fake.random_faults(0.3, seed=1)
    ready = await tavus.videos.wait(video.video_id, policy=QUICK)
    assert (ready.status, bool(ready.download_url)) == (VideoStatus.READY, True)
    assert fake.faults.served > 0


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
    """aiohttp resends a GET once on a dropped keep-alive connection (RFC 9112), never a POST."""
    fake.fault(method="GET", path="/v2/replicas", drop=True)
    fake.fault(method="POST", path="/v2/videos", drop=True)
    async with fake.client(max_retries=0) as tavus:
        await tavus.replicas.list()  # warms the pool; the resend of the dropped GET succeeds
        stock = [r async for r in tavus.replicas.iter(replica_type="system")]
        with pytest.raises(APIConnectionError):
            await tavus.videos.create(replica_id=stock[0].replica_id, script="Hi")
    assert len(sent(fake, "POST")) == 1
