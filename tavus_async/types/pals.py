"""PALs: the model (Tavus's current name for a persona).

A PAL's ``layers`` stay plain JSON here (``dict[str, Any]``): the typed layer classes are
the personas family's, and families share nothing. Secret-looking keys in the layers (an
LLM's or a voice's ``api_key``, headers, tokens) are shown as ``'***'`` in reprs;
``to_dict()`` keeps them, as they are the PAL's data.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

import attrs

from .._core.models import Model, masked_repr

__all__ = ["Pal"]


def _strings(value: Iterable[str] | None) -> tuple[str, ...] | None:
    """A list of strings as a tuple; a bare string is not a list of them."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"expected a list of strings, not {type(value).__name__}")
    return tuple(value)


@attrs.frozen(kw_only=True)
class Pal(Model):
    """A PAL (Personified Application Layer): who the face is in a conversation, and how
    it sees, listens and speaks.

    ``default_face_id`` is the face it appears as; ``pipeline_mode`` is ``full`` (Tavus's
    default) or ``echo``; ``layers`` is the layers' JSON (``llm``, ``tts``, ``stt``,
    ``perception``, ``conversational_flow``, ``conferencing``, ...). ``conferencing_email``
    is the address that invites the PAL to a meeting. ``pal_type`` is ``user`` or
    ``system`` (Tavus's stock PALs). ``extra`` holds every field this version does not
    know.
    """

    pal_id: str
    pal_name: str | None = None
    system_prompt: str | None = None
    default_face_id: str | None = None
    pipeline_mode: Literal["full", "echo"] | str | None = None
    pal_type: Literal["user", "system"] | str | None = None
    layers: dict[str, Any] | None = attrs.field(default=None, hash=False, repr=masked_repr)
    document_ids: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    document_tags: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    guardrail_ids: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    guardrail_tags: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    objectives_id: str | None = None
    conferencing_email: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)
