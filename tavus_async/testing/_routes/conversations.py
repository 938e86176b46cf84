"""FakeTavus's conversations: the room's life on the fake's clock, its events, Tavus's calls.

A conversation is ``active`` from its creation: its replica joins after
``Timing.conversation_joining`` (``system.replica_joined``), and the call ends by ``end``
(``end_conversation_endpoint_hit``) or by itself after ``Timing.conversation_length``
seconds, cut short by ``properties.max_call_duration`` (``max_call_duration reached``;
otherwise the participant left: ``participant_left_timeout reached``). Then it is
``ended`` (``system.shutdown``), and ``Timing.transcript_delay`` later come the
transcript (``application.transcription_ready``: the persona's system prompt, the
greeting, a line of the user's), the recording when ``properties.enable_recording`` is
on, and the perception analysis when the persona's perception model is a raven. Each
event is listed by a verbose get and posted to ``callback_url``. A ``test_mode``
conversation is created ended: nobody joins, and nothing happens in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, ClassVar

import attrs
from aiohttp import web

from .._state import Timing, iso
from ._common import (
    FamilyRoutes,
    Refusal,
    mark_created,
    page,
    query_flag,
    read_body,
    read_flag,
    read_text,
    read_url,
)

__all__ = ["FakeConversation", "Routes"]

#: Tavus's default (and longest) call, in seconds.
MAX_CALL_DURATION = 3600
#: The start of Tavus's own system prompt, for a conversation whose persona has none.
DEFAULT_SYSTEM_PROMPT = "You are in a live video conference call with a user."
DEFAULT_GREETING = "Hi there! How can I help you today?"
USER_LINE = "Hi! Nice to meet you."


@attrs.define(kw_only=True)
class FakeConversation:
    """One conversation of the emulator; its status and events follow from the clock."""

    conversation_id: str
    conversation_name: str
    replica_id: str
    persona_id: str | None
    started: float
    created_at: datetime
    callback_url: str | None = None
    max_call_duration: float = MAX_CALL_DURATION
    test_mode: bool = False
    meeting_token: str | None = None
    system_prompt: str = DEFAULT_SYSTEM_PROMPT
    greeting: str = DEFAULT_GREETING
    recording: dict[str, Any] | None = None
    perception: bool = False
    ended_at: float | None = None
    end_reason: str | None = None
    deleted: bool = False
    #: How many of its events have been posted to ``callback_url``.
    events_sent: int = 0

    def end(self, now: float, timing: Timing, reason: str) -> None:
        """End it at ``now`` for ``reason``, unless it has ended already."""
        if self.ending(timing)[0] > now:
            self.ended_at, self.end_reason = now, reason

    def ending(self, timing: Timing) -> tuple[float, str]:
        """When it ends (or ended) on the clock, and why."""
        if self.test_mode:
            return self.started, "test_mode"
        if self.ended_at is not None:
            return self.ended_at, self.end_reason or "end_conversation_endpoint_hit"
        if self.max_call_duration <= timing.conversation_length:
            return self.started + self.max_call_duration, "max_call_duration reached"
        return self.started + timing.conversation_length, "participant_left_timeout reached"

    def status(self, now: float, timing: Timing) -> str:
        return "ended" if now >= self.ending(timing)[0] else "active"

    def timeline(self, timing: Timing) -> list[tuple[float, str, dict[str, Any]]]:
        """Every event of its life, due or not: (when, event_type, properties), in order."""
        if self.test_mode:
            return []
        end, reason = self.ending(timing)
        joined = self.started + timing.conversation_joining
        events: list[tuple[float, str, dict[str, Any]]] = []
        if joined <= end:
            events.append((joined, "system.replica_joined", {"replica_id": self.replica_id}))
        events.append(
            (end, "system.shutdown", {"replica_id": self.replica_id, "shutdown_reason": reason})
        )
        if joined > end:  # nobody spoke: nothing to transcribe, record or analyse
            return events
        after = end + timing.transcript_delay
        epoch = self.created_at.timestamp() - self.started
        spoken = [("assistant", self.greeting, joined), ("user", USER_LINE, (joined + end) / 2)]
        transcript: list[dict[str, Any]] = [{"role": "system", "content": self.system_prompt}]
        transcript += [
            {
                "role": role,
                "content": content,
                "timestamp": round(epoch + at, 3),
                "seconds_from_start": round(at - self.started, 3),
                "duration": 1.5,
            }
            for role, content, at in spoken
        ]
        events.append(
            (
                after,
                "application.transcription_ready",
                {"replica_id": self.replica_id, "transcript": transcript},
            )
        )
        if self.recording is not None:
            seconds = round(end - joined)
            events.append(
                (after, "application.recording_ready", {**self.recording, "duration": seconds})
            )
        if self.perception:
            analysis = "Here's a summary of the visual observations: the user sat at a desk."
            events.append((after, "application.perception_analysis", {"analysis": analysis}))
        return events

    def events(self, now: float, timing: Timing) -> list[dict[str, Any]]:
        """The events that have happened by ``now``, as Tavus sends them."""
        return [
            {
                "properties": properties,
                "conversation_id": self.conversation_id,
                "webhook_url": self.callback_url,
                "event_type": event_type,
                "message_type": event_type.partition(".")[0],
                "timestamp": iso(self.created_at + timedelta(seconds=when - self.started)),
            }
            for when, event_type, properties in self.timeline(timing)
            if when <= now
        ]

    def due_callbacks(self, now: float, timing: Timing, *, files_url: str) -> list[dict[str, Any]]:
        """The events not posted yet; from now on they count as posted."""
        due = self.events(now, timing)[self.events_sent :]
        self.events_sent += len(due)
        return due

    def to_json(self, now: float, timing: Timing, *, verbose: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "conversation_id": self.conversation_id,
            "conversation_name": self.conversation_name,
            "conversation_url": f"https://tavus.daily.co/{self.conversation_id}",
            "callback_url": self.callback_url,
            "status": self.status(now, timing),
            "replica_id": self.replica_id,
            "persona_id": self.persona_id,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.created_at),
        }
        if verbose:
            body["events"] = self.events(now, timing)
            if body["status"] == "ended" and not self.test_mode:
                body["shutdown_reason"] = self.ending(timing)[1]
        return body


class Routes(FamilyRoutes):
    """Tavus's five conversation calls, on ``fake.jobs.conversations``."""

    name = "conversations"
    PHASES: ClassVar[Mapping[str, float]] = {
        "conversation_joining": 2.0,
        "conversation_length": 60.0,
        "transcript_delay": 3.0,
    }

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_post("/v2/conversations", self.create_conversation)
        router.add_get("/v2/conversations", self.list_conversations)
        router.add_get("/v2/conversations/{job_id}", self.get_conversation)
        router.add_post("/v2/conversations/{job_id}/end", self.end_conversation)
        router.add_delete("/v2/conversations/{job_id}", self.delete_conversation)

    @property
    def jobs(self) -> dict[str, FakeConversation]:
        return self.fake.jobs.of(self.name)

    def _conversation(self, request: web.Request) -> FakeConversation:
        conversation = self.jobs.get(request.match_info["job_id"])
        if conversation is None or conversation.deleted:
            raise Refusal("Invalid conversation_id")
        return conversation

    def _to_json(self, conversation: FakeConversation, *, verbose: bool) -> dict[str, Any]:
        return conversation.to_json(self.fake.clock(), self.fake.timing, verbose=verbose)

    def _persona(self, persona_id: str | None) -> dict[str, Any] | None:
        """The persona's body, looked up by its family's name (absent: no personas family)."""
        if persona_id is None:
            return None
        try:
            personas = self.fake.jobs.of("personas")
        except KeyError:  # an emulator without personas takes the id on trust
            return {}
        persona: Any = personas.get(persona_id)
        persona_body = getattr(persona, "body", None)
        if persona is None or getattr(persona, "deleted", False) or persona_body is None:
            raise Refusal("Invalid persona_id")
        return dict(persona_body)

    def _replica(self, replica_id: str) -> Any:
        fake = self.fake
        replica: Any = fake.jobs.of("replicas").get(replica_id)
        if replica is None or replica.deleted:
            raise Refusal("Invalid replica_uuid")
        if replica.phase(fake.clock(), fake.timing)[0] != "completed":
            raise Refusal(f"Replica {replica_id} is not ready: it has not finished training")
        return replica

    # -- the API -----------------------------------------------------------------

    async def create_conversation(self, request: web.Request) -> web.Response:
        fake = self.fake
        body = await read_body(request)
        persona_id = read_text(body, "persona_id")
        persona = self._persona(persona_id)
        replica_id = read_text(body, "replica_id") or _text(
            (persona or {}).get("default_replica_id")
        )
        if replica_id is None:
            raise Refusal("replica_id is required, unless the persona has a default_replica_id")
        replica = self._replica(replica_id)
        properties = body.get("properties", {})
        if not isinstance(properties, dict):
            raise Refusal("Invalid properties: must be an object")
        duration = properties.get("max_call_duration", MAX_CALL_DURATION)
        if isinstance(duration, bool) or not isinstance(duration, int) or duration < 1:
            raise Refusal("Invalid max_call_duration: must be a whole number of seconds")
        for name in ("memory_stores", "document_ids", "document_tags"):
            listed = body.get(name, [])
            if not isinstance(listed, list) or not all(isinstance(v, str) for v in listed):
                raise Refusal(f"Invalid {name}: must be a list of strings")
        participants = body.get("max_participants", 2)
        if isinstance(participants, bool) or not isinstance(participants, int) or participants < 2:
            raise Refusal("Invalid max_participants: must be 2 or more")
        read_flag(body, "audio_only")
        context = read_text(body, "conversational_context")
        greeting = read_text(body, "custom_greeting")
        conversation_id = fake.jobs.new_id("c")
        layers = (persona or {}).get("layers") or {}
        perception = (layers.get("perception") or {}) if isinstance(layers, dict) else {}
        model = perception.get("perception_model") if isinstance(perception, dict) else None
        system_prompt = _text((persona or {}).get("system_prompt")) or DEFAULT_SYSTEM_PROMPT
        conversation = FakeConversation(
            conversation_id=conversation_id,
            conversation_name=read_text(body, "conversation_name") or "New Conversation",
            replica_id=replica.replica_id,
            persona_id=persona_id,
            started=fake.clock(),
            created_at=fake.now_utc(),
            callback_url=read_url(body, "callback_url"),
            max_call_duration=duration,
            test_mode=read_flag(body, "test_mode"),
            meeting_token=_token(fake.jobs.new_id("t"))
            if read_flag(body, "require_auth")
            else None,
            system_prompt=system_prompt + (f"\n\n{context}" if context else ""),
            greeting=greeting or _greeting(persona) or DEFAULT_GREETING,
            recording={
                "bucket_name": properties.get("recording_s3_bucket_name") or "tavus-recordings",
                "s3_key": f"{conversation_id}/recording.mp4",
            }
            if properties.get("enable_recording") is True
            else None,
            perception=isinstance(model, str) and model.startswith("raven"),
        )
        self.jobs[conversation_id] = conversation
        mark_created(conversation_id)
        whole = self._to_json(conversation, verbose=False)
        keys = ("conversation_id", "conversation_name", "conversation_url", "status")
        answer = {k: whole[k] for k in keys}
        answer.update(callback_url=conversation.callback_url, created_at=whole["created_at"])
        if conversation.meeting_token is not None:
            answer["meeting_token"] = conversation.meeting_token
        return web.json_response(answer)

    async def list_conversations(self, request: web.Request) -> web.Response:
        status = request.query.get("status")
        if status is not None and status not in ("active", "ended"):
            raise Refusal("Invalid status: must be active or ended")
        listed = [c for c in reversed(self.jobs.values()) if not c.deleted]
        items = [self._to_json(c, verbose=False) for c in listed]
        if status is not None:
            items = [item for item in items if item["status"] == status]
        return page(request, items, first_page=self.fake.first_page)

    async def get_conversation(self, request: web.Request) -> web.Response:
        conversation = self._conversation(request)
        verbose = query_flag(request, "verbose")
        return web.json_response(self._to_json(conversation, verbose=verbose))

    async def end_conversation(self, request: web.Request) -> web.Response:
        conversation = self._conversation(request)
        conversation.end(self.fake.clock(), self.fake.timing, "end_conversation_endpoint_hit")
        return web.Response(status=200)

    async def delete_conversation(self, request: web.Request) -> web.Response:
        conversation = self._conversation(request)
        conversation.end(self.fake.clock(), self.fake.timing, "daily_room_has_been_deleted")
        if query_flag(request, "hard"):
            del self.jobs[conversation.conversation_id]
        else:
            conversation.deleted = True
        return web.Response(status=204)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _greeting(persona: Mapping[str, Any] | None) -> str | None:
    """The persona's own greeting, where its body holds one."""
    persona = persona or {}
    return _text(persona.get("custom_greeting")) or _text(persona.get("greeting"))


def _token(seed: str) -> str:
    """A meeting token shaped like the short-lived JWT Tavus hands out."""
    return f"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{seed}.{seed[::-1]}"
