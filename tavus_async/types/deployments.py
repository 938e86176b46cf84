"""Deployments: a PAL published as a hosted widget, an inline embed or a landing page.

A deployment is made in the PAL Maker or through ``POST /v2/deployments``; its web
element then fetches its public configuration (``DeploymentInit``) and starts
conversations without an API key (``DeploymentConversation``).

Tavus's reference documents the create call's body and answer and the three public
calls' answers; the shapes of list, get and patch answers are not shown there and are
inferred to be the same deployment object. Every model keeps the keys it does not
know in ``extra``, and the nested ``customization`` is kept as Tavus sends it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

import attrs

from .._core.models import Model

__all__ = [
    "Deployment",
    "DeploymentCaptcha",
    "DeploymentChannel",
    "DeploymentConversation",
    "DeploymentInit",
    "DeploymentLimits",
]

#: Where a deployment is published; Tavus may add channels (any string is accepted).
DeploymentChannel = Literal["widget", "embed", "landing-page"]


def _strings(value: Iterable[str] | None) -> tuple[str, ...] | None:
    """A list of strings as a tuple."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"expected a list of strings, not {type(value).__name__}")
    return tuple(value)


@attrs.frozen(kw_only=True)
class DeploymentLimits(Model):
    """A deployment's call limits: ``max_call_duration`` (seconds) and
    ``daily_call_limit_per_user``.

    These two keys are those the public init call shows; the create call documents
    ``limits`` only as an object, so any other key Tavus takes is kept in ``extra``
    (and sent back as given).
    """

    max_call_duration: int | None = None
    daily_call_limit_per_user: int | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class DeploymentCaptcha(Model):
    """The captcha a visitor solves before starting (from the public init call):
    its ``provider``, ``site_key``, ``challenge_path`` and ``action``."""

    provider: str | None = None
    site_key: str | None = None
    challenge_path: str | None = None
    action: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class Deployment(Model):
    """One deployment, as Tavus's create call answers it.

    ``channel`` is ``widget``, ``embed`` or ``landing-page``; ``customization`` holds the
    visual and conversation settings (a JSON object, kept as sent: its keys are set in the
    PAL Maker and not documented one by one); ``limits`` the call limits;
    ``allowed_origins`` the sites that may embed it; ``usage_total`` / ``usage_today``
    its conversations so far. ``replica_thumbnail_video_url`` is Tavus's deprecated name
    of ``thumbnail_video_url``. Where Tavus names the deployment's face or persona in
    other keys, they are in ``extra``.
    """

    deployment_id: str
    pal_id: str | None = None
    channel: DeploymentChannel | str | None = None
    name: str | None = None
    has_password: bool | None = None
    customization: dict[str, Any] | None = attrs.field(default=None, hash=False)
    thumbnail_video_url: str | None = None
    thumbnail_image_url: str | None = None
    replica_thumbnail_video_url: str | None = None
    limits: DeploymentLimits | None = None
    allowed_origins: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    usage_total: int | None = None
    usage_today: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class DeploymentInit(Model):
    """A deployment's public configuration: what its web element reads before a call.

    ``is_available`` False comes with an ``unavailable_reason``; ``has_password`` says
    that ``start_conversation`` needs the ``password``, ``captcha`` that it needs a
    ``captcha_token``.
    """

    deployment_id: str
    channel: DeploymentChannel | str | None = None
    customization: dict[str, Any] | None = attrs.field(default=None, hash=False)
    has_password: bool | None = None
    thumbnail_video_url: str | None = None
    thumbnail_image_url: str | None = None
    replica_thumbnail_video_url: str | None = None
    show_tavus_branding: bool | None = None
    limits: DeploymentLimits | None = None
    captcha: DeploymentCaptcha | None = None
    is_available: bool | None = None
    unavailable_reason: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class DeploymentConversation(Model):
    """The conversation a deployment started: the fields of a created conversation.

    Join it at ``conversation_url`` (with ``meeting_token`` where the room is private);
    ``tavus.conversations.get(conversation_id)`` reads it as a full ``Conversation``.
    """

    conversation_id: str
    conversation_name: str | None = None
    conversation_url: str | None = None
    status: str | None = None
    callback_url: str | None = None
    meeting_token: str | None = None
    created_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)
