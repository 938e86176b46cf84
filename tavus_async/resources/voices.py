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

        ``page`` counts from 1 (Tavus's default); ``limit`` is 1 to 100 (default 10).
        ``search`` keeps the voices whose name holds it (any case), ``tag`` those of
        replicas with that tag; ``sort`` by name, ``asc`` (Tavus's default) or ``desc``.
        Raises ValueError / TypeError for a bad argument before any request.
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

        Raises ValueError / TypeError at once for a bad argument, or for ``limit`` or
        ``page`` in ``extra_query``; while iterating, APIError / APIConnectionError.
        """
        filters = _filters(search, sort, tag)
        return self._iter(page_size=page_size, filters=filters, options=options)
