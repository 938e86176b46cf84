"""FakeTavus's personas: Tavus's five persona calls, with JSON Patch applied for real.

A persona is stored as the JSON Tavus holds (``FakePersona.body``): the fields it was
created with, its ``persona_id``, ``persona_type`` and timestamps (assigned: a create
body's own values of those are ignored, as by Tavus). Get Persona answers
``{"data": [persona]}`` as Tavus does; an unknown id is ``400 {"error": "Invalid
persona_id"}``, as Tavus documents. Personas are not jobs: they have no ``callback_url``.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import attrs
from aiohttp import web

from .._patch import PatchError, apply_patch, is_patch
from .._state import iso
from ._common import FamilyRoutes, Refusal, mark_created, page, parse_json, read_body

__all__ = ["FakePersona", "Routes"]

#: The stock replica the stock personas speak with (the replicas family's first).
_STOCK_REPLICA_ID = "r783537ef5"
#: Tavus's stock (``system``) personas; fixed ids, so that no seeded id moves.
STOCK_PERSONAS = (
    (
        "p9a95912",
        "Tavus Researcher",
        "You are a friendly researcher at Tavus. Greet the user and ask what they work on.",
    ),
    (
        "p5d11710002a",
        "Sales Coach",
        "You are a sales coach. Help the user rehearse a short product pitch.",
    ),
)

_TEXT_FIELDS = (
    "persona_name",
    "system_prompt",
    "context",
    "pipeline_mode",
    "default_replica_id",
    "guardrails_id",
    "objectives_id",
)
_LIST_FIELDS = ("document_ids", "document_tags", "guardrail_ids", "guardrail_tags")
_INVALID_ID = "Invalid persona_id"
#: What Tavus assigns a persona: a create body's own values of these are ignored.
_READ_ONLY = ("persona_id", "persona_type", "created_at", "updated_at")


@attrs.define(kw_only=True)
class FakePersona:
    """One persona of the emulator: its id, and its JSON as Tavus stores it."""

    persona_id: str
    body: dict[str, Any]

    @property
    def persona_type(self) -> str:
        return str(self.body.get("persona_type", "user"))


class Routes(FamilyRoutes):
    """Tavus's five persona calls, on ``fake.jobs.personas``."""

    name = "personas"

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_post("/v2/personas", self.create_persona)
        router.add_get("/v2/personas", self.list_personas)
        router.add_get("/v2/personas/{persona_id}", self.get_persona)
        router.add_patch("/v2/personas/{persona_id}", self.patch_persona)
        router.add_delete("/v2/personas/{persona_id}", self.delete_persona)

    def seed(self, *, now: float) -> None:
        """Tavus's stock personas: ``system`` personas that speak with ``r783537ef5``."""
        created = iso(datetime(2024, 8, 1, 9, 30, tzinfo=timezone.utc))
        for persona_id, name, prompt in STOCK_PERSONAS:
            body = {
                "persona_id": persona_id,
                "persona_name": name,
                "system_prompt": prompt,
                "pipeline_mode": "full",
                "default_replica_id": _STOCK_REPLICA_ID,
                "persona_type": "system",
                "layers": {"llm": {"model": "tavus-gpt-oss"}, "tts": {"tts_engine": "cartesia"}},
                "created_at": created,
                "updated_at": created,
            }
            self.jobs[persona_id] = FakePersona(persona_id=persona_id, body=body)

    @property
    def jobs(self) -> dict[str, FakePersona]:
        return self.fake.jobs.of(self.name)

    def _persona(self, request: web.Request, *, changing: bool = False) -> FakePersona:
        persona = self.jobs.get(request.match_info["persona_id"])
        if persona is None:
            raise Refusal(_INVALID_ID)
        if changing and persona.persona_type == "system":
            raise Refusal("System personas cannot be changed")
        return persona

    async def create_persona(self, request: web.Request) -> web.Response:
        fake = self.fake
        body = await read_body(request)
        _check_persona(body)
        mode = body.get("pipeline_mode", "full")
        if mode not in ("full", "echo"):
            raise Refusal("Invalid pipeline_mode: must be full or echo")
        if mode == "full" and not (body.get("system_prompt") or "").strip():
            raise Refusal("system_prompt is required unless pipeline_mode is echo")
        replica_id = body.get("default_replica_id")
        if replica_id is not None:
            replica: Any = fake.jobs.of("replicas").get(replica_id)
            if replica is None or replica.deleted:
                raise Refusal("Invalid default_replica_id")
        persona_id = fake.jobs.new_id("p")
        now = iso(fake.now_utc())
        given = {k: v for k, v in body.items() if k not in _READ_ONLY}
        stored = {
            "persona_id": persona_id,
            **copy.deepcopy(given),
            "persona_type": "user",
            "created_at": now,
            "updated_at": now,
        }
        self.jobs[persona_id] = FakePersona(persona_id=persona_id, body=stored)
        mark_created(persona_id)
        return web.json_response(
            {"persona_id": persona_id, "persona_name": body.get("persona_name"), "created_at": now}
        )

    async def list_personas(self, request: web.Request) -> web.Response:
        wanted = request.query.get("persona_type")
        items = [
            p.body
            for p in reversed(self.jobs.values())
            if wanted is None or p.persona_type == wanted
        ]
        return page(request, items, first_page=self.fake.first_page)

    async def get_persona(self, request: web.Request) -> web.Response:
        return web.json_response({"data": [self._persona(request).body]})

    async def patch_persona(self, request: web.Request) -> web.Response:
        persona = self._persona(request, changing=True)
        patch = parse_json(await request.read())
        if not is_patch(patch):
            return web.json_response({"message": "Invalid JSON patch format"}, status=422)
        try:
            after = apply_patch(persona.body, patch)
        except PatchError as exc:
            raise Refusal(str(exc)) from None
        if not isinstance(after, dict):
            raise Refusal("A persona must stay a JSON object")
        if after.get("persona_id") != persona.persona_id:
            raise Refusal("persona_id cannot be changed")
        if after == persona.body:
            return web.Response(status=304)
        _check_persona(after)
        after["updated_at"] = iso(self.fake.now_utc())
        persona.body = after
        return web.Response(status=200)

    async def delete_persona(self, request: web.Request) -> web.Response:
        persona = self._persona(request, changing=True)
        del self.jobs[persona.persona_id]
        return web.Response(status=204)


def _check_persona(body: dict[str, Any]) -> None:
    """Refuse what Tavus refuses in a persona's fields: wrong kinds of values."""
    for name in _TEXT_FIELDS:
        if name in body and not isinstance(body[name], str):
            raise Refusal(f"Invalid {name}: must be a string")
    for name in _LIST_FIELDS:
        values = body.get(name)
        if name in body and not (
            isinstance(values, list) and all(isinstance(v, str) for v in values)
        ):
            raise Refusal(f"Invalid {name}: must be a list of strings")
    layers = body.get("layers", {})
    if not isinstance(layers, dict) or not all(isinstance(v, dict) for v in layers.values()):
        raise Refusal("Invalid layers: each layer must be an object")
