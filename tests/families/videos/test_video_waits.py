"""A video's watch and create_and_wait on FakeTavus."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tavus_async import (
    APIConnectionError,
    CallbackReceiver,
    PollPolicy,
    TavusClient,
    VideoStatus,
    WaitTimeoutError,
)
from tavus_async.testing import FakeTavus

from _support.emulator import QUICK, stock_replica


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


async def test_create_and_wait_renders_the_video_with_one_create(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """create_and_wait creates once and returns the ready video, the options on every request."""
    replica_id = await stock_replica(tavus)

    video = await tavus.videos.create_and_wait(
        replica_id=replica_id,
        script="Hi",
        policy=QUICK,
        extra_body={"video_name": "from extra_body"},
        extra_headers={"X-Trace": "t9"},
    )

    assert (video.status, video.video_name) == (VideoStatus.READY, "from extra_body")
    created = [r for r in fake.requests if r.method == "POST"]
    polls = [r for r in fake.requests if r.method == "GET" and r.path.endswith(video.video_id)]
    assert len(created) == 1
    assert polls
    assert all(r.headers.get("X-Trace") == "t9" for r in [*created, *polls])
    assert all(r.body is None for r in polls)


async def test_create_and_wait_never_creates_twice_when_the_answer_is_lost(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """A create that acted but lost its answer raises the error saying the video may exist."""
    replica_id = await stock_replica(tavus)
    fake.fault(method="POST", path="/v2/videos", drop_after=True)

    with pytest.raises(APIConnectionError, match="may have created"):
        await tavus.videos.create_and_wait(replica_id=replica_id, script="Hi", policy=QUICK)

    assert [r.method for r in fake.requests if r.path == "/v2/videos"] == ["POST"]
    assert len(fake.jobs.videos) == 1


async def test_create_and_wait_checks_the_wait_before_creating(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """A wait that could not start (a bad policy or on_update) creates nothing."""
    replica_id = await stock_replica(tavus)

    bad: dict[str, Any] = {"policy": 5}
    with pytest.raises(TypeError, match="policy"):
        await tavus.videos.create_and_wait(replica_id=replica_id, script="Hi", **bad)
    bad = {"on_update": 3}
    with pytest.raises(TypeError, match="on_update"):
        await tavus.videos.create_and_wait(replica_id=replica_id, script="Hi", **bad)

    assert fake.jobs.videos == {}


async def test_create_and_wait_sends_the_receivers_url(fake: FakeTavus, tavus: TavusClient) -> None:
    """With callbacks and no callback_url, the video is created with the receiver's url."""
    replica_id = await stock_replica(tavus)
    brief = PollPolicy(initial=1, maximum=1, timeout=1)  # on the fake clock: no real time
    async with CallbackReceiver() as receiver:
        url = receiver.url
        with pytest.raises(WaitTimeoutError):
            await tavus.videos.create_and_wait(
                replica_id=replica_id, script="Hi", callbacks=receiver, policy=brief
            )

    (post,) = [r for r in fake.requests if r.method == "POST"]
    assert post.body["callback_url"] == url
