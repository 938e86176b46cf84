"""``tavus.tools``: the account's tools: create, list, get, update, delete.

Tavus's reference pages for Update and Delete Tool show no path; they are inferred as
``PATCH`` / ``DELETE /v2/tools/{tool_id}``, the update a plain partial body (only the
fields sent change), as the reference describes it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Mapping
from typing import Any, Literal

import attrs

from .._core.arguments import check_settings, check_string, check_text, optional
from .._core.convert import structure
from .._core.options import RequestOptions, Unpack, check_options
from .._core.paging import Page
from .._core.raw import RAW_RESPONSES
from ..types.tools import Tool, ToolDelivery
from ._base import Resource, body, paging, query
from ._spec import FamilySpec

__all__ = ["TOOLS", "Tools"]

TOOLS: FamilySpec[Tool] = FamilySpec(
    name="tools",
    noun="tool",
    path="/v2/tools",
    model=Tool,
    id_field="tool_id",
    columns=("tool_id", "name", "trigger_type", "origin", "created_at"),
)

TriggerType = Literal["in_call", "post_call"]
Origin = Literal["llm", "vision", "audio"]
OnCall = Literal["generate_filler", "static_filler", "silent", "passthrough"]
OnResolve = Literal["generate_response", "response_in_result", "add_to_context", "fire_and_forget"]


def _check_schema(name: str, value: object) -> dict[str, Any]:
    """A JSON object, sent as given (a JSON Schema may hold nulls of its own)."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping (a JSON Schema), not {type(value).__name__}")
    if not all(isinstance(key, str) for key in value):
        raise TypeError(f"{name} keys must be strings")
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must hold only JSON values (no NaN): {exc}") from None
    return dict(value)


def _fields(
    *,
    name: object,
    description: object,
    parameters: object,
    delivery: object,
    trigger_type: object,
    origin: object,
    on_call: object,
    on_resolve: object,
    static_filler: object,
) -> dict[str, Any]:
    """The tool's fields that were given, checked, as JSON."""
    return body(
        {
            "name": optional(check_text, "name", name),
            "description": optional(check_string, "description", description),
            "parameters": optional(_check_schema, "parameters", parameters),
            "delivery": None
            if delivery is None
            else check_settings("delivery", delivery, ToolDelivery),
            "trigger_type": optional(check_text, "trigger_type", trigger_type),
            "origin": optional(check_text, "origin", origin),
            "on_call": optional(check_text, "on_call", on_call),
            "on_resolve": optional(check_text, "on_resolve", on_resolve),
            "static_filler": optional(check_string, "static_filler", static_filler),
        }
    )


def _filters(sort: object, type: object) -> dict[str, str]:
    return query(
        {"sort": optional(check_text, "sort", sort), "type": optional(check_text, "type", type)}
    )


class Tools(Resource[Tool]):
    """The account's tools: ``/v2/tools``. Attach them to PALs with ``tavus.pal_tools``.

    Every call also takes the per-call options (``extra_body``, ``extra_query``,
    ``extra_headers``, ``timeout``, ``max_retries``).
    """

    spec = TOOLS

    async def create(
        self,
        *,
        name: str,
        description: str | None = None,
        parameters: Mapping[str, Any] | None = None,
        delivery: ToolDelivery | Mapping[str, Any] | None = None,
        trigger_type: TriggerType | str | None = None,
        origin: Origin | str | None = None,
        on_call: OnCall | str | None = None,
        on_resolve: OnResolve | str | None = None,
        static_filler: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Tool:
        """Register a tool and return it as Tavus answers (secrets as ``********``).

        Tavus judges the words (``trigger_type``, ``origin``, ``on_call``, ``on_resolve``)
        and which go together; unknown ones are sent. Only the fields given are sent, and
        the request is never retried once it may have reached Tavus.

        Args:
            name: What the LLM calls (letters, digits, ``_``; unique in the account).
            description: What the tool does, for the LLM.
            parameters: A JSON Schema of its arguments (sent as given).
            delivery: A ``ToolDelivery`` or its JSON: ``{"app_message": true}`` (Tavus's
                default) or ``{"api": {"url": ..., "method": ..., "headers": ...,
                "auth": ...}}``.
            trigger_type: ``in_call`` or ``post_call``.
            origin: Who calls it: ``llm`` (Tavus's default), ``vision`` or ``audio``.
            on_call: What the replica does meanwhile: ``generate_filler``,
                ``static_filler``, ``silent`` or ``passthrough``.
            on_resolve: What it does with the result: ``generate_response``,
                ``response_in_result``, ``add_to_context`` or ``fire_and_forget``.
            static_filler: The text said with ``on_call="static_filler"``.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The new tool, its secrets as ``********``.

        Raises:
            TypeError: A ``name`` that is not text, or a ``parameters`` or ``delivery`` that
                is not a JSON object (naming it), before any request.
            ValueError: An empty ``name`` or another value that cannot be sent (naming it),
                before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        json_body = _fields(
            name=check_text("name", name),
            description=description,
            parameters=parameters,
            delivery=delivery,
            trigger_type=trigger_type,
            origin=origin,
            on_call=on_call,
            on_resolve=on_resolve,
            static_filler=static_filler,
        )
        return await self._create(json_body, options)

    async def list(
        self,
        *,
        limit: int | None = None,
        page: int | None = None,
        sort: Literal["asc", "desc"] | str | None = None,
        type: Literal["user", "system", "all"] | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[Tool]:
        """One page of tools (``.data``, ``.total_count``).

        Args:
            limit: The page size (Tavus's default is 10).
            page: The page to fetch, counting from 1 (Tavus's default).
            sort: By creation: ``asc`` (Tavus's default) or ``desc``.
            type: ``user`` (the account's, Tavus's default), ``system`` or ``all``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The page: its tools in ``.data``, the count of all in ``.total_count``.

        Raises:
            ValueError: A bad argument, before any request.
            TypeError: An argument of the wrong type, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._list({**query(paging(limit, page)), **_filters(sort, type)}, options)

    def iter(
        self,
        *,
        page_size: int = 50,
        sort: Literal["asc", "desc"] | str | None = None,
        type: Literal["user", "system", "all"] | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[Tool, None]:
        """Every tool of every page, each once, ``page_size`` (1-100) at a time.

        Args:
            page_size: How many each request fetches (1-100).
            sort: As for ``list``.
            type: As for ``list``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the pages are GETs);
                they apply to every page.

        Yields:
            Each tool.

        Raises:
            ValueError: At once, for a bad argument, or for ``limit`` or ``page`` in
                ``extra_query`` (``iter`` sets those itself).
            TypeError: At once, for an argument of the wrong type.
            APIError: While iterating, as any call.
            APIConnectionError: While iterating, as any call.
        """
        return self._iter(page_size=page_size, filters=_filters(sort, type), options=options)

    async def get(self, tool_id: str, **options: Unpack[RequestOptions]) -> Tool:
        """The tool (a system tool by its name, like ``end_call``).

        Args:
            tool_id: The tool's id, or a system tool's name.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The tool.

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: An unknown tool (Tavus answers 400; or NotFoundError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._get(tool_id, verbose=False, options=options)

    async def update(
        self,
        tool_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        parameters: Mapping[str, Any] | None = None,
        delivery: ToolDelivery | Mapping[str, Any] | None = None,
        trigger_type: TriggerType | str | None = None,
        origin: Origin | str | None = None,
        on_call: OnCall | str | None = None,
        on_resolve: OnResolve | str | None = None,
        static_filler: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Tool | None:
        """Change the fields given (a partial ``PATCH``); the others stay as they are.

        Secrets come back as ``********``: leave them out to keep them (Tavus refuses
        ``********`` sent back). System tools cannot be changed. Sending the same fields
        twice changes nothing more, so the request is retried like a GET.

        Args:
            tool_id: The tool's id.
            name: As for ``create``.
            description: As for ``create``.
            parameters: As for ``create``.
            delivery: As for ``create``; it replaces the tool's
                (``ToolDelivery(app_message=True)`` goes back to Tavus's default).
            trigger_type: As for ``create``.
            origin: As for ``create``.
            on_call: As for ``create``.
            on_resolve: As for ``create``.
            static_filler: As for ``create``.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The tool when Tavus answers with it, else None (``get`` it).

        Raises:
            ValueError: An unsafe id, before any request.
            TypeError: A field of the wrong kind, before any request.
            BadRequestError: What Tavus refuses.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        path = self._item_path(tool_id)
        json_body = _fields(
            name=name,
            description=description,
            parameters=parameters,
            delivery=delivery,
            trigger_type=trigger_type,
            origin=origin,
            on_call=on_call,
            on_resolve=on_resolve,
            static_filler=static_filler,
        )
        payload = await self._requester.request(
            "PATCH",
            path,
            json_body=json_body,
            body_optional=True,
            idempotent=True,
            options=check_options(options),
        )
        tool: Tool | None = None
        if isinstance(payload, Mapping) and self.spec.id_field in payload:
            tool = structure(payload, Tool, method="PATCH", url=path)
        raw = RAW_RESPONSES.get()
        if raw:  # with_raw_response: parse() gives what the call returns
            raw[-1] = attrs.evolve(raw[-1], parsed=tool)
        return tool

    async def delete(self, tool_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete the tool; Tavus detaches it from every PAL. System tools cannot be.

        Args:
            tool_id: The tool's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: An unknown tool (or NotFoundError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._delete(tool_id, hard=False, options=options)
