"""``tavus.pal_tools``: attach the account's tools to a PAL, list them, detach one.

Each call names the PAL first: ``POST`` / ``GET /v2/pals/{pal_id}/tools`` and ``DELETE
/v2/pals/{pal_id}/tools/{tool_id}``. The attach body's field is not shown in Tavus's
reference; it is inferred as ``tool_ids``.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from .._core.arguments import check_id, check_ids
from .._core.options import RequestOptions, Unpack, check_options
from .._core.raw import RAW_RESPONSES
from ..types.pal_tools import PalTool
from ._base import Resource
from ._spec import FamilySpec

__all__ = ["PAL_TOOLS", "PalTools"]

PAL_TOOLS: FamilySpec[PalTool] = FamilySpec(
    name="pal_tools",
    noun="PAL tool",
    path="/v2/pals",
    model=PalTool,
    id_field="tool_id",
    generic_calls=(),  # every call names its PAL first: the family's own list and detach
    columns=("tool_id", "name", "trigger_type", "origin"),
)


class PalTools(Resource[PalTool]):
    """The tools attached to a PAL: ``/v2/pals/{pal_id}/tools``.

    Register tools with ``tavus.tools``; a PAL takes up to 50. Every call also takes the
    per-call options (``extra_body``, ``extra_query``, ``extra_headers``, ``timeout``,
    ``max_retries``).
    """

    spec = PAL_TOOLS

    def _tools_path(self, pal_id: object) -> str:
        return f"{self.spec.path}/{check_id('pal_id', pal_id)}/tools"

    async def attach(
        self, pal_id: str, *, tool_ids: Sequence[str], **options: Unpack[RequestOptions]
    ) -> None:
        """Attach the tools ``tool_ids`` to the PAL (those already attached stay so).

        Sent once: the request is not retried once it may have reached Tavus; ``list`` the
        PAL's tools to see the outcome.

        Args:
            pal_id: The PAL's id.
            tool_ids: The tools to attach: a non-empty list of ids.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Raises:
            ValueError: An unsafe ``pal_id`` or tool id (naming ``tool_ids[i]``), or an empty
                ``tool_ids``, before any request.
            TypeError: A ``tool_ids`` that is not a list of ids, before any request.
            BadRequestError: An unknown PAL or tool, or more than 50 tools (or
                NotFoundError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        path = self._tools_path(pal_id)
        json_body = {"tool_ids": check_ids("tool_ids", tool_ids)}
        await self._requester.request(
            "POST",
            path,
            json_body=json_body,
            expect_body=False,
            body_optional=True,
            options=check_options(options),
        )

    async def list(self, pal_id: str, **options: Unpack[RequestOptions]) -> tuple[PalTool, ...]:
        """The tools attached to the PAL (Tavus answers them all at once, unpaged).

        Args:
            pal_id: The PAL's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The attached tools.

        Raises:
            ValueError: An unsafe ``pal_id``, before any request.
            NotFoundError: An unknown PAL (or BadRequestError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        page = await self._structured(
            "GET", self._tools_path(pal_id), self._page_type, options=check_options(options)
        )
        tools = tuple(page.data)
        raw = RAW_RESPONSES.get()
        if raw:  # with_raw_response: parse() gives what the call returns
            raw[-1] = attrs.evolve(raw[-1], parsed=tools)
        return tools

    async def detach(self, pal_id: str, tool_id: str, **options: Unpack[RequestOptions]) -> None:
        """Detach the tool from the PAL (the tool itself stays in the account).

        Args:
            pal_id: The PAL's id.
            tool_id: The tool's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Raises:
            ValueError: An unsafe ``pal_id`` or ``tool_id``, before any request.
            BadRequestError: The tool is not attached to the PAL.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        path = f"{self._tools_path(pal_id)}/{check_id('tool_id', tool_id)}"
        await self._requester.request(
            "DELETE", path, expect_body=False, options=check_options(options)
        )
