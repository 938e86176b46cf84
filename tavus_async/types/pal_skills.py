"""PAL skills: the skills attached to one PAL, each with its ``config``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from .._core.models import Model

__all__ = ["PalSkill"]


@attrs.frozen(kw_only=True)
class PalSkill(Model):
    """A skill attached to a PAL: ``skill_id`` and its ``config``.

    ``config`` is the skill's own settings as JSON (``presentation`` takes
    ``document_ids``, ``slides_trigger`` and ``prompt``; ``internet_search`` none).
    ``attached_at`` and ``updated_at`` are when it was attached and last changed.
    """

    skill_id: str
    config: dict[str, Any] | None = None
    attached_at: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)
