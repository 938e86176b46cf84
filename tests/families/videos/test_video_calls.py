"""videos.create: the body it sends for the fields given, and the arguments it refuses."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import ReplicaProperties, TavusClient, VideoProperties, VideoStatus

from _support.http import BASE, sent, total_requests


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
    """videos.create sends audio, fast, transparency, watermark and properties as given."""
    http.post(f"{BASE}/v2/videos", payload={"video_id": "v2", "status": "queued"})

    await client.videos.create(
        replica_id="r1",
        audio_url="https://cdn.example.com/voice.mp3",
        callback_url="https://hooks.example.com/tavus",
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


BAD_VIDEO_ARGS: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"replica_id": "r1", "script": "Hi", "audio_url": "https://x.io/a.mp3"}, ValueError, "script"),
    ({"replica_id": "r1", "script": ""}, ValueError, "script"),
    ({"replica_id": "r1", "script": "   "}, ValueError, "script"),
    ({"replica_id": "r1", "script": 42}, TypeError, "script"),
    ({"replica_id": "", "script": "Hi"}, ValueError, "replica_id"),
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
    ({"replica_id": "r1", "script": "Hi", "video_name": 3}, TypeError, "video_name"),
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
    (
        {"replica_id": "r1", "script": "Hi", "fast": True, "background_url": "https://a.io"},
        ValueError,
        "fast",
    ),
    ({"replica_id": "r1", "script": "Hi", "properties": ["x"]}, TypeError, "properties"),
    (
        {"replica_id": "r1", "script": "Hi", "properties": ReplicaProperties()},
        TypeError,
        "properties",
    ),
    ({"replica_id": "r1", "script": "Hi", "properties": {"x": object()}}, TypeError, "properties"),
]


async def test_video_create_sends_what_tavus_judges(client: TavusClient, http: Any) -> None:
    """An empty name and a create with no speech of its own are sent for Tavus to judge."""
    http.post(f"{BASE}/v2/videos", payload={"video_id": "v1", "status": "queued"}, repeat=True)

    await client.videos.create(
        replica_id="r1",
        script="Hi",
        video_name="",
        background_source_url="https://b.io/v.mp4",
    )
    await client.videos.create(replica_id="r1", extra_body={"text_to_speak": "Hi"})

    assert [call.kwargs["json"] for call in sent(http, "POST", f"{BASE}/v2/videos")] == [
        {
            "replica_id": "r1",
            "script": "Hi",
            "video_name": "",
            "background_source_url": "https://b.io/v.mp4",
        },
        {"replica_id": "r1", "text_to_speak": "Hi"},
    ]


@pytest.mark.parametrize(("kwargs", "error", "names"), BAD_VIDEO_ARGS)
async def test_bad_video_arguments_fail_before_any_request(
    client: TavusClient, http: Any, kwargs: dict[str, Any], error: type[Exception], names: str
) -> None:
    """videos.create refuses bad arguments with an error naming the argument, sending nothing."""
    with pytest.raises(error, match=names):
        await client.videos.create(**kwargs)

    assert total_requests(http) == 0
