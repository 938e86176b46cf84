"""Guardrails: the model, the legacy guardrail sets, and the callback of a triggered guardrail.

A guardrail is one rule a replica keeps to in its conversations (``guardrail_prompt``),
watched in what is said (``verbal``) or seen (``visual``). Tavus calls its id ``uuid``.
Older accounts group them in *guardrail sets* (``name`` + ``data``, id ``guardrails_id``),
which Tavus still serves as a legacy shape; every item of a set is also a guardrail of
its own, with its own ``uuid``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar, Literal

import attrs

from .._core.models import Model

__all__ = ["Guardrail", "GuardrailSet", "GuardrailSetItem", "GuardrailTriggeredEvent"]


def _strings(value: Iterable[str] | None) -> tuple[str, ...] | None:
    """A list of strings as a tuple; a bare string is not a list of them."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"expected a list of strings, not {type(value).__name__}")
    return tuple(value)


@attrs.frozen(kw_only=True)
class Guardrail(Model):
    """One guardrail: a rule (``guardrail_prompt``) the replica keeps to in conversations.

    ``modality`` is ``verbal`` (Tavus's default: what is said) or ``visual`` (what is
    seen). ``callback_url`` is told each time the guardrail is triggered; ``app_message``
    (Tavus's default: true) says whether the call's app also gets an event then. ``tags``
    let personas attach guardrails in bulk (``guardrail_tags``). ``extra`` holds every
    field this version does not know.
    """

    uuid: str
    guardrail_name: str | None = None
    guardrail_prompt: str | None = None
    modality: Literal["verbal", "visual"] | str | None = None
    callback_url: str | None = None
    tags: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    app_message: bool | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class GuardrailSetItem(Model):
    """One guardrail of a legacy set, for ``create_legacy_set(data=[...])`` and as read back.

    A set's items also exist as guardrails of their own: ``uuid`` is that guardrail's
    id where Tavus names it.
    """

    guardrail_name: str | None = None
    guardrail_prompt: str | None = None
    modality: Literal["verbal", "visual"] | str | None = None
    callback_url: str | None = None
    uuid: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class GuardrailSet(Model):
    """A legacy guardrail set: a ``name`` and its guardrails (``data``), id ``guardrails_id``.

    Personas attach a set with ``guardrails_id``. Tavus's create answer spells the name
    ``guardrails_name`` and adds ``status``; both are kept as sent.
    """

    guardrails_id: str
    name: str | None = None
    guardrails_name: str | None = None
    status: str | None = None
    data: tuple[GuardrailSetItem, ...] | None = attrs.field(default=None, hash=False)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class GuardrailTriggeredEvent(Model):
    """A guardrail's callback: it was triggered in the conversation ``conversation_id``.

    Tavus POSTs ``{"conversation_id", "properties": {"guardrail", "guardrail_uuid"}}`` to
    the guardrail's ``callback_url``, with no ``event_type``: ``receiver.on`` knows these
    callbacks as ``"guardrail.triggered"``, the SDK's own name (``event_type``; no Tavus
    event type starts with ``guardrail.``). ``properties`` is kept as it came.
    """

    #: The name handlers subscribe with: ``receiver.on("guardrail.triggered", handler)``.
    event_type: ClassVar[str] = "guardrail.triggered"

    conversation_id: str | None = None
    properties: dict[str, Any] | None = attrs.field(default=None, hash=False)
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)

    @classmethod
    def describes(cls, payload: Mapping[str, Any]) -> bool:
        """Whether a callback body is a guardrail's: a conversation id and, without an
        ``event_type``, ``properties`` naming a guardrail."""
        properties = payload.get("properties")
        return (
            "event_type" not in payload
            and isinstance(payload.get("conversation_id"), str)
            and isinstance(properties, Mapping)
            and ("guardrail" in properties or "guardrail_uuid" in properties)
        )

    def _text(self, name: str) -> str | None:
        value = (self.properties or {}).get(name)
        return value if isinstance(value, str) else None

    @property
    def guardrail_name(self) -> str | None:
        """The triggered guardrail's name (``properties.guardrail``)."""
        return self._text("guardrail")

    @property
    def guardrail_uuid(self) -> str | None:
        """The triggered guardrail's id (``properties.guardrail_uuid``)."""
        return self._text("guardrail_uuid")
