"""FakeTavus's canvas interactions: record and list them, per conversation id.

Recording is idempotent on ``(conversation_id, interaction_id)``: the same id again
changes nothing and answers ``{"success": true}``. The fake checks the fields Tavus
documents (ids of 1 to 128 characters, a ``type`` among Tavus's words) and records
interactions for any conversation id: it does not look into the conversations family to
tell whether the conversation exists or is active. An unknown conversation lists no
interactions.
"""

from __future__ import annotations

from typing import Any

import attrs
from aiohttp import web

from .._state import iso
from ._common import FamilyRoutes, Refusal, read_body

__all__ = ["FakeCanvas", "Routes"]

_TYPES = ("submit", "skip", "dismiss", "clear", "error", "heartbeat")


@attrs.define(kw_only=True)
class FakeCanvas:
    """The interactions recorded in one conversation, by interaction id, oldest first."""

    conversation_id: str
    interactions: dict[str, dict[str, Any]] = attrs.field(factory=dict)


class Routes(FamilyRoutes):
    """Tavus's two canvas interaction calls, on ``fake.jobs.canvas_interactions``."""

    name = "canvas_interactions"

    def register(self, router: web.UrlDispatcher) -> None:
        path = "/v2/conversations/{conversation_id}/canvas/interactions"
        router.add_post(path, self.record_interaction)
        router.add_get(path, self.list_interactions)

    @property
    def jobs(self) -> dict[str, FakeCanvas]:
        return self.fake.jobs.of(self.name)

    async def record_interaction(self, request: web.Request) -> web.Response:
        conversation_id = request.match_info["conversation_id"]
        body = await read_body(request)
        for key in ("interaction_id", "tool_call_id"):
            value = body.get(key)
            if not isinstance(value, str) or not 1 <= len(value) <= 128:
                raise Refusal(f"{key} must be a string of 1 to 128 characters")
        for key in ("component", "type"):
            if not isinstance(body.get(key), str) or not body[key]:
                raise Refusal(f"{key} is required")
        if body["type"] not in _TYPES:
            raise Refusal(f"type must be one of {', '.join(_TYPES)}")
        metadata = body.get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise Refusal("metadata must be an object")
        canvas = self.jobs.setdefault(conversation_id, FakeCanvas(conversation_id=conversation_id))
        if body["interaction_id"] not in canvas.interactions:
            canvas.interactions[body["interaction_id"]] = {
                "conversation_id": conversation_id,
                "interaction_id": body["interaction_id"],
                "tool_call_id": body["tool_call_id"],
                "component": body["component"],
                "component_version": body.get("component_version", "v1"),
                "type": body["type"],
                "value": body.get("value"),
                "metadata": metadata,
                "created_at": iso(self.fake.now_utc()),
            }
        return web.json_response({"success": True})

    async def list_interactions(self, request: web.Request) -> web.Response:
        canvas = self.jobs.get(request.match_info["conversation_id"])
        items = [] if canvas is None else list(canvas.interactions.values())
        return web.json_response({"data": items})
