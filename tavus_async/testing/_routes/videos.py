"""FakeTavus's videos: the job, its queue and rendering phases, Tavus's five calls, the file host.

A video goes ``queued`` (``Timing.video_queue``) -> ``generating`` (``n/100``, over
``Timing.video_rendering``) -> ``ready`` (or ``error``). A ready video's files, stream,
watch page and thumbnails are served under the fake's second host name, as Tavus's CDN is
not its API.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from email.utils import format_datetime
from typing import Any, ClassVar

import attrs
from aiohttp import web

from .._media import sample_mp4
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

__all__ = ["FakeVideo", "Routes"]

# Tavus's own words for a failed render (TAVUS_API.md, video objects).
VIDEO_FAILURE = "An error occurred while generating this video. Please try again."

_DETAILS = {
    "queued": "Your video is queued for generation.",
    "generating": "Your video is being generated.",
    "ready": "Your video is ready.",
    "error": VIDEO_FAILURE,
    "deleted": "This video was deleted.",
}


@attrs.define(kw_only=True)
class FakeVideo:
    """One video of the emulator."""

    video_id: str
    video_name: str
    replica_id: str
    started: float
    created_at: datetime
    script: str | None = None
    audio_url: str | None = None
    callback_url: str | None = None
    background_url: str | None = None
    background_source_url: str | None = None
    fast: bool = False
    fails: bool = False
    deleted: bool = False
    callback_sent: bool = False

    def phase(self, now: float, timing: Timing) -> tuple[str, str | None]:
        """(status, generation_progress) at ``now``."""
        if self.deleted:
            return "deleted", None
        elapsed = now - self.started
        if elapsed < timing.video_queue:
            return "queued", None
        elapsed -= timing.video_queue
        if elapsed >= timing.video_rendering:
            return ("error", None) if self.fails else ("ready", "100/100")
        return "generating", progress(elapsed, timing.video_rendering)

    def to_json(
        self, now: float, timing: Timing, *, files_url: str, verbose: bool
    ) -> dict[str, Any]:
        status, generation_progress = self.phase(now, timing)
        ready = status == "ready"
        body: dict[str, Any] = {
            "video_id": self.video_id,
            "video_name": self.video_name,
            "status": status,
            "replica_id": self.replica_id,
            "data": {"script": self.script} if self.script is not None else {},
            "generation_progress": generation_progress,
            "status_details": _DETAILS.get(status, ""),
            "error_details": VIDEO_FAILURE if status == "error" else None,
            "download_url": f"{files_url}/files/{self.video_id}.mp4" if ready else None,
            # A fast render is barebones: no stream and no thumbnails (TAVUS_API.md).
            "stream_url": f"{files_url}/streams/{self.video_id}.m3u8"
            if ready and not self.fast
            else None,
            "hosted_url": f"{files_url}/watch/{self.video_id}",
            "background_url": self.background_url,
            "background_source_url": self.background_source_url,
            "created_at": iso(self.created_at),
            "updated_at": format_datetime(self.created_at, usegmt=True),
        }
        if verbose and not self.fast:
            body["still_image_thumbnail_url"] = f"{files_url}/thumbnails/{self.video_id}.jpg"
            body["gif_thumbnail_url"] = f"{files_url}/thumbnails/{self.video_id}.gif"
        return body

    def callback_body(self, now: float, timing: Timing, *, files_url: str) -> dict[str, Any]:
        """Tavus posts the whole video, as a plain ``get`` returns it."""
        return self.to_json(now, timing, files_url=files_url, verbose=False)

    def finished(self, now: float, timing: Timing) -> bool:
        return self.phase(now, timing)[0] in ("ready", "error")


class Routes(FamilyRoutes):
    """Tavus's five video calls, on ``fake.jobs.videos``, and the file host's four kinds of file."""

    name = "videos"
    PHASES: ClassVar[Mapping[str, float]] = {"video_queue": 0.5, "video_rendering": 2.0}

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_post("/v2/videos", self.create_video)
        router.add_get("/v2/videos", self.list_videos)
        router.add_get("/v2/videos/{job_id}", self.get_video)
        router.add_patch("/v2/videos/{job_id}/name", self.rename_video)
        router.add_delete("/v2/videos/{job_id}", self.delete_video)
        router.add_get("/files/{video_id}.mp4", self.file)
        router.add_get("/streams/{video_id}.m3u8", self.stream)
        router.add_get("/watch/{video_id}", self.watch_page)
        router.add_get("/thumbnails/{name}", self.thumbnail)

    @property
    def jobs(self) -> dict[str, FakeVideo]:
        return self.fake.jobs.of(self.name)

    def _video(self, request: web.Request, *, soft_deleted_too: bool = True) -> FakeVideo:
        video = self.jobs.get(request.match_info["job_id"])
        if video is None or (video.deleted and not soft_deleted_too):
            raise Refusal("Video not found", status=404)
        return video

    def _to_json(self, video: FakeVideo, *, verbose: bool) -> dict[str, Any]:
        fake = self.fake
        return video.to_json(fake.clock(), fake.timing, files_url=fake.files_url, verbose=verbose)

    # -- the API -----------------------------------------------------------------

    async def create_video(self, request: web.Request) -> web.Response:
        fake = self.fake
        body = await read_body(request)
        replica_id = read_text(body, "replica_id", required=True)
        # A video is of a trained replica: looked up in the store by its family's name,
        # so that no family's routes import another's.
        replica: Any = fake.jobs.of("replicas").get(replica_id or "")
        if replica is None or replica.deleted:
            raise Refusal("Invalid replica_id")
        if replica.phase(fake.clock(), fake.timing)[0] != "completed":
            raise Refusal(f"Replica {replica_id} is not ready: it has not finished training")
        script = read_text(body, "script")
        audio_url = read_url(body, "audio_url")
        if (script is None) == (audio_url is None):
            raise Refusal("Provide exactly one of script or audio_url")
        fast = read_flag(body, "fast")
        if read_flag(body, "transparent_background") and not fast:
            raise Refusal("transparent_background requires fast=true")
        read_url(body, "watermark_image_url")
        name = read_text(body, "video_name")
        video = FakeVideo(
            video_id=fake.jobs.new_id("v"),
            video_name=name or f"Video of {replica.replica_name}",
            replica_id=replica.replica_id,
            started=fake.clock(),
            created_at=fake.now_utc(),
            script=script,
            audio_url=audio_url,
            callback_url=read_url(body, "callback_url"),
            background_url=read_url(body, "background_url"),
            background_source_url=read_url(body, "background_source_url"),
            fast=fast,
            fails=fake.fails(script, audio_url, name),
        )
        self.jobs[video.video_id] = video
        mark_created(video.video_id)
        whole = self._to_json(video, verbose=False)
        keys = ("video_id", "video_name", "status", "hosted_url", "created_at")
        return web.json_response({k: whole[k] for k in keys})

    async def list_videos(self, request: web.Request) -> web.Response:
        videos = [v for v in reversed(self.jobs.values()) if not v.deleted]
        items = [self._to_json(v, verbose=False) for v in videos]
        return page(request, items, first_page=self.fake.first_page)

    async def get_video(self, request: web.Request) -> web.Response:
        video = self._video(request)
        return web.json_response(self._to_json(video, verbose=query_flag(request, "verbose")))

    async def rename_video(self, request: web.Request) -> web.Response:
        video = self._video(request, soft_deleted_too=False)
        name = read_text(await read_body(request), "video_name", required=True)
        video.video_name = name or video.video_name
        return web.Response(status=200)

    async def delete_video(self, request: web.Request) -> web.Response:
        hard = query_flag(request, "hard")
        video = self._video(request, soft_deleted_too=hard)  # a hard delete purges it too
        if hard:
            del self.jobs[video.video_id]
        else:
            video.deleted = True
        return web.Response(status=200)

    # -- the file host -----------------------------------------------------------

    def _ready_video(self, video_id: str) -> FakeVideo | None:
        video = self.jobs.get(video_id)
        if video is None or video.phase(self.fake.clock(), self.fake.timing)[0] != "ready":
            return None
        return video

    async def file(self, request: web.Request) -> web.Response:
        video_id = request.match_info["video_id"]
        if self._ready_video(video_id) is None:
            return web.Response(status=404, text="NoSuchKey: The specified key does not exist.")
        return _ranged(request, sample_mp4(video_id), content_type="video/mp4")

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


_BYTE_RANGE = re.compile(r"bytes=(?P<first>\d*)-(?P<last>\d*)")


def _ranged(request: web.Request, whole: bytes, *, content_type: str) -> web.Response:
    """``whole``, or the part a ``Range`` asks for, as a CDN serves it (RFC 9110, 14).

    One range (``bytes=N-``, ``bytes=N-M``, ``bytes=-N``) is answered 206 with its
    ``Content-Range``; one that starts past the end, 416 with ``bytes */size``. A Range
    the host does not understand (several ranges, another unit) is ignored: 200, whole.
    """
    size = len(whole)
    headers = {"Accept-Ranges": "bytes"}
    match = _BYTE_RANGE.fullmatch(request.headers.get("Range", "").strip())
    if match is None or not (match["first"] or match["last"]):
        return web.Response(body=whole, content_type=content_type, headers=headers)
    if match["first"]:
        first = int(match["first"])
        last = min(int(match["last"]), size - 1) if match["last"] else size - 1
    else:  # the last N bytes
        first, last = max(size - int(match["last"]), 0), size - 1
    if first >= size or last < first:
        headers["Content-Range"] = f"bytes */{size}"
        return web.Response(status=416, headers=headers)
    headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    return web.Response(
        status=206, body=whole[first : last + 1], content_type=content_type, headers=headers
    )
