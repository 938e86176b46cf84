"""Checked by ``mypy --strict`` in .ci/run, never run: what the conversations family promises
a type checker. Each ``assert_type`` fails the type check if the SDK's typing regresses."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from typing_extensions import assert_type

from tavus_async import (
    Conversation,
    ConversationEvent,
    ConversationProperties,
    Page,
    PollPolicy,
    ShutdownEvent,
    TavusClient,
    TranscriptMessage,
    WaitOutcome,
    WaitTimeoutError,
)


async def calls(tavus: TavusClient) -> None:
    """Each call of the family returns its documented type."""
    conversation = await tavus.conversations.create(
        replica_id="r1",
        persona_id="p1",
        memory_stores=["anna"],
        document_retrieval_strategy="balanced",
        properties=ConversationProperties(max_call_duration=600, extra={"new": 1}),
        timeout=10.0,
    )
    assert_type(conversation, Conversation)
    assert_type(conversation.meeting_token, str | None)
    page = await tavus.conversations.list(status="ended", limit=5)
    assert_type(page, Page[Conversation])
    assert_type(tavus.conversations.iter(status="active"), AsyncGenerator[Conversation, None])
    assert_type(await tavus.conversations.get("c1", verbose=True), Conversation)
    assert_type(await tavus.conversations.end("c1"), None)
    assert_type(await tavus.conversations.delete("c1", hard=True), None)


async def waits(tavus: TavusClient) -> None:
    """The waits return the ended conversation, its transcript, and typed outcomes."""
    policy = PollPolicy(initial=10, maximum=60, timeout=7200)
    ended = await tavus.conversations.wait("c1", policy=policy, max_retries=0)
    assert_type(ended, Conversation)
    assert_type(ended.ended_because, str | None)
    messages = await tavus.conversations.wait_for_transcript("c1", grace=300)
    assert_type(messages, list[TranscriptMessage])
    assert_type(messages[0].content, str | None)
    assert_type(await tavus.conversations.create_and_wait(persona_id="p1"), Conversation)
    async for outcome in tavus.conversations.wait_many(["c1", "c2"]):
        assert_type(outcome, WaitOutcome[Conversation])


def events(payload: dict[str, Any], conversation: Conversation) -> str | None:
    """Events parse as ConversationEvent; the typed ones narrow by isinstance."""
    event = ConversationEvent.from_dict(payload)
    assert_type(event, ConversationEvent)
    assert_type(conversation.transcript, list[TranscriptMessage] | None)
    assert_type(conversation.events, tuple[ConversationEvent, ...] | None)
    if isinstance(event, ShutdownEvent):
        return event.shutdown_reason
    return event.event_type


def timeout(error: WaitTimeoutError[Conversation]) -> Conversation | None:
    """A conversation wait's timeout carries the last Conversation seen."""
    assert_type(error.last, Conversation | None)
    return error.last
