"""Conversations end to end on FakeTavus and its ManualClock: create, end, wait, transcript,
the end by max_call_duration, the events and the callbacks they are posted as."""

from __future__ import annotations

import types
from typing import Any

import pytest
from aiohttp import web

from tavus_async import (
    BadRequestError,
    ConversationStatus,
    PerceptionAnalysisEvent,
    RecordingReadyEvent,
    ReplicaJoinedEvent,
    ShutdownEvent,
    TavusClient,
    TranscriptionReadyEvent,
    WaitTimeoutError,
)
from tavus_async.testing import FakeTavus

from _support.clocks import FakeClock
from _support.emulator import MP4, QUICK, stock_replica
from _support.http import serve


def add_persona(fake: FakeTavus, persona_id: str, **body: Any) -> None:
    """A persona in the emulator's store, as the personas family keeps one (``.body``).

    Made directly, so that these tests need no persona calls: the conversation routes
    read a persona only through the store.
    """
    try:
        personas = fake.jobs.of("personas")
    except KeyError:  # an emulator without the personas family
        personas = fake.jobs._families["personas"] = {}
    personas[persona_id] = types.SimpleNamespace(
        persona_id=persona_id, body={"persona_id": persona_id, **body}, deleted=False
    )


async def test_a_conversation_ended_by_end_has_a_transcript(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock
) -> None:
    """end closes the room; wait returns it ended, then the transcript comes after the end."""
    created = await tavus.conversations.create(
        replica_id=await stock_replica(tavus), custom_greeting="Hi, I'm Rio!"
    )
    assert created.status is ConversationStatus.ACTIVE
    assert created.conversation_url == f"https://tavus.daily.co/{created.conversation_id}"
    assert created.meeting_token is None
    clock.advance(5)

    await tavus.conversations.end(created.conversation_id)
    await tavus.conversations.end(created.conversation_id)  # harmless the second time
    ended = await tavus.conversations.wait(created.conversation_id, policy=QUICK)
    messages = await tavus.conversations.wait_for_transcript(created.conversation_id, policy=QUICK)

    assert ended.ended
    assert [m.role for m in messages] == ["system", "assistant", "user"]
    assert messages[1].content == "Hi, I'm Rio!"
    assert messages[1].seconds_from_start == fake.timing.conversation_joining
    full = await tavus.conversations.get(created.conversation_id, verbose=True)
    assert full.ended_because == "end_conversation_endpoint_hit"
    assert [type(e) for e in full.events or ()] == [
        ReplicaJoinedEvent,
        ShutdownEvent,
        TranscriptionReadyEvent,
    ]


async def test_a_call_ends_by_itself_at_max_call_duration(
    tavus: TavusClient, clock: FakeClock
) -> None:
    """Nobody ends it: it ends after properties.max_call_duration, saying so."""
    created = await tavus.conversations.create(
        replica_id=await stock_replica(tavus), properties={"max_call_duration": 20}
    )
    seen: list[tuple[float, str]] = []

    ended = await tavus.conversations.wait(
        created.conversation_id, policy=QUICK, on_update=lambda c: seen.append((clock(), c.status))
    )

    assert [status for _, status in seen] == ["active", "ended"]
    assert 20 <= seen[-1][0] < 20 + QUICK.maximum
    full = await tavus.conversations.get(ended.conversation_id, verbose=True)
    assert full.shutdown_reason == full.ended_because == "max_call_duration reached"


async def test_a_call_nobody_ends_lasts_the_timings_length(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock
) -> None:
    """Without a shorter max_call_duration the participant leaves after conversation_length."""
    created = await tavus.conversations.create(replica_id=await stock_replica(tavus))

    clock.advance(fake.timing.conversation_length)
    ended = await tavus.conversations.get(created.conversation_id, verbose=True)

    assert ended.ended
    assert ended.ended_because == "participant_left_timeout reached"


async def test_callbacks_are_each_event_once_in_order(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock
) -> None:
    """due_callbacks hands over each event once, as it becomes due, in Tavus's callback shape."""
    created = await tavus.conversations.create(
        replica_id=await stock_replica(tavus),
        callback_url="https://hooks.example.com/tavus",
        properties={"enable_recording": True, "recording_s3_bucket_name": "my-bucket"},
    )
    job = fake.jobs.conversations[created.conversation_id]
    timing = fake.timing

    def due() -> list[str]:
        bodies = job.due_callbacks(clock(), timing, files_url=fake.files_url)
        assert all(b["conversation_id"] == created.conversation_id for b in bodies)
        assert all(b["webhook_url"] == "https://hooks.example.com/tavus" for b in bodies)
        return [b["event_type"] for b in bodies]

    assert due() == []
    clock.advance(timing.conversation_joining)
    assert due() == ["system.replica_joined"]
    assert due() == []
    clock.advance(1)
    await tavus.conversations.end(created.conversation_id)
    assert due() == ["system.shutdown"]
    clock.advance(timing.transcript_delay)
    assert due() == ["application.transcription_ready", "application.recording_ready"]
    clock.advance(3600)
    assert due() == []

    full = await tavus.conversations.get(created.conversation_id, verbose=True)
    recording = full.event("application.recording_ready")
    assert isinstance(recording, RecordingReadyEvent)
    assert recording.bucket_name == "my-bucket"
    assert recording.duration == 1


async def test_the_fake_posts_the_events_to_the_callback_url(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock
) -> None:
    """deliver_callbacks POSTs each event to callback_url once, as it becomes due."""
    received: list[dict[str, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(await request.json())
        return web.json_response({"received": True})

    app = web.Application()
    app.router.add_post("/hooks", hook)
    async with serve(app) as url:
        created = await tavus.conversations.create(
            replica_id=await stock_replica(tavus), callback_url=f"{url}/hooks"
        )
        early = await fake.deliver_callbacks()
        clock.advance(fake.timing.conversation_joining)
        joined = await fake.deliver_callbacks()
        await tavus.conversations.end(created.conversation_id)
        clock.advance(fake.timing.transcript_delay)
        rest = await fake.deliver_callbacks()
        again = await fake.deliver_callbacks()

    assert (early, joined, rest, again) == (0, 1, 2, 0)
    assert [body["event_type"] for body in received] == [
        "system.replica_joined",
        "system.shutdown",
        "application.transcription_ready",
    ]
    assert {body["conversation_id"] for body in received} == {created.conversation_id}
    assert [c.outcome for c in fake.callbacks] == [200, 200, 200]


async def test_a_persona_gives_the_replica_prompt_greeting_and_perception(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock
) -> None:
    """With only a persona, its default replica joins; the transcript and analysis follow it."""
    replica_id = await stock_replica(tavus)
    add_persona(
        fake,
        "p1",
        system_prompt="You are Rio, a coach.",
        default_replica_id=replica_id,
        layers={"perception": {"perception_model": "raven-1"}},
    )

    created = await tavus.conversations.create(persona_id="p1", conversational_context="Be brief.")
    clock.advance(10)
    await tavus.conversations.end(created.conversation_id)
    messages = await tavus.conversations.wait_for_transcript(created.conversation_id, policy=QUICK)

    assert messages[0].content == "You are Rio, a coach.\n\nBe brief."
    full = await tavus.conversations.get(created.conversation_id, verbose=True)
    assert (full.replica_id, full.persona_id) == (replica_id, "p1")
    assert isinstance(full.event("application.perception_analysis"), PerceptionAnalysisEvent)
    assert full.perception_analysis


async def test_tavus_refuses_a_conversation_without_a_usable_replica(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """An unknown or untrained replica, an unknown persona, or none at all: Tavus's 400."""
    training = await tavus.replicas.create(train_video_url=MP4)
    add_persona(fake, "p-no-replica", system_prompt="Hi")

    for kwargs, message in [
        ({"replica_id": "rnope"}, "Invalid replica_uuid"),
        ({"replica_id": training.replica_id}, "not ready"),
        ({"persona_id": "pnope", "replica_id": training.replica_id}, "Invalid persona_id"),
        ({"persona_id": "p-no-replica"}, "replica_id is required"),
    ]:
        with pytest.raises(BadRequestError, match=message):
            await tavus.conversations.create(**kwargs)

    assert fake.jobs.conversations == {}


async def test_a_test_mode_conversation_is_created_ended_and_gets_no_transcript(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock
) -> None:
    """test_mode: ended at once, nobody joins, and the transcript wait gives up after grace."""
    created = await tavus.conversations.create(
        replica_id=await stock_replica(tavus), test_mode=True, require_auth=True
    )

    assert created.status is ConversationStatus.ENDED
    assert created.meeting_token
    with pytest.raises(WaitTimeoutError, match="no transcript came") as caught:
        await tavus.conversations.wait_for_transcript(
            created.conversation_id, policy=QUICK, grace=30
        )
    assert caught.value.last is not None
    assert caught.value.last.events == ()
    assert 30 <= clock() < 30 + QUICK.maximum


async def test_list_filters_by_status_and_delete_removes(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """list(status=...) sees each conversation by its status; a deleted one is gone."""
    replica_id = await stock_replica(tavus)
    active = await tavus.conversations.create(replica_id=replica_id, conversation_name="live")
    ended = await tavus.conversations.create(replica_id=replica_id, test_mode=True)

    live = [c.conversation_id async for c in tavus.conversations.iter(status="active")]
    over = await tavus.conversations.list(status=ConversationStatus.ENDED)
    await tavus.conversations.delete(active.conversation_id)
    await tavus.conversations.delete(ended.conversation_id, hard=True)

    assert live == [active.conversation_id]
    assert [c.conversation_id for c in over.data] == [ended.conversation_id]
    assert (await tavus.conversations.list()).total_count == 0
    assert fake.jobs.conversations[active.conversation_id].deleted
    assert ended.conversation_id not in fake.jobs.conversations
    with pytest.raises(BadRequestError, match="Invalid conversation_id"):
        await tavus.conversations.get(active.conversation_id)
    with pytest.raises(BadRequestError, match="Invalid conversation_id"):
        await tavus.conversations.end(ended.conversation_id)


async def test_create_and_wait_creates_once_and_returns_it_ended(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """create_and_wait opens one room, with the options on every request, and waits it out."""
    ended = await tavus.conversations.create_and_wait(
        replica_id=await stock_replica(tavus),
        properties={"max_call_duration": 30},
        policy=QUICK,
        extra_headers={"X-Trace": "c9"},
    )

    assert ended.ended
    posts = [r for r in fake.requests if r.method == "POST"]
    assert len(posts) == 1
    assert all(r.headers.get("X-Trace") == "c9" for r in fake.requests if "conv" in r.path)
