"""receiver.on(event_type, handler): conversation callbacks reach handlers as typed events."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
import pytest

from tavus_async import (
    ConversationEvent,
    ShutdownEvent,
    TranscriptionReadyEvent,
)
from tavus_async.callbacks import CallbackReceiver, parse_callback

from _support.callbacks import VIDEO_BODY, post


def event_body(event_type: str, properties: dict[str, Any], **more: Any) -> dict[str, Any]:
    """A conversation callback as Tavus's webhooks page shows it."""
    return {
        "conversation_id": "c0123456789",
        "webhook_url": "https://example.com/hooks",
        "event_type": event_type,
        "message_type": event_type.split(".", 1)[0],
        "timestamp": "2025-07-11T06:48:37.566057Z",
        "properties": properties,
        **more,
    }


TRANSCRIPT = event_body(
    "application.transcription_ready",
    {
        "replica_id": "r783537ef5",
        "transcript": [
            {"role": "system", "content": "You are a coach."},
            {"role": "user", "content": "Hi."},
            {"role": "assistant", "content": "How's it going?"},
        ],
    },
)
SHUTDOWN = event_body(
    "system.shutdown", {"replica_id": "r783537ef5", "shutdown_reason": "participant_left_timeout"}
)
UNKNOWN = event_body("application.something_new", {"mood": "sunny"}, sequence=7)


async def test_a_handler_gets_the_typed_event_of_its_type(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession
) -> None:
    """A transcription_ready callback reaches its handler with the transcript as messages."""
    seen: list[Any] = []
    receiver.on("application.transcription_ready", seen.append)
    assert await post(raw, receiver.url, json=SHUTDOWN) == 200
    assert await post(raw, receiver.url, json=TRANSCRIPT) == 200
    assert len(seen) == 1
    (event,) = seen
    assert isinstance(event, TranscriptionReadyEvent)
    assert [(m.role, m.content) for m in event.transcript] == [
        ("system", "You are a coach."),
        ("user", "Hi."),
        ("assistant", "How's it going?"),
    ]


async def test_the_catch_all_gets_every_event_and_unknown_ones_as_they_came(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession
) -> None:
    """'*' receives every event, an unknown type included, with its data kept whole."""
    seen: list[Any] = []
    receiver.on("*", seen.append)
    for body in (SHUTDOWN, UNKNOWN):
        assert await post(raw, receiver.url, json=body) == 200
    assert [type(e) for e in seen] == [ShutdownEvent, ConversationEvent]
    assert seen[0].shutdown_reason == "participant_left_timeout"
    assert seen[1].event_type == "application.something_new"
    assert seen[1].to_dict() == UNKNOWN


async def test_coroutine_handlers_run_as_tasks_and_are_drained_on_exit(
    raw: aiohttp.ClientSession,
) -> None:
    """A coroutine handler runs after Tavus is answered; leaving the receiver awaits it."""
    release = asyncio.Event()
    done: list[str] = []

    async with CallbackReceiver() as receiver:

        @receiver.on("system.shutdown")
        async def handle(event: ShutdownEvent) -> None:
            await release.wait()
            done.append(event.conversation_id)

        assert await post(raw, receiver.url, json=SHUTDOWN) == 200  # answered before it ran
        assert done == []
        release.set()
    assert done == ["c0123456789"]


async def test_a_failing_handler_is_logged_and_the_callback_still_acknowledged(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    """A handler that raises does not turn Tavus's callback into an error, nor stop others."""
    seen: list[Any] = []

    def broken(event: Any) -> None:
        raise RuntimeError("handler bug")

    receiver.on("system.shutdown", broken)
    receiver.on("system.shutdown", seen.append)
    with caplog.at_level(logging.ERROR, logger="tavus_async"):
        assert await post(raw, receiver.url, json=SHUTDOWN) == 200
    assert len(seen) == 1
    assert "handler bug" in caplog.text
    assert receiver.url.rsplit("/", 1)[1] not in caplog.text  # never the token


async def test_job_callbacks_are_not_events(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession
) -> None:
    """A video's callback wakes waits but reaches no event handler, not even '*'."""
    seen: list[Any] = []
    receiver.on("*", seen.append)
    assert await post(raw, receiver.url, json=VIDEO_BODY) == 200
    assert seen == []


async def test_a_conversation_callback_wakes_the_wait_on_its_id(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession
) -> None:
    """An event names its conversation: a wait subscribed to that id is woken."""
    with receiver.subscribe("c0123456789") as woken:
        assert await post(raw, receiver.url, json=SHUTDOWN) == 200
        assert woken.is_set()


def test_parse_callback_reads_a_conversation_event() -> None:
    """parse_callback gives the typed event of a conversation callback."""
    event = parse_callback(TRANSCRIPT)
    assert isinstance(event, TranscriptionReadyEvent)
    assert event.conversation_id == "c0123456789"


@pytest.mark.parametrize(
    ("event_type", "handler", "error"),
    [("", print, ValueError), ("  ", print, ValueError), ("system.shutdown", 3, TypeError)],
)
def test_on_refuses_a_blank_type_or_a_handler_that_cannot_be_called(
    event_type: str, handler: Any, error: type[Exception]
) -> None:
    """on() checks its arguments when it is called, naming them."""
    with pytest.raises(error, match=r"event_type|handler"):
        CallbackReceiver().on(event_type, handler)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"replica_id": "r1", "face_id": "r1", "status": "ready"}, "Replica"),
        ({"video_id": "v1", "replica_id": "r1", "face_id": "r1", "status": "ready"}, "Video"),
        ({"face_id": "r1", "status": "completed"}, "Face"),
    ],
)
def test_a_callback_naming_a_face_id_too_is_still_understood(
    body: dict[str, Any], expected: str
) -> None:
    """Tavus's newer face_id beside a replica's or video's ids does not make it ambiguous."""
    assert type(parse_callback(body)).__name__ == expected


async def test_a_replica_callback_naming_its_face_id_wakes_the_wait(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession
) -> None:
    """A replica callback that also names face_id is accepted and wakes the replica's wait."""
    with receiver.subscribe("r1") as woken:
        body = {"replica_id": "r1", "face_id": "r1", "status": "ready"}
        assert await post(raw, receiver.url, json=body) == 200
        assert woken.is_set()


async def test_a_callback_naming_a_replica_and_its_face_wakes_both_waits(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession
) -> None:
    """A body naming replica_id and face_id (one object, two names) wakes both waits;
    a video's callback, which names its replica as a reference, wakes no replica wait."""
    with receiver.subscribe("r1") as replica, receiver.subscribe("f1") as face:
        body = {"replica_id": "r1", "face_id": "f1", "status": "ready"}
        assert await post(raw, receiver.url, json=body) == 200
        assert replica.is_set()
        assert face.is_set()
    with receiver.subscribe("r1") as replica:
        video = {"video_id": "v1", "replica_id": "r1", "status": "ready"}
        assert await post(raw, receiver.url, json=video) == 200
        assert not replica.is_set()
