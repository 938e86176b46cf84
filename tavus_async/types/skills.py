"""Skills: capabilities Tavus offers a PAL (``internet_search``, ``presentation``,
``magic_canvas``, ...), attached through ``tavus.pal_skills``.

Tavus's reference names the skills and their configs but shows no skill object: the
fields below are inferred, and the model keeps whatever Tavus sends in ``extra``.
"""

from __future__ import annotations

from typing import Any

import attrs

from .._core.models import Model

__all__ = ["Skill"]


@attrs.frozen(kw_only=True)
class Skill(Model):
    """One skill Tavus offers: its ``skill_id`` (its name, like ``internet_search``).

    ``name``, ``description`` and ``config_schema`` (what its attachment's ``config``
    takes) are inferred; anything else Tavus sends is in ``extra``.
    """

    skill_id: str
    name: str | None = None
    description: str | None = None
    config_schema: dict[str, Any] | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)
