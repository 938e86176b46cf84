"""FakeTavus's PAL tools: attach tools to a PAL, list them, detach one.

``fake.jobs.pal_tools`` holds pal_id -> the attached tool ids, in the order attached.
A PAL is any id FakeTavus's ``pals`` family holds, when FakeTavus has one, else any id.
Attaching is idempotent (tools already attached stay once), at most 50 per PAL; an
unknown tool is a 400, as is detaching one not attached. A list answers the tools as
``tavus.tools`` stores them (``fake.jobs.tools``), secrets masked.
"""

from __future__ import annotations

import copy
from typing import Any

from aiohttp import web

from ._common import NOT_JSON, FamilyRoutes, Refusal, parse_json

__all__ = ["Routes"]

MASK = "********"
_MOST = 50


class Routes(FamilyRoutes):
    """Tavus's three PAL tool calls, on ``fake.jobs.pal_tools`` (pal_id -> tool ids)."""

    name = "pal_tools"

    def register(self, router: web.UrlDispatcher) -> None:
        path = "/v2/pals/{pal_id}/tools"
        router.add_post(path, self.attach_tools)
        router.add_get(path, self.list_tools)
        router.add_delete(path + "/{tool_id}", self.detach_tool)

    def _tools(self) -> dict[str, dict[str, Any]]:
        try:
            tools: dict[str, dict[str, Any]] = self.fake.jobs.of("tools")
        except KeyError:  # pragma: no cover - FakeTavus has the tools family
            return {}
        return tools

    def _pal(self, request: web.Request) -> str:
        pal_id = request.match_info["pal_id"]
        try:
            pals = self.fake.jobs.of("pals")
        except KeyError:  # no PAL family in this FakeTavus: any PAL exists
            return pal_id
        if pal_id not in pals:
            raise Refusal("PAL not found", status=404)
        return pal_id

    async def attach_tools(self, request: web.Request) -> web.Response:
        pal_id = self._pal(request)
        given = parse_json(await request.read())
        tool_ids = given.get("tool_ids") if isinstance(given, dict) else NOT_JSON
        if not isinstance(tool_ids, list) or not tool_ids:
            raise Refusal("tool_ids must be a non-empty array of tool ids")
        tools = self._tools()
        for tool_id in tool_ids:
            if not isinstance(tool_id, str) or tool_id not in tools:
                raise Refusal(f"Bad Request. Tool not found: {tool_id}")
        attached: list[str] = self.jobs.setdefault(pal_id, [])
        new = [t for t in dict.fromkeys(tool_ids) if t not in attached]
        if len(attached) + len(new) > _MOST:
            raise Refusal(f"A PAL can have at most {_MOST} tools")
        attached.extend(new)
        return web.json_response({"data": [self._shown(t) for t in attached]})

    async def list_tools(self, request: web.Request) -> web.Response:
        pal_id = self._pal(request)
        attached = [t for t in self.jobs.get(pal_id, []) if t in self._tools()]
        return web.json_response({"data": [self._shown(t) for t in attached]})

    async def detach_tool(self, request: web.Request) -> web.Response:
        pal_id = self._pal(request)
        attached: list[str] = self.jobs.get(pal_id, [])
        tool_id = request.match_info["tool_id"]
        if tool_id not in attached:
            raise Refusal("Bad Request. Tool not attached to this PAL")
        attached.remove(tool_id)
        return web.Response(status=204)

    def _shown(self, tool_id: str) -> dict[str, Any]:
        """The tool as Tavus lists it: its header values and auth secrets masked."""
        tool = copy.deepcopy(self._tools()[tool_id])
        api = (tool.get("delivery") or {}).get("api")
        if isinstance(api, dict):
            for key in ("headers", "auth"):
                if isinstance(api.get(key), dict):
                    api[key] = {
                        k: v if key == "auth" and k in ("type", "location", "name") else MASK
                        for k, v in api[key].items()
                    }
        return tool
