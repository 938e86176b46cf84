"""replicas.create: the body it sends for the fields given, and the arguments it refuses."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import Replica, ReplicaProperties, ReplicaStatus, TavusClient

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


async def test_replica_create_sends_what_tavus_now_accepts(client: TavusClient, http: Any) -> None:
    """A voice with a training video, an empty name and the image fix go to Tavus to judge."""
    http.post(f"{BASE}/v2/replicas", payload={"replica_id": "r3", "status": "started"}, repeat=True)

    await client.replicas.create(
        train_video_url="https://cdn.example.com/t.mp4", voice_name="anna", replica_name=""
    )
    await client.replicas.create(
        train_image_url="https://cdn.example.com/face.png",
        voice_name="anna",
        auto_fix_training_image=True,
    )
    await client.replicas.create(extra_body={"train_audio_url": "https://cdn.example.com/a.wav"})

    assert [call.kwargs["json"] for call in sent(http, "POST", f"{BASE}/v2/replicas")] == [
        {
            "train_video_url": "https://cdn.example.com/t.mp4",
            "voice_name": "anna",
            "replica_name": "",
        },
        {
            "train_image_url": "https://cdn.example.com/face.png",
            "voice_name": "anna",
            "auto_fix_training_image": True,
        },
        {"train_audio_url": "https://cdn.example.com/a.wav"},
    ]


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


BAD_REPLICA_ARGS: list[tuple[dict[str, Any], type[Exception], str]] = [
    (
        {"train_video_url": "https://a.io/t.mp4", "train_image_url": "https://a.io/f.png"},
        ValueError,
        "train_image_url",
    ),
    ({"train_video_url": "s3://bucket/t.mp4"}, ValueError, "train_video_url"),
    ({"train_video_url": "https://a.io/t.mp4", "replica_name": 7}, TypeError, "replica_name"),
    ({"train_video_url": "https://a.io/t.mp4", "consent_video_url": ""}, ValueError, "consent"),
    (
        {"train_video_url": "https://a.io/t.mp4", "model_name": None, "voice_name": 1},
        TypeError,
        "voice_name",
    ),
    (
        {"train_image_url": "https://a.io/f.png", "auto_fix_training_image": "yes"},
        TypeError,
        "auto_fix_training_image",
    ),
    ({"train_video_url": "https://a.io/t.mp4", "properties": {1: True}}, TypeError, "properties"),
    ({"train_video_url": "https://a.io/t.mp4", "auto_fix": True}, TypeError, "auto_fix"),
]


@pytest.mark.parametrize(("kwargs", "error", "names"), BAD_REPLICA_ARGS)
async def test_bad_replica_arguments_fail_before_any_request(
    client: TavusClient, http: Any, kwargs: dict[str, Any], error: type[Exception], names: str
) -> None:
    """replicas.create refuses bad arguments with an error naming the argument, sending nothing."""
    with pytest.raises(error, match=names):
        await client.replicas.create(**kwargs)

    assert total_requests(http) == 0
