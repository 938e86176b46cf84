"""``tavus.deployments``: publish a PAL as a widget, embed or landing page, and the public
calls its web element makes (init, start a conversation, end it)."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Mapping, Sequence
from typing import Any

from .._core.arguments import (
    check_id,
    check_settings,
    check_string,
    check_strings,
    check_text,
    optional,
)
from .._core.json_patch import PatchOperation
from .._core.options import RequestOptions, Unpack, check_options
from .._core.paging import Page
from ..types.deployments import (
    Deployment,
    DeploymentChannel,
    DeploymentConversation,
    DeploymentInit,
    DeploymentLimits,
)
from ._base import Resource, body, paging, query
from ._spec import FamilySpec

__all__ = ["DEPLOYMENTS", "Deployments"]

DEPLOYMENTS: FamilySpec[Deployment] = FamilySpec(
    name="deployments",
    noun="deployment",
    path="/v2/deployments",
    model=Deployment,
    id_field="deployment_id",
    columns=("deployment_id", "name", "channel", "pal_id", "created_at"),
)


def _object(name: str, value: object) -> dict[str, Any]:
    """A JSON object given as a mapping (``customization``: Tavus documents no keys), sent
    as given."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping, not {type(value).__name__}")
    if not all(isinstance(key, str) for key in value):
        raise TypeError(f"{name} keys must be strings")
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must hold only JSON values (no NaN): {exc}") from None
    return dict(value)


def _limits(name: str, value: object) -> dict[str, Any]:
    return check_settings(name, value, DeploymentLimits)


class Deployments(Resource[Deployment]):
    """The account's deployments: ``/v2/deployments``.

    A deployment publishes a PAL on one channel: ``widget`` (a floating launcher),
    ``embed`` (inline) or ``landing-page`` (hosted by Tavus). ``init``,
    ``start_conversation`` and ``end_conversation`` are the public calls its web element
    makes; Tavus needs no API key for them, and this client sends its key anyway (only
    ever to the API's own host), which Tavus ignores. Every call also takes the per-call
    options (``extra_body``, ``extra_query``, ``extra_headers``, ``timeout``,
    ``max_retries``).
    """

    spec = DEPLOYMENTS

    async def create(
        self,
        *,
        pal_id: str,
        channel: DeploymentChannel | str,
        name: str | None = None,
        password: str | None = None,
        customization: Mapping[str, Any] | None = None,
        limits: DeploymentLimits | Mapping[str, Any] | None = None,
        allowed_origins: Sequence[str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Deployment:
        """Publish the PAL ``pal_id`` on ``channel`` and return the deployment.

        Only what is given is sent, and the request is never retried once it may have
        reached Tavus.

        Args:
            pal_id: The PAL to publish.
            channel: ``widget`` (a floating launcher), ``embed`` (inline) or ``landing-page``
                (hosted by Tavus).
            name: Its display name.
            password: A password visitors must enter before a call.
            customization: Its visual and conversation settings (a JSON object, as the PAL
                Maker writes it).
            limits: Its call limits: a ``DeploymentLimits`` or a mapping.
            allowed_origins: The sites that may embed it.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The new deployment.

        Raises:
            ValueError: An unsafe ``pal_id`` or an empty ``channel``, before any request.
            TypeError: An argument of the wrong type (naming it), before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        json_body = body(
            {
                "pal_id": check_id("pal_id", pal_id),
                "channel": check_text("channel", channel),
                "name": optional(check_string, "name", name),
                "password": optional(check_string, "password", password),
                "customization": optional(_object, "customization", customization),
                "limits": optional(_limits, "limits", limits),
                "allowed_origins": optional(check_strings, "allowed_origins", allowed_origins),
            }
        )
        return await self._create(json_body, options)

    async def list(
        self,
        *,
        limit: int | None = None,
        page: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[Deployment]:
        """One page of deployments (``.data``, ``.total_count``).

        Args:
            limit: The page size (Tavus's default is 10).
            page: The page to fetch.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The page: its deployments in ``.data``, the count of all in ``.total_count``.

        Raises:
            ValueError: A bad ``limit`` or ``page``, before any request.
            TypeError: A ``limit`` or ``page`` that is not an int, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._list(query(paging(limit, page)), options)

    def iter(
        self, *, page_size: int = 50, **options: Unpack[RequestOptions]
    ) -> AsyncGenerator[Deployment, None]:
        """Every deployment of every page, each once, ``page_size`` (1-100) at a time.

        Args:
            page_size: How many each request fetches (1-100).
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the pages are GETs);
                they apply to every page.

        Yields:
            Each deployment.

        Raises:
            ValueError: At once, for a bad ``page_size``, or for ``limit`` or ``page`` in
                ``extra_query`` (``iter`` sets those itself).
            TypeError: At once, for a ``page_size`` that is not an int.
            APIError: While iterating, as any call.
            APIConnectionError: While iterating, as any call.
        """
        return self._iter(page_size=page_size, filters={}, options=options)

    async def get(self, deployment_id: str, **options: Unpack[RequestOptions]) -> Deployment:
        """The deployment. Tavus sends its ``ETag`` header (``with_raw_response.get``
        shows it) for ``update(..., if_match=)``.

        Args:
            deployment_id: The deployment's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The deployment.

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._get(deployment_id, verbose=False, options=options)

    async def update(
        self,
        deployment_id: str,
        operations: Sequence[PatchOperation | Mapping[str, Any]],
        *,
        if_match: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Deployment | None:
        """Change the deployment with a JSON Patch (RFC 6902): a list of operations, e.g.
        ``[{"op": "replace", "path": "/customization/theme", "value": "dark"}]``.

        Tavus's answer to a patch is not documented: ``get`` the deployment to see the
        result. A patch that does the same however often applied is retried like any PATCH;
        one that would do more if applied twice is not sent again once it may have reached
        Tavus.

        Args:
            deployment_id: The deployment's id.
            operations: The operations, each a mapping or a ``PatchOperation``.
            if_match: The ``ETag`` of an earlier ``get``, sent as ``If-Match``: Tavus then
                refuses the patch if the deployment changed since.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the body is the patch).

        Returns:
            The deployment when Tavus echoes it, else None (and after a 304).

        Raises:
            ValueError: An unsafe id or a malformed operation (naming ``operations[i]``),
                before any request.
            TypeError: An operation of the wrong type, or an ``if_match`` that is not a
                string, before any request.
            BadRequestError: A patch Tavus refuses (or NotFoundError for an unknown id).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        if if_match is not None:
            headers = dict(options.get("extra_headers") or {})
            headers["If-Match"] = check_text("if_match", if_match)
            options = {**options, "extra_headers": headers}
        return await self._patch(deployment_id, operations, options, answer=Deployment)

    async def delete(self, deployment_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete the deployment: its widget, embed or page stops working.

        Args:
            deployment_id: The deployment's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._delete(deployment_id, hard=False, options=options)

    async def init(self, deployment_id: str, **options: Unpack[RequestOptions]) -> DeploymentInit:
        """The deployment's public configuration (``GET .../init``): its channel,
        customization, limits, captcha, and whether it is available now.

        A public call (Tavus needs no key).

        Args:
            deployment_id: The deployment's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The deployment's public configuration.

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        path = self._item_path(deployment_id) + "/init"
        result: DeploymentInit = await self._structured(
            "GET", path, DeploymentInit, options=check_options(options)
        )
        return result

    async def start_conversation(
        self,
        deployment_id: str,
        *,
        password: str | None = None,
        conversational_context: str | None = None,
        custom_greeting: str | None = None,
        pal_id: str | None = None,
        memory_stores: Sequence[str] | None = None,
        captcha_token: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> DeploymentConversation:
        """Start a conversation on the deployment (``POST .../start``), as its web
        element does, and return it (join at ``conversation_url``).

        A public call (Tavus needs no key). It starts a billed conversation, so it is never
        sent again once it may have reached Tavus. Only what is given is sent.

        Args:
            deployment_id: The deployment's id.
            password: The deployment's password, where it has one.
            conversational_context: Context for this conversation.
            custom_greeting: What the replica says first, in this conversation.
            pal_id: Another PAL, for a preview.
            memory_stores: The callers' own store names, for memories that last across
                conversations.
            captcha_token: The captcha's token, where the deployment asks for a captcha.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The conversation started (join it at ``conversation_url``).

        Raises:
            ValueError: An unsafe id, before any request.
            TypeError: An argument of the wrong type (naming it), before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        path = self._item_path(deployment_id) + "/start"
        json_body = body(
            {
                "password": optional(check_string, "password", password),
                "conversational_context": optional(
                    check_string, "conversational_context", conversational_context
                ),
                "custom_greeting": optional(check_string, "custom_greeting", custom_greeting),
                "pal_id": optional(check_id, "pal_id", pal_id),
                "memory_stores": optional(check_strings, "memory_stores", memory_stores),
                "captcha_token": optional(check_string, "captcha_token", captcha_token),
            }
        )
        result: DeploymentConversation = await self._structured(
            "POST",
            path,
            DeploymentConversation,
            json_body=json_body,
            options=check_options(options),
        )
        return result

    async def end_conversation(
        self, deployment_id: str, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> None:
        """End a conversation the deployment started
        (``POST .../conversations/{conversation_id}/end``).

        A public call (Tavus needs no key). Ending an ended conversation does no harm, so
        the request is retried like a read.

        Args:
            deployment_id: The deployment's id.
            conversation_id: The conversation's id.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: What Tavus refuses (or NotFoundError for an unknown id).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        path = f"{self._item_path(deployment_id)}/conversations/"
        path += f"{check_id('conversation_id', conversation_id)}/end"
        await self._requester.request(
            "POST", path, expect_body=False, idempotent=True, options=check_options(options)
        )
