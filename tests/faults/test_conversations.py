"""The fault suite's conversations: a create is never sent twice, end is retried, and the
waits for the end and for the transcript survive transient trouble, under seeded faults."""

from __future__ import annotations

import random

import pytest

from tavus_async import (
    APIConnectionError,
    ResponseValidationError,
    TavusClient,
    TavusError,
)
from tavus_async.testing import FakeTavus

from _support.clocks import FakeClock
from _support.emulator import QUICK, stock_replica
from _support.faults.model import SEEDS
from _support.faults.run import Guard

#: Faults that leave a create's outcome in doubt, or refuse it: none may make a second room.
CREATE_FAULTS: list[dict[str, object]] = [
    {"drop": True},
    {"drop_after": True},
    {"status": 503},
    {"status": 502, "body": "<html>Bad gateway", "headers": {"Content-Type": "text/html"}},
    {"malformed": True},
    {"truncated": True},
]


@pytest.mark.parametrize("fault", CREATE_FAULTS, ids=lambda f: next(iter(f)))
async def test_a_conversation_create_is_never_sent_twice(
    fake: FakeTavus, tavus: TavusClient, fault: dict[str, object], guard: Guard
) -> None:
    """Whatever happens to its answer, a create POSTs once; one that may have acted says so."""
    replica_id = await stock_replica(tavus)
    fake.fault(method="POST", path="/v2/conversations", **fault)

    with pytest.raises(TavusError) as caught:
        await tavus.conversations.create(replica_id=replica_id)

    posts = [r for r in fake.requests if r.method == "POST"]
    assert len(posts) == 1
    assert len(fake.jobs.conversations) <= 1
    if fake.jobs.conversations or isinstance(caught.value, APIConnectionError):
        assert "list()" in str(caught.value), caught.value
    if isinstance(caught.value, ResponseValidationError):
        assert len(fake.jobs.conversations) == 1


async def test_a_create_throttled_by_429_is_sent_again_and_makes_one_room(
    fake: FakeTavus, tavus: TavusClient, guard: Guard
) -> None:
    """A 429 did nothing: the create is sent again after it, and one conversation exists."""
    replica_id = await stock_replica(tavus)
    fake.fault(method="POST", path="/v2/conversations", status=429, headers={"Retry-After": "1"})

    created = await tavus.conversations.create(replica_id=replica_id)

    assert list(fake.jobs.conversations) == [created.conversation_id]


@pytest.mark.parametrize(
    "fault",
    [{"drop_after": True}, {"status": 503}, {"status": 500}, {"status": 502}],
    ids=lambda f: next(iter(f)),
)
async def test_end_is_retried_until_it_is_answered(
    fake: FakeTavus, tavus: TavusClient, fault: dict[str, object], guard: Guard
) -> None:
    """A lost or failed end is sent again (ending twice is harmless), and the call ends."""
    created = await tavus.conversations.create(replica_id=await stock_replica(tavus))
    path = f"/v2/conversations/{created.conversation_id}/end"
    fake.fault(method="POST", path=path, times=2, **fault)

    await tavus.conversations.end(created.conversation_id)

    assert [r.path for r in fake.requests].count(path) == 3
    assert (await tavus.conversations.get(created.conversation_id)).ended


async def test_an_end_that_never_gets_through_does_not_say_a_job_was_made(
    fake: FakeTavus, tavus: TavusClient, guard: Guard
) -> None:
    """After its retries, a failed end raises the last error, with no word of a created job."""
    created = await tavus.conversations.create(replica_id=await stock_replica(tavus))
    path = f"/v2/conversations/{created.conversation_id}/end"
    fake.fault(method="POST", path=path, times=100, drop=True)

    with pytest.raises(APIConnectionError) as caught:
        await tavus.conversations.end(created.conversation_id)

    assert [r.path for r in fake.requests].count(path) >= 4  # max_retries=3, and resends
    assert "may have created" not in str(caught.value)


@pytest.mark.parametrize("seed", SEEDS)
async def test_waits_for_the_end_and_the_transcript_survive_random_faults(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock, seed: int, guard: Guard
) -> None:
    """Under seeded faults on a third of the polls, both waits end as the call did."""
    rng = random.Random(seed)
    replica_id = await stock_replica(tavus)
    created = await tavus.conversations.create(
        replica_id=replica_id, properties={"max_call_duration": rng.randint(5, 40)}
    )
    fake.random_faults(0.35, seed=seed)

    ended = await tavus.conversations.wait(created.conversation_id, policy=QUICK)
    messages = await tavus.conversations.wait_for_transcript(created.conversation_id, policy=QUICK)

    fake.random_faults(0.0)
    job = fake.jobs.conversations[created.conversation_id]
    assert ended.ended
    assert clock() >= job.ending(fake.timing)[0] + fake.timing.transcript_delay
    assert [m.role for m in messages] == ["system", "assistant", "user"]
    served = [r for r in fake.requests if r.method == "GET" and created.conversation_id in r.path]
    assert len(served) > 2


async def test_a_wait_meets_a_run_of_server_errors_and_still_ends(
    fake: FakeTavus, tavus: TavusClient, guard: Guard
) -> None:
    """Ten 5xx answers in a row (each poll's retries exhausted) do not end the wait early."""
    created = await tavus.conversations.create(
        replica_id=await stock_replica(tavus), properties={"max_call_duration": 10}
    )
    fake.fault(method="GET", path=f"/v2/conversations/{created.conversation_id}", times=10,
               status=503)  # fmt: skip

    ended = await tavus.conversations.wait(created.conversation_id, policy=QUICK)

    assert ended.ended
