"""Replicas, videos and their statuses, as frozen attrs classes.

Models hold data and never do I/O. Outside data becomes a model through the one
converter in ``_convert``, which also keeps fields this version does not know in
``extra`` and status words it does not know as plain strings.
"""

from __future__ import annotations

import enum
import math
from datetime import datetime
from typing import Any, Literal

import attrs

__all__ = [
    "Replica",
    "ReplicaProperties",
    "ReplicaStatus",
    "Video",
    "VideoProperties",
    "VideoStatus",
]


class ReplicaStatus(str, enum.Enum):
    """Replica training states. GET says ``completed`` where the callback says ``ready``."""

    STARTED = "started"
    TRAINING = "training"
    COMPLETED = "completed"
    READY = "ready"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


class VideoStatus(str, enum.Enum):
    """Video rendering states: ``queued`` → ``generating`` → ``ready``, or ``error``/``deleted``."""

    QUEUED = "queued"
    GENERATING = "generating"
    READY = "ready"
    ERROR = "error"
    DELETED = "deleted"

    def __str__(self) -> str:
        return self.value


def parse_progress(value: object) -> float | None:
    """``"42/100"`` → 0.42. A bare number or ``"42%"`` is read as a percentage. Else None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, str):
            done, slash, total = value.strip().rstrip("%").partition("/")
            ratio = float(done) / float(total) if slash else float(done) / 100
        elif isinstance(value, (int, float)):
            ratio = value / 100
        else:
            return None
    except (ValueError, ZeroDivisionError):
        return None
    if not math.isfinite(ratio):
        return None
    return min(max(ratio, 0.0), 1.0)


@attrs.frozen(kw_only=True)
class ReplicaProperties:
    """Optional training settings for ``replicas.create(properties=...)``."""

    gaze_correction: bool | None = None
    background_green_screen: bool | None = None


_SCROLL_TYPES = ("human", "smooth")
_SCROLL_DEPTHS = ("middle", "bottom")
_SCROLL_RETURNS = ("return", "halt")


@attrs.frozen(kw_only=True)
class VideoProperties:
    """Optional rendering settings for ``videos.create(properties=...)``."""

    background_scroll: bool | None = None
    background_scroll_type: Literal["human", "smooth"] | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.in_(_SCROLL_TYPES))
    )
    background_scroll_depth: Literal["middle", "bottom"] | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.in_(_SCROLL_DEPTHS))
    )
    background_scroll_return: Literal["return", "halt"] | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.in_(_SCROLL_RETURNS))
    )
    start_with_wave: bool | None = None


@attrs.frozen(kw_only=True)
class Replica:
    """A replica: a trained digital likeness of a person.

    ``status`` is a ``ReplicaStatus`` when Tavus uses a known word, the word itself
    otherwise. ``extra`` holds every field this version of the SDK does not know.
    """

    replica_id: str
    replica_name: str | None = None
    status: ReplicaStatus | str | None = None
    training_progress: str | None = None
    thumbnail_video_url: str | None = None
    error_message: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    replica_type: str | None = None
    model_name: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False, repr=False)

    @property
    def progress(self) -> float | None:
        """Training progress from 0.0 to 1.0, parsed from ``training_progress``."""
        return parse_progress(self.training_progress)


@attrs.frozen(kw_only=True)
class Video:
    """A video of a replica speaking a script or an audio track.

    ``download_url`` and ``stream_url`` are set once the video is ready; thumbnails
    only on ``get(..., verbose=True)``. ``extra`` holds every field this version of the
    SDK does not know.
    """

    video_id: str
    video_name: str | None = None
    status: VideoStatus | str | None = None
    replica_id: str | None = None
    data: dict[str, Any] | None = attrs.field(default=None, hash=False)
    download_url: str | None = None
    stream_url: str | None = None
    hosted_url: str | None = None
    status_details: str | None = None
    generation_progress: str | None = None
    background_url: str | None = None
    background_source_url: str | None = None
    error_details: Any = attrs.field(default=None, hash=False)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    still_image_thumbnail_url: str | None = None
    gif_thumbnail_url: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False, repr=False)

    @property
    def script(self) -> str | None:
        """The script the video speaks (``data.script``), when Tavus returned it."""
        script = (self.data or {}).get("script")
        return script if isinstance(script, str) else None

    @property
    def progress(self) -> float | None:
        """Rendering progress from 0.0 to 1.0, parsed from ``generation_progress``."""
        return parse_progress(self.generation_progress)
