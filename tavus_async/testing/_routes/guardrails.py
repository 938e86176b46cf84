"""FakeTavus's guardrails: individual guardrails and the legacy sets, JSON Patch applied for real.

One path serves both shapes, as at Tavus: a create with a top-level ``guardrail_name``
makes a guardrail (id ``uuid``), one with ``name`` + ``data`` a legacy set (id
``guardrails_id``) whose every item is also a guardrail of its own. The list answers the
sets unless asked ``legacy=false`` (Tavus's default), individual guardrails counting
pages from 0 with ``sort``, ``name_or_uuid`` and ``tags`` filters. Get, patch and delete
take either id. A deleted guardrail (or set) leaves the personas that named it.
Guardrails are not jobs: they have no callbacks here.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import attrs
from aiohttp import web

from .._patch import PatchError, apply_patch
from .._state import iso
from ._common import NOT_JSON, FamilyRoutes, Refusal, mark_created, page, parse_json, read_body

__all__ = ["FakeGuardrail", "FakeGuardrailSet", "Routes"]

_NAME = re.compile(r"[A-Za-z0-9_]{1,100}")
_MODALITIES = ("verbal", "visual")
_ITEM_FIELDS = ("guardrail_name", "guardrail_prompt", "modality", "callback_url")
_READ_ONLY = ("uuid", "created_at", "updated_at")
_NOT_FOUND = "Guardrail not found"


@attrs.define(kw_only=True)
class FakeGuardrail:
    """One guardrail of the emulator: its JSON as Tavus answers it."""

    uuid: str
    body: dict[str, Any]


@attrs.define(kw_only=True)
class FakeGuardrailSet:
    """A legacy set: its id, name, timestamps, and the uuids of its guardrails in order."""

    guardrails_id: str
    name: str
    members: list[str]
    created_at: str
    updated_at: str


def _message(text: str, status: int = 400) -> web.Response:
    """Tavus's refusals of a guardrail's fields say ``message``, not ``error``."""
    return web.json_response({"message": text}, status=status)


def _check_guardrail(body: dict[str, Any]) -> str | None:
    """What Tavus says of a guardrail's fields, or None when they are fine."""
    name, prompt = body.get("guardrail_name"), body.get("guardrail_prompt")
    if not isinstance(name, str) or not name:
        return "guardrail_name is required"
    if not _NAME.fullmatch(name):
        return "guardrail_name may hold only letters, digits and underscores (100 at most)"
    if not isinstance(prompt, str) or not prompt.strip():
        return "guardrail_prompt is required"
    if len(prompt) > 1000:
        return "guardrail_prompt must be 1000 characters or fewer"
    if body.get("modality", "verbal") not in _MODALITIES:
        return "modality must be verbal or visual"
    url = body.get("callback_url")
    if url is not None and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
        return "callback_url must be an http(s) url"
    tags = body.get("tags", [])
    if not (isinstance(tags, list) and all(isinstance(t, str) and len(t) <= 64 for t in tags)):
        return "tags must be a list of strings of 64 characters at most"
    if len(tags) > 32:
        return "a guardrail holds 32 tags at most"
    if not isinstance(body.get("app_message", True), bool):
        return "app_message must be a boolean"
    return None


def _name_of(guardrail: dict[str, Any]) -> str:
    return str(guardrail["guardrail_name"]).lower()


class Routes(FamilyRoutes):
    """Tavus's guardrail calls, on ``fake.jobs.guardrails`` (guardrails and sets by id)."""

    name = "guardrails"

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_post("/v2/guardrails", self.create_guardrail)
        router.add_get("/v2/guardrails", self.list_guardrails)
        router.add_get("/v2/guardrails/{guardrail_id}", self.get_guardrail)
        router.add_patch("/v2/guardrails/{guardrail_id}", self.patch_guardrail)
        router.add_delete("/v2/guardrails/{guardrail_id}", self.delete_guardrail)

    def _find(self, request: web.Request) -> FakeGuardrail | FakeGuardrailSet:
        found = self.jobs.get(request.match_info["guardrail_id"])
        if not isinstance(found, (FakeGuardrail, FakeGuardrailSet)):
            raise Refusal(_NOT_FOUND, status=404)
        return found

    def _guardrails(self) -> list[FakeGuardrail]:
        return [g for g in self.jobs.values() if isinstance(g, FakeGuardrail)]

    def _new_guardrail(self, fields: dict[str, Any], now: str) -> FakeGuardrail:
        uuid = self.fake.jobs.new_id("g")
        body = {
            "uuid": uuid,
            "modality": "verbal",
            "app_message": True,
            **copy.deepcopy(fields),
            "created_at": now,
            "updated_at": now,
        }
        guardrail = FakeGuardrail(uuid=uuid, body=body)
        self.jobs[uuid] = guardrail
        return guardrail

    def _set_shape(self, found: FakeGuardrailSet) -> dict[str, Any]:
        items = []
        for uuid in found.members:
            body = self.jobs[uuid].body
            items.append({"uuid": uuid, **{k: body[k] for k in _ITEM_FIELDS if k in body}})
        return {
            "guardrails_id": found.guardrails_id,
            "name": found.name,
            "data": items,
            "created_at": found.created_at,
            "updated_at": found.updated_at,
        }

    async def create_guardrail(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        now = iso(self.fake.now_utc())
        if "guardrail_name" not in body and "data" in body:
            return self._create_set(body, now)
        problem = _check_guardrail(body)
        if problem is not None:
            return _message(problem)
        guardrail = self._new_guardrail(body, now)
        mark_created(guardrail.uuid)
        return web.json_response(guardrail.body)

    def _create_set(self, body: dict[str, Any], now: str) -> web.Response:
        name, items = body.get("name"), body.get("data")
        if not isinstance(name, str) or not name.strip():
            return _message("name is required")
        if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
            return _message("data must be a list of guardrails")
        for item in items:
            problem = _check_guardrail(item)
            if problem is not None:
                return _message(problem)
        members = [self._new_guardrail(item, now).uuid for item in items]
        set_id = self.fake.jobs.new_id("g")
        self.jobs[set_id] = FakeGuardrailSet(
            guardrails_id=set_id, name=name, members=members, created_at=now, updated_at=now
        )
        mark_created(set_id)
        return web.json_response(
            {
                "guardrails_id": set_id,
                "guardrails_name": name,
                "status": "active",
                "created_at": now,
            }
        )

    async def list_guardrails(self, request: web.Request) -> web.Response:
        if request.query.get("legacy", "true").lower() != "false":
            sets = [s for s in self.jobs.values() if isinstance(s, FakeGuardrailSet)]
            return page(request, [self._set_shape(s) for s in sets], first_page=1)
        items = [g.body for g in self._guardrails()]
        wanted = request.query.get("name_or_uuid")
        if wanted:
            needle = wanted.lower()
            items = [i for i in items if needle == i["uuid"] or needle in _name_of(i)]
        tags = {t for t in request.query.get("tags", "").split(",") if t}
        if tags:
            items = [i for i in items if tags & set(i.get("tags", []))]
        sort = request.query.get("sort", "ascending")
        if sort not in ("ascending", "descending"):
            raise Refusal("sort must be ascending or descending")
        if sort == "descending":
            items.reverse()
        try:
            limit = int(request.query.get("limit", "10"))
            number = int(request.query.get("page", "0"))
        except ValueError:
            raise Refusal("limit and page must be whole numbers") from None
        if not 1 <= limit <= 100 or number < 0:
            raise Refusal("limit must be from 1 to 100 and page 0 or more")
        shown = items[number * limit : (number + 1) * limit]
        return web.json_response(
            {"data": shown, "total_count": len(items), "page": number, "limit": limit}
        )

    async def get_guardrail(self, request: web.Request) -> web.Response:
        found = self._find(request)
        if isinstance(found, FakeGuardrailSet):
            return web.json_response(self._set_shape(found))
        return web.json_response(found.body)

    async def patch_guardrail(self, request: web.Request) -> web.Response:
        found = self._find(request)
        patch = parse_json(await request.read())
        if patch is NOT_JSON or not isinstance(patch, list):
            raise Refusal("Invalid patch operation")
        if isinstance(found, FakeGuardrailSet):
            return self._patch_set(found, patch)
        try:
            after = apply_patch(found.body, patch)
        except PatchError as exc:
            raise Refusal(str(exc)) from None
        if not isinstance(after, dict):
            raise Refusal("A guardrail must stay a JSON object")
        for name in _READ_ONLY:  # Tavus ignores changes to what it sets itself
            after[name] = found.body[name]
        if after == found.body:
            return web.Response(status=304)
        problem = _check_guardrail(after)
        if problem is not None:
            return _message(problem)
        after["updated_at"] = iso(self.fake.now_utc())
        found.body = after
        return web.json_response(after)

    def _patch_set(self, found: FakeGuardrailSet, patch: list[Any]) -> web.Response:
        before = self._set_shape(found)
        try:
            after = apply_patch(before, patch)
        except PatchError as exc:
            raise Refusal(str(exc)) from None
        items = after.get("data") if isinstance(after, dict) else None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise Refusal("A guardrail set must keep a data list of guardrails")
        if after == before:
            return web.Response(status=304)
        for item in items:
            problem = _check_guardrail(item)
            if problem is not None:
                return _message(problem)
        now = iso(self.fake.now_utc())
        members = []
        for item in items:  # an item keeps its uuid; one replaced whole gets a new one
            fields = {k: item[k] for k in _ITEM_FIELDS if k in item}
            current = self.jobs.get(item.get("uuid", ""))
            if isinstance(current, FakeGuardrail) and current.uuid in found.members:
                current.body = {**current.body, **fields, "updated_at": now}
                members.append(current.uuid)
            else:
                members.append(self._new_guardrail(fields, now).uuid)
        for uuid in set(found.members) - set(members):
            self._forget(uuid)
        found.name = after.get("name", found.name)
        found.members, found.updated_at = members, now
        return web.json_response({"message": "Guardrails updated successfully"})

    async def delete_guardrail(self, request: web.Request) -> web.Response:
        found = self._find(request)
        if isinstance(found, FakeGuardrailSet):
            for uuid in found.members:
                self._forget(uuid)
            del self.jobs[found.guardrails_id]
            self._scrub("guardrails_id", found.guardrails_id)
        else:
            self._forget(found.uuid)
        return web.Response(status=204)

    def _forget(self, uuid: str) -> None:
        """Delete a guardrail: from the store, from its set, and from the personas."""
        self.jobs.pop(uuid, None)
        for other in self.jobs.values():
            if isinstance(other, FakeGuardrailSet) and uuid in other.members:
                other.members.remove(uuid)
        self._scrub("guardrail_ids", uuid)

    def _scrub(self, field: str, guardrail_id: str) -> None:
        """Take ``guardrail_id`` out of every persona's ``field``, as Tavus does."""
        for persona in self.fake.jobs.of("personas").values():
            body: dict[str, Any] = persona.body
            value = body.get(field)
            if value == guardrail_id:
                del body[field]
            elif isinstance(value, list) and guardrail_id in value:
                body[field] = [v for v in value if v != guardrail_id]
