"""FakeTavus's replicas: the job, its training phase, the stock replicas, Tavus's five calls.

A replica goes ``started`` -> ``training`` (``n/100``) -> ``completed`` (or ``error``) over
``Timing.replica_training`` seconds; the stock ``system`` replicas (the first is
``r783537ef5``, as in Tavus's documentation) are trained from the start.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any, ClassVar

import attrs
from aiohttp import web

from .._state import Timing, progress
from ._common import (
    FamilyRoutes,
    Refusal,
    mark_created,
    page,
    query_flag,
    read_body,
    read_text,
    read_url,
)

__all__ = ["FakeReplica", "Routes"]

#: The stock replica id of Tavus's documentation.
DOCS_REPLICA_ID = "r783537ef5"

# Tavus's own words for a failed training (TAVUS_API.md, callbacks).
REPLICA_FAILURE = (
    "The training video is shorter than the minimum duration of one minute; "
    "please upload a longer video"
)


@attrs.define(kw_only=True)
class FakeReplica:
    """One replica of the emulator."""

    replica_id: str
    replica_name: str
    started: float
    created_at: datetime
    replica_type: str = "user"
    model_name: str = "phoenix-4"  # Tavus's default model
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
        return "training", progress(elapsed, timing.replica_training)

    def to_json(self, now: float, timing: Timing, *, verbose: bool) -> dict[str, Any]:
        status, training_progress = self.phase(now, timing)
        body: dict[str, Any] = {
            "replica_id": self.replica_id,
            "replica_name": self.replica_name,
            "status": status,
            "training_progress": training_progress,
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

    def callback_body(self, now: float, timing: Timing, *, files_url: str) -> dict[str, Any]:
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


class Routes(FamilyRoutes):
    """Tavus's five replica calls, on ``fake.jobs.replicas``."""

    name = "replicas"
    PHASES: ClassVar[Mapping[str, float]] = {"replica_training": 6.0}

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_post("/v2/replicas", self.create_replica)
        router.add_get("/v2/replicas", self.list_replicas)
        router.add_get("/v2/replicas/{job_id}", self.get_replica)
        router.add_patch("/v2/replicas/{job_id}/name", self.rename_replica)
        router.add_delete("/v2/replicas/{job_id}", self.delete_replica)

    def seed(self, *, now: float) -> None:
        """Tavus's stock replicas: three trained ``system`` replicas.

        The first is ``r783537ef5``, the stock replica of Tavus's own documentation (and
        of the README), so that code copied from either runs here; the others' ids are
        seeded. The first id is drawn all the same, so that every later id stays the
        same for a seed.
        """
        for name in ("Anna", "Ben", "Carmen"):
            drawn = self.fake.jobs.new_id("r")
            replica = FakeReplica(
                replica_id=DOCS_REPLICA_ID if name == "Anna" else drawn,
                replica_name=f"{name} (stock)",
                started=now,
                created_at=datetime(2024, 1, 24, 7, 14, 3, tzinfo=timezone.utc),
                replica_type="system",
            )
            self.jobs[replica.replica_id] = replica

    @property
    def jobs(self) -> dict[str, FakeReplica]:
        return self.fake.jobs.of(self.name)

    def _replica(self, request: web.Request) -> FakeReplica:
        replica = self.jobs.get(request.match_info["job_id"])
        if replica is None or replica.deleted:
            raise Refusal("Replica not found", status=404)
        return replica

    async def create_replica(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        train_video_url = read_url(body, "train_video_url")
        train_image_url = read_url(body, "train_image_url")
        if (train_video_url is None) == (train_image_url is None):
            raise Refusal("Provide exactly one of train_video_url or train_image_url")
        consent = read_url(body, "consent_video_url")
        callback_url = read_url(body, "callback_url")
        name = read_text(body, "replica_name") or "Unnamed replica"
        model_name = read_text(body, "model_name") or "phoenix-4"
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
        self.jobs[replica.replica_id] = replica
        mark_created(replica.replica_id)
        return web.json_response({"replica_id": replica.replica_id, "status": "started"})

    async def list_replicas(self, request: web.Request) -> web.Response:
        fake, now = self.fake, self.fake.clock()
        wanted_type = request.query.get("replica_type")
        wanted_model = request.query.get("model_name")
        wanted_ids = set(filter(None, request.query.get("replica_ids", "").split(",")))
        replicas = [
            r
            for r in reversed(self.jobs.values())
            if not r.deleted
            and (wanted_type is None or r.replica_type == wanted_type)
            and (wanted_model is None or r.model_name == wanted_model)
            and (not wanted_ids or r.replica_id in wanted_ids)
        ]
        verbose = query_flag(request, "verbose")
        items = [r.to_json(now, fake.timing, verbose=verbose) for r in replicas]
        return page(request, items, first_page=fake.first_page)

    async def get_replica(self, request: web.Request) -> web.Response:
        replica = self._replica(request)
        fake = self.fake
        return web.json_response(
            replica.to_json(fake.clock(), fake.timing, verbose=query_flag(request, "verbose"))
        )

    async def rename_replica(self, request: web.Request) -> web.Response:
        replica = self._replica(request)
        name = read_text(await read_body(request), "replica_name", required=True)
        replica.replica_name = name or replica.replica_name
        return web.Response(status=200)

    async def delete_replica(self, request: web.Request) -> web.Response:
        replica = self._replica(request)
        if query_flag(request, "hard"):
            del self.jobs[replica.replica_id]
        else:
            replica.deleted = True
        return web.Response(status=200)
