"""Replicas: the model, its status words and its training settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from .._core.models import Model, StatusEnum, parse_progress

__all__ = ["Replica", "ReplicaProperties", "ReplicaStatus"]


class ReplicaStatus(StatusEnum):
    """Replica training states. GET says ``completed`` where the callback says ``ready``."""

    STARTED = "started"
    TRAINING = "training"
    COMPLETED = "completed"
    READY = "ready"
    ERROR = "error"


@attrs.frozen(kw_only=True)
class ReplicaProperties:
    """Optional training settings for ``replicas.create(properties=...)``.

    Tavus documents ``background_green_screen``; ``gaze_correction`` is kept for the
    accounts that still use it.
    """

    gaze_correction: bool | None = None
    background_green_screen: bool | None = None


@attrs.frozen(kw_only=True)
class Replica(Model):
    """A replica: a trained digital likeness of a person.

    ``extra`` holds every field this version of the SDK does not know.

    Attributes:
        replica_id: Its id.
        replica_name: Its name.
        status: A ``ReplicaStatus`` when Tavus uses a known word, the word itself
            otherwise.
        training_progress: Tavus's ``"n/100"`` while training (``progress`` reads it).
        thumbnail_video_url: A short video of the replica, once trained.
        error_message: Why the training failed, when it did.
        created_at: When it was created.
        updated_at: When it last changed.
        replica_type: ``user`` or ``system`` (stock); on a verbose get.
        model_name: The model it was trained with (``phoenix-4``).
        extra: Every field this version of the SDK does not know.
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
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)

    @property
    def progress(self) -> float | None:
        """Training progress from 0.0 to 1.0, parsed from ``training_progress``."""
        return parse_progress(self.training_progress)
