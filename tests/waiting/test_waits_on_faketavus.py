"""Waits across calls, on FakeTavus over real sockets, on one ManualClock (no real waiting)."""

from __future__ import annotations

from pathlib import Path

from tavus_async import ReplicaStatus, TavusClient, VideoGenerationError, VideoStatus
from tavus_async.testing import FakeTavus

from _support.emulator import MP4, QUICK, stock_replica


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


async def test_wait_survives_random_faults(fake: FakeTavus, tavus: TavusClient) -> None:
    """A video waited on under 30 % random faults on GETs still comes back ready."""
    video = await tavus.videos.create(replica_id=await stock_replica(tavus), script="Hi")
    fake.random_faults(0.3, seed=1)
    ready = await tavus.videos.wait(video.video_id, policy=QUICK)
    assert (ready.status, bool(ready.download_url)) == (VideoStatus.READY, True)
    assert fake.faults.served > 0
