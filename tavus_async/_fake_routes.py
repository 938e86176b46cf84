"""FakeTavus's endpoints: Tavus's ten Replicas and Videos calls, and the file host."""

from __future__ import annotations

import contextvars
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ._fake_jobs import FakeReplica, FakeVideo
from ._fake_media import sample_mp4

if TYPE_CHECKING:
    from .testing import FakeTavus, RecordedRequest

__all__ = ["CURRENT_RECORD", "NOT_JSON", "Refusal", "Routes", "parse_json"]

#: The record of the request being handled (set by FakeTavus's middleware, per task).
CURRENT_RECORD: contextvars.ContextVar[RecordedRequest | None] = contextvars.ContextVar(
    "CURRENT_RECORD", default=None
)


def _refuse(message: str, status: int = 400) -> web.Response:
    return web.json_response({"error": message}, status=status)


NOT_JSON = object()


def parse_json(raw: bytes) -> Any:
    """The JSON in ``raw``, or NOT_JSON: no body a caller sends can make the emulator fail."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return NOT_JSON


class Refusal(Exception):
    """What Tavus would answer instead: raised by a handler, answered by the middleware."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.response = _refuse(message, status)


def _text(body: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise Refusal(f"{name} is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise Refusal(f"Invalid {name}")
    return value


def _url(body: dict[str, Any], name: str) -> str | None:
    value = _text(body, name)
    if value is not None and not value.startswith(("http://", "https://")):
        raise Refusal(f"Invalid {name}: must be a public http(s) url")
    return value


def _flag(body: dict[str, Any], name: str) -> bool:
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise Refusal(f"Invalid {name}: must be a boolean")
    return value


class Routes:
    """The handlers of one FakeTavus, reading and changing its jobs."""

    def __init__(self, fake: FakeTavus) -> None:
        self.fake = fake

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_post("/v2/replicas", self.create_replica)
        router.add_get("/v2/replicas", self.list_replicas)
        router.add_get("/v2/replicas/{job_id}", self.get_replica)
        router.add_patch("/v2/replicas/{job_id}/name", self.rename_replica)
        router.add_delete("/v2/replicas/{job_id}", self.delete_replica)
        router.add_post("/v2/videos", self.create_video)
        router.add_get("/v2/videos", self.list_videos)
        router.add_get("/v2/videos/{job_id}", self.get_video)
        router.add_patch("/v2/videos/{job_id}/name", self.rename_video)
        router.add_delete("/v2/videos/{job_id}", self.delete_video)
        router.add_get("/files/{video_id}.mp4", self.file)
        router.add_get("/streams/{video_id}.m3u8", self.stream)
        router.add_get("/watch/{video_id}", self.watch_page)
        router.add_get("/thumbnails/{name}", self.thumbnail)

    # -- helpers -----------------------------------------------------------------

    async def _body(self, request: web.Request) -> dict[str, Any]:
        body = parse_json(await request.read())
        if body is NOT_JSON:
            raise Refusal("Invalid JSON body")
        if not isinstance(body, dict):
            raise Refusal("The request body must be a JSON object")
        return body

    def _replica(self, request: web.Request) -> FakeReplica:
        replica = self.fake.jobs.replicas.get(request.match_info["job_id"])
        if replica is None or replica.deleted:
            raise Refusal("Replica not found", 404)
        return replica

    def _video(self, request: web.Request, *, soft_deleted_too: bool = True) -> FakeVideo:
        video = self.fake.jobs.videos.get(request.match_info["job_id"])
        if video is None or (video.deleted and not soft_deleted_too):
            raise Refusal("Video not found", 404)
        return video

    def _page(self, request: web.Request, items: list[dict[str, Any]]) -> web.Response:
        try:
            limit = int(request.query.get("limit", "10"))
            page = int(request.query.get("page", str(self.fake.first_page)))
        except ValueError:
            raise Refusal("limit and page must be whole numbers") from None
        if not 1 <= limit <= 100:
            raise Refusal("limit must be from 1 to 100")
        start = max(page - self.fake.first_page, 0) * limit
        return web.json_response({"data": items[start : start + limit], "total_count": len(items)})

    def _created(self, request: web.Request, job_id: str) -> None:
        record = CURRENT_RECORD.get()
        if record is not None:
            record.created = job_id

    @staticmethod
    def _verbose(request: web.Request) -> bool:
        return request.query.get("verbose", "false").lower() == "true"

    # -- replicas ----------------------------------------------------------------

    async def create_replica(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        train_video_url = _url(body, "train_video_url")
        train_image_url = _url(body, "train_image_url")
        if (train_video_url is None) == (train_image_url is None):
            raise Refusal("Provide exactly one of train_video_url or train_image_url")
        consent = _url(body, "consent_video_url")
        callback_url = _url(body, "callback_url")
        name = _text(body, "replica_name") or "Unnamed replica"
        model_name = _text(body, "model_name") or "phoenix-3"
        fake = self.fake
        replica = FakeReplica(
            replica_id=fake.jobs.new_id("r"),
            replica_name=name,
            started=fake.clock(),
            created_at=fake.now_utc(),
            model_name=model_name,
            train_video_url=train_video_url or train_image_url,
            callback_url=callback_url,
            fails=fake.fails(train_video_url, train_image_url, consent, name),
        )
        fake.jobs.replicas[replica.replica_id] = replica
        self._created(request, replica.replica_id)
        return web.json_response({"replica_id": replica.replica_id, "status": "started"})

    async def list_replicas(self, request: web.Request) -> web.Response:
        fake, now = self.fake, self.fake.clock()
        wanted_type = request.query.get("replica_type")
        wanted_ids = set(filter(None, request.query.get("replica_ids", "").split(",")))
        replicas = [
            r
            for r in reversed(fake.jobs.replicas.values())
            if not r.deleted
            and (wanted_type is None or r.replica_type == wanted_type)
            and (not wanted_ids or r.replica_id in wanted_ids)
        ]
        verbose = self._verbose(request)
        return self._page(request, [r.to_json(now, fake.timing, verbose=verbose) for r in replicas])

    async def get_replica(self, request: web.Request) -> web.Response:
        replica = self._replica(request)
        fake = self.fake
        return web.json_response(
            replica.to_json(fake.clock(), fake.timing, verbose=self._verbose(request))
        )

    async def rename_replica(self, request: web.Request) -> web.Response:
        replica = self._replica(request)
        name = _text(await self._body(request), "replica_name", required=True)
        replica.replica_name = name or replica.replica_name
        return web.Response(status=200)

    async def delete_replica(self, request: web.Request) -> web.Response:
        replica = self._replica(request)
        if request.query.get("hard", "false").lower() == "true":
            del self.fake.jobs.replicas[replica.replica_id]
        else:
            replica.deleted = True
        return web.Response(status=200)

    # -- videos ------------------------------------------------------------------

    async def create_video(self, request: web.Request) -> web.Response:
        fake = self.fake
        body = await self._body(request)
        replica_id = _text(body, "replica_id", required=True)
        replica = fake.jobs.replicas.get(replica_id or "")
        if replica is None or replica.deleted:
            raise Refusal("Invalid replica_id")
        if replica.phase(fake.clock(), fake.timing)[0] != "completed":
            raise Refusal(f"Replica {replica_id} is not ready: it has not finished training")
        script = _text(body, "script")
        audio_url = _url(body, "audio_url")
        if (script is None) == (audio_url is None):
            raise Refusal("Provide exactly one of script or audio_url")
        fast = _flag(body, "fast")
        if _flag(body, "transparent_background") and not fast:
            raise Refusal("transparent_background requires fast=true")
        _url(body, "watermark_image_url")
        name = _text(body, "video_name")
        video = FakeVideo(
            video_id=fake.jobs.new_id("v"),
            video_name=name or f"Video of {replica.replica_name}",
            replica_id=replica.replica_id,
            started=fake.clock(),
            created_at=fake.now_utc(),
            script=script,
            audio_url=audio_url,
            callback_url=_url(body, "callback_url"),
            background_url=_url(body, "background_url"),
            background_source_url=_url(body, "background_source_url"),
            fast=fast,
            fails=fake.fails(script, audio_url, name),
        )
        fake.jobs.videos[video.video_id] = video
        self._created(request, video.video_id)
        whole = video.to_json(fake.clock(), fake.timing, files_url=fake.files_url, verbose=False)
        keys = ("video_id", "video_name", "status", "hosted_url", "created_at")
        return web.json_response({k: whole[k] for k in keys})

    async def list_videos(self, request: web.Request) -> web.Response:
        fake, now = self.fake, self.fake.clock()
        videos = [v for v in reversed(fake.jobs.videos.values()) if not v.deleted]
        items = [
            v.to_json(now, fake.timing, files_url=fake.files_url, verbose=False) for v in videos
        ]
        return self._page(request, items)

    async def get_video(self, request: web.Request) -> web.Response:
        video = self._video(request)
        fake = self.fake
        verbose = self._verbose(request)
        return web.json_response(
            video.to_json(fake.clock(), fake.timing, files_url=fake.files_url, verbose=verbose)
        )

    async def rename_video(self, request: web.Request) -> web.Response:
        video = self._video(request, soft_deleted_too=False)
        name = _text(await self._body(request), "video_name", required=True)
        video.video_name = name or video.video_name
        return web.Response(status=200)

    async def delete_video(self, request: web.Request) -> web.Response:
        hard = request.query.get("hard", "false").lower() == "true"
        video = self._video(request, soft_deleted_too=hard)  # a hard delete purges it too
        if hard:
            del self.fake.jobs.videos[video.video_id]
        else:
            video.deleted = True
        return web.Response(status=200)

    # -- the file host -----------------------------------------------------------

    def _ready_video(self, video_id: str) -> FakeVideo | None:
        video = self.fake.jobs.videos.get(video_id)
        if video is None or video.phase(self.fake.clock(), self.fake.timing)[0] != "ready":
            return None
        return video

    async def file(self, request: web.Request) -> web.Response:
        video_id = request.match_info["video_id"]
        if self._ready_video(video_id) is None:
            return web.Response(status=404, text="NoSuchKey: The specified key does not exist.")
        return web.Response(body=sample_mp4(video_id), content_type="video/mp4")

    async def stream(self, request: web.Request) -> web.Response:
        video_id = request.match_info["video_id"]
        if self._ready_video(video_id) is None:
            return web.Response(status=404, text="Not found")
        playlist = f"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n/files/{video_id}.mp4\n"
        return web.Response(
            text=playlist + "#EXT-X-ENDLIST\n", content_type="application/x-mpegURL"
        )

    async def watch_page(self, request: web.Request) -> web.Response:
        video_id = request.match_info["video_id"]
        html = f"<html><title>Tavus video {video_id}</title><video src='/files/{video_id}.mp4'>"
        return web.Response(text=html, content_type="text/html")

    async def thumbnail(self, request: web.Request) -> web.Response:
        return web.Response(body=b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif")
