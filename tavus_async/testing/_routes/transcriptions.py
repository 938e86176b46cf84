"""FakeTavus's transcriptions: create, list, get, delete, in the shapes of openapi.yaml.

Tavus documents no status words or callback for them: the fake answers ``status``
``started`` at once and sends no callback; its transcriptions get no ``text``.
Creating needs ``file_url`` and ``callback_url``; an unknown id is 404.
"""

from __future__ import annotations

from typing import Any

import attrs
from aiohttp import web

from .._state import iso
from ._common import FamilyRoutes, Refusal, mark_created, page, read_body, read_url

__all__ = ["FakeTranscription", "Routes"]


@attrs.define(kw_only=True)
class FakeTranscription:
    """One transcription of the emulator: its id and its JSON (it has no ``callback_url``
    attribute: the fake sends it no callback)."""

    transcription_id: str
    body: dict[str, Any]


class Routes(FamilyRoutes):
    """Tavus's four transcription calls, on ``fake.jobs.transcriptions``."""

    name = "transcriptions"

    def register(self, router: web.UrlDispatcher) -> None:
        path = "/v2/transcriptions"
        router.add_post(path, self.create_transcription)
        router.add_get(path, self.list_transcriptions)
        router.add_get(path + "/{transcription_id}", self.get_transcription)
        router.add_delete(path + "/{transcription_id}", self.delete_transcription)

    @property
    def jobs(self) -> dict[str, FakeTranscription]:
        return self.fake.jobs.of(self.name)

    def _transcription(self, request: web.Request) -> FakeTranscription:
        found = self.jobs.get(request.match_info["transcription_id"])
        if found is None:
            raise Refusal("Transcription not found", status=404)
        return found

    async def create_transcription(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        file_url, callback_url = read_url(body, "file_url"), read_url(body, "callback_url")
        if file_url is None or callback_url is None:
            raise Refusal("file_url and callback_url are required")
        transcription_id = self.fake.jobs.new_id("t")
        stored = {
            "transcription_id": transcription_id,
            "file_url": file_url,
            "text": None,
            "status": "started",
            "callback_url": callback_url,
            "created_at": iso(self.fake.now_utc()),
        }
        self.jobs[transcription_id] = FakeTranscription(
            transcription_id=transcription_id, body=stored
        )
        mark_created(transcription_id)
        answer = {k: stored[k] for k in ("transcription_id", "status", "callback_url")}
        return web.json_response(answer)

    async def list_transcriptions(self, request: web.Request) -> web.Response:
        items = [t.body for t in self.jobs.values()]
        return page(request, items, first_page=self.fake.first_page)

    async def get_transcription(self, request: web.Request) -> web.Response:
        return web.json_response(self._transcription(request).body)

    async def delete_transcription(self, request: web.Request) -> web.Response:
        del self.jobs[self._transcription(request).transcription_id]
        return web.Response(status=204)
