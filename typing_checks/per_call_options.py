"""Checked by ``mypy --strict`` in .ci/run, never run: a user program that uses each
per-call option, ``with_options``, ``with_raw_response`` and ``create_and_wait``."""

from __future__ import annotations

from typing_extensions import assert_type

from tavus_async import (
    Page,
    PollPolicy,
    RawResponse,
    Replica,
    RequestOptions,
    TavusClient,
    Video,
)


async def options(tavus: TavusClient) -> None:
    """Every option on calls of both families, and a wait."""
    video = await tavus.videos.create(
        replica_id="r1",
        script="Hi",
        extra_body={"new_field": True},
        extra_query={"dry_run": 1},
        extra_headers={"X-Trace": "t1"},
        timeout=10.0,
        max_retries=0,
    )
    assert_type(video, Video)
    page = await tavus.replicas.list(model_name="phoenix-4", extra_query={"new_filter": "x"})
    assert_type(page, Page[Replica])
    ready = await tavus.videos.wait(video.video_id, timeout=5, max_retries=2)
    assert_type(ready, Video)
    shared: RequestOptions = {"timeout": 3.0, "extra_headers": {"X-Team": "render"}}
    await tavus.videos.get(video.video_id, **shared)


async def create_and_wait(tavus: TavusClient) -> None:
    """create_and_wait returns the finished object of its family."""
    video = await tavus.videos.create_and_wait(
        replica_id="r1", script="Hi", policy=PollPolicy(initial=5, maximum=30, timeout=600)
    )
    assert_type(video, Video)
    replica = await tavus.replicas.create_and_wait(
        train_image_url="https://example.com/face.png",
        voice_name="anna",
        auto_fix_training_image=True,
    )
    assert_type(replica, Replica)


async def derived_and_raw(tavus: TavusClient) -> int:
    """with_options gives a client; with_raw_response gives RawResponses."""
    patient = tavus.with_options(timeout=60, max_retries=5, headers={"X-Team": "batch"})
    assert_type(patient, TavusClient)
    raw = await patient.videos.with_raw_response.get("v1")
    typed: RawResponse[object] = raw
    status: int = raw.status_code
    request_id: str | None = raw.request_id
    elapsed: float = raw.elapsed
    return status + len(request_id or "") + int(elapsed) + (typed.parse() is None)
