"""Faces: the model and its status words (Tavus's current name for a replica)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import attrs

from .._core.models import Model, StatusEnum, parse_progress

__all__ = ["Face", "FaceStatus"]


class FaceStatus(StatusEnum):
    """A face's training lifecycle, as Tavus documents it: started, completed or error."""

    STARTED = "started"
    COMPLETED = "completed"
    ERROR = "error"


@attrs.frozen(kw_only=True)
class Face(Model):
    """A face: a trained digital likeness, from a training video or a photo.

    Tavus's current name for a replica (``/v2/faces``, ``face_id``); the ids keep the
    replica shape (``r...``). ``status`` is a ``FaceStatus`` when Tavus uses a known word,
    the word itself otherwise; ``face_type`` (``user`` or ``system``) comes with
    ``verbose=True``. ``extra`` holds every field this version of the SDK does not know.
    """

    face_id: str
    face_name: str | None = None
    status: FaceStatus | str | None = None
    training_progress: str | None = None
    thumbnail_video_url: str | None = None
    error_message: str | None = None
    face_type: Literal["user", "system"] | str | None = None
    model_name: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)

    @property
    def progress(self) -> float | None:
        """Training progress from 0.0 to 1.0, parsed from ``training_progress``."""
        return parse_progress(self.training_progress)
