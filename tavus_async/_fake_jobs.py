"""FakeTavus's replicas and videos: what each job is at any moment of the fake's clock.

A job stores when it was created and whether it will fail; its status and progress are
worked out from the clock whenever it is read, so the emulator needs no background task
to move jobs along, and a test that owns the clock decides when things happen.
"""

from __future__ import annotations

import random
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any

import attrs

__all__ = ["FakeReplica", "FakeVideo", "JobStore", "Timing"]

# Tavus's own words for failures (TAVUS_API.md, callbacks and video objects).
REPLICA_FAILURE = (
    "The training video is shorter than the minimum duration of one minute; "
    "please upload a longer video"
)
VIDEO_FAILURE = "An error occurred while generating this video. Please try again."


@attrs.frozen(kw_only=True)
class Timing:
    """How long each phase of a job lasts on the fake's clock, in seconds."""

    replica_training: float = 6.0
    video_queue: float = 0.5
    video_rendering: float = 2.0


def _progress(elapsed: float, duration: float) -> str:
    done = 100 if duration <= 0 else min(99, max(0, int(100 * elapsed / duration)))
    return f"{done}/100"


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@attrs.define(kw_only=True)
class FakeReplica:
    """One replica of the emulator."""

    replica_id: str
    replica_name: str
    started: float
    created_at: datetime
    replica_type: str = "user"
    model_name: str = "phoenix-3"
    train_video_url: str | None = None
    callback_url: str | None = None
    fails: bool = False
    deleted: bool = False
    callback_sent: bool = False

    def phase(self, now: float, timing: Timing) -> tuple[str, str | None]:
        """(status, training_progress) at ``now``."""
        if self.replica_type == "system":
            return "completed", "100/100"
        elapsed = now - self.started
        if elapsed >= timing.replica_training:
            return ("error", None) if self.fails else ("completed", "100/100")
        if elapsed < timing.replica_training * 0.1:
            return "started", "0/100"
        return "training", _progress(elapsed, timing.replica_training)

    def to_json(self, now: float, timing: Timing, *, verbose: bool) -> dict[str, Any]:
        status, progress = self.phase(now, timing)
        body: dict[str, Any] = {
            "replica_id": self.replica_id,
            "replica_name": self.replica_name,
            "status": status,
            "training_progress": progress,
            "thumbnail_video_url": None,
            "error_message": REPLICA_FAILURE if status == "error" else None,
            # Tavus mixes timestamp formats; the emulator does too.
            "created_at": self.created_at.strftime("%Y-%m-%d %H:%M:%S.%f"),
            "updated_at": format_datetime(self.created_at, usegmt=True),
            "model_name": self.model_name,
        }
        if verbose:
            body["replica_type"] = self.replica_type
        return body

    def callback_body(self, now: float, timing: Timing) -> dict[str, Any]:
        status, _ = self.phase(now, timing)
        if status == "error":
            return {
                "replica_id": self.replica_id,
                "status": "error",
                "error_message": REPLICA_FAILURE,
            }
        return {"replica_id": self.replica_id, "status": "ready"}

    def finished(self, now: float, timing: Timing) -> bool:
        return self.phase(now, timing)[0] in ("completed", "error")


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
        return "generating", _progress(elapsed, timing.video_rendering)

    def to_json(
        self, now: float, timing: Timing, *, files_url: str, verbose: bool
    ) -> dict[str, Any]:
        status, progress = self.phase(now, timing)
        ready = status == "ready"
        body: dict[str, Any] = {
            "video_id": self.video_id,
            "video_name": self.video_name,
            "status": status,
            "replica_id": self.replica_id,
            "data": {"script": self.script} if self.script is not None else {},
            "generation_progress": progress,
            "status_details": _details(status),
            "error_details": VIDEO_FAILURE if status == "error" else None,
            "download_url": f"{files_url}/files/{self.video_id}.mp4" if ready else None,
            # A fast render is barebones: no stream and no thumbnails (TAVUS_API.md).
            "stream_url": f"{files_url}/streams/{self.video_id}.m3u8"
            if ready and not self.fast
            else None,
            "hosted_url": f"{files_url}/watch/{self.video_id}",
            "background_url": self.background_url,
            "background_source_url": self.background_source_url,
            "created_at": _iso(self.created_at),
            "updated_at": format_datetime(self.created_at, usegmt=True),
        }
        if verbose and not self.fast:
            body["still_image_thumbnail_url"] = f"{files_url}/thumbnails/{self.video_id}.jpg"
            body["gif_thumbnail_url"] = f"{files_url}/thumbnails/{self.video_id}.gif"
        return body

    def finished(self, now: float, timing: Timing) -> bool:
        return self.phase(now, timing)[0] in ("ready", "error")


def _details(status: str) -> str:
    return {
        "queued": "Your video is queued for generation.",
        "generating": "Your video is being generated.",
        "ready": "Your video is ready.",
        "error": VIDEO_FAILURE,
        "deleted": "This video was deleted.",
    }.get(status, "")


@attrs.define
class JobStore:
    """Every replica and video of one emulator, with seeded ids."""

    rng: random.Random
    replicas: dict[str, FakeReplica] = attrs.Factory(dict)
    videos: dict[str, FakeVideo] = attrs.Factory(dict)

    def new_id(self, prefix: str) -> str:
        while True:
            candidate = prefix + "".join(self.rng.choices("0123456789abcdef", k=10))
            if candidate not in self.replicas and candidate not in self.videos:
                return candidate

    def add_stock_replicas(self, now: float) -> None:
        for name in ("Anna", "Ben", "Carmen"):
            replica = FakeReplica(
                replica_id=self.new_id("r"),
                replica_name=f"{name} (stock)",
                started=now,
                created_at=datetime(2024, 1, 24, 7, 14, 3, tzinfo=timezone.utc),
                replica_type="system",
            )
            self.replicas[replica.replica_id] = replica
