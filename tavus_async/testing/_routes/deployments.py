"""FakeTavus's deployments: create, list, get, JSON Patch, delete, and the public calls.

A deployment is stored as the JSON Tavus answers (``FakeDeployment.body``), its password
kept aside (the answer says only ``has_password``). Lists page by the emulator's
``first_page``. A patch may change anything but the id, usage counts and timestamps
(those are ignored); ``/password`` sets or clears the password. A patch that changes
nothing is answered 304; a changed one echoes the deployment. GET sends an ``ETag``; a
PATCH whose ``If-Match`` names another is refused 412.

``init`` answers the deployment's public configuration; ``start`` checks the password,
counts the use and answers a new conversation (kept in the deployment's own record, not
in the conversations family); ``.../conversations/{id}/end`` ends one it started, and
answers the same when it has ended already. FakeTavus asks for the API key on these
public calls too (the SDK sends it).
"""

from __future__ import annotations

from typing import Any

import attrs
from aiohttp import web

from .._patch import PatchError, apply_patch
from .._state import iso
from ._common import NOT_JSON, FamilyRoutes, Refusal, mark_created, page, parse_json, read_body

__all__ = ["FakeDeployment", "Routes"]

_ID = "deployment_id"
_READ_ONLY = (_ID, "has_password", "usage_total", "usage_today", "created_at", "updated_at")
_CHANNELS = ("widget", "embed", "landing-page")
_PUBLIC = (
    _ID,
    "channel",
    "customization",
    "has_password",
    "thumbnail_video_url",
    "thumbnail_image_url",
    "replica_thumbnail_video_url",
    "limits",
)


@attrs.define(kw_only=True)
class FakeDeployment:
    """One deployment of the emulator: its JSON, password, version, and the conversations
    it started (id -> ``active`` / ``ended``)."""

    deployment_id: str
    body: dict[str, Any]
    password: str | None = None
    version: int = 1
    conversations: dict[str, str] = attrs.field(factory=dict)

    @property
    def etag(self) -> str:
        return f'"{self.deployment_id}-{self.version}"'


class Routes(FamilyRoutes):
    """Tavus's deployment calls, on ``fake.jobs.deployments``."""

    name = "deployments"

    def register(self, router: web.UrlDispatcher) -> None:
        path = "/v2/deployments"
        item = path + "/{deployment_id}"
        router.add_post(path, self.create_deployment)
        router.add_get(path, self.list_deployments)
        router.add_get(item, self.get_deployment)
        router.add_patch(item, self.patch_deployment)
        router.add_delete(item, self.delete_deployment)
        router.add_get(item + "/init", self.init_deployment)
        router.add_post(item + "/start", self.start_conversation)
        router.add_post(item + "/conversations/{conversation_id}/end", self.end_conversation)

    @property
    def jobs(self) -> dict[str, FakeDeployment]:
        return self.fake.jobs.of(self.name)

    def _deployment(self, request: web.Request) -> FakeDeployment:
        found = self.jobs.get(request.match_info["deployment_id"])
        if found is None:
            raise Refusal("Deployment not found", status=404)
        return found

    async def create_deployment(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        deployment_id = self.fake.jobs.new_id("d")
        now = iso(self.fake.now_utc())
        password = _password(body.get("password"))
        thumbnail = f"{self.fake.files_url}/deployments/{deployment_id}/thumbnail"
        stored = _checked(
            {
                _ID: deployment_id,
                "pal_id": body.get("pal_id"),
                "channel": body.get("channel"),
                "name": body.get("name"),
                "has_password": password is not None,
                "customization": body.get("customization", {}),
                "thumbnail_video_url": thumbnail + ".mp4",
                "thumbnail_image_url": thumbnail + ".jpg",
                "replica_thumbnail_video_url": thumbnail + ".mp4",
                "limits": body.get("limits", {}),
                "allowed_origins": body.get("allowed_origins", []),
                "usage_total": 0,
                "usage_today": 0,
                "created_at": now,
                "updated_at": now,
            }
        )
        self.jobs[deployment_id] = FakeDeployment(
            deployment_id=deployment_id, body=stored, password=password
        )
        mark_created(deployment_id)
        return web.json_response(stored)

    async def list_deployments(self, request: web.Request) -> web.Response:
        items = [d.body for d in self.jobs.values()]
        return page(request, items, first_page=self.fake.first_page)

    async def get_deployment(self, request: web.Request) -> web.Response:
        deployment = self._deployment(request)
        return web.json_response(deployment.body, headers={"ETag": deployment.etag})

    async def patch_deployment(self, request: web.Request) -> web.Response:
        deployment = self._deployment(request)
        expected = request.headers.get("If-Match")
        if expected is not None and expected != deployment.etag:
            raise Refusal("The deployment changed since it was read (ETag mismatch)", status=412)
        patch = parse_json(await request.read())
        if patch is NOT_JSON or not isinstance(patch, list):
            raise Refusal("The request body must be a JSON Patch array")
        before = {**deployment.body, "password": deployment.password}
        try:
            after = apply_patch(before, patch)
        except PatchError as exc:
            raise Refusal(str(exc)) from None
        password = _password(after.pop("password", None))
        for key in _READ_ONLY:  # silently ignored
            after[key] = deployment.body[key]
        after["has_password"] = password is not None
        _checked(after)
        if after == deployment.body and password == deployment.password:
            return web.Response(status=304)
        after["updated_at"] = iso(self.fake.now_utc())
        deployment.body, deployment.password = after, password
        deployment.version += 1
        return web.json_response(after, headers={"ETag": deployment.etag})

    async def delete_deployment(self, request: web.Request) -> web.Response:
        del self.jobs[self._deployment(request).deployment_id]
        return web.Response(status=204)

    async def init_deployment(self, request: web.Request) -> web.Response:
        deployment = self._deployment(request)
        public = {key: deployment.body[key] for key in _PUBLIC}
        public.update(
            show_tavus_branding=True, captcha=None, is_available=True, unavailable_reason=None
        )
        return web.json_response(public)

    async def start_conversation(self, request: web.Request) -> web.Response:
        deployment = self._deployment(request)
        body = await read_body(request)
        if deployment.password is not None and body.get("password") != deployment.password:
            raise Refusal("Invalid password", status=401)
        stores = body.get("memory_stores")
        if stores is not None and not (
            isinstance(stores, list) and all(isinstance(s, str) for s in stores)
        ):
            raise Refusal("memory_stores must be an array of strings")
        conversation_id = self.fake.jobs.new_id("c")
        deployment.conversations[conversation_id] = "active"
        deployment.body["usage_total"] += 1
        deployment.body["usage_today"] += 1
        mark_created(conversation_id)
        name = deployment.body.get("name") or deployment.deployment_id
        return web.json_response(
            {
                "conversation_id": conversation_id,
                "conversation_name": f"{name} conversation",
                "conversation_url": f"https://tavus.daily.co/{conversation_id}",
                "status": "active",
                "callback_url": None,
                "meeting_token": f"token-{conversation_id}",
                "created_at": iso(self.fake.now_utc()),
            }
        )

    async def end_conversation(self, request: web.Request) -> web.Response:
        deployment = self._deployment(request)
        conversation_id = request.match_info["conversation_id"]
        if conversation_id not in deployment.conversations:
            raise Refusal("Conversation not found for this deployment", status=404)
        deployment.conversations[conversation_id] = "ended"
        return web.json_response({"conversation_id": conversation_id, "status": "ended"})


def _password(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise Refusal("password must be a non-empty string or null")
    return value


def _checked(body: dict[str, Any]) -> dict[str, Any]:
    """The deployment's JSON with its fields checked as Tavus would; a Refusal if not."""
    pal_id = body.get("pal_id")
    if not isinstance(pal_id, str) or not pal_id:
        raise Refusal("pal_id is required")
    if body.get("channel") not in _CHANNELS:
        raise Refusal("channel must be one of widget, embed, landing-page")
    name = body.get("name")
    if name is not None and not isinstance(name, str):
        raise Refusal("name must be a string")
    for key in ("customization", "limits"):
        if not isinstance(body.get(key), dict):
            raise Refusal(f"{key} must be an object")
    origins = body.get("allowed_origins")
    if not isinstance(origins, list) or not all(isinstance(o, str) for o in origins):
        raise Refusal("allowed_origins must be an array of strings")
    return body
