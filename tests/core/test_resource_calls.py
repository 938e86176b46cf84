"""Every endpoint: the method, path, body and query it sends, and what it returns."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import (
    Replica,
    ReplicaProperties,
    ReplicaStatus,
    TavusClient,
    Video,
    VideoProperties,
    VideoStatus,
)

from _support.http import BASE, sent, total_requests


async def test_replica_create_sends_only_given_fields(client: TavusClient, http: Any) -> None:
    """replicas.create posts exactly the fields given, and returns the started replica."""
    http.post(f"{BASE}/v2/replicas", payload={"replica_id": "r783537ef5", "status": "started"})

    replica = await client.replicas.create(
        train_video_url="https://s3.example.com/train.mp4?X-Amz-Signature=abc",
        replica_name="Rio",
    )

    (call,) = sent(http, "POST", f"{BASE}/v2/replicas")
    assert call.kwargs["json"] == {
        "train_video_url": "https://s3.example.com/train.mp4?X-Amz-Signature=abc",
        "replica_name": "Rio",
    }
    assert replica == Replica(replica_id="r783537ef5", status=ReplicaStatus.STARTED)


async def test_replica_create_sends_every_documented_field(client: TavusClient, http: Any) -> None:
    """replicas.create sends consent, callback, model and typed properties with booleans as JSON."""
    http.post(f"{BASE}/v2/replicas", payload={"replica_id": "r1", "status": "training"})

    await client.replicas.create(
        train_video_url="https://cdn.example.com/train.mp4",
        consent_video_url="https://cdn.example.com/consent.mp4",
        replica_name="Rio",
        callback_url="https://hooks.example.com/tavus",
        model_name="phoenix-3",
        properties=ReplicaProperties(gaze_correction=True, background_green_screen=False),
    )

    (call,) = sent(http, "POST", f"{BASE}/v2/replicas")
    assert call.kwargs["json"] == {
        "train_video_url": "https://cdn.example.com/train.mp4",
        "consent_video_url": "https://cdn.example.com/consent.mp4",
        "replica_name": "Rio",
        "callback_url": "https://hooks.example.com/tavus",
        "model_name": "phoenix-3",
        "properties": {"gaze_correction": True, "background_green_screen": False},
    }


async def test_replica_create_from_image(client: TavusClient, http: Any) -> None:
    """An image-trained replica sends train_image_url and voice_name, and no train_video_url."""
    http.post(f"{BASE}/v2/replicas", payload={"replica_id": "r2", "status": "started"})

    await client.replicas.create(
        train_image_url="https://cdn.example.com/face.png", voice_name="Aria"
    )

    (call,) = sent(http, "POST", f"{BASE}/v2/replicas")
    assert call.kwargs["json"] == {
        "train_image_url": "https://cdn.example.com/face.png",
        "voice_name": "Aria",
    }


async def test_video_create_with_script(client: TavusClient, http: Any) -> None:
    """videos.create posts replica_id and script, and returns the queued video."""
    http.post(
        f"{BASE}/v2/videos",
        payload={
            "video_id": "v1",
            "video_name": "Hello",
            "status": "queued",
            "hosted_url": "https://tavus.video/v1",
            "created_at": "Mon, 14 Jul 2025 09:14:24 GMT",
        },
    )

    video = await client.videos.create(replica_id="r1", script="Hi!", video_name="Hello")

    (call,) = sent(http, "POST", f"{BASE}/v2/videos")
    assert call.kwargs["json"] == {"replica_id": "r1", "script": "Hi!", "video_name": "Hello"}
    assert video.status is VideoStatus.QUEUED
    assert video.hosted_url == "https://tavus.video/v1"
    assert video.created_at is not None
    assert video.created_at.tzinfo is not None


async def test_video_create_sends_every_documented_field(client: TavusClient, http: Any) -> None:
    """videos.create sends audio, background, fast, transparency, watermark and properties."""
    http.post(f"{BASE}/v2/videos", payload={"video_id": "v2", "status": "queued"})

    await client.videos.create(
        replica_id="r1",
        audio_url="https://cdn.example.com/voice.mp3",
        callback_url="https://hooks.example.com/tavus",
        background_source_url="https://cdn.example.com/bg.mp4",
        fast=True,
        transparent_background=True,
        watermark_image_url="https://cdn.example.com/logo.png",
        properties=VideoProperties(
            background_scroll=False, background_scroll_type="smooth", start_with_wave=True
        ),
    )

    (call,) = sent(http, "POST", f"{BASE}/v2/videos")
    assert call.kwargs["json"] == {
        "replica_id": "r1",
        "audio_url": "https://cdn.example.com/voice.mp3",
        "callback_url": "https://hooks.example.com/tavus",
        "background_source_url": "https://cdn.example.com/bg.mp4",
        "fast": True,
        "transparent_background": True,
        "watermark_image_url": "https://cdn.example.com/logo.png",
        "properties": {
            "background_scroll": False,
            "background_scroll_type": "smooth",
            "start_with_wave": True,
        },
    }


async def test_properties_accept_a_plain_mapping(client: TavusClient, http: Any) -> None:
    """properties may be a plain dict; unset (None) entries are left out, others sent as given."""
    http.post(f"{BASE}/v2/videos", payload={"video_id": "v3", "status": "queued"})

    await client.videos.create(
        replica_id="r1",
        script="Hi",
        background_url="https://example.com",
        fast=False,
        properties={"background_scroll_depth": "bottom", "start_with_wave": None},
    )

    (call,) = sent(http, "POST", f"{BASE}/v2/videos")
    assert call.kwargs["json"] == {
        "replica_id": "r1",
        "script": "Hi",
        "background_url": "https://example.com",
        "fast": False,
        "properties": {"background_scroll_depth": "bottom"},
    }


@pytest.mark.parametrize(
    ("resource", "obj_id", "model"),
    [("replicas", "r783537ef5", Replica), ("videos", "v1a2b3", Video)],
)
@pytest.mark.parametrize(("verbose", "query"), [(False, ""), (True, "?verbose=true")])
async def test_get(
    client: TavusClient,
    http: Any,
    resource: str,
    obj_id: str,
    model: type,
    verbose: bool,
    query: str,
) -> None:
    """get reads one object by id; verbose=True adds ?verbose=true, False sends no query."""
    id_field = "replica_id" if resource == "replicas" else "video_id"
    http.get(f"{BASE}/v2/{resource}/{obj_id}{query}", payload={id_field: obj_id, "status": "x"})

    obj = await getattr(client, resource).get(obj_id, verbose=verbose)

    assert isinstance(obj, model)
    assert getattr(obj, id_field) == obj_id
    assert len(sent(http, "GET", f"{BASE}/v2/{resource}/{obj_id}{query}")) == 1
    assert total_requests(http) == 1


@pytest.mark.parametrize(
    ("resource", "obj_id", "name_field"),
    [("replicas", "r1", "replica_name"), ("videos", "v1", "video_name")],
)
@pytest.mark.parametrize(
    "answer", [{"status": 200}, {"status": 204}, {"status": 200, "body": "OK"}]
)
async def test_rename(
    client: TavusClient,
    http: Any,
    resource: str,
    obj_id: str,
    name_field: str,
    answer: dict[str, Any],
) -> None:
    """rename PATCHes {name_field: name} to /name and takes any 2xx, with or without a body."""
    url = f"{BASE}/v2/{resource}/{obj_id}/name"
    http.patch(url, **answer)

    result = await getattr(client, resource).rename(obj_id, "New name")

    assert result is None
    (call,) = sent(http, "PATCH", url)
    assert call.kwargs["json"] == {name_field: "New name"}


@pytest.mark.parametrize("resource", ["replicas", "videos"])
@pytest.mark.parametrize(("hard", "query"), [(False, ""), (True, "?hard=true")])
async def test_delete(
    client: TavusClient, http: Any, resource: str, hard: bool, query: str
) -> None:
    """delete sends DELETE, with ?hard=true only for a hard delete, and takes a 204."""
    url = f"{BASE}/v2/{resource}/abc123{query}"
    http.delete(url, status=204)

    assert await getattr(client, resource).delete("abc123", hard=hard) is None

    assert len(sent(http, "DELETE", url)) == 1
    assert total_requests(http) == 1


async def test_requests_carry_key_and_user_agent(client: TavusClient, http: Any) -> None:
    """Every request sends x-api-key and a User-Agent naming tavus-async and its version."""
    http.get(f"{BASE}/v2/videos/v1", payload={"video_id": "v1"})

    await client.videos.get("v1")

    (call,) = sent(http, "GET", f"{BASE}/v2/videos/v1")
    headers = call.kwargs["headers"]
    assert headers["x-api-key"] == "tvs-test-key-0123456789abcdef"
    from tavus_async import __version__

    assert headers["User-Agent"].startswith(f"tavus-async/{__version__} ")
    assert call.kwargs["allow_redirects"] is False


BAD_IDS = ["", "a/b", "a?b", "a#b", "a b", " r1", "..", "r1\n", "a%2Fb", "ré"]


@pytest.mark.parametrize("bad_id", BAD_IDS)
@pytest.mark.parametrize("resource", ["replicas", "videos"])
async def test_bad_ids_fail_before_any_request(
    client: TavusClient, http: Any, resource: str, bad_id: str
) -> None:
    """An empty or unsafe id raises ValueError naming the id argument and sends nothing."""
    api = getattr(client, resource)
    id_name = "replica_id" if resource == "replicas" else "video_id"

    for call in (api.get(bad_id), api.rename(bad_id, "x"), api.delete(bad_id)):
        with pytest.raises(ValueError, match=id_name):
            await call

    assert total_requests(http) == 0


BAD_VIDEO_ARGS: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"replica_id": "r1"}, ValueError, "script"),
    ({"replica_id": "r1", "script": "Hi", "audio_url": "https://x.io/a.mp3"}, ValueError, "script"),
    ({"replica_id": "r1", "script": ""}, ValueError, "script"),
    ({"replica_id": "r1", "script": "   "}, ValueError, "script"),
    ({"replica_id": "r1", "script": 42}, TypeError, "script"),
    ({"replica_id": "r/1", "script": "Hi"}, ValueError, "replica_id"),
    ({"replica_id": "r1", "script": "Hi", "transparent_background": True}, ValueError, "fast"),
    (
        {"replica_id": "r1", "script": "Hi", "transparent_background": True, "fast": False},
        ValueError,
        "fast",
    ),
    ({"replica_id": "r1", "script": "Hi", "fast": "yes"}, TypeError, "fast"),
    ({"replica_id": "r1", "audio_url": "ftp://x.io/a.mp3"}, ValueError, "audio_url"),
    ({"replica_id": "r1", "audio_url": "not a url"}, ValueError, "audio_url"),
    ({"replica_id": "r1", "script": "Hi", "callback_url": "/relative"}, ValueError, "callback_url"),
    ({"replica_id": "r1", "script": "Hi", "video_name": ""}, ValueError, "video_name"),
    (
        {
            "replica_id": "r1",
            "script": "Hi",
            "background_url": "https://a.io",
            "background_source_url": "https://b.io/v.mp4",
        },
        ValueError,
        "background_source_url",
    ),
    ({"replica_id": "r1", "script": "Hi", "properties": ["x"]}, TypeError, "properties"),
    (
        {"replica_id": "r1", "script": "Hi", "properties": ReplicaProperties()},
        TypeError,
        "properties",
    ),
    ({"replica_id": "r1", "script": "Hi", "properties": {"x": object()}}, TypeError, "properties"),
]


@pytest.mark.parametrize(("kwargs", "error", "names"), BAD_VIDEO_ARGS)
async def test_bad_video_arguments_fail_before_any_request(
    client: TavusClient, http: Any, kwargs: dict[str, Any], error: type[Exception], names: str
) -> None:
    """videos.create refuses bad arguments with an error naming the argument, sending nothing."""
    with pytest.raises(error, match=names):
        await client.videos.create(**kwargs)

    assert total_requests(http) == 0


BAD_REPLICA_ARGS: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({}, ValueError, "train_video_url"),
    (
        {"train_video_url": "https://a.io/t.mp4", "train_image_url": "https://a.io/f.png"},
        ValueError,
        "train_image_url",
    ),
    ({"train_video_url": "s3://bucket/t.mp4"}, ValueError, "train_video_url"),
    ({"train_video_url": "https://a.io/t.mp4", "replica_name": " "}, ValueError, "replica_name"),
    ({"train_video_url": "https://a.io/t.mp4", "voice_name": "Aria"}, ValueError, "voice_name"),
    ({"train_video_url": "https://a.io/t.mp4", "consent_video_url": ""}, ValueError, "consent"),
    ({"train_video_url": "https://a.io/t.mp4", "model_name": ""}, ValueError, "model_name"),
    ({"train_video_url": "https://a.io/t.mp4", "properties": {1: True}}, TypeError, "properties"),
]


@pytest.mark.parametrize(("kwargs", "error", "names"), BAD_REPLICA_ARGS)
async def test_bad_replica_arguments_fail_before_any_request(
    client: TavusClient, http: Any, kwargs: dict[str, Any], error: type[Exception], names: str
) -> None:
    """replicas.create refuses bad arguments with an error naming the argument, sending nothing."""
    with pytest.raises(error, match=names):
        await client.replicas.create(**kwargs)

    assert total_requests(http) == 0


@pytest.mark.parametrize("resource", ["replicas", "videos"])
async def test_bad_flags_and_names_fail_before_any_request(
    client: TavusClient, http: Any, resource: str
) -> None:
    """A non-boolean verbose or hard, or an empty new name, is refused before any request."""
    api = getattr(client, resource)

    with pytest.raises(TypeError, match="verbose"):
        await api.get("abc", verbose="yes")
    with pytest.raises(TypeError, match="hard"):
        await api.delete("abc", hard=1)
    with pytest.raises(ValueError, match="name"):
        await api.rename("abc", "")

    assert total_requests(http) == 0
