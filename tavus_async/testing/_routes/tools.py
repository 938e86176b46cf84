"""FakeTavus's tools: ``/v2/tools`` create, list, get, a partial PATCH, delete.

A tool is stored as Tavus's JSON (``fake.jobs.tools``: id -> JSON) with Tavus's defaults
filled in (``parameters`` ``{}``, ``delivery`` ``{"app_message": true}``, ``origin`` and
``on_call`` for an in-call LLM tool, ``on_resolve`` ``fire_and_forget``). Answers show
secrets (header values, auth secrets) as ``********``, and a PATCH that sends
``********`` back is refused. Lists count pages from 1 and leave system tools out unless
``type=system`` or ``all``. An unknown tool is a 400, as Tavus answers; system tools
(``end_call``) cannot be changed or deleted. A deleted tool is detached from every PAL.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from aiohttp import web

from ._common import FamilyRoutes, Refusal, mark_created, read_body

__all__ = ["MASK", "Routes"]

MASK = "********"
_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]{0,63}")
_AUTH_SECRETS = ("token", "password", "value", "secret", "client_secret")
_FIELDS = ("name", "description", "parameters", "delivery", "trigger_type", "origin",
           "on_call", "on_resolve", "static_filler")  # fmt: skip
_STAMP = "%Y-%m-%dT%H:%M:%S"


class Routes(FamilyRoutes):
    """Tavus's tool calls, on ``fake.jobs.tools``."""

    name = "tools"

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_post("/v2/tools", self.create_tool)
        router.add_get("/v2/tools", self.list_tools)
        router.add_get("/v2/tools/{tool_id}", self.get_tool)
        router.add_patch("/v2/tools/{tool_id}", self.update_tool)
        router.add_delete("/v2/tools/{tool_id}", self.delete_tool)

    def seed(self, *, now: float) -> None:
        """Tavus's system tool ``end_call``."""
        self.jobs["end_call"] = {
            "tool_id": "end_call", "owner_id": None, "name": "end_call",
            "description": "End the conversation.", "parameters": {},
            "delivery": {"app_message": True}, "is_system_tool": True,
            "trigger_type": "in_call", "origin": "llm", "on_call": "silent",
            "on_resolve": "fire_and_forget", "static_filler": None,
            "created_at": "2026-01-01T00:00:00", "updated_at": "2026-01-01T00:00:00",
        }  # fmt: skip

    def _now(self) -> str:
        return self.fake.now_utc().strftime(_STAMP)

    def _tool(self, request: web.Request) -> dict[str, Any]:
        found: dict[str, Any] | None = self.jobs.get(request.match_info["tool_id"])
        if found is None:
            raise Refusal("Bad Request. Tool not found")
        return found

    async def create_tool(self, request: web.Request) -> web.Response:
        given = await read_body(request)
        tool = {"parameters": {}, "delivery": {"app_message": True}, "static_filler": None}
        tool.update({key: given[key] for key in _FIELDS if key in given})
        _check(tool, taken=[t["name"] for t in self.jobs.values()])
        tool_id = self.fake.jobs.new_id("t")
        now = self._now()
        stored = {"tool_id": tool_id, "owner_id": 1, **_defaults(tool), "is_system_tool": False,
                  "created_at": now, "updated_at": now}  # fmt: skip
        self.jobs[tool_id] = stored
        mark_created(tool_id)
        return web.json_response(_shown(stored))

    async def list_tools(self, request: web.Request) -> web.Response:
        query = request.query
        try:
            limit = int(query.get("limit", "10"))
            number = int(query.get("page", "1"))
        except ValueError:
            raise Refusal("limit and page must be whole numbers") from None
        if not 1 <= limit <= 100 or number < 0:
            raise Refusal("limit must be from 1 to 100, page 1 or more")
        sort, kind = query.get("sort", "asc"), query.get("type", "user")
        if sort not in ("asc", "desc") or kind not in ("user", "system", "all"):
            raise Refusal("sort must be asc or desc; type user, system or all")
        tools = [
            _shown(tool)
            for tool in self.jobs.values()
            if kind == "all" or tool["is_system_tool"] == (kind == "system")
        ]
        if sort == "desc":
            tools.reverse()
        start = (max(number, 1) - 1) * limit
        return web.json_response({"data": tools[start : start + limit], "total_count": len(tools)})

    async def get_tool(self, request: web.Request) -> web.Response:
        return web.json_response(_shown(self._tool(request)))

    async def update_tool(self, request: web.Request) -> web.Response:
        tool = self._tool(request)
        if tool["is_system_tool"]:
            raise Refusal("System tools cannot be updated")
        given = await read_body(request)
        if MASK in repr(given.get("delivery")):
            raise Refusal("Masked secrets cannot be sent back: leave them out to keep them")
        changed = copy.deepcopy(tool)
        for key in _FIELDS:
            if key in given:
                changed[key] = given[key]
        if "delivery" in given and given["delivery"] is None:
            changed["delivery"] = {"app_message": True}
        others = [t["name"] for t in self.jobs.values() if t is not tool]
        _check(changed, taken=others)
        changed["updated_at"] = self._now()
        self.jobs[tool["tool_id"]] = changed
        return web.json_response(_shown(changed))

    async def delete_tool(self, request: web.Request) -> web.Response:
        tool = self._tool(request)
        if tool["is_system_tool"]:
            raise Refusal("System tools cannot be deleted")
        del self.jobs[tool["tool_id"]]
        try:  # detached from every PAL (FakeTavus's pal_tools keeps pal_id -> [tool_id])
            attached: dict[str, list[str]] = self.fake.jobs.of("pal_tools")
        except KeyError:
            attached = {}
        for tool_ids in attached.values():
            if tool["tool_id"] in tool_ids:
                tool_ids.remove(tool["tool_id"])
        return web.Response(status=204)


def _check(tool: dict[str, Any], *, taken: list[str]) -> None:
    """A Refusal for what Tavus refuses in a tool's fields."""
    name = tool.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise Refusal("name is required: a letter or _, then letters, digits or _ (64 at most)")
    if name in taken:
        raise Refusal(f"A tool named {name!r} already exists")
    if not isinstance(tool.get("parameters"), dict):
        raise Refusal("parameters must be a JSON Schema object")
    if any(key.startswith("tavus_") for key in tool["parameters"].get("properties", {}) or {}):
        raise Refusal("parameters: property names starting with tavus_ are reserved")
    if len(str(tool.get("description") or "")) + len(str(tool["parameters"])) > 10_000:
        raise Refusal("description and parameters must be at most 10,000 characters together")
    delivery = tool.get("delivery")
    if not isinstance(delivery, dict) or ("app_message" in delivery) == ("api" in delivery):
        raise Refusal("delivery must have exactly one of app_message or api")
    if "api" in delivery and not str((delivery["api"] or {}).get("url", "")).startswith("http"):
        raise Refusal("delivery.api.url must be an http(s) url")
    if tool.get("on_call") == "static_filler" and not tool.get("static_filler"):
        raise Refusal("static_filler is required when on_call is static_filler")


def _defaults(tool: dict[str, Any]) -> dict[str, Any]:
    """Tavus's defaults for an in-call LLM tool, where not given."""
    filled = dict(tool)
    filled.setdefault("trigger_type", "in_call")
    if filled["trigger_type"] == "in_call":
        filled.setdefault("origin", "llm")
        if filled["origin"] == "llm":
            filled.setdefault("on_call", "generate_filler")
    filled.setdefault("on_resolve", "fire_and_forget")
    return filled


def _shown(tool: dict[str, Any]) -> dict[str, Any]:
    """The tool as Tavus answers it: header values and auth secrets as ``********``."""
    shown = copy.deepcopy(tool)
    api = (shown.get("delivery") or {}).get("api")
    if isinstance(api, dict):
        if isinstance(api.get("headers"), dict):
            api["headers"] = dict.fromkeys(api["headers"], MASK)
        if isinstance(api.get("auth"), dict):
            for key in _AUTH_SECRETS:
                if key in api["auth"]:
                    api["auth"][key] = MASK
    return shown
