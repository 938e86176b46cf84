"""What the callback tests share: timings, a video's callback body, jobs made, counted, posted.

The fixtures (a receiver, a plain HTTP client, a real-time FakeTavus and its client) are
in callbacks/conftest.py.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import yarl

from tavus_async import PollPolicy, TavusClient
from tavus_async.callbacks import CallbackReceiver
from tavus_async.testing import FakeTavus, Timing

# Pauses of 30 s: in these tests only a callback can end a wait quickly.
LONG = PollPolicy(initial=30, maximum=30, timeout=60)
# Jobs that end in a fraction of a second of real time.
TINY = Timing(replica_training=0.3, video_queue=0.05, video_rendering=0.3)
TRAIN_MP4 = "https://example.com/train.mp4"
BOUND = 10.0  # seconds: the most any wait here may take (the fast path takes well under 1 s)
URL_SAFE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
VIDEO_BODY = {
    "video_id": "v0123456789",
    "video_name": "Hello",
    "status": "ready",
    "replica_id": "r0123456789",
    "data": {"script": "Hello"},
    "generation_progress": "100/100",
    "download_url": "https://cdn.example.com/v0123456789.mp4",
    "hosted_url": "https://videos.tavus.io/video/v0123456789",
    "created_at": "2024-01-24T07:14:03.327Z",
    "updated_at": "Mon, 14 Jul 2025 09:14:24 GMT",
    "finetune_status": "new-field",
}


def token_of(receiver: CallbackReceiver) -> str:
    return receiver.url.rsplit("/", 1)[1]


def stock_replica(fake: FakeTavus) -> str:
    return next(r.replica_id for r in fake.jobs.replicas.values() if r.replica_type == "system")


async def create(
    tavus: TavusClient,
    fake: FakeTavus,
    kind: str,
    callback_url: str | None,
    script: str = "Hello",
) -> str:
    """A new video or replica on ``fake`` that will call back ``callback_url`` (if given)."""
    if kind == "videos":
        video = await tavus.videos.create(
            replica_id=stock_replica(fake), script=script, callback_url=callback_url
        )
        return video.video_id
    replica = await tavus.replicas.create(train_video_url=TRAIN_MP4, callback_url=callback_url)
    return replica.replica_id


def gets(fake: FakeTavus, kind: str, job_id: str) -> int:
    """How many GETs of this one job the fake has received."""
    path = f"/v2/{kind}/{job_id}"
    return sum(1 for r in fake.requests if r.method == "GET" and r.path == path)


async def post(session: aiohttp.ClientSession, url: str | yarl.URL, **kwargs: Any) -> int:
    async with session.post(url, **kwargs) as response:
        await response.read()
        return response.status


async def until(condition: Callable[[], bool], what: str) -> None:
    """Wait (briefly, in real time) until ``condition()`` holds: the server, or Redis, is
    another task or process."""
    deadline = time.monotonic() + BOUND
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)
