"""Videos: the model, its status words and its rendering settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import attrs

from .._core.models import Model, StatusEnum, parse_progress

__all__ = ["Video", "VideoProperties", "VideoStatus"]


class VideoStatus(StatusEnum):
    """Video rendering states: ``queued`` → ``generating`` → ``ready``, or ``error``/``deleted``."""

    QUEUED = "queued"
    GENERATING = "generating"
    READY = "ready"
    ERROR = "error"
    DELETED = "deleted"


@attrs.frozen(kw_only=True)
class VideoProperties:
    """Optional rendering settings for ``videos.create(properties=...)``.

    The scroll settings apply with ``background_url`` (Tavus's defaults: scroll on,
    ``human``, ``middle``, ``return``); ``start_with_wave`` only for some stock replicas.
    A word Tavus adds later is taken as it is.
    """

    background_scroll: bool | None = None
    background_scroll_type: Literal["human", "smooth"] | str | None = None
    background_scroll_depth: Literal["middle", "bottom"] | str | None = None
    background_scroll_return: Literal["return", "halt"] | str | None = None
    start_with_wave: bool | None = None


@attrs.frozen(kw_only=True)
class Video(Model):
    """A video of a replica speaking a script or an audio track.

    Attributes:
        video_id: Its id.
        video_name: Its name.
        status: A ``VideoStatus`` when Tavus uses a known word, the word itself otherwise.
        replica_id: The replica that speaks.
        data: What the video was made from (``script`` reads its script).
        download_url: The file, set once the video is ready.
        stream_url: A stream of it, set once the video is ready.
        hosted_url: A page that shows it.
        status_details: Tavus's words on its status (why it failed, say).
        generation_progress: Tavus's ``"n/100"`` while rendering (``progress`` reads it).
        background_url: The website recorded as its background.
        background_source_url: The video file used as its background.
        error_details: Tavus's details of a failure.
        created_at: When it was created.
        updated_at: When it last changed.
        still_image_thumbnail_url: A still thumbnail; only on ``get(..., verbose=True)``.
        gif_thumbnail_url: An animated thumbnail; only on ``get(..., verbose=True)``.
        extra: Every field this version of the SDK does not know.
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
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)

    @property
    def script(self) -> str | None:
        """The script the video speaks (``data.script``), when Tavus returned it."""
        script = (self.data or {}).get("script")
        return script if isinstance(script, str) else None

    @property
    def progress(self) -> float | None:
        """Rendering progress from 0.0 to 1.0, parsed from ``generation_progress``."""
        return parse_progress(self.generation_progress)
