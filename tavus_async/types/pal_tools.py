"""PAL tools: the tools attached to one PAL, as ``GET /v2/pals/{pal_id}/tools`` lists them.

Tavus lists each attached tool as the tool object itself. ``PalTool`` reads it so,
within this family (a family's models import no other family's): the same fields as
``tavus.tools``'s ``Tool``, its ``delivery`` kept as JSON, masked in the repr.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from .._core.models import SECRET_MASK, Model, mask_secrets

__all__ = ["PalTool"]


# What an ``auth`` object holds that is not a secret: how and where the secret goes.
_AUTH_PLAIN = frozenset({"type", "location", "name", "token_url", "scope", "client_id", "username"})


def _masked_delivery(value: dict[str, Any] | None) -> str:
    """``delivery``'s repr: an ``api``'s header values masked, and its auth's but for how
    and where it goes (``type``, ``location``, ...)."""
    if value is None:
        return "None"
    api = value.get("api")
    if isinstance(api, dict):
        api = dict(api)
        if isinstance(api.get("headers"), dict):
            api["headers"] = dict.fromkeys(api["headers"], SECRET_MASK)
        if isinstance(api.get("auth"), dict):
            api["auth"] = {
                key: item if key in _AUTH_PLAIN or item is None else SECRET_MASK
                for key, item in api["auth"].items()
            }
        value = {**value, "api": api}
    return repr(mask_secrets(value))


@attrs.frozen(kw_only=True)
class PalTool(Model):
    """A tool attached to a PAL: the tool as ``tavus.tools.get`` answers it.

    ``delivery`` is the tool's delivery settings as Tavus's JSON (``{"app_message":
    true}`` or ``{"api": {...}}``); ``tavus.tools.get(tool_id)`` reads it typed. The
    fields are the tool object's; what else Tavus sends about the attachment stays in
    ``extra``.
    """

    tool_id: str
    owner_id: int | None = None
    name: str | None = None
    description: str | None = None
    parameters: dict[str, Any] | None = None
    delivery: dict[str, Any] | None = attrs.field(default=None, repr=_masked_delivery)
    is_system_tool: bool | None = None
    trigger_type: str | None = None
    origin: str | None = None
    on_call: str | None = None
    on_resolve: str | None = None
    static_filler: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)
