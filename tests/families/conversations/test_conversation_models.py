"""Conversation models: events parsed by event_type with typed access, unknown ones kept as
they came, the transcript and why a call ended, and JSON in and out."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tavus_async import (
    Conversation,
    ConversationEvent,
    ConversationProperties,
    PerceptionAnalysisEvent,
    PerceptionUnavailableEvent,
    PostCallActionEvent,
    RecordingReadyEvent,
    ReplicaJoinedEvent,
    ResponseValidationError,
    ShutdownEvent,
    TranscriptionReadyEvent,
    TranscriptMessage,
)
from tavus_async.callbacks import CallbackReceiver


def envelope(event_type: str, properties: dict[str, Any], **more: Any) -> dict[str, Any]:
    """A conversation callback as Tavus's webhooks page shows it."""
    return {
        "properties": properties,
        "conversation_id": "c123456",
        "webhook_url": "https://yourwebsite.com/webhook",
        "event_type": event_type,
        "message_type": event_type.partition(".")[0],
        "timestamp": "2025-07-11T06:45:47.472000Z",
        **more,
    }


#: Tavus's documented examples (the webhooks page), and the newer verbose transcript.
REPLICA_JOINED = envelope("system.replica_joined", {"replica_id": "r79e1c033f"})
PAL_JOINED = envelope("system.pal_joined", {"replica_id": "r79e1c033f"})
SHUTDOWN = envelope(
    "system.shutdown", {"replica_id": "r79e1c033f", "shutdown_reason": "participant_left_timeout"}
)
TRANSCRIPTION = envelope(
    "application.transcription_ready",
    {
        "replica_id": "r79e1c033f",
        "transcript": [
            {"role": "system", "content": "You are in a live video conference call with a user."},
            {"role": "user", "content": "Hi."},
            {
                "role": "assistant",
                "content": "How's it going?",
                "timestamp": 1752216350.5,
                "seconds_from_start": 3.25,
                "duration": 1.5,
                "inference_id": "inf-1",
            },
            {"role": "tool", "content": "{}", "tool_call_id": "t1"},
        ],
    },
)
RECORDING = envelope(
    "application.recording_ready",
    {"bucket_name": "my-bucket", "s3_key": "c1/rec.mp4", "duration": 14},
)
PERCEPTION = envelope(
    "application.perception_analysis", {"analysis": "Here's a summary of the visual observations"}
)
UNAVAILABLE = envelope("application.perception_unavailable", {"reason": "no_vision_history"})
POST_CALL = envelope(
    "application.post_call_action_executed",
    {"tool_name": "crm_update", "status": "success", "request": {"a": 1}, "response": "ok"},
)


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        (REPLICA_JOINED, ReplicaJoinedEvent),
        (PAL_JOINED, ReplicaJoinedEvent),
        (SHUTDOWN, ShutdownEvent),
        (TRANSCRIPTION, TranscriptionReadyEvent),
        (RECORDING, RecordingReadyEvent),
        (PERCEPTION, PerceptionAnalysisEvent),
        (UNAVAILABLE, PerceptionUnavailableEvent),
        (POST_CALL, PostCallActionEvent),
    ],
)
def test_each_documented_event_is_parsed_as_its_class(
    payload: dict[str, Any], kind: type[ConversationEvent]
) -> None:
    """ConversationEvent.from_dict gives the event_type's class, envelope and properties kept."""
    event = ConversationEvent.from_dict(payload)

    assert type(event) is kind
    assert event.conversation_id == "c123456"
    assert event.webhook_url == "https://yourwebsite.com/webhook"
    assert event.timestamp is not None
    assert event.timestamp.isoformat() == "2025-07-11T06:45:47.472000+00:00"
    assert event.properties == payload["properties"]
    assert event.to_dict() == payload


def test_typed_accessors_read_the_properties() -> None:
    """Each documented event's accessors read what Tavus put in its properties."""
    assert ConversationEvent.from_dict(REPLICA_JOINED).replica_id == "r79e1c033f"
    shutdown = ConversationEvent.from_dict(SHUTDOWN)
    assert isinstance(shutdown, ShutdownEvent)
    assert shutdown.shutdown_reason == "participant_left_timeout"
    recording = ConversationEvent.from_dict(RECORDING)
    assert isinstance(recording, RecordingReadyEvent)
    assert (recording.bucket_name, recording.s3_key, recording.duration) == (
        "my-bucket",
        "c1/rec.mp4",
        14,
    )
    perception = ConversationEvent.from_dict(PERCEPTION)
    assert isinstance(perception, PerceptionAnalysisEvent)
    assert perception.analysis == "Here's a summary of the visual observations"
    unavailable = ConversationEvent.from_dict(UNAVAILABLE)
    assert isinstance(unavailable, PerceptionUnavailableEvent)
    assert unavailable.reason == "no_vision_history"
    action = ConversationEvent.from_dict(POST_CALL)
    assert isinstance(action, PostCallActionEvent)
    assert (action.tool_name, action.status, action.request, action.response) == (
        "crm_update",
        "success",
        {"a": 1},
        "ok",
    )


def test_the_transcript_is_a_list_of_messages() -> None:
    """The transcription event's messages have role and content, and the newer timings."""
    event = ConversationEvent.from_dict(TRANSCRIPTION)

    assert isinstance(event, TranscriptionReadyEvent)
    system, user, assistant, tool = event.transcript
    assert [m.role for m in event.transcript] == ["system", "user", "assistant", "tool"]
    assert (user.role, user.content, user.timestamp) == ("user", "Hi.", None)
    assert assistant == TranscriptMessage(
        role="assistant",
        content="How's it going?",
        timestamp=1752216350.5,
        seconds_from_start=3.25,
        duration=1.5,
        inference_id="inf-1",
    )
    assert tool.extra == {"tool_call_id": "t1"}
    assert system.content is not None


def test_an_unknown_event_stays_as_it_came() -> None:
    """An event_type this SDK does not know is a plain ConversationEvent, nothing lost."""
    payload = envelope("application.brand_new", {"x": [1, {"y": None}]}, seq=4)

    event = ConversationEvent.from_dict(payload)

    assert type(event) is ConversationEvent
    assert event.event_type == "application.brand_new"
    assert event.extra == {"seq": 4}
    assert event.to_dict() == payload


@pytest.mark.parametrize("event_type", [None, 5, "", "system.SHUTDOWN"])
def test_an_event_without_a_known_type_is_a_plain_event(event_type: object) -> None:
    """A missing, odd or differently spelled event_type gives a plain ConversationEvent."""
    payload = {"event_type": event_type, "properties": {"shutdown_reason": "x"}}

    assert type(ConversationEvent.from_dict(payload)) is ConversationEvent


def test_a_typed_event_parsed_directly_stays_that_class() -> None:
    """ShutdownEvent.from_dict gives a ShutdownEvent whatever the body's event_type."""
    event = ShutdownEvent.from_dict({"event_type": "system.replica_joined"})

    assert type(event) is ShutdownEvent


def test_a_transcript_entry_that_does_not_fit_is_a_validation_error() -> None:
    """Entries that are not objects are left out; an object that does not fit raises RVE."""
    odd = ConversationEvent.from_dict(
        envelope("application.transcription_ready", {"transcript": ["text", {"role": "user"}]})
    )
    assert isinstance(odd, TranscriptionReadyEvent)
    assert [m.role for m in odd.transcript] == ["user"]

    bad = envelope("application.transcription_ready", {"transcript": [{"timestamp": "soon"}]})
    event = ConversationEvent.from_dict(bad)
    assert isinstance(event, TranscriptionReadyEvent)
    with pytest.raises(ResponseValidationError, match="timestamp"):
        _ = event.transcript


VERBOSE = {
    "conversation_id": "c123456",
    "conversation_name": "A Meeting with Hassaan",
    "conversation_url": "https://tavus.daily.co/c123456",
    "callback_url": "https://yourwebsite.com/webhook",
    "status": "ended",
    "replica_id": "r79e1c033f",
    "persona_id": "p5317866",
    "created_at": "2025-07-11T06:45:40.000000Z",
    "updated_at": "Mon, 14 Jul 2025 09:14:24 GMT",
    "events": [REPLICA_JOINED, SHUTDOWN, TRANSCRIPTION, RECORDING, PERCEPTION, POST_CALL],
    "a_new_field": {"kept": True},
}


def test_a_verbose_conversation_gives_its_transcript_and_why_it_ended() -> None:
    """transcript, ended_because and perception_analysis come from the events."""
    conversation = Conversation.from_dict(VERBOSE)

    assert conversation.ended
    assert conversation.shutdown_reason is None
    assert conversation.ended_because == "participant_left_timeout"
    assert [m.content for m in conversation.transcript or []][1:3] == ["Hi.", "How's it going?"]
    assert conversation.perception_analysis == "Here's a summary of the visual observations"
    assert isinstance(conversation.event("application.recording_ready"), RecordingReadyEvent)
    assert conversation.event("application.nothing") is None
    assert conversation.extra == {"a_new_field": {"kept": True}}


def test_a_top_level_shutdown_reason_comes_first() -> None:
    """ended_because is the top-level shutdown_reason when Tavus sends one."""
    conversation = Conversation.from_dict(
        {**VERBOSE, "shutdown_reason": "max_call_duration reached"}
    )

    assert conversation.ended_because == "max_call_duration reached"


def test_a_plain_conversation_has_no_transcript_yet() -> None:
    """Without events (a plain get), or before the transcription, transcript is None."""
    active = Conversation.from_dict({"conversation_id": "c1", "status": "active"})
    early = Conversation.from_dict({**VERBOSE, "events": [REPLICA_JOINED]})

    assert (active.transcript, active.ended_because, active.ended) == (None, None, False)
    assert (active.progress, early.progress) == (None, 1.0)
    assert early.transcript is None


def test_an_older_top_level_transcript_is_read_too() -> None:
    """A verbose answer of the older shape, with ``transcript`` at the top, still gives it."""
    older = {"conversation_id": "c1", "transcript": [{"role": "user", "content": "Hi."}]}

    assert Conversation.from_dict(older).transcript == [
        TranscriptMessage(role="user", content="Hi.")
    ]


def test_a_verbose_conversation_round_trips_as_json() -> None:
    """to_dict gives back the body as it came (events and their properties too), and from_dict
    of it an equal conversation whose events keep their classes."""
    conversation = Conversation.from_dict(VERBOSE)

    again = Conversation.from_dict(json.loads(conversation.to_json()))

    assert again == conversation
    assert [type(e) for e in again.events or ()] == [type(e) for e in conversation.events or ()]
    written = conversation.to_dict()
    assert written["events"] == VERBOSE["events"]
    assert written["a_new_field"] == {"kept": True}


def test_properties_keep_unknown_keys_both_ways() -> None:
    """ConversationProperties parses a key it does not know into extra and writes it back."""
    settings = ConversationProperties.from_dict({"max_call_duration": 600, "new_thing": "x"})

    assert settings.max_call_duration == 600
    assert settings.extra == {"new_thing": "x"}
    assert settings.to_dict() == {"max_call_duration": 600, "new_thing": "x"}


def test_reprs_hide_a_callback_urls_token_and_mask_event_secrets() -> None:
    """callback_url and webhook_url show only scheme and host; to_dict() keeps them whole."""
    url = CallbackReceiver(public_url="https://hooks.example.com").url
    token = url.rsplit("/", 1)[1]
    conversation = Conversation.from_dict(
        {
            "conversation_id": "c1",
            "callback_url": url,
            "events": [
                envelope(
                    "application.post_call_action_executed",
                    {"request": {"headers": {"Authorization": "Bearer pca-secret-0123"}}},
                    webhook_url=url,
                )
            ],
        }
    )
    event = conversation.events[0] if conversation.events else None
    assert isinstance(event, PostCallActionEvent)

    for shown in (repr(conversation), repr(event)):
        assert token not in shown
        assert "pca-secret-0123" not in shown
        assert "'https://hooks.example.com/<hidden>'" in shown
    assert "'Authorization': '***'" in repr(event)
    assert conversation.to_dict()["callback_url"] == url
    assert event.to_dict()["webhook_url"] == url
    assert event.request == {"headers": {"Authorization": "Bearer pca-secret-0123"}}


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://10.0.0.7:8080/hooks/tok", "'http://10.0.0.7:8080/<hidden>'"),
        ("https://u:pw@hooks.example.com/t?k=v", "'https://hooks.example.com/<hidden>'"),
        ("https://hooks.example.com", "'https://hooks.example.com'"),
        ("not a url at all", "'<hidden>'"),
        ("http://[::1]:99999/t", "'<hidden>'"),
    ],
)
def test_a_callback_url_repr_keeps_only_scheme_host_and_port(url: str, shown: str) -> None:
    """Userinfo, path and query are hidden; a url with nothing after its host is shown."""
    assert f"callback_url={shown}" in repr(Conversation(conversation_id="c1", callback_url=url))
