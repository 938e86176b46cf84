"""faces: the bodies and queries each call sends, the answers it reads, the input it refuses."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tavus_async import Face, FaceStatus, NotFoundError, TavusClient

from _support.http import BASE, sent, total_requests

FACES = re.compile(r"https://tavusapi\.com/v2/faces\?.*")


async def test_create_sends_only_the_fields_given(client: TavusClient, http: Any) -> None:
    """faces.create posts exactly the fields given and returns the started face."""
    http.post(f"{BASE}/v2/faces", payload={"face_id": "r90bbd427f71", "status": "started"})

    face = await client.faces.create(
        train_video_url="https://s3.example.com/train.mp4?X-Amz-Signature=abc", face_name="Rio"
    )

    (call,) = sent(http, "POST", f"{BASE}/v2/faces")
    assert call.kwargs["json"] == {
        "train_video_url": "https://s3.example.com/train.mp4?X-Amz-Signature=abc",
        "face_name": "Rio",
    }
    assert face == Face(face_id="r90bbd427f71", status=FaceStatus.STARTED)


async def test_create_sends_every_documented_field(client: TavusClient, http: Any) -> None:
    """A photo with its voice, the image fix, callback and model go as Tavus names them."""
    http.post(f"{BASE}/v2/faces", payload={"face_id": "r2", "status": "started"})

    await client.faces.create(
        train_image_url="https://cdn.example.com/face.png",
        voice_name="anna",
        auto_fix_training_image=True,
        face_name="Anna",
        callback_url="https://hooks.example.com/tavus",
        model_name="phoenix-3",
        extra_body={"consent_video_url": "https://cdn.example.com/consent.mp4"},
    )

    (call,) = sent(http, "POST", f"{BASE}/v2/faces")
    assert call.kwargs["json"] == {
        "train_image_url": "https://cdn.example.com/face.png",
        "voice_name": "anna",
        "auto_fix_training_image": True,
        "face_name": "Anna",
        "callback_url": "https://hooks.example.com/tavus",
        "model_name": "phoenix-3",
        "consent_video_url": "https://cdn.example.com/consent.mp4",
    }


BAD_FACE_ARGS: list[tuple[dict[str, Any], type[Exception], str]] = [
    (
        {"train_video_url": "https://a.io/t.mp4", "train_image_url": "https://a.io/f.png"},
        ValueError,
        "train_video_url or train_image_url",
    ),
    ({"train_image_url": "https://a.io/f.png"}, ValueError, "voice_name"),
    ({"train_video_url": "s3://bucket/t.mp4"}, ValueError, "train_video_url"),
    ({"train_video_url": "https://a.io/t.mp4", "face_name": 7}, TypeError, "face_name"),
    ({"train_video_url": "https://a.io/t.mp4", "voice_name": 1}, TypeError, "voice_name"),
    (
        {
            "train_image_url": "https://a.io/f.png",
            "voice_name": "anna",
            "auto_fix_training_image": 1,
        },
        TypeError,
        "auto_fix_training_image",
    ),
    ({"train_video_url": "https://a.io/t.mp4", "callback_url": "ftp://x"}, ValueError, "callback"),
    ({"train_video_url": "https://a.io/t.mp4", "replica_name": "x"}, TypeError, "replica_name"),
]


@pytest.mark.parametrize(("kwargs", "error", "names"), BAD_FACE_ARGS)
async def test_bad_create_arguments_fail_before_any_request(
    client: TavusClient, http: Any, kwargs: dict[str, Any], error: type[Exception], names: str
) -> None:
    """faces.create refuses bad arguments with an error naming the argument, sending nothing."""
    with pytest.raises(error, match=names):
        await client.faces.create(**kwargs)

    assert total_requests(http) == 0


async def test_list_sends_the_filters_and_reads_the_page(client: TavusClient, http: Any) -> None:
    """faces.list sends verbose=true, face_type, model_name and paging; faces come back typed."""
    http.get(
        FACES,
        payload={
            "data": [{"face_id": "r1", "face_type": "user", "training_progress": "40/100"}],
            "total_count": 1,
        },
    )

    page = await client.faces.list(
        limit=5, page=2, verbose=True, face_type="user", model_name="phoenix-4"
    )

    ((method, url),) = http.requests
    assert (method, url.path) == ("GET", "/v2/faces")
    assert dict(url.query) == {
        "limit": "5",
        "page": "2",
        "verbose": "true",
        "face_type": "user",
        "model_name": "phoenix-4",
    }
    assert page.total_count == 1
    assert page.data[0].face_type == "user"
    assert page.data[0].progress == 0.4


async def test_iter_sends_the_filters_on_every_page(client: TavusClient, http: Any) -> None:
    """faces.iter walks the pages, each asked with the same filter."""
    http.get(FACES, payload={"data": [{"face_id": "r1"}, {"face_id": "r2"}], "total_count": 3})
    http.get(FACES, payload={"data": [{"face_id": "r3"}], "total_count": 3})

    ids = [face.face_id async for face in client.faces.iter(page_size=2, face_type="system")]

    assert ids == ["r1", "r2", "r3"]
    assert [dict(url.query)["face_type"] for _, url in http.requests] == ["system", "system"]


async def test_get_reads_the_documented_face(client: TavusClient, http: Any) -> None:
    """faces.get(verbose=True) asks for face_type and parses every documented field."""
    http.get(
        f"{BASE}/v2/faces/r90bbd427f71?verbose=true",
        payload={
            "face_id": "r90bbd427f71",
            "face_name": "Rio",
            "thumbnail_video_url": "https://cdn.example.com/t.mp4",
            "training_progress": "100/100",
            "status": "completed",
            "created_at": "2026-08-01T10:00:00Z",
            "updated_at": "2026-08-01T13:00:00Z",
            "error_message": None,
            "face_type": "user",
            "model_name": "phoenix-4",
        },
    )

    face = await client.faces.get("r90bbd427f71", verbose=True)

    assert (face.status, face.face_type, face.model_name) == (
        FaceStatus.COMPLETED,
        "user",
        "phoenix-4",
    )
    assert face.progress == 1.0
    assert face.created_at is not None
    assert face.created_at.hour == 10
    assert face.extra == {}


async def test_rename_patches_face_name(client: TavusClient, http: Any) -> None:
    """faces.rename sends {"face_name": ...} to /v2/faces/{id}/name."""
    http.patch(f"{BASE}/v2/faces/r1/name", status=200)

    await client.faces.rename("r1", "Rio 2")

    (call,) = sent(http, "PATCH", f"{BASE}/v2/faces/r1/name")
    assert call.kwargs["json"] == {"face_name": "Rio 2"}


async def test_delete_sends_hard_only_when_asked(client: TavusClient, http: Any) -> None:
    """faces.delete sends no query, and hard=true only with hard=True; 404 is NotFoundError."""
    http.delete(f"{BASE}/v2/faces/r1", status=200)
    http.delete(f"{BASE}/v2/faces/r1?hard=true", status=200)
    http.delete(f"{BASE}/v2/faces/r9", status=404, payload={"error": "Face not found"})

    await client.faces.delete("r1")
    await client.faces.delete("r1", hard=True)
    with pytest.raises(NotFoundError):
        await client.faces.delete("r9")

    assert len(sent(http, "DELETE", f"{BASE}/v2/faces/r1")) == 1
    assert len(sent(http, "DELETE", f"{BASE}/v2/faces/r1?hard=true")) == 1


async def test_an_unsafe_id_fails_before_any_request(client: TavusClient, http: Any) -> None:
    """An id that would change the url's path is refused by get, rename, delete and wait."""
    for call in (
        client.faces.get("../r1"),
        client.faces.rename("r1/x", "n"),
        client.faces.delete("r1?hard=true"),
        client.faces.wait("r 1"),
    ):
        with pytest.raises(ValueError, match="face_id"):
            await call

    assert total_requests(http) == 0
