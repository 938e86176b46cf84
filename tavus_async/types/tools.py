"""Tools: functions a PAL's LLM (or its vision and audio perception) may call.

A tool is registered once for the account (``tavus.tools``) and attached to PALs
(``tavus.pal_tools``). Tavus answers every tool call with the tool object; secrets in
its delivery settings come back as ``********``. The shape of the create body is
inferred from the tool object, as Tavus's reference shows no create example: every
model keeps unknown keys in ``extra``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

import attrs

from .._core.models import SECRET_MASK, Model, mask_secrets

__all__ = ["Tool", "ToolApi", "ToolDelivery", "masked_auth", "masked_headers"]

# What an ``auth`` object holds that is not a secret: how and where the secret goes.
_AUTH_PLAIN = frozenset({"type", "location", "name", "token_url", "scope", "client_id", "username"})


def masked_headers(value: Mapping[str, Any] | None) -> str:
    """A repr of request headers with every value masked: a header's name says nothing."""
    if value is None:
        return "None"
    return repr({key: SECRET_MASK if item is not None else None for key, item in value.items()})


def masked_auth(value: Mapping[str, Any] | None) -> str:
    """A repr of an ``auth`` object with every value but how and where it goes masked."""
    if value is None:
        return "None"
    shown = {
        key: item if key in _AUTH_PLAIN or item is None else SECRET_MASK
        for key, item in value.items()
    }
    return repr(mask_secrets(shown))


@attrs.frozen(kw_only=True)
class ToolApi(Model):
    """How Tavus calls an HTTP endpoint for the tool (``delivery.api``).

    ``url`` and ``method`` (``GET``, ``POST``, ...), ``timeout`` (seconds), ``headers``,
    ``auth`` (``token``, ``username``/``password``, ``name``/``value``/``location``, or
    ``token_url``/``client_id``/``client_secret``/``scope``), ``body_template``,
    ``query_params`` and ``content_type``. Headers and auth are masked in its repr; Tavus
    answers their secrets as ``********``: leave them out of an update to keep them.
    The field list is Tavus's; their types are inferred, so anything else goes to ``extra``.
    """

    url: str | None = None
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] | str | None = None
    timeout: float | None = None
    headers: dict[str, Any] | None = attrs.field(default=None, repr=masked_headers)
    auth: dict[str, Any] | None = attrs.field(default=None, repr=masked_auth)
    body_template: Any = None
    query_params: dict[str, Any] | None = None
    content_type: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class ToolDelivery(Model):
    """Where a tool's call goes: ``app_message=True`` (Tavus's default: an app message to
    the conversation's client) or ``api`` (an HTTP request); Tavus takes exactly one."""

    app_message: bool | None = None
    api: ToolApi | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class Tool(Model):
    """A tool of the account, or one of Tavus's system tools (``is_system_tool``; their
    ``tool_id`` is their name, like ``end_call``, and ``owner_id`` is None).

    ``name`` is what the LLM calls (letters, digits, ``_``; unique in the account),
    ``parameters`` a JSON Schema of its arguments. ``trigger_type`` is ``in_call`` or
    ``post_call``; ``origin`` who calls it (``llm``, Tavus's default, ``vision`` or
    ``audio``); ``on_call`` what the replica does meanwhile (``generate_filler``,
    ``static_filler`` with its ``static_filler`` text, ``silent``, ``passthrough``);
    ``on_resolve`` what it does with the result (``generate_response``,
    ``response_in_result``, ``add_to_context``, ``fire_and_forget``). Words Tavus adds
    later stay plain strings. Timestamps come without a zone, read as UTC.
    """

    tool_id: str
    owner_id: int | None = None
    name: str | None = None
    description: str | None = None
    parameters: dict[str, Any] | None = None
    delivery: ToolDelivery | None = None
    is_system_tool: bool | None = None
    trigger_type: Literal["in_call", "post_call"] | str | None = None
    origin: Literal["llm", "vision", "audio"] | str | None = None
    on_call: Literal["generate_filler", "static_filler", "silent", "passthrough"] | str | None = (
        None
    )
    on_resolve: (
        Literal["generate_response", "response_in_result", "add_to_context", "fire_and_forget"]
        | str
        | None
    ) = None
    static_filler: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)
