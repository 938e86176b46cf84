"""Checked by ``mypy --strict`` in .ci/run, never run: what ``tavus.faces`` and ``tavus.pals``
promise a type checker. Each ``assert_type`` fails the type check if the SDK's typing
regresses."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from typing_extensions import assert_type

from tavus_async import (
    Face,
    FaceStatus,
    FaceTrainingError,
    Page,
    Pal,
    PatchOperation,
    RawResponse,
    TavusClient,
    WaitOutcome,
    json_patch,
)


async def faces(tavus: TavusClient) -> None:
    """Each face call returns its face, page, walk, outcome or None."""
    face = await tavus.faces.create(train_video_url="https://x/t.mp4", face_name="Rio")
    assert_type(face, Face)
    assert_type(face.status, FaceStatus | str | None)
    assert_type(face.progress, float | None)
    assert_type(await tavus.faces.list(face_type="system", verbose=True), Page[Face])
    assert_type(tavus.faces.iter(page_size=10), AsyncGenerator[Face, None])
    assert_type(await tavus.faces.get(face.face_id, verbose=True), Face)
    assert_type(await tavus.faces.rename(face.face_id, "Rio 2"), None)
    assert_type(await tavus.faces.delete(face.face_id, hard=True), None)
    assert_type(await tavus.faces.wait(face.face_id), Face)
    assert_type(tavus.faces.watch(face.face_id), AsyncGenerator[Face, None])
    assert_type(tavus.faces.wait_many([face.face_id]), AsyncGenerator[WaitOutcome[Face], None])
    trained = await tavus.faces.create_and_wait(
        train_image_url="https://x/f.png", voice_name="anna", auto_fix_training_image=True
    )
    assert_type(trained, Face)
    assert_type(await tavus.faces.with_raw_response.get(face.face_id), RawResponse[Any])


def failed(error: FaceTrainingError) -> Face:
    """A FaceTrainingError carries the failed face."""
    assert_type(error.job, Face)
    return error.job


async def pals(tavus: TavusClient) -> None:
    """Each PAL call returns its PAL, page, walk or None."""
    created = await tavus.pals.create(
        default_face_id="r783537ef5",
        system_prompt="Be kind.",
        layers={"llm": {"model": "tavus-glm-4.7"}},
        guardrail_ids=["g1"],
    )
    assert_type(created, Pal)
    assert_type(created.layers, dict[str, Any] | None)
    assert_type(created.document_tags, tuple[str, ...] | None)
    assert_type(await tavus.pals.list(pal_type="system"), Page[Pal])
    assert_type(tavus.pals.iter(page_size=10), AsyncGenerator[Pal, None])
    pal = await tavus.pals.get(created.pal_id)
    assert_type(pal, Pal)
    before = pal.to_dict()
    operations = json_patch(before, {**before, "system_prompt": "Be brief."})
    assert_type(await tavus.pals.update(pal.pal_id, operations), None)
    replace = PatchOperation(op="replace", path="/pal_name", value="Coach")
    assert_type(await tavus.pals.update(pal.pal_id, [replace]), None)
    assert_type(await tavus.pals.publish(pal.pal_id), None)
    assert_type(await tavus.pals.delete(pal.pal_id), None)
    # default_face_id is required on /v2/pals: leaving it out is a type error.
    await tavus.pals.create(system_prompt="x")  # type: ignore[call-arg]
