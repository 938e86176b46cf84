"""FakeTavus's faces: the job, its training phase, the stock faces, Tavus's five calls.

A face goes ``started`` (``n/100``) -> ``completed`` (or ``error``) over
``Timing.face_training`` seconds, the lifecycle Tavus documents for faces; the stock
``system`` faces are trained from the start. Tavus's faces and replicas are the same
objects under two names, but this module keeps faces of its own (route modules share
nothing): the first stock face has the id of the documentation's stock replica,
``r783537ef5``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, ClassVar

import attrs
from aiohttp import web

from .._state import Timing, iso, progress
from ._common import (
    FamilyRoutes,
    Refusal,
    mark_created,
    page,
    query_flag,
    read_body,
    read_flag,
    read_text,
    read_url,
)

__all__ = ["FakeFace", "Routes"]

#: Tavus's stock faces: fixed ids (none drawn, so that no seeded id moves); the first is
#: the documentation's stock replica.
STOCK_FACES = (("r783537ef5", "Anna"), ("r9fa0878977a", "Ben"), ("r4c41453d2", "Carmen"))

FACE_FAILURE = (
    "The training video is shorter than the minimum duration of one minute; "
    "please upload a longer video"
)


@attrs.define(kw_only=True)
class FakeFace:
    """One face of the emulator."""

    face_id: str
    face_name: str
    started: float
    created_at: datetime
    face_type: str = "user"
    model_name: str = "phoenix-4"  # Tavus's default model
    callback_url: str | None = None
    fails: bool = False
    deleted: bool = False
    callback_sent: bool = False

    def phase(self, now: float, timing: Timing) -> tuple[str, str]:
        """(status, training_progress) at ``now``."""
        if self.face_type == "system":
            return "completed", "100/100"
        elapsed = now - self.started
        if elapsed >= timing.face_training:
            return ("error", "100/100") if self.fails else ("completed", "100/100")
        return "started", progress(elapsed, timing.face_training)

    def to_json(self, now: float, timing: Timing, *, verbose: bool) -> dict[str, Any]:
        status, training_progress = self.phase(now, timing)
        body: dict[str, Any] = {
            "face_id": self.face_id,
            "face_name": self.face_name,
            "status": status,
            "training_progress": training_progress,
            "thumbnail_video_url": None,
            "error_message": FACE_FAILURE if status == "error" else None,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.created_at),
            "model_name": self.model_name,
        }
        if verbose:
            body["face_type"] = self.face_type
        return body

    def callback_body(self, now: float, timing: Timing, *, files_url: str) -> dict[str, Any]:
        status, _ = self.phase(now, timing)
        if status == "error":
            return {"face_id": self.face_id, "status": "error", "error_message": FACE_FAILURE}
        return {"face_id": self.face_id, "status": "completed"}

    def finished(self, now: float, timing: Timing) -> bool:
        return self.phase(now, timing)[0] in ("completed", "error")


class Routes(FamilyRoutes):
    """Tavus's five face calls, on ``fake.jobs.faces``."""

    name = "faces"
    PHASES: ClassVar[Mapping[str, float]] = {"face_training": 6.0}

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_post("/v2/faces", self.create_face)
        router.add_get("/v2/faces", self.list_faces)
        router.add_get("/v2/faces/{job_id}", self.get_face)
        router.add_patch("/v2/faces/{job_id}/name", self.rename_face)
        router.add_delete("/v2/faces/{job_id}", self.delete_face)

    def seed(self, *, now: float) -> None:
        """Tavus's stock faces: three trained ``system`` faces, ``r783537ef5`` first."""
        for face_id, name in STOCK_FACES:
            self.jobs[face_id] = FakeFace(
                face_id=face_id,
                face_name=f"{name} (stock)",
                started=now,
                created_at=datetime(2024, 1, 24, 7, 14, 3, tzinfo=timezone.utc),
                face_type="system",
            )

    @property
    def jobs(self) -> dict[str, FakeFace]:
        return self.fake.jobs.of(self.name)

    def _face(self, request: web.Request) -> FakeFace:
        face = self.jobs.get(request.match_info["job_id"])
        if face is None or face.deleted:
            raise Refusal("Face not found", status=404)
        return face

    async def create_face(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        train_video_url = read_url(body, "train_video_url")
        train_image_url = read_url(body, "train_image_url")
        if (train_video_url is None) == (train_image_url is None):
            raise Refusal("Provide exactly one of train_video_url or train_image_url")
        voice_name = read_text(body, "voice_name")
        if train_image_url is not None and voice_name is None:
            raise Refusal("voice_name is required when train_image_url is set")
        read_flag(body, "auto_fix_training_image")
        callback_url = read_url(body, "callback_url")
        name = read_text(body, "face_name") or "Unnamed face"
        model_name = read_text(body, "model_name") or "phoenix-4"
        fake = self.fake
        face = FakeFace(
            face_id=fake.jobs.new_id("r"),
            face_name=name,
            started=fake.clock(),
            created_at=fake.now_utc(),
            model_name=model_name,
            callback_url=callback_url,
            fails=fake.fails(train_video_url, train_image_url, name),
        )
        self.jobs[face.face_id] = face
        mark_created(face.face_id)
        return web.json_response({"face_id": face.face_id, "status": "started"})

    async def list_faces(self, request: web.Request) -> web.Response:
        fake, now = self.fake, self.fake.clock()
        wanted_type = request.query.get("face_type")
        wanted_model = request.query.get("model_name")
        faces = [
            f
            for f in reversed(self.jobs.values())
            if not f.deleted
            and (wanted_type is None or f.face_type == wanted_type)
            and (wanted_model is None or f.model_name == wanted_model)
        ]
        verbose = query_flag(request, "verbose")
        items = [f.to_json(now, fake.timing, verbose=verbose) for f in faces]
        return page(request, items, first_page=fake.first_page)

    async def get_face(self, request: web.Request) -> web.Response:
        face = self._face(request)
        fake = self.fake
        return web.json_response(
            face.to_json(fake.clock(), fake.timing, verbose=query_flag(request, "verbose"))
        )

    async def rename_face(self, request: web.Request) -> web.Response:
        face = self._face(request)
        face.face_name = read_text(await read_body(request), "face_name", required=True) or ""
        return web.Response(status=200)

    async def delete_face(self, request: web.Request) -> web.Response:
        face = self._face(request)
        if query_flag(request, "hard"):
            del self.jobs[face.face_id]
        else:
            face.deleted = True
        return web.Response(status=200)
