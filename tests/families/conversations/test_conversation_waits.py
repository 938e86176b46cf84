"""A conversation's waits on mocked Tavus: for its end, whatever the reason, and for its
transcript, through transient trouble, to their deadlines and the transcript's grace."""

from __future__ import annotations

from typing import Any

import pytest
import yarl

from tavus_async import (
    ConversationStatus,
    NotFoundError,
    PollPolicy,
    TavusClient,
    TranscriptMessage,
    WaitTimeoutError,
)
from tavus_async.resources.conversations import CONVERSATION_POLICY, TRANSCRIPT_GRACE

from _support.clocks import FakeClock
from _support.http import BASE, connector_error, sent
from _support.waits import collect

URL = f"{BASE}/v2/conversations/c1"
VERBOSE = f"{URL}?verbose=true"
POLICY = PollPolicy(initial=10, maximum=10, timeout=3600)
SHORT = PollPolicy(initial=10, maximum=10, timeout=60)

TRANSCRIPT = [
    {"role": "system", "content": "You are a coach."},
    {"role": "assistant", "content": "Hi, I'm Rio."},
    {"role": "user", "content": "Hi."},
]


def conversation(status: str, *events: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A conversation as GET /v2/conversations/c1 returns it (verbose when given events)."""
    body = {"conversation_id": "c1", "status": status, **fields}
    return {**body, "events": list(events)} if events else body


def shutdown(reason: str) -> dict[str, Any]:
    return {"event_type": "system.shutdown", "properties": {"shutdown_reason": reason}}


TRANSCRIBED = {
    "event_type": "application.transcription_ready",
    "properties": {"transcript": TRANSCRIPT},
}


@pytest.mark.parametrize(
    "reason",
    [
        "max_call_duration reached",
        "participant_absent_timeout reached",
        "exception_encountered_during_conversation_startup",
        "internal error occurred at step x",
    ],
)
async def test_wait_returns_the_ended_conversation_whatever_the_reason(
    timed_client: TavusClient, http: Any, reason: str
) -> None:
    """An ended conversation is the wait's result, even one that ended on an error."""
    http.get(VERBOSE, payload=conversation("active"))
    http.get(VERBOSE, payload=conversation("ended", shutdown_reason=reason))

    ended = await timed_client.conversations.wait("c1", policy=POLICY)

    assert ended.status is ConversationStatus.ENDED
    assert ended.ended_because == reason


async def test_wait_polls_the_verbose_conversation_so_its_result_says_why_it_ended(
    timed_client: TavusClient, http: Any
) -> None:
    """Tavus tells why a call ended only in the verbose object: the wait's result has it."""
    http.get(VERBOSE, payload=conversation("active", {"event_type": "system.replica_joined"}))
    http.get(VERBOSE, payload=conversation("ended", shutdown("end_conversation_endpoint_hit")))

    ended = await timed_client.conversations.wait("c1", policy=POLICY)

    assert ended.ended_because == "end_conversation_endpoint_hit"
    assert not http.requests.get(("GET", yarl.URL(URL)))


async def test_wait_survives_transient_trouble(
    timed_client: TavusClient, http: Any, clock: FakeClock
) -> None:
    """5xx, 429 and lost connections while polling are waited out, one poll each."""
    http.get(VERBOSE, payload=conversation("active"))
    http.get(VERBOSE, status=503, payload={"error": "busy"})
    http.get(VERBOSE, exception=connector_error())
    http.get(VERBOSE, status=429, headers={"Retry-After": "30"})
    http.get(VERBOSE, body="<html>gateway", content_type="text/html")
    http.get(VERBOSE, payload=conversation("ended"))

    ended = await timed_client.conversations.wait("c1", policy=POLICY)

    assert ended.ended
    assert len(sent(http, "GET", VERBOSE)) == 6
    assert 30 in clock.delays  # the Retry-After was honoured


async def test_wait_ends_with_the_last_conversation_at_its_deadline(
    timed_client: TavusClient, http: Any, clock: FakeClock
) -> None:
    """A call still going at the deadline raises WaitTimeoutError holding it."""
    http.get(VERBOSE, payload=conversation("active"), repeat=True)

    with pytest.raises(WaitTimeoutError) as caught:
        await timed_client.conversations.wait("c1", policy=SHORT)

    assert caught.value.last is not None
    assert caught.value.last.status is ConversationStatus.ACTIVE
    assert clock() == pytest.approx(SHORT.timeout)


async def test_wait_ends_at_once_on_an_unknown_conversation(
    timed_client: TavusClient, http: Any
) -> None:
    """A 404 is no transient trouble: the wait raises it after one poll."""
    http.get(VERBOSE, status=404, payload={"error": "Not found"})

    with pytest.raises(NotFoundError):
        await timed_client.conversations.wait("c1", policy=POLICY)


async def test_the_default_policy_fits_calls_of_up_to_an_hour(timed_client: TavusClient) -> None:
    """The default polls within seconds at first, at most every minute, for two hours."""
    policy = timed_client.conversations.default_policy

    assert policy is CONVERSATION_POLICY
    assert policy.initial <= 10
    assert policy.maximum == 60
    assert policy.timeout >= 3600 + 600


async def test_wait_for_transcript_polls_verbose_until_it_comes(
    timed_client: TavusClient, http: Any
) -> None:
    """wait_for_transcript reads the verbose conversation and returns its messages."""
    seen: list[tuple[str, bool]] = []
    http.get(VERBOSE, payload=conversation("active", {"event_type": "system.replica_joined"}))
    http.get(VERBOSE, payload=conversation("ended", shutdown("end_conversation_endpoint_hit")))
    http.get(
        VERBOSE,
        payload=conversation(
            "ended", shutdown("end_conversation_endpoint_hit"), TRANSCRIBED, {"event_type": "x"}
        ),
    )

    messages = await timed_client.conversations.wait_for_transcript(
        "c1",
        policy=POLICY,
        on_update=lambda c: seen.append((str(c.status), c.transcript is not None)),
    )

    assert messages == [TranscriptMessage.from_dict(m) for m in TRANSCRIPT]
    assert [(m.role, m.content) for m in messages][1] == ("assistant", "Hi, I'm Rio.")
    assert seen == [("active", False), ("ended", False), ("ended", True)]
    assert len(sent(http, "GET", VERBOSE)) == 3


async def test_wait_for_transcript_survives_transient_trouble(
    timed_client: TavusClient, http: Any
) -> None:
    """Trouble while waiting for the transcript is waited out as in any wait."""
    http.get(VERBOSE, status=500, payload={"error": "oops"})
    http.get(VERBOSE, exception=connector_error())
    http.get(VERBOSE, payload=conversation("ended", TRANSCRIBED))

    messages = await timed_client.conversations.wait_for_transcript("c1", policy=POLICY)

    assert len(messages) == 3


async def test_no_transcript_after_the_grace_ends_the_wait(
    timed_client: TavusClient, http: Any, clock: FakeClock
) -> None:
    """Ended without a transcript for ``grace`` seconds: WaitTimeoutError with the conversation."""
    http.get(VERBOSE, payload=conversation("active"))
    http.get(VERBOSE, payload=conversation("ended", shutdown("daily_room_has_been_deleted")))
    http.get(
        VERBOSE, payload=conversation("ended", shutdown("daily_room_has_been_deleted")), repeat=True
    )

    with pytest.raises(WaitTimeoutError, match="no transcript came within 60 s") as caught:
        await timed_client.conversations.wait_for_transcript("c1", policy=POLICY, grace=60)

    last = caught.value.last
    assert last is not None
    assert last.ended_because == "daily_room_has_been_deleted"
    assert "daily_room_has_been_deleted" in str(caught.value)
    # First seen ended at 10 s; the poll at 70 s is the first 60 s after that.
    assert clock() == pytest.approx(70)
    assert caught.value.elapsed == pytest.approx(70)


async def test_the_grace_counts_from_the_end_not_from_the_start(
    timed_client: TavusClient, http: Any
) -> None:
    """A long call does not use up the grace: it starts when the end is first seen."""
    for _ in range(20):
        http.get(VERBOSE, payload=conversation("active"))
    http.get(VERBOSE, payload=conversation("ended"))
    http.get(VERBOSE, payload=conversation("ended", TRANSCRIBED))

    messages = await timed_client.conversations.wait_for_transcript("c1", policy=POLICY, grace=15)

    assert len(messages) == 3
    assert TRANSCRIPT_GRACE == 600


async def test_wait_for_transcript_has_a_deadline_too(
    timed_client: TavusClient, http: Any, clock: FakeClock
) -> None:
    """A call that never ends meets the policy's deadline, whatever the grace."""
    http.get(VERBOSE, payload=conversation("active"), repeat=True)

    with pytest.raises(WaitTimeoutError, match="did not finish within 60 s"):
        await timed_client.conversations.wait_for_transcript("c1", policy=SHORT)

    assert clock() == pytest.approx(60)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"conversation_id": "c/1"}, ValueError, "conversation_id"),
        ({"policy": 5}, TypeError, "policy"),
        ({"on_update": 3}, TypeError, "on_update"),
        ({"grace": -1}, ValueError, "grace"),
        ({"grace": "10"}, TypeError, "grace"),
        ({"callbacks": object()}, TypeError, "callbacks"),
        ({"extra_body": {"a": 1}}, ValueError, "extra_body"),
    ],
)
async def test_wait_for_transcript_refuses_bad_arguments_at_once(
    timed_client: TavusClient, http: Any, kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    """A bad id, policy, on_update, grace, receiver or option fails before any request."""
    arguments: dict[str, Any] = {"conversation_id": "c1", **kwargs}
    conversation_id = arguments.pop("conversation_id")

    with pytest.raises(error, match=name):
        await timed_client.conversations.wait_for_transcript(conversation_id, **arguments)

    assert not http.requests


async def test_wait_many_reports_each_conversation(timed_client: TavusClient, http: Any) -> None:
    """wait_many gives every ended conversation ok, and an unknown one its error."""
    http.get(VERBOSE, payload=conversation("ended", shutdown_reason="max_call_duration reached"))
    http.get(
        f"{BASE}/v2/conversations/c2?verbose=true",
        status=400,
        payload={"error": "Invalid conversation_id"},
    )

    outcomes = await collect(timed_client.conversations.wait_many(["c1", "c2"], policy=POLICY))

    by_id = {o.id: o for o in outcomes}
    assert by_id["c1"].ok
    assert not by_id["c2"].ok
    assert "Invalid conversation_id" in str(by_id["c2"].error)
