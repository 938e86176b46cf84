"""Transcriptions: the text of an audio or video file, made by Tavus and told to a callback.

These calls are in Tavus's openapi.yaml (tag ``Transcriptions``) but have no page in the
reference's navigation. It documents the fields below and no status words and no
callback body: ``status`` is kept as Tavus's own string, and ``extra`` keeps whatever
else Tavus sends.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from .._core.models import Model

__all__ = ["Transcription"]


@attrs.frozen(kw_only=True)
class Transcription(Model):
    """One transcription: the file at ``file_url``, its ``text`` once done, its ``status``
    (Tavus's word, undocumented), and the ``callback_url`` Tavus tells when it is done."""

    transcription_id: str
    file_url: str | None = None
    text: str | None = None
    status: str | None = None
    callback_url: str | None = None
    created_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)
