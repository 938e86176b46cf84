"""faces against FakeTavus over real sockets: stock faces, create, list, rename, delete."""

from __future__ import annotations

import pytest

from tavus_async import BadRequestError, FaceStatus, NotFoundError, TavusClient
from tavus_async.testing import FakeTavus

from _support.clocks import FakeClock


async def test_stock_faces_are_listed_as_system_faces(tavus: TavusClient) -> None:
    """The fake's stock faces are trained system faces, the docs' r783537ef5 first."""
    faces = [face async for face in tavus.faces.iter(face_type="system", verbose=True)]

    assert faces[-1].face_id == "r783537ef5"
    assert {face.face_type for face in faces} == {"system"}
    assert {face.status for face in faces} == {FaceStatus.COMPLETED}


async def test_a_face_trains_on_the_clock_and_is_renamed_and_deleted(
    tavus: TavusClient, fake: FakeTavus, clock: FakeClock
) -> None:
    """A new face is started, then completed after face_training; rename and delete hold."""
    face = await tavus.faces.create(
        train_video_url="https://cdn.example.com/t.mp4", face_name="Rio", model_name="phoenix-3"
    )
    assert face.status == FaceStatus.STARTED

    clock.advance(fake.timing.face_training / 2)
    halfway = await tavus.faces.get(face.face_id)
    clock.advance(fake.timing.face_training)
    await tavus.faces.rename(face.face_id, "Rio 2")
    trained = await tavus.faces.get(face.face_id, verbose=True)
    mine = [f.face_id async for f in tavus.faces.iter(face_type="user")]
    await tavus.faces.delete(face.face_id)

    assert halfway.status == FaceStatus.STARTED
    assert halfway.progress == 0.5
    assert (trained.status, trained.face_name, trained.face_type) == (
        FaceStatus.COMPLETED,
        "Rio 2",
        "user",
    )
    assert trained.model_name == "phoenix-3"
    assert mine == [face.face_id]
    with pytest.raises(NotFoundError):
        await tavus.faces.get(face.face_id)


async def test_the_fake_refuses_a_photo_without_a_voice(tavus: TavusClient) -> None:
    """What the SDK refuses before sending, Tavus (and the fake) refuse too."""
    with pytest.raises(BadRequestError, match="voice_name"):
        await tavus.faces.create(extra_body={"train_image_url": "https://cdn.example.com/f.png"})


async def test_list_pages_and_filters_by_model(tavus: TavusClient) -> None:
    """A page of the list holds at most limit faces; total_count counts every match."""
    page = await tavus.faces.list(model_name="phoenix-4", limit=2)
    none = await tavus.faces.list(model_name="phoenix-3")

    assert len(page.data) == 2
    assert page.total_count == 3
    assert none.data == ()
