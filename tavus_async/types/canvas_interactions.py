"""Canvas interactions: what a participant did with a Magic Canvas card in a conversation.

The page that shows a card (Tavus's hosted embed and widget, or your own) records each
interaction while the conversation is active; the PAL reads it as the answer to the tool
call that showed the card. Tavus's reference documents the recorded fields and the list
answer; ``component`` and ``type`` are open words, and ``extra`` keeps keys Tavus adds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import attrs

from .._core.models import Model

__all__ = ["CanvasInteraction", "CanvasInteractionType"]

#: What the participant did with the card; Tavus may add words (any string is accepted).
CanvasInteractionType = Literal["submit", "skip", "dismiss", "clear", "error", "heartbeat"]


@attrs.frozen(kw_only=True)
class CanvasInteraction(Model):
    """One interaction with a card of a conversation.

    ``interaction_id`` is the recorder's own id (recording it again is harmless),
    ``tool_call_id`` the tool call that showed the card, ``component`` the card's kind
    (``canvas.question``, ...) at ``component_version`` (``v1``), ``type`` what was done,
    ``value`` the answer (any JSON) and ``metadata`` what else the page noted.
    """

    interaction_id: str
    conversation_id: str | None = None
    tool_call_id: str | None = None
    component: str | None = None
    component_version: str | None = None
    type: CanvasInteractionType | str | None = None
    value: Any = attrs.field(default=None, hash=False)
    metadata: dict[str, Any] | None = attrs.field(default=None, hash=False)
    created_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)
