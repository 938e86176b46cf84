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
        """Transcribe the audio or video at ``file_url``; Tavus tells ``callback_url`` (it
        requires one) when done. Returns the transcription as first answered (its id,
        status and callback url). Never sent again once it may have reached Tavus.

        Raises TypeError / ValueError before any request for a url that is not http(s)
        (naming it); APIError / APIConnectionError as any call.
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

        Raises ValueError / TypeError for a bad ``limit`` or ``page`` before any request.
        """
        return await self._list(query(paging(limit, page)), options)

    def iter(
        self, *, page_size: int = 50, **options: Unpack[RequestOptions]
    ) -> AsyncGenerator[Transcription, None]:
        """Every transcription of every page, each once, ``page_size`` (1-100) at a time.

        Raises ValueError / TypeError at once for a bad ``page_size``.
        """
        return self._iter(page_size=page_size, filters={}, options=options)

    async def get(self, transcription_id: str, **options: Unpack[RequestOptions]) -> Transcription:
        """The transcription, with its ``text`` once Tavus has made it.

        Raises ValueError for an unsafe id before any request, NotFoundError /
        BadRequestError for an unknown one.
        """
        return await self._get(transcription_id, verbose=False, options=options)

    async def delete(self, transcription_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete the transcription.

        Raises ValueError for an unsafe id before any request, NotFoundError /
        BadRequestError for an unknown one.
        """
        await self._delete(transcription_id, hard=False, options=options)
