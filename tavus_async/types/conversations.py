"""Conversations: the model, its status words, its settings, its events and transcript.

A conversation puts a replica (with a persona) in a video room. Tavus tells what happens
in it as *events*, each of one shape (``conversation_id``, ``event_type``,
``message_type``, ``timestamp``, ``properties``): POSTed to the conversation's
``callback_url`` as they happen, and listed in ``events`` by ``get(..., verbose=True)``.
An event of a type Tavus documents is parsed as its own class, with typed access to its
``properties`` (kept exactly as they came); any other stays a plain ``ConversationEvent``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

import attrs

from .._core.models import Model, StatusEnum, masked_repr

__all__ = [
    "Conversation",
    "ConversationEvent",
    "ConversationProperties",
    "ConversationStatus",
    "PerceptionAnalysisEvent",
    "PerceptionUnavailableEvent",
    "PostCallActionEvent",
    "RecordingReadyEvent",
    "ReplicaJoinedEvent",
    "ShutdownEvent",
    "TranscriptMessage",
    "TranscriptionReadyEvent",
]


class ConversationStatus(StatusEnum):
    """A conversation is ``active`` until its room closes, then ``ended`` (for good)."""

    ACTIVE = "active"
    ENDED = "ended"


@attrs.frozen(kw_only=True)
class ConversationProperties(Model):
    """Settings of the call for ``conversations.create(properties=...)``.

    Durations are in seconds: ``max_call_duration`` (Tavus's default and maximum: 3600),
    ``participant_left_timeout`` (end once the last participant left this long ago),
    ``participant_absent_timeout`` (end if nobody joins within it; default 300).
    ``enable_recording`` needs the S3 settings (``recording_s3_bucket_name``,
    ``recording_s3_bucket_region``, ``aws_assume_role_arn``). ``language`` is a full
    language name (``"english"``) or ``"multilingual"``. A key Tavus adds later goes in
    ``extra`` and is sent as it is.
    """

    max_call_duration: int | None = None
    participant_left_timeout: int | None = None
    participant_absent_timeout: int | None = None
    enable_recording: bool | None = None
    enable_closed_captions: bool | None = None
    apply_greenscreen: bool | None = None
    language: str | None = None
    recording_s3_bucket_name: str | None = None
    recording_s3_bucket_region: str | None = None
    aws_assume_role_arn: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class TranscriptMessage(Model):
    """One message of a transcript: who spoke (``role``) and what (``content``).

    Newer transcripts also say when: ``timestamp`` (Unix epoch seconds, as Tavus sends
    it), ``seconds_from_start`` and ``duration`` (seconds), and the ``inference_id`` of
    the reply where there is one.
    """

    role: Literal["system", "user", "assistant", "tool"] | str | None = None
    content: str | None = None
    timestamp: float | None = None
    seconds_from_start: float | None = None
    duration: float | None = None
    inference_id: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class ConversationEvent(Model):
    """Something that happened in a conversation, as Tavus reports it.

    ``ConversationEvent.from_dict`` (and every parse of a conversation, a callback
    included) gives the class of the event's ``event_type`` when Tavus documents it
    (``ShutdownEvent``, ``TranscriptionReadyEvent``, ...), and a plain
    ``ConversationEvent`` for any other, holding everything as it came. Its repr shows
    ``webhook_url`` without its path (a callback receiver's secret token) and
    ``properties`` with secret-looking keys masked; ``to_dict()`` keeps both whole.
    """

    conversation_id: str | None = None
    event_type: str | None = None
    message_type: Literal["system", "application"] | str | None = None
    timestamp: datetime | None = None
    webhook_url: str | None = None
    properties: dict[str, Any] | None = attrs.field(default=None, hash=False, repr=masked_repr)
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)

    @classmethod
    def _parsed_as(cls, data: Mapping[str, Any]) -> type[Model]:
        if cls is not ConversationEvent:
            return cls
        event_type = data.get("event_type")
        return EVENT_TYPES.get(event_type, cls) if isinstance(event_type, str) else cls

    def _property(self, name: str) -> Any:
        return (self.properties or {}).get(name)

    def _text(self, name: str) -> str | None:
        value = self._property(name)
        return value if isinstance(value, str) else None

    @property
    def replica_id(self) -> str | None:
        """The replica of the conversation, where the event names it (``properties``)."""
        return self._text("replica_id")


@attrs.frozen(kw_only=True)
class ReplicaJoinedEvent(ConversationEvent):
    """``system.replica_joined`` (or its newer twin ``system.pal_joined``): the replica is in."""


@attrs.frozen(kw_only=True)
class ShutdownEvent(ConversationEvent):
    """``system.shutdown``: the room closed."""

    @property
    def shutdown_reason(self) -> str | None:
        """Why, in Tavus's words: ``"max_call_duration reached"``,
        ``"end_conversation_endpoint_hit"``, ``"participant_left_timeout reached"``, ...
        (free text: some say ``reached``, some do not)."""
        return self._text("shutdown_reason")


@attrs.frozen(kw_only=True)
class TranscriptionReadyEvent(ConversationEvent):
    """``application.transcription_ready``: the transcript, shortly after the end."""

    @property
    def transcript(self) -> list[TranscriptMessage]:
        """The messages in order (entries that are not JSON objects are left out).

        Raises ResponseValidationError for an entry that does not fit a message.
        """
        entries = self._property("transcript")
        if not isinstance(entries, list):
            return []
        return [TranscriptMessage.from_dict(e) for e in entries if isinstance(e, Mapping)]


@attrs.frozen(kw_only=True)
class RecordingReadyEvent(ConversationEvent):
    """``application.recording_ready``: the recording is in your S3 bucket."""

    @property
    def bucket_name(self) -> str | None:
        return self._text("bucket_name")

    @property
    def s3_key(self) -> str | None:
        return self._text("s3_key")

    @property
    def duration(self) -> float | None:
        """The recording's length in seconds."""
        value = self._property("duration")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return value


@attrs.frozen(kw_only=True)
class PerceptionAnalysisEvent(ConversationEvent):
    """``application.perception_analysis``: what the replica saw, summed up after the call."""

    @property
    def analysis(self) -> str | None:
        """The summary (markdown), answering the persona's perception analysis queries."""
        return self._text("analysis")


@attrs.frozen(kw_only=True)
class PerceptionUnavailableEvent(ConversationEvent):
    """``application.perception_unavailable``: perception was on, but no analysis came."""

    @property
    def reason(self) -> Literal["no_vision_history", "empty_summary", "summary_error"] | str | None:
        return self._text("reason")


@attrs.frozen(kw_only=True)
class PostCallActionEvent(ConversationEvent):
    """``application.post_call_action_executed``: how one post-call action went."""

    @property
    def tool_name(self) -> str | None:
        return self._text("tool_name")

    @property
    def status(self) -> str | None:
        return self._text("status")

    @property
    def request(self) -> Any:
        """The action's request, as Tavus reports it."""
        return self._property("request")

    @property
    def response(self) -> Any:
        """The action's response, as Tavus reports it."""
        return self._property("response")


#: The class each documented ``event_type`` is parsed as.
EVENT_TYPES: dict[str, type[ConversationEvent]] = {
    "system.replica_joined": ReplicaJoinedEvent,
    "system.pal_joined": ReplicaJoinedEvent,
    "system.shutdown": ShutdownEvent,
    "application.transcription_ready": TranscriptionReadyEvent,
    "application.recording_ready": RecordingReadyEvent,
    "application.perception_analysis": PerceptionAnalysisEvent,
    "application.perception_unavailable": PerceptionUnavailableEvent,
    "application.post_call_action_executed": PostCallActionEvent,
}


def _hidden(token: object) -> str:
    """A room's key is shown as being there, never as itself (``to_dict()`` keeps it)."""
    return "None" if token is None else "<hidden>"


@attrs.frozen(kw_only=True)
class Conversation(Model):
    """A conversation: a replica in a video room at ``conversation_url``.

    A repr shows ``callback_url`` without its path (a callback receiver's secret token)
    and never the ``meeting_token``.

    Attributes:
        conversation_id: Its id.
        conversation_name: Its name.
        conversation_url: The room to join.
        status: ``active``, then ``ended`` (a ``ConversationStatus`` when Tavus uses a
            known word).
        callback_url: Where Tavus posts its events.
        replica_id: The replica in the room.
        persona_id: The persona the replica plays.
        meeting_token: Set for a private room (``require_auth``): join with
            ``?t=<token>``.
        shutdown_reason: The field as Tavus sends it; ``ended_because`` also reads it
            from the shutdown event.
        events: What happened; set by ``get(..., verbose=True)`` only.
        created_at: When it was created.
        updated_at: When it last changed.
        extra: Every field this version of the SDK does not know.
    """

    conversation_id: str
    conversation_name: str | None = None
    conversation_url: str | None = None
    status: ConversationStatus | str | None = None
    callback_url: str | None = None
    replica_id: str | None = None
    persona_id: str | None = None
    meeting_token: str | None = attrs.field(default=None, repr=_hidden)
    shutdown_reason: str | None = None
    events: tuple[ConversationEvent, ...] | None = attrs.field(default=None, hash=False)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)

    @property
    def ended(self) -> bool:
        """Whether the conversation has ended (its status is ``ended``)."""
        return self.status == ConversationStatus.ENDED

    @property
    def progress(self) -> float | None:
        """1.0 once ended; None before (how long a call lasts is not known)."""
        return 1.0 if self.ended else None

    def event(self, event_type: str) -> ConversationEvent | None:
        """The first event of ``event_type`` among ``events`` (a verbose get), or None."""
        return next((e for e in self.events or () if e.event_type == event_type), None)

    @property
    def ended_because(self) -> str | None:
        """Why it ended: ``shutdown_reason``, else the ``system.shutdown`` event's reason."""
        if self.shutdown_reason:
            return self.shutdown_reason
        shutdown = self.event("system.shutdown")
        return shutdown.shutdown_reason if isinstance(shutdown, ShutdownEvent) else None

    @property
    def transcript(self) -> list[TranscriptMessage] | None:
        """The transcript, once Tavus saved it (a verbose get); None until then.

        Read from the ``application.transcription_ready`` event, or from a top-level
        ``transcript`` as older answers had it.

        Raises:
            ResponseValidationError: An entry that does not fit a message.
        """
        ready = self.event("application.transcription_ready")
        if isinstance(ready, TranscriptionReadyEvent):
            return ready.transcript
        older = self.extra.get("transcript")
        if isinstance(older, list):
            return [TranscriptMessage.from_dict(e) for e in older if isinstance(e, Mapping)]
        return None

    @property
    def perception_analysis(self) -> str | None:
        """The ``application.perception_analysis`` event's summary, once there is one."""
        analysis = self.event("application.perception_analysis")
        return analysis.analysis if isinstance(analysis, PerceptionAnalysisEvent) else None
