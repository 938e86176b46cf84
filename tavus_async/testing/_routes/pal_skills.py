"""FakeTavus's PAL skills: the skills attached to a PAL, each with its config.

``fake.jobs.pal_skills`` holds pal_id -> {skill_id: attachment}. A PAL is any id
FakeTavus's ``pals`` family holds, when FakeTavus has one, else any id; a skill is one of
``fake.jobs.skills`` (else ``{"error": "Unknown skill '...'"}``). A PATCH merges its
``config`` into the attachment's (a null removes the key, RFC 7386); lists and replaces
answer ``{"data": {skill_id: attachment}}``; one attachment is answered bare.
"""

from __future__ import annotations

import copy
from typing import Any

from aiohttp import web

from ._common import FamilyRoutes, Refusal, read_body

__all__ = ["Routes"]


class Routes(FamilyRoutes):
    """Tavus's six PAL skill calls, on ``fake.jobs.pal_skills``."""

    name = "pal_skills"

    def register(self, router: web.UrlDispatcher) -> None:
        path = "/v2/pals/{pal_id}/skills"
        router.add_get(path, self.list_skills)
        router.add_put(path, self.replace_skills)
        router.add_get(path + "/{skill_id}", self.get_skill)
        router.add_put(path + "/{skill_id}", self.attach_skill)
        router.add_patch(path + "/{skill_id}", self.update_skill)
        router.add_delete(path + "/{skill_id}", self.detach_skill)

    def _now(self) -> str:
        return self.fake.now_utc().isoformat(timespec="microseconds")

    def _attached(self, request: web.Request) -> dict[str, dict[str, Any]]:
        """The PAL's attachments (a 404 for an unknown PAL)."""
        pal_id = request.match_info["pal_id"]
        try:
            pals = self.fake.jobs.of("pals")
        except KeyError:  # no PAL family in this FakeTavus: any PAL exists
            pals = None
        if pals is not None and pal_id not in pals:
            raise Refusal("PAL not found", status=404)
        attached: dict[str, dict[str, Any]] = self.jobs.setdefault(pal_id, {})
        return attached

    def _known(self, skill_id: object) -> str:
        if not isinstance(skill_id, str) or skill_id not in self.fake.jobs.of("skills"):
            raise Refusal(f"Unknown skill '{skill_id}'")
        return skill_id

    def _attachment(self, request: web.Request) -> dict[str, Any]:
        attached = self._attached(request)
        skill_id = self._known(request.match_info["skill_id"])
        if skill_id not in attached:
            raise Refusal(f"Skill '{skill_id}' is not attached to this PAL", status=404)
        return attached[skill_id]

    def _new(self, skill_id: str, config: object) -> dict[str, Any]:
        if not isinstance(config, dict):
            raise Refusal(f"config of '{skill_id}' must be an object")
        now = self._now()
        return {"skill_id": skill_id, "config": copy.deepcopy(config), "attached_at": now,
                "updated_at": now}  # fmt: skip

    async def list_skills(self, request: web.Request) -> web.Response:
        return web.json_response({"data": self._attached(request)})

    async def replace_skills(self, request: web.Request) -> web.Response:
        attached = self._attached(request)
        skills = (await read_body(request)).get("skills")
        if not isinstance(skills, dict):
            raise Refusal("skills must be an object keyed by skill_id")
        replaced = {}
        for skill_id, given in skills.items():
            config = given.get("config", {}) if isinstance(given, dict) else None
            replaced[self._known(skill_id)] = self._new(skill_id, config)
        attached.clear()
        attached.update(replaced)
        return web.json_response({"data": attached})

    async def get_skill(self, request: web.Request) -> web.Response:
        return web.json_response(self._attachment(request))

    async def attach_skill(self, request: web.Request) -> web.Response:
        attached = self._attached(request)
        skill_id = self._known(request.match_info["skill_id"])
        config = (await read_body(request)).get("config", {})
        made = self._new(skill_id, config)
        if skill_id in attached:
            made["attached_at"] = attached[skill_id]["attached_at"]
        attached[skill_id] = made
        return web.json_response(made)

    async def update_skill(self, request: web.Request) -> web.Response:
        attachment = self._attachment(request)
        config = (await read_body(request)).get("config", {})
        if not isinstance(config, dict):
            raise Refusal("config must be an object")
        attachment["config"] = _merge(attachment["config"], config)
        attachment["updated_at"] = self._now()
        return web.json_response(attachment)

    async def detach_skill(self, request: web.Request) -> web.Response:
        attachment = self._attachment(request)
        del self._attached(request)[attachment["skill_id"]]
        return web.Response(status=204)


def _merge(target: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """RFC 7386 merge: objects merge, null removes, anything else replaces."""
    merged = copy.deepcopy(target)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged
