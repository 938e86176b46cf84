"""A face's waits: training on FakeTavus's clock, FaceTrainingError, wait_many and callbacks."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from tavus_async import (
    CallbackReceiver,
    Face,
    FaceStatus,
    FaceTrainingError,
    PollPolicy,
    TavusClient,
)
from tavus_async.testing import FakeTavus, Timing

from _support.emulator import QUICK
from _support.http import BASE
from _support.waits import POLICY, collect

# Pauses of 30 s: only a callback can end such a wait quickly.
LONG = PollPolicy(initial=30, maximum=30, timeout=60)


async def test_wait_follows_training_to_completed(tavus: TavusClient) -> None:
    """wait polls a new face through started (with progress) to completed."""
    face = await tavus.faces.create(train_video_url="https://cdn.example.com/t.mp4")
    seen: list[tuple[str, float | None]] = []

    done = await tavus.faces.wait(
        face.face_id, policy=QUICK, on_update=lambda f: seen.append((str(f.status), f.progress))
    )

    assert done.status == FaceStatus.COMPLETED
    assert seen[0][0] == "started"
    assert seen[-1] == ("completed", 1.0)
    assert any(status == "started" and 0 < (p or 0) < 1 for status, p in seen)


async def test_wait_raises_face_training_error(tavus: TavusClient) -> None:
    """A face whose training fails makes wait raise with Tavus's error message."""
    face = await tavus.faces.create(train_video_url="https://x/tavus-fail.mp4")

    with pytest.raises(FaceTrainingError, match="minimum duration") as caught:
        await tavus.faces.wait(face.face_id, policy=QUICK)

    assert caught.value.job.face_id == face.face_id
    assert caught.value.job.status == FaceStatus.ERROR


async def test_wait_many_reports_trained_and_failed(timed_client: TavusClient, http: Any) -> None:
    """faces.wait_many gives a trained face ok and a failed one its FaceTrainingError."""
    http.get(f"{BASE}/v2/faces/r1", payload={"face_id": "r1", "status": "completed"})
    http.get(
        f"{BASE}/v2/faces/r2",
        payload={"face_id": "r2", "status": "error", "error_message": "too short"},
    )

    outcomes = await collect(timed_client.faces.wait_many(["r1", "r2"], policy=POLICY))

    by_id = {o.id: o for o in outcomes}
    assert by_id["r1"].ok
    assert isinstance(by_id["r1"].result, Face)
    assert not by_id["r2"].ok
    assert isinstance(by_id["r2"].error, FaceTrainingError)
    assert "too short" in str(by_id["r2"].error)


async def test_watch_yields_each_change_and_the_failed_face(tavus: TavusClient) -> None:
    """watch yields the failed face (not raised) as its last change."""
    face = await tavus.faces.create(train_video_url="https://x/tavus-fail.mp4")

    states = [f async for f in tavus.faces.watch(face.face_id, policy=QUICK)]

    assert states[-1].status == FaceStatus.ERROR
    assert len(states) >= 2


async def test_create_and_wait_trains_the_face_with_one_create(
    tavus: TavusClient, fake: FakeTavus
) -> None:
    """create_and_wait creates the face once and returns it trained."""
    face = await tavus.faces.create_and_wait(
        train_image_url="https://cdn.example.com/face.png", voice_name="anna", policy=QUICK
    )

    assert face.status == FaceStatus.COMPLETED
    assert len([r for r in fake.requests if r.method == "POST" and r.path == "/v2/faces"]) == 1


async def test_create_and_wait_raises_the_training_error(tavus: TavusClient) -> None:
    """A face whose training fails makes create_and_wait raise FaceTrainingError."""
    with pytest.raises(FaceTrainingError, match="minimum duration"):
        await tavus.faces.create_and_wait(train_video_url="https://x/tavus-fail.mp4", policy=QUICK)


async def test_a_callback_wakes_the_wait() -> None:
    """A face's callback ends a 30 s pause at once: the wait takes well under a second."""
    timing = Timing(face_training=0.2)
    async with (
        FakeTavus(timing=timing, callback_interval=0.005) as fake,
        CallbackReceiver() as receiver,
        fake.client() as tavus,
    ):
        face = await tavus.faces.create(
            train_video_url="https://cdn.example.com/t.mp4", callback_url=receiver.url
        )
        started = time.monotonic()
        done = await asyncio.wait_for(
            tavus.faces.wait(face.face_id, callbacks=receiver, policy=LONG), 10
        )

        assert time.monotonic() - started < 5  # the first pause alone would take 30 s
        assert done.status == FaceStatus.COMPLETED
        assert receiver.received == 1
        assert [c.outcome for c in fake.callbacks] == [200]
