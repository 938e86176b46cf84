"""FakeTavus's objectives: sets of objectives, created, listed, read, patched and deleted.

A set is stored as ``{"data": [objective, ...]}`` with its id, status and timestamps. The
list shows each objective on its own with its set's ``objectives_id`` (Tavus's example),
counting pages from 1. Get answers ``{"data": {objective}}`` without the id, as Tavus
documents for a set of one; a set of several answers ``{"data": [objective, ...]}`` (an
inference: Tavus shows none). A patch whose paths start with ``/data`` applies to the set,
any other to its first objective (both shapes appear in Tavus's reference); it answers
Tavus's message, or 304 when nothing changed. A deleted set leaves the personas that
named it. Objectives are not jobs: they have no callbacks here.
"""

from __future__ import annotations

import copy
from typing import Any

import attrs
from aiohttp import web

from .._patch import PatchError, apply_patch
from .._state import iso
from ._common import NOT_JSON, FamilyRoutes, Refusal, mark_created, page, parse_json, read_body

__all__ = ["FakeObjectives", "Routes"]

_NOT_FOUND = "Objective not found"


@attrs.define(kw_only=True)
class FakeObjectives:
    """One set of objectives of the emulator."""

    objectives_id: str
    data: list[dict[str, Any]]
    created_at: str
    updated_at: str
    status: str = "active"


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _check_objective(item: object) -> str | None:
    """What Tavus says of an objective's fields, or None when they are fine."""
    if not isinstance(item, dict):
        return "each objective must be an object"
    name = item.get("objective_name")
    if not isinstance(name, str) or not name.strip():
        return "objective_name is required"
    if any(c.isspace() for c in name):
        return "objective_name must not contain spaces"
    prompt = item.get("objective_prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        return "objective_prompt is required"
    if item.get("confirmation_mode", "auto") not in ("auto", "manual"):
        return "confirmation_mode must be auto or manual"
    if item.get("modality", "verbal") not in ("verbal", "visual"):
        return "modality must be verbal or visual"
    for name in ("output_variables", "next_required_objectives"):
        if name in item and not _strings(item[name]):
            return f"{name} must be a list of strings"
    conditions = item.get("next_conditional_objectives", {})
    if not (isinstance(conditions, dict) and all(isinstance(v, str) for v in conditions.values())):
        return "next_conditional_objectives must map objective names to conditions"
    url = item.get("callback_url")
    if url is not None and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
        return "callback_url must be an http(s) url"
    return None


def _message(text: str, status: int = 400) -> web.Response:
    """Tavus's refusals of a created set say ``message``, not ``error``."""
    return web.json_response({"message": text}, status=status)


class Routes(FamilyRoutes):
    """Tavus's objectives calls, on ``fake.jobs.objectives``."""

    name = "objectives"

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_post("/v2/objectives", self.create_objectives)
        router.add_get("/v2/objectives", self.list_objectives)
        router.add_get("/v2/objectives/{objectives_id}", self.get_objectives)
        router.add_patch("/v2/objectives/{objectives_id}", self.patch_objectives)
        router.add_delete("/v2/objectives/{objectives_id}", self.delete_objectives)

    def _find(self, request: web.Request) -> FakeObjectives:
        found = self.jobs.get(request.match_info["objectives_id"])
        if found is None:
            raise Refusal(_NOT_FOUND, status=404)
        assert isinstance(found, FakeObjectives)
        return found

    async def create_objectives(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        items = body.get("data")
        if not isinstance(items, list) or not items:
            return _message("data is required: a list of objectives")
        for item in items:
            problem = _check_objective(item)
            if problem is not None:
                return _message(problem)
        now = iso(self.fake.now_utc())
        set_id = self.fake.jobs.new_id("o")
        self.jobs[set_id] = FakeObjectives(
            objectives_id=set_id, data=copy.deepcopy(items), created_at=now, updated_at=now
        )
        mark_created(set_id)
        return web.json_response(
            {
                "objectives_id": set_id,
                "objective_name": items[0]["objective_name"],
                "status": "active",
                "created_at": now,
            }
        )

    async def list_objectives(self, request: web.Request) -> web.Response:
        listed = [
            {
                "objectives_id": found.objectives_id,
                **item,
                "created_at": found.created_at,
                "updated_at": found.updated_at,
            }
            for found in self.jobs.values()
            for item in found.data
        ]
        return page(request, listed, first_page=1)

    async def get_objectives(self, request: web.Request) -> web.Response:
        found = self._find(request)
        stamps = {"created_at": found.created_at, "updated_at": found.updated_at}
        if len(found.data) == 1:
            return web.json_response({"data": {**found.data[0], **stamps}})
        return web.json_response({"data": found.data, "status": found.status, **stamps})

    async def patch_objectives(self, request: web.Request) -> web.Response:
        found = self._find(request)
        patch = parse_json(await request.read())
        if patch is NOT_JSON or not isinstance(patch, list) or not patch:
            raise Refusal("Invalid patch operation")
        whole_set = all(
            isinstance(op, dict) and str(op.get("path", "")).startswith("/data") for op in patch
        )
        before: Any = {"data": found.data} if whole_set else found.data[0]
        try:
            after = apply_patch(before, patch)
        except PatchError:
            raise Refusal("Invalid patch operation") from None
        if after == before:
            return web.Response(status=304)
        items = after.get("data") if whole_set and isinstance(after, dict) else [after]
        if not isinstance(items, list) or not items:
            raise Refusal("Invalid patch operation")
        for item in items:
            problem = _check_objective(item)
            if problem is not None:
                raise Refusal(problem)
        found.data = items if whole_set else [items[0], *found.data[1:]]
        found.updated_at = iso(self.fake.now_utc())
        return web.json_response({"message": "Objective updated successfully"})

    async def delete_objectives(self, request: web.Request) -> web.Response:
        found = self._find(request)
        del self.jobs[found.objectives_id]
        for persona in self.fake.jobs.of("personas").values():
            if persona.body.get("objectives_id") == found.objectives_id:
                del persona.body["objectives_id"]
        return web.Response(status=204)
