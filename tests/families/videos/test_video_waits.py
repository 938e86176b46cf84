"""A video's watch on FakeTavus: queued, generating with rising progress, then ready."""

from __future__ import annotations

import itertools

from tavus_async import TavusClient, VideoStatus

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
