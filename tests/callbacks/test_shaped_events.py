"""Callbacks Tavus sends without an event_type (a triggered guardrail, a completed objective)
reach receiver.on handlers as typed events, told by their shape, over real POSTs."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from tavus_async import (
    ConversationEvent,
    GuardrailTriggeredEvent,
    ObjectiveCompletedEvent,
    ShutdownEvent,
)
from tavus_async.callbacks import CallbackReceiver, parse_callback

from _support.callbacks import post

# The webhooks page's guardrail and objective callbacks.
GUARDRAIL = {
    "conversation_id": "c0123456789",
    "properties": {"guardrail": "no_medical_advice", "guardrail_uuid": "g1234567890ab"},
}
OBJECTIVE = {
    "conversation_id": "c0123456789",
    "objective_name": "ask_if_new_patient",
    "output_variables": {"patient_status": "new"},
}
SHUTDOWN = {
    "conversation_id": "c0123456789",
    "event_type": "system.shutdown",
    "message_type": "system",
    "timestamp": "2025-07-11T06:48:37.564961Z",
    "properties": {"replica_id": "r783537ef5", "shutdown_reason": "participant_left_timeout"},
}


async def test_a_triggered_guardrail_reaches_its_handler_typed(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession
) -> None:
    """A guardrail's callback is a GuardrailTriggeredEvent under 'guardrail.triggered'."""
    seen: list[Any] = []
    receiver.on("guardrail.triggered", seen.append)

    assert await post(raw, receiver.url, json=GUARDRAIL) == 200
    assert await post(raw, receiver.url, json=OBJECTIVE) == 200

    (event,) = seen
    assert isinstance(event, GuardrailTriggeredEvent)
    assert event.event_type == "guardrail.triggered"
    assert (event.conversation_id, event.guardrail_name, event.guardrail_uuid) == (
        "c0123456789",
        "no_medical_advice",
        "g1234567890ab",
    )
    assert event.to_dict() == GUARDRAIL  # the synthesised type is not written back


async def test_a_completed_objective_reaches_its_handler_typed(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession
) -> None:
    """An objective's callback is an ObjectiveCompletedEvent under 'objective.completed'."""
    seen: list[Any] = []

    @receiver.on("objective.completed")
    async def handle(event: ObjectiveCompletedEvent) -> None:
        seen.append(event)

    assert await post(raw, receiver.url, json=OBJECTIVE) == 200
    await receiver.drain()

    (event,) = seen
    assert isinstance(event, ObjectiveCompletedEvent)
    assert event.objective_name == "ask_if_new_patient"
    assert event.output_variables == {"patient_status": "new"}


async def test_the_catch_all_gets_shaped_events_beside_tavus_own(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession
) -> None:
    """'*' receives the shaped events and the conversation's typed ones, each as its class."""
    seen: list[Any] = []
    receiver.on("*", seen.append)

    for body in (GUARDRAIL, SHUTDOWN, OBJECTIVE):
        assert await post(raw, receiver.url, json=body) == 200

    assert [type(e) for e in seen] == [
        GuardrailTriggeredEvent,
        ShutdownEvent,
        ObjectiveCompletedEvent,
    ]
    assert receiver.received == 3


async def test_a_shaped_event_wakes_no_wait(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession
) -> None:
    """A guardrail firing does not change the conversation: a wait on it is not woken."""
    with receiver.subscribe("c0123456789") as woken:
        assert await post(raw, receiver.url, json=GUARDRAIL) == 200
        assert await post(raw, receiver.url, json=OBJECTIVE) == 200
        assert not woken.is_set()
        assert await post(raw, receiver.url, json=SHUTDOWN) == 200
        assert woken.is_set()


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (GUARDRAIL, GuardrailTriggeredEvent),
        (OBJECTIVE, ObjectiveCompletedEvent),
        # Tavus's own event_type wins: a conversation event, whatever its properties.
        ({**GUARDRAIL, "event_type": "application.guardrail_x"}, ConversationEvent),
        ({**OBJECTIVE, "event_type": "application.objective_x"}, ConversationEvent),
        # Neither shape: a conversation's callback, as before.
        ({"conversation_id": "c1", "properties": {"other": 1}}, ConversationEvent),
    ],
    ids=["guardrail", "objective", "typed guardrail", "typed objective", "plain"],
)
def test_parse_callback_tells_the_kind_by_shape(body: dict[str, Any], kind: type) -> None:
    """parse_callback gives the shaped event classes, and never takes Tavus's typed events."""
    assert type(parse_callback(body)) is kind


@pytest.mark.parametrize(
    "body",
    [
        {"conversation_id": 7, "objective_name": "x"},
        {"objective_name": "x", "output_variables": {}},
        {"properties": {"guardrail": "x"}},
    ],
)
def test_a_shape_without_its_conversation_is_no_callback(body: dict[str, Any]) -> None:
    """A body that names no conversation is not one of these callbacks: ValueError."""
    with pytest.raises(ValueError, match="Tavus callback"):
        parse_callback(body)
