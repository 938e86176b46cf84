"""Objectives: the goals a replica works through in a conversation, and their callback.

Objectives are created as a set (``objectives.create(data=[...])``), one ``ObjectiveItem``
each; the set's id is ``objectives_id``, which a persona attaches. An objective completes
when the replica has what it asked for (``output_variables``); the next ones follow from
``next_required_objectives`` or ``next_conditional_objectives``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar, Literal

import attrs

from .._core.models import Model

__all__ = ["ObjectiveCompletedEvent", "ObjectiveItem", "Objectives"]


def _strings(value: Iterable[str] | str | None) -> tuple[str, ...] | None:
    """A list of strings as a tuple; a bare string is read as a list of one (the guide's
    singular ``next_required_objective``)."""
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    if isinstance(value, bytes) or not isinstance(value, Iterable):
        raise TypeError(f"expected a list of strings, not {type(value).__name__}")
    return tuple(value)


@attrs.frozen(kw_only=True)
class ObjectiveItem(Model):
    """One objective of a set: for ``objectives.create(data=[...])``, and as read back.

    ``objective_name`` (Tavus wants no spaces in it) and ``objective_prompt`` are what
    Tavus requires. ``confirmation_mode`` is ``auto`` (Tavus's default) or ``manual`` (the
    participant confirms in the call's app); ``modality`` ``verbal`` (default) or
    ``visual``. ``output_variables`` are the values to collect.
    ``next_required_objectives`` are the names that follow once this one completes
    (Tavus's guide also spells it as one name, ``next_required_objective``: read as a list
    of one, and kept under its own name in ``to_dict()``); ``next_conditional_objectives``
    maps a name to the condition for going there. ``callback_url`` is told when the
    objective completes.
    """

    objective_name: str | None = None
    objective_prompt: str | None = None
    confirmation_mode: Literal["auto", "manual"] | str | None = None
    output_variables: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    modality: Literal["verbal", "visual"] | str | None = None
    next_required_objectives: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    next_conditional_objectives: dict[str, str] | None = attrs.field(default=None, hash=False)
    callback_url: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)

    @property
    def next_objectives(self) -> tuple[str, ...]:
        """The names that follow once this one completes: ``next_required_objectives``, or
        the guide's singular ``next_required_objective``; empty when neither is set."""
        if self.next_required_objectives is not None:
            return self.next_required_objectives
        single = self.extra.get("next_required_objective")
        return (single,) if isinstance(single, str) else ()


@attrs.frozen(kw_only=True)
class Objectives(Model):
    """A set of objectives, by its ``objectives_id`` (what a persona attaches).

    Create answers the id, a name, ``status`` and ``created_at``; lists show each
    objective with its set's ``objectives_id`` and its own fields (as ``ObjectiveItem``
    has them); a set read whole holds its objectives in ``data``. ``extra`` holds every
    field this version does not know.
    """

    objectives_id: str
    objective_name: str | None = None
    objective_prompt: str | None = None
    confirmation_mode: Literal["auto", "manual"] | str | None = None
    output_variables: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    modality: Literal["verbal", "visual"] | str | None = None
    next_required_objectives: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    next_conditional_objectives: dict[str, str] | None = attrs.field(default=None, hash=False)
    callback_url: str | None = None
    status: str | None = None
    data: tuple[ObjectiveItem, ...] | None = attrs.field(default=None, hash=False)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class ObjectiveCompletedEvent(Model):
    """An objective's callback: it was completed in the conversation ``conversation_id``.

    Tavus POSTs ``{"conversation_id", "objective_name", "output_variables"}`` to the
    objective's ``callback_url``, with no ``event_type``: ``receiver.on`` knows these
    callbacks as ``"objective.completed"``, the SDK's own name (``event_type``; no Tavus
    event type starts with ``objective.``). ``output_variables`` maps each variable the
    objective collected to its value.
    """

    #: The name handlers subscribe with: ``receiver.on("objective.completed", handler)``.
    event_type: ClassVar[str] = "objective.completed"

    conversation_id: str | None = None
    objective_name: str | None = None
    output_variables: dict[str, Any] | None = attrs.field(default=None, hash=False)
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)

    @classmethod
    def describes(cls, payload: Mapping[str, Any]) -> bool:
        """Whether a callback body is an objective's: a conversation id and, without an
        ``event_type``, an ``objective_name``."""
        return (
            "event_type" not in payload
            and isinstance(payload.get("conversation_id"), str)
            and isinstance(payload.get("objective_name"), str)
        )
