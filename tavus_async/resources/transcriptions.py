"""``tavus.transcriptions``: transcribe a file (create, list, get, delete).

In Tavus's openapi.yaml, not in its reference's pages: the status words and the callback
body are undocumented, so this family has no waits and parses no callbacks; ``get``
shows the ``status`` and ``text`` as Tavus sends them.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from .._core.arguments import check_url
from .._core.options import RequestOptions, Unpack
from .._core.paging import Page
from ..types.transcriptions import Transcription
from ._base import Resource, body, paging, query
from ._spec import FamilySpec

__all__ = ["TRANSCRIPTIONS", "Transcriptions"]

TRANSCRIPTIONS: FamilySpec[Transcription] = FamilySpec(
    name="transcriptions",
    noun="transcription",
    path="/v2/transcriptions",
    model=Transcription,
    id_field="transcription_id",
    columns=("transcription_id", "status", "file_url", "created_at"),
)


class Transcriptions(Resource[Transcription]):
    """The account's transcriptions: ``/v2/transcriptions``.

    Every call also takes the per-call options (``extra_body``, ``extra_query``,
    ``extra_headers``, ``timeout``, ``max_retries``).
    """

    spec = TRANSCRIPTIONS

    async def create(
        self, *, file_url: str, callback_url: str, **options: Unpack[RequestOptions]
    ) -> Transcription:
        """Transcribe the audio or video at ``file_url``; Tavus tells ``callback_url`` when
        done.

        Never sent again once it may have reached Tavus.

        Args:
            file_url: The audio or video to transcribe.
            callback_url: Where Tavus posts the transcription when done (it requires one).
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The transcription as first answered (its id, status and callback url).

        Raises:
            ValueError: A url that is not http(s) (naming it), before any request.
            TypeError: A url that is not a string (naming it), before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        json_body = body(
            {
                "file_url": check_url("file_url", file_url),
                "callback_url": check_url("callback_url", callback_url),
            }
        )
        return await self._create(json_body, options)

    async def list(
        self,
        *,
        limit: int | None = None,
        page: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[Transcription]:
        """One page of transcriptions (``.data``, ``.total_count``).

        Args:
            limit: The page size (Tavus's default is 10).
            page: The page to fetch.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The page: its transcriptions in ``.data``, the count of all in ``.total_count``.

        Raises:
            ValueError: A bad ``limit`` or ``page``, before any request.
            TypeError: A ``limit`` or ``page`` that is not an int, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._list(query(paging(limit, page)), options)

    def iter(
        self, *, page_size: int = 50, **options: Unpack[RequestOptions]
    ) -> AsyncGenerator[Transcription, None]:
        """Every transcription of every page, each once, ``page_size`` (1-100) at a time.

        Args:
            page_size: How many each request fetches (1-100).
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the pages are GETs);
                they apply to every page.

        Yields:
            Each transcription.

        Raises:
            ValueError: At once, for a bad ``page_size``, or for ``limit`` or ``page`` in
                ``extra_query`` (``iter`` sets those itself).
            TypeError: At once, for a ``page_size`` that is not an int.
            APIError: While iterating, as any call.
            APIConnectionError: While iterating, as any call.
        """
        return self._iter(page_size=page_size, filters={}, options=options)

    async def get(self, transcription_id: str, **options: Unpack[RequestOptions]) -> Transcription:
        """The transcription, with its ``text`` once Tavus has made it.

        Args:
            transcription_id: The transcription's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The transcription.

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id (or BadRequestError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._get(transcription_id, verbose=False, options=options)

    async def delete(self, transcription_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete the transcription.

        Args:
            transcription_id: The transcription's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id (or BadRequestError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._delete(transcription_id, hard=False, options=options)
