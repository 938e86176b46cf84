"""The fault suite's waits: under seeded random faults each wait ends right, and in time.

WaitRun (_support/faults/wait_run.py) plays and checks each wait, watch and wait_many.
"""

from __future__ import annotations

import asyncio

import pytest

from tavus_async import PollPolicy, TavusClient
from tavus_async.testing import FakeTavus

from _support.faults.model import SEEDS
from _support.faults.run import Guard, Stage, seeded_global_random, stray_tasks
from _support.faults.wait_run import WaitRun

WAITS = {
    "new_job video": 3,
    "new_job replica": 1,
    "drop_job video": 1,
    "drop_job replica": 1,
    "advance": 3,
    "wait video": 6,
    "wait replica": 2,
    "watch video": 4,
    "watch replica": 1,
    "wait_many video": 3,
    "wait_many replica": 2,
}


@pytest.mark.parametrize("seed", SEEDS)
async def test_every_wait_ends_right_by_its_deadline(seed: int, stage: Stage, guard: Guard) -> None:
    """Under faults every wait, watch and wait_many ends as its job did, or times out in time."""
    run = WaitRun(seed, stage)
    with seeded_global_random(seed):
        await run.play(WAITS, count=120)
    assert {"wait ok", "wait WaitTimeoutError"} <= set(run.endings), run.endings
    await run.close_and_check(guard)


# -- what the random runs found, pinned ---------------------------------------------------


async def test_a_finished_wait_leaves_no_task(fake: FakeTavus, tavus: TavusClient) -> None:
    """wait() closes what it started: no task is left for asyncio to run after it returns."""
    video = await tavus.videos.create(replica_id=next(iter(fake.jobs.replicas)), script="Hi")
    await tavus.videos.wait(video.video_id, policy=PollPolicy(initial=0.5, maximum=2, timeout=60))
    await asyncio.sleep(0)  # asyncio schedules the aclose() of a dropped generator here
    assert stray_tasks() == []
