"""The fault suite's calls: under seeded random faults each call ends right, none bills twice.

CallRun (_support/faults/call_run.py) plays and checks each call; a failure prints its
operation log and the pytest command that replays the run.
"""

from __future__ import annotations

import pytest

from tavus_async import ResponseValidationError, TavusClient
from tavus_async.testing import FakeTavus

from _support.faults.call_run import CallRun
from _support.faults.model import KINDS, MP4, SEEDS, SPOILERS
from _support.faults.run import Guard, Stage, seeded_global_random

CALLS = {
    "create replica": 5,
    "create video": 10,
    "get replica": 7,
    "get video": 10,
    "rename replica": 5,
    "rename video": 6,
    "delete replica": 3,
    "delete video": 5,
    "list_page replica": 5,
    "list_page video": 5,
    "iterate replica": 3,
    "iterate video": 4,
    "download": 7,
    "advance": 5,
    "burst": 2,
}
CREATES = {"create video": 6, "create replica": 3, "advance": 1}
#: What a create meets in the billing test: mostly what leaves its outcome in doubt.
POST_FAULTS = (
    *("drop", "drop_after", "drop_after"),
    *("429", "429-bare", "429-date", "503", "html"),
    *("malformed", "truncated"),
)


@pytest.mark.parametrize("seed", SEEDS)
async def test_every_call_ends_right_or_with_its_documented_error(
    seed: int, stage: Stage, guard: Guard
) -> None:
    """Under random faults each call returns what the emulator holds, or the TavusError due."""
    run = CallRun(seed, stage)
    with seeded_global_random(seed):
        await run.play(CALLS, count=250)
        await run.look_for_uncertain_creates()
    run.check_billing()
    assert set(run.kinds_served) == set(KINDS), f"not every kind was served: {run.kinds_served}"
    assert set(run.ops_played) == set(CALLS)
    await run.close_and_check(guard)


@pytest.mark.parametrize("seed", SEEDS)
async def test_no_create_is_billed_twice(seed: int, stage: Stage, guard: Guard) -> None:
    """Each create() makes at most one job; one that may have made it says so and how to look."""
    run = CallRun(seed, stage, create_kinds=POST_FAULTS)
    with seeded_global_random(seed):
        await run.play(CREATES, count=150)
        await run.look_for_uncertain_creates()
    run.check_billing()
    assert run.ledger.sent_unknown > 0, run.ledger
    assert run.ledger.made, run.ledger
    await run.close_and_check(guard)


# -- what the random runs found, pinned ---------------------------------------------------


@pytest.mark.parametrize("spoil", SPOILERS)
@pytest.mark.parametrize("kind", ["replicas", "videos"])
async def test_an_unreadable_create_answer_says_the_job_exists(
    fake: FakeTavus, tavus: TavusClient, kind: str, spoil: str
) -> None:
    """A create answered 2xx with a body that does not parse made a job: the error says so."""
    fake.fault(method="POST", path=f"/v2/{kind}", **{spoil: True})
    if kind == "videos":
        create = tavus.videos.create(replica_id=next(iter(fake.jobs.replicas)), script="Hi")
    else:
        create = tavus.replicas.create(train_video_url=MP4)
    with pytest.raises(ResponseValidationError) as caught:
        await create
    made = [r.created for r in fake.requests if r.method == "POST"]
    assert [bool(job_id) for job_id in made] == [True]  # one POST, and it made a job
    assert "list()" in str(caught.value), f"nothing says how to find the job: {caught.value}"
