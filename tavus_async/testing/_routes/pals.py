"""FakeTavus's PALs: Tavus's six PAL calls, with JSON Patch applied for real, and publish.

A PAL is stored as the JSON Tavus holds (``FakePal.body``): the fields it was created
with, its ``pal_id``, ``pal_type``, ``conferencing_email`` and timestamps (assigned: a
create body's own values of those are ignored). A patch changes the PAL's draft: the
draft is what Get PAL shows, and ``POST /v2/pals/{pal_id}/publish`` makes it the
published PAL (``FakePal.published``), which a test can read. Get PAL answers ``{"data":
[pal]}``; an unknown id is ``400 {"error": "Invalid pal_id"}``. Create PAL requires a
``default_face_id`` naming a face of the fake (a stock face will do). PALs are not jobs:
they have no ``callback_url``.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime, timezone
from typing import Any

import attrs
from aiohttp import web

from .._patch import PatchError, apply_patch, is_patch
from .._state import iso
from ._common import FamilyRoutes, Refusal, mark_created, page, parse_json, read_body

__all__ = ["FakePal", "Routes"]

#: The stock face the stock PALs appear as (the faces family's first).
_STOCK_FACE_ID = "r783537ef5"
#: Tavus's stock (``system``) PALs; fixed ids, so that no seeded id moves.
STOCK_PALS = (
    ("pa1b2c3d4e5f", "Tavus Guide", "You are a friendly guide to Tavus. Ask what they build."),
    ("p6e7f8091a2b", "Interview Coach", "You are an interview coach. Run a mock interview."),
)

_TEXT_FIELDS = ("pal_name", "system_prompt", "pipeline_mode", "default_face_id", "objectives_id")
_LIST_FIELDS = ("document_ids", "document_tags", "guardrail_ids", "guardrail_tags")
_INVALID_ID = "Invalid pal_id"
#: What Tavus assigns a PAL: a create body's own values of these are ignored.
_READ_ONLY = ("pal_id", "pal_type", "conferencing_email", "created_at", "updated_at")


@attrs.define(kw_only=True)
class FakePal:
    """One PAL of the emulator: its id, its JSON (the draft) and what was last published."""

    pal_id: str
    body: dict[str, Any]
    published: dict[str, Any] | None = None
    publishes: int = 0

    @property
    def pal_type(self) -> str:
        return str(self.body.get("pal_type", "user"))


class Routes(FamilyRoutes):
    """Tavus's PAL calls, on ``fake.jobs.pals``."""

    name = "pals"

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_post("/v2/pals", self.create_pal)
        router.add_get("/v2/pals", self.list_pals)
        router.add_get("/v2/pals/{pal_id}", self.get_pal)
        router.add_patch("/v2/pals/{pal_id}", self.patch_pal)
        router.add_post("/v2/pals/{pal_id}/publish", self.publish_pal)
        router.add_delete("/v2/pals/{pal_id}", self.delete_pal)

    def seed(self, *, now: float) -> None:
        """Tavus's stock PALs: published ``system`` PALs that appear as ``r783537ef5``."""
        created = iso(datetime(2026, 5, 1, 9, 30, tzinfo=timezone.utc))
        for pal_id, name, prompt in STOCK_PALS:
            body = {
                "pal_id": pal_id,
                "pal_name": name,
                "system_prompt": prompt,
                "pipeline_mode": "full",
                "default_face_id": _STOCK_FACE_ID,
                "pal_type": "system",
                "layers": {"llm": {"model": "tavus-glm-4.7"}, "tts": {"tts_engine": "cartesia"}},
                "conferencing_email": _email(name),
                "created_at": created,
                "updated_at": created,
            }
            self.jobs[pal_id] = FakePal(pal_id=pal_id, body=body, published=copy.deepcopy(body))

    @property
    def jobs(self) -> dict[str, FakePal]:
        return self.fake.jobs.of(self.name)

    def _pal(self, request: web.Request, *, changing: bool = False) -> FakePal:
        pal = self.jobs.get(request.match_info["pal_id"])
        if pal is None:
            raise Refusal(_INVALID_ID)
        if changing and pal.pal_type == "system":
            raise Refusal("System PALs cannot be changed")
        return pal

    async def create_pal(self, request: web.Request) -> web.Response:
        fake = self.fake
        body = await read_body(request)
        _check_pal(body)
        face_id = body.get("default_face_id")
        if face_id is None:
            raise Refusal("default_face_id is required")
        face: Any = fake.jobs.of("faces").get(face_id)
        if face is None or face.deleted:
            raise Refusal("Invalid default_face_id")
        mode = body.get("pipeline_mode", "full")
        if mode not in ("full", "echo"):
            raise Refusal("Invalid pipeline_mode: must be full or echo")
        if mode == "full" and not (body.get("system_prompt") or "").strip():
            raise Refusal("system_prompt is required unless pipeline_mode is echo")
        pal_id = fake.jobs.new_id("p")
        now = iso(fake.now_utc())
        given = {k: v for k, v in body.items() if k not in _READ_ONLY}
        email = _email(str(body.get("pal_name") or pal_id))
        stored = {
            "pal_id": pal_id,
            **copy.deepcopy(given),
            "pal_type": "user",
            "conferencing_email": email,
            "created_at": now,
            "updated_at": now,
        }
        self.jobs[pal_id] = FakePal(pal_id=pal_id, body=stored)
        mark_created(pal_id)
        return web.json_response(
            {
                "pal_id": pal_id,
                "pal_name": body.get("pal_name"),
                "conferencing_email": email,
                "created_at": now,
            }
        )

    async def list_pals(self, request: web.Request) -> web.Response:
        wanted = request.query.get("pal_type")
        items = [
            p.body for p in reversed(self.jobs.values()) if wanted is None or p.pal_type == wanted
        ]
        return page(request, items, first_page=self.fake.first_page)

    async def get_pal(self, request: web.Request) -> web.Response:
        return web.json_response({"data": [self._pal(request).body]})

    async def patch_pal(self, request: web.Request) -> web.Response:
        pal = self._pal(request, changing=True)
        patch = parse_json(await request.read())
        if not is_patch(patch):
            return web.json_response({"message": "Invalid JSON patch format"}, status=422)
        try:
            after = apply_patch(pal.body, patch)
        except PatchError as exc:
            raise Refusal(str(exc)) from None
        if not isinstance(after, dict):
            raise Refusal("A PAL must stay a JSON object")
        if after.get("pal_id") != pal.pal_id:
            raise Refusal("pal_id cannot be changed")
        if after == pal.body:
            return web.Response(status=304)
        _check_pal(after)
        after["updated_at"] = iso(self.fake.now_utc())
        pal.body = after
        return web.Response(status=200)

    async def publish_pal(self, request: web.Request) -> web.Response:
        pal = self._pal(request, changing=True)
        pal.published = copy.deepcopy(pal.body)
        pal.publishes += 1
        return web.Response(status=200)

    async def delete_pal(self, request: web.Request) -> web.Response:
        pal = self._pal(request, changing=True)
        del self.jobs[pal.pal_id]
        return web.Response(status=204)


def _email(name: str) -> str:
    """The PAL's conferencing address, made from its name as Tavus's examples show."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "pal"
    return f"{slug}@tavusinvite.com"


def _check_pal(body: dict[str, Any]) -> None:
    """Refuse what Tavus refuses in a PAL's fields: wrong kinds of values."""
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
