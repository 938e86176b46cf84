"""``tavus.voices``: list Tavus's stock voices, for faces and replicas trained from an image."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Literal

from .._core.arguments import check_string, check_text, optional
from .._core.options import RequestOptions, Unpack
from .._core.paging import Page
from ..types.voices import Voice
from ._base import Resource, paging, query
from ._spec import FamilySpec

__all__ = ["VOICES", "Voices"]

VOICES: FamilySpec[Voice] = FamilySpec(
    name="voices",
    noun="voice",
    path="/v2/voices",
    model=Voice,
    id_field="voice_name",
    generic_calls=("list",),  # Tavus lists voices, and nothing else
    columns=("voice_name", "replica_id", "audio_url"),
)


def _filters(search: object, sort: object, tag: object) -> dict[str, str]:
    return query(
        {
            "search": optional(check_string, "search", search),
            "sort": optional(check_text, "sort", sort),
            "tag": optional(check_string, "tag", tag),
        }
    )


class Voices(Resource[Voice]):
    """Tavus's stock voices: ``GET /v2/voices``.

    A voice's ``voice_name`` is what a replica trained from an image takes. The calls
    also take the per-call options (``extra_query``, ``extra_headers``, ``timeout``,
    ``max_retries``).
    """

    spec = VOICES

    async def list(
        self,
        *,
        limit: int | None = None,
        page: int | None = None,
        search: str | None = None,
        sort: Literal["asc", "desc"] | str | None = None,
        tag: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[Voice]:
        """One page of voices (``.data``, ``.total_count``).

        Args:
            limit: The page size, 1 to 100 (default 10).
            page: The page to fetch, counting from 1 (Tavus's default).
            search: Keep the voices whose name holds it (any case).
            sort: By name: ``asc`` (Tavus's default) or ``desc``.
            tag: Keep the voices of replicas with this tag.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The page: its voices in ``.data``, the count of all in ``.total_count``.

        Raises:
            ValueError: A bad argument, before any request.
            TypeError: An argument of the wrong type, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        filters = _filters(search, sort, tag)
        return await self._list({**query(paging(limit, page)), **filters}, options)

    def iter(
        self,
        *,
        page_size: int = 50,
        search: str | None = None,
        sort: Literal["asc", "desc"] | str | None = None,
        tag: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[Voice, None]:
        """Every voice of every page, each once, ``page_size`` (1-100) at a time.

        Args:
            page_size: How many each request fetches (1-100).
            search: As for ``list``.
            sort: As for ``list``.
            tag: As for ``list``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the pages are GETs);
                they apply to every page.

        Yields:
            Each voice.

        Raises:
            ValueError: At once, for a bad argument, or for ``limit`` or ``page`` in
                ``extra_query`` (``iter`` sets those itself).
            TypeError: At once, for an argument of the wrong type.
            APIError: While iterating, as any call.
            APIConnectionError: While iterating, as any call.
        """
        filters = _filters(search, sort, tag)
        return self._iter(page_size=page_size, filters=filters, options=options)
