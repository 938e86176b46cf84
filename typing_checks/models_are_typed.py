"""Checked by ``mypy --strict`` in .ci/run, never run: what the models promise a type checker.
Each ``assert_type`` fails the type check if the SDK's typing regresses."""

from __future__ import annotations

from typing import Any

from typing_extensions import assert_type

from tavus_async import Replica, Video


def parsed(payload: dict[str, Any]) -> str:
    """from_dict returns the class it is called on, not the shared base."""
    video = Video.from_dict(payload)
    assert_type(video, Video)
    assert_type(Replica.from_dict(payload), Replica)
    return video.video_id


def written(video: Video) -> str:
    """to_dict is a JSON object with string keys; to_json is its text."""
    assert_type(video.to_dict(), dict[str, Any])
    return video.to_json(indent=2)
