"""``tavus.canvas_interactions``: record and list a conversation's Magic Canvas interactions
(``/v2/conversations/{conversation_id}/canvas/interactions``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .._core.arguments import check_id, check_string, check_text
from .._core.options import RequestOptions, Unpack, check_options
from .._core.paging import Page
from ..types.canvas_interactions import CanvasInteraction, CanvasInteractionType
from ._base import Resource, body
from ._spec import FamilySpec

__all__ = ["CANVAS_INTERACTIONS", "CanvasInteractions"]

CANVAS_INTERACTIONS: FamilySpec[CanvasInteraction] = FamilySpec(
    name="canvas_interactions",
    noun="canvas interaction",
    path="/v2/conversations",
    model=CanvasInteraction,
    id_field="interaction_id",
    generic_calls=(),  # a sub-resource of a conversation: its calls name the conversation
    columns=("interaction_id", "tool_call_id", "component", "type", "created_at"),
)

_MAX_ID = 128  # Tavus takes interaction_id and tool_call_id of 1 to 128 characters


def _check_key(name: str, value: object) -> str:
    text = check_text(name, value)
    if len(text) > _MAX_ID:
        raise ValueError(f"{name} must be at most {_MAX_ID} characters, got {len(text)}")
    return text


def _json(name: str, value: object) -> Any:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must hold only JSON values (no NaN): {exc}") from None
    return value


class CanvasInteractions(Resource[CanvasInteraction]):
    """A conversation's Magic Canvas interactions.

    ``record`` is the call a page showing a card makes while the conversation is active
    (Tavus needs no API key for it; this client sends its key anyway, only ever to the
    API's own host). Every call also takes the per-call options (``extra_body``,
    ``extra_query``, ``extra_headers``, ``timeout``, ``max_retries``).
    """

    spec = CANVAS_INTERACTIONS

    def _interactions_path(self, conversation_id: object) -> str:
        return (
            f"{self.spec.path}/{check_id('conversation_id', conversation_id)}/canvas/interactions"
        )

    async def record(
        self,
        conversation_id: str,
        *,
        interaction_id: str,
        tool_call_id: str,
        component: str,
        type: CanvasInteractionType | str,
        component_version: str | None = None,
        value: Any = None,
        metadata: Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Record what the participant did with a Magic Canvas card.

        ``interaction_id`` is yours: Tavus records an interaction once per conversation and
        id, so the request is retried like a read, and a 429 (Tavus takes 120 a minute per
        conversation and address) is waited out as its ``Retry-After`` says. Tavus takes
        interactions only while the conversation is active. Only what is given is sent.

        Args:
            conversation_id: The conversation's id.
            interaction_id: Your id for the interaction (1-128 characters).
            tool_call_id: The tool call that showed the card.
            component: The card, e.g. ``canvas.question``.
            type: What the participant did: ``submit``, ``skip``, ``dismiss``, ``clear``,
                ``error`` or ``heartbeat``.
            component_version: The card's version, e.g. ``v1``.
            value: The answer (any JSON).
            metadata: A JSON object.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Raises:
            ValueError: An unsafe ``conversation_id``, or an empty or over-long
                ``interaction_id`` / ``tool_call_id``, before any request.
            TypeError: A ``value`` / ``metadata`` that is not JSON (naming it), before any
                request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        json_body = body(
            {
                "interaction_id": _check_key("interaction_id", interaction_id),
                "tool_call_id": _check_key("tool_call_id", tool_call_id),
                "component": check_text("component", component),
                "component_version": None
                if component_version is None
                else check_string("component_version", component_version),
                "type": check_text("type", type),
                "value": None if value is None else _json("value", value),
                "metadata": None if metadata is None else _metadata(metadata),
            }
        )
        path = self._interactions_path(conversation_id)
        await self._requester.request(
            "POST",
            path,
            json_body=json_body,
            expect_body=False,
            idempotent=True,
            options=check_options(options),
        )

    async def list(
        self, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> Page[CanvasInteraction]:
        """Every interaction recorded in the conversation (``.data``); Tavus documents no
        paging for it.

        Args:
            conversation_id: The conversation's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The conversation's interactions, in ``.data``.

        Raises:
            ValueError: An unsafe ``conversation_id``, before any request.
            NotFoundError: An unknown conversation (or BadRequestError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        path = self._interactions_path(conversation_id)
        page: Page[CanvasInteraction] = await self._structured(
            "GET", path, self._page_type, options=check_options(options)
        )
        return page


def _metadata(value: object) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"metadata must be a mapping, not {type(value).__name__}")
    if not all(isinstance(key, str) for key in value):
        raise TypeError("metadata keys must be strings")
    return dict(_json("metadata", dict(value)))
