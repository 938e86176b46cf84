"""Checked by ``mypy --strict`` in .ci/run, never run: what ``tavus.deployments``,
``tavus.canvas_interactions`` and ``tavus.transcriptions`` promise a type checker."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from typing_extensions import assert_type

from tavus_async import (
    CanvasInteraction,
    Deployment,
    DeploymentConversation,
    DeploymentInit,
    DeploymentLimits,
    Page,
    PatchOperation,
    RawResponse,
    TavusClient,
    Transcription,
)


async def deployments(tavus: TavusClient) -> None:
    """Each call returns its deployment, page, walk, public answer or None."""
    api = tavus.deployments
    created = await api.create(
        pal_id="p1",
        channel="landing-page",
        limits=DeploymentLimits(max_call_duration=600),
        allowed_origins=["https://example.com"],
        timeout=5,
    )
    assert_type(created, Deployment)
    assert_type(created.limits, DeploymentLimits | None)
    assert_type(created.allowed_origins, tuple[str, ...] | None)
    assert_type(await api.list(limit=5, page=1), Page[Deployment])
    assert_type(api.iter(), AsyncGenerator[Deployment, None])
    assert_type(await api.get(created.deployment_id), Deployment)
    operation = PatchOperation(op="replace", path="/name", value="x")
    assert_type(
        await api.update(created.deployment_id, [operation], if_match='"1"'), Deployment | None
    )
    assert_type(await api.delete(created.deployment_id), None)
    assert_type(await api.init(created.deployment_id), DeploymentInit)
    started = await api.start_conversation(created.deployment_id, memory_stores=["anna"])
    assert_type(started, DeploymentConversation)
    assert_type(await api.end_conversation(created.deployment_id, started.conversation_id), None)
    assert_type(await api.with_raw_response.init("d1"), RawResponse[Any])
    await api.create(channel="widget")  # type: ignore[call-arg]


async def canvas_interactions(tavus: TavusClient) -> None:
    """record returns None; list a page of typed interactions; no generic get."""
    api = tavus.canvas_interactions
    assert_type(
        await api.record(
            "c1", interaction_id="i", tool_call_id="t", component="canvas.q", type="submit"
        ),
        None,
    )
    page = await api.list("c1")
    assert_type(page, Page[CanvasInteraction])
    for item in page:
        assert_type(item.value, Any)
    await api.record("c1", interaction_id="i")  # type: ignore[call-arg]
    await api.get("i")  # type: ignore[attr-defined]


async def transcriptions(tavus: TavusClient) -> None:
    """Transcriptions: create, page, walk, get, delete; no waits (undocumented statuses)."""
    api = tavus.transcriptions
    created = await api.create(file_url="https://a/x.mp4", callback_url="https://a/cb")
    assert_type(created, Transcription)
    assert_type(created.status, str | None)
    assert_type(await api.list(limit=10), Page[Transcription])
    assert_type(api.iter(), AsyncGenerator[Transcription, None])
    assert_type(await api.get(created.transcription_id), Transcription)
    assert_type(await api.delete(created.transcription_id), None)
    await api.create(file_url="https://a/x.mp4")  # type: ignore[call-arg]
    await api.wait(created.transcription_id)  # type: ignore[attr-defined]
