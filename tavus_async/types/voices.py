"""Voices: Tavus's stock voices, named for a face or replica trained from an image."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from .._core.models import Model

__all__ = ["Voice", "VoiceTag"]


@attrs.frozen(kw_only=True)
class VoiceTag(Model):
    """A tag of the replica a voice belongs to (``tag_name``)."""

    tag_name: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


def _tags(value: Iterable[VoiceTag] | None) -> tuple[VoiceTag, ...] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"expected a list of tags, not {type(value).__name__}")
    return tuple(value)


@attrs.frozen(kw_only=True)
class Voice(Model):
    """A stock voice: its ``voice_name`` is what a replica trained from an image takes.

    ``replica_id`` is the stock replica that speaks with it (should Tavus name it
    ``face_id`` in newer answers, as it now calls replicas faces, that stays in
    ``extra``), ``audio_url`` a sample (None when Tavus has none), ``tags`` that
    replica's tags.
    """

    voice_name: str
    replica_id: str | None = None
    audio_url: str | None = None
    tags: tuple[VoiceTag, ...] | None = attrs.field(default=None, converter=_tags)
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)
