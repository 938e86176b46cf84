"""conversations: the requests each call sends, the documented answers it reads, and the
arguments it refuses before any request."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import (
    BadRequestError,
    ConversationProperties,
    ConversationStatus,
    ReplicaJoinedEvent,
    ShutdownEvent,
    TavusClient,
    VideoProperties,
)

from _support.http import BASE, connector_error, sent, total_requests

URL = f"{BASE}/v2/conversations"

#: Tavus's documented answer to a create (with require_auth).
CREATED = {
    "conversation_id": "c123456",
    "conversation_name": "A Meeting with Hassaan",
    "conversation_url": "https://tavus.daily.co/c123456",
    "status": "active",
    "callback_url": "https://yourwebsite.com/webhook",
    "created_at": "2025-05-13T06:42:58.291561Z",
    "meeting_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig",
}

#: Tavus's documented list item.
LISTED = {
    "conversation_id": "c123456",
    "conversation_name": "A Meeting with Hassaan",
    "status": "active",
    "conversation_url": "https://tavus.daily.co/c123456",
    "callback_url": "https://yourwebsite.com/webhook",
    "replica_id": "r90bbd427f71",
    "persona_id": "pcb7a34da5fe",
    "created_at": "",
    "updated_at": "2025-05-13T06:42:58.291561Z",
}


async def test_create_sends_the_documented_example_and_reads_the_answer(
    client: TavusClient, http: Any
) -> None:
    """create posts exactly the fields given and returns the active room with its token."""
    http.post(URL, payload=CREATED)

    conversation = await client.conversations.create(
        replica_id="rfe12d8b9597",
        persona_id="pdced222244b",
        callback_url="https://yourwebsite.com/webhook",
        conversation_name="Improve Sales Technique",
        conversational_context="I want to improve my sales techniques.",
        require_auth=True,
        properties=ConversationProperties(
            max_call_duration=1800,
            participant_left_timeout=60,
            participant_absent_timeout=120,
            language="multilingual",
            enable_closed_captions=True,
            apply_greenscreen=True,
        ),
    )

    (call,) = sent(http, "POST", URL)
    assert call.kwargs["json"] == {
        "replica_id": "rfe12d8b9597",
        "persona_id": "pdced222244b",
        "callback_url": "https://yourwebsite.com/webhook",
        "conversation_name": "Improve Sales Technique",
        "conversational_context": "I want to improve my sales techniques.",
        "require_auth": True,
        "properties": {
            "max_call_duration": 1800,
            "participant_left_timeout": 60,
            "participant_absent_timeout": 120,
            "language": "multilingual",
            "enable_closed_captions": True,
            "apply_greenscreen": True,
        },
    }
    assert conversation.status is ConversationStatus.ACTIVE
    assert conversation.conversation_url == "https://tavus.daily.co/c123456"
    assert conversation.meeting_token == CREATED["meeting_token"]
    assert CREATED["meeting_token"] not in repr(conversation)
    assert not conversation.ended


async def test_create_sends_every_other_documented_field(client: TavusClient, http: Any) -> None:
    """Lists, flags, the retrieval strategy and a properties mapping with a new key go as given."""
    http.post(URL, payload={"conversation_id": "c1", "status": "ended"})

    await client.conversations.create(
        persona_id="p1",
        custom_greeting="",
        memory_stores=("anna",),
        document_ids=["d1234567890"],
        document_retrieval_strategy="quality",
        document_tags=["product_info"],
        audio_only=False,
        test_mode=True,
        max_participants=3,
        properties={"enable_recording": True, "recording_s3_bucket_name": "b", "new_key": 1},
    )

    (call,) = sent(http, "POST", URL)
    assert call.kwargs["json"] == {
        "persona_id": "p1",
        "custom_greeting": "",
        "memory_stores": ["anna"],
        "document_ids": ["d1234567890"],
        "document_retrieval_strategy": "quality",
        "document_tags": ["product_info"],
        "audio_only": False,
        "test_mode": True,
        "max_participants": 3,
        "properties": {"enable_recording": True, "recording_s3_bucket_name": "b", "new_key": 1},
    }


async def test_typed_properties_send_their_unknown_keys(client: TavusClient, http: Any) -> None:
    """ConversationProperties(extra=...) sends a key this SDK does not know, beside its own."""
    http.post(URL, payload={"conversation_id": "c1"})

    await client.conversations.create(
        replica_id="r1",
        properties=ConversationProperties(language="english", extra={"enable_transcription": True}),
    )

    (call,) = sent(http, "POST", URL)
    assert call.kwargs["json"]["properties"] == {
        "language": "english",
        "enable_transcription": True,
    }


async def test_a_create_that_may_have_reached_tavus_is_not_sent_again(
    client: TavusClient, http: Any
) -> None:
    """A 503 to the create ends it at once: a second POST could open a second, billed room."""
    http.post(URL, status=503, payload={"error": "busy"})

    with pytest.raises(Exception, match="503"):
        await client.conversations.create(replica_id="r1")

    assert len(sent(http, "POST", URL)) == 1


BAD_CREATES: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"replica_id": ""}, ValueError, "replica_id"),
    ({"replica_id": 7}, TypeError, "replica_id"),
    ({"persona_id": "  "}, ValueError, "persona_id"),
    ({"replica_id": "r1", "callback_url": "hooks.example.com"}, ValueError, "callback_url"),
    ({"replica_id": "r1", "conversation_name": 3}, TypeError, "conversation_name"),
    ({"replica_id": "r1", "memory_stores": "anna"}, TypeError, "memory_stores"),
    ({"replica_id": "r1", "document_ids": ["d1", ""]}, ValueError, r"document_ids\[1\]"),
    ({"replica_id": "r1", "document_tags": [1]}, TypeError, r"document_tags\[0\]"),
    ({"replica_id": "r1", "audio_only": "false"}, TypeError, "audio_only"),
    ({"replica_id": "r1", "test_mode": 1}, TypeError, "test_mode"),
    ({"replica_id": "r1", "require_auth": None, "max_participants": 1}, ValueError, "max_part"),
    ({"replica_id": "r1", "max_participants": True}, TypeError, "max_participants"),
    ({"replica_id": "r1", "properties": VideoProperties()}, TypeError, "properties"),
    ({"replica_id": "r1", "properties": {"x": object()}}, TypeError, "properties"),
    ({"replica_id": "r1", "document_retrieval_strategy": ""}, ValueError, "document_retrieval"),
]


@pytest.mark.parametrize(("kwargs", "error", "name"), BAD_CREATES)
async def test_bad_create_arguments_fail_before_any_request(
    client: TavusClient, http: Any, kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    """create refuses a bad argument with an error naming it, sending nothing."""
    with pytest.raises(error, match=name):
        await client.conversations.create(**kwargs)

    assert total_requests(http) == 0


async def test_list_filters_by_status_and_reads_the_documented_page(
    client: TavusClient, http: Any
) -> None:
    """list sends limit, page and status, and reads Tavus's documented page."""
    http.get(f"{URL}?limit=5&page=2&status=active", payload={"data": [LISTED], "total_count": 123})

    page = await client.conversations.list(limit=5, page=2, status=ConversationStatus.ACTIVE)

    (conversation,) = page.data
    assert page.total_count == 123
    assert (conversation.replica_id, conversation.persona_id) == ("r90bbd427f71", "pcb7a34da5fe")
    assert conversation.created_at is None  # Tavus's example sends ""
    assert conversation.updated_at is not None


async def test_iter_walks_every_page_of_a_status(client: TavusClient, http: Any) -> None:
    """iter asks each page with the status filter and yields each conversation once."""
    http.get(
        f"{URL}?limit=2&page=0&status=ended",
        payload={"data": [{"conversation_id": "c1"}, {"conversation_id": "c2"}], "total_count": 3},
    )
    http.get(
        f"{URL}?limit=2&page=1&status=ended",
        payload={"data": [{"conversation_id": "c3"}], "total_count": 3},
    )

    ids = [c.conversation_id async for c in client.conversations.iter(page_size=2, status="ended")]

    assert ids == ["c1", "c2", "c3"]


async def test_a_bad_status_filter_fails_before_any_request(client: TavusClient, http: Any) -> None:
    """list and iter refuse a status that is not text, naming it."""
    number: Any = 3
    with pytest.raises(TypeError, match="status"):
        await client.conversations.list(status=number)
    with pytest.raises(ValueError, match="status"):
        client.conversations.iter(status="")

    assert total_requests(http) == 0


async def test_verbose_get_reads_the_events(client: TavusClient, http: Any) -> None:
    """get(verbose=True) asks ?verbose=true and parses each event by its event_type."""
    http.get(
        f"{URL}/c1?verbose=true",
        payload={
            "conversation_id": "c1",
            "status": "ended",
            "events": [
                {"event_type": "system.replica_joined", "properties": {"replica_id": "r1"}},
                {
                    "event_type": "system.shutdown",
                    "message_type": "system",
                    "properties": {
                        "replica_id": "r1",
                        "shutdown_reason": "max_call_duration reached",
                    },
                },
            ],
        },
    )

    conversation = await client.conversations.get("c1", verbose=True)

    joined, shutdown = conversation.events or ()
    assert isinstance(joined, ReplicaJoinedEvent)
    assert joined.replica_id == "r1"
    assert isinstance(shutdown, ShutdownEvent)
    assert conversation.ended
    assert conversation.ended_because == "max_call_duration reached"


async def test_end_posts_to_end_and_takes_an_answer_without_a_body(
    client: TavusClient, http: Any
) -> None:
    """end POSTs /end with no body and returns None on Tavus's bodiless 200."""
    http.post(f"{URL}/c1/end", status=200)

    assert await client.conversations.end("c1") is None

    (call,) = sent(http, "POST", f"{URL}/c1/end")
    assert call.kwargs.get("json") is None


async def test_end_is_retried_like_a_read(client: TavusClient, http: Any) -> None:
    """Ending twice is harmless: a 503 and a lost connection are retried, then it ends."""
    http.post(f"{URL}/c1/end", status=503, payload={"error": "busy"})
    http.post(f"{URL}/c1/end", exception=connector_error())
    http.post(f"{URL}/c1/end", status=200)

    await client.conversations.end("c1")

    assert len(sent(http, "POST", f"{URL}/c1/end")) == 3


async def test_end_of_an_unknown_conversation_is_tavuss_400(client: TavusClient, http: Any) -> None:
    """Tavus's 400 for an unknown id is raised as it came, not retried."""
    http.post(f"{URL}/cnope/end", status=400, payload={"error": "Invalid conversation_id"})

    with pytest.raises(BadRequestError, match="Invalid conversation_id"):
        await client.conversations.end("cnope")

    assert total_requests(http) == 1


async def test_end_refuses_an_unsafe_id_before_any_request(client: TavusClient, http: Any) -> None:
    """end checks the id before it goes into the url path."""
    with pytest.raises(ValueError, match="conversation_id"):
        await client.conversations.end("c1/../../replicas")

    assert total_requests(http) == 0


async def test_hard_delete_takes_tavuss_204(client: TavusClient, http: Any) -> None:
    """delete(hard=True) sends ?hard=true and takes Tavus's 204 No Content."""
    http.delete(f"{URL}/c1?hard=true", status=204)

    assert await client.conversations.delete("c1", hard=True) is None

    assert len(sent(http, "DELETE", f"{URL}/c1?hard=true")) == 1


async def test_end_has_a_raw_response(client: TavusClient, http: Any) -> None:
    """with_raw_response.end gives the answer's status and request id, and parses to None."""
    http.post(f"{URL}/c1/end", status=200, headers={"X-Request-Id": "req-9"})

    raw = await client.conversations.with_raw_response.end("c1")

    assert (raw.status_code, raw.method, raw.request_id) == (200, "POST", "req-9")
    assert raw.parse() is None
