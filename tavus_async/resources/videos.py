"""``tavus.videos``: generate, list, get, rename and delete videos."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from .._arguments import check_bool, check_id, check_settings, check_text, check_url, optional
from .._models import Video, VideoProperties
from .._pagination import Page
from ._base import Resource, body, paging, query

__all__ = ["Videos"]


def _check_properties(name: str, value: object) -> dict[str, Any]:
    return check_settings(name, value, VideoProperties)


class Videos(Resource[Video]):
    """The videos of the account: ``POST/GET/PATCH/DELETE /v2/videos``."""

    _path = "/v2/videos"
    _model = Video
    _id_field = "video_id"
    _name_field = "video_name"

    async def create(
        self,
        *,
        replica_id: str,
        script: str | None = None,
        audio_url: str | None = None,
        video_name: str | None = None,
        callback_url: str | None = None,
        background_url: str | None = None,
        background_source_url: str | None = None,
        fast: bool | None = None,
        transparent_background: bool | None = None,
        watermark_image_url: str | None = None,
        properties: VideoProperties | Mapping[str, Any] | None = None,
    ) -> Video:
        """Start rendering a video of ``replica_id`` and return it at once (``queued``).

        Give exactly one of ``script`` (the text to speak) or ``audio_url`` (a .wav or
        .mp3 link). ``background_url`` records a website as the background,
        ``background_source_url`` uses a video file. ``fast=True`` renders a barebones
        video sooner; ``transparent_background=True`` (a .webm) needs ``fast=True``.

        The request is never retried once it may have reached Tavus (a second create is
        a second bill). Raises ValueError/TypeError for bad arguments before any request,
        APIError for Tavus's refusals, APIConnectionError when no answer came.
        """
        if (script is None) == (audio_url is None):
            raise ValueError("give exactly one of script (text to speak) or audio_url")
        if background_url is not None and background_source_url is not None:
            raise ValueError(
                "give at most one of background_url (a website) or "
                "background_source_url (a video file)"
            )
        fast_render = optional(check_bool, "fast", fast)
        transparent = optional(check_bool, "transparent_background", transparent_background)
        if transparent and not fast_render:
            raise ValueError("transparent_background=True needs fast=True")
        json_body = body(
            {
                "replica_id": check_id("replica_id", replica_id),
                "script": optional(check_text, "script", script),
                "audio_url": optional(check_url, "audio_url", audio_url),
                "video_name": optional(check_text, "video_name", video_name),
                "callback_url": optional(check_url, "callback_url", callback_url),
                "background_url": optional(check_url, "background_url", background_url),
                "background_source_url": optional(
                    check_url, "background_source_url", background_source_url
                ),
                "fast": fast_render,
                "transparent_background": transparent,
                "watermark_image_url": optional(
                    check_url, "watermark_image_url", watermark_image_url
                ),
                "properties": optional(_check_properties, "properties", properties),
            }
        )
        return await self._create(json_body)

    async def list(self, *, limit: int | None = None, page: int | None = None) -> Page[Video]:
        """One page of videos (``.data``, ``.total_count``).

        ``limit`` is the page size (1 to 100; Tavus's default is 10). Raises ValueError /
        TypeError for a bad ``limit`` or ``page`` before any request.
        """
        return await self._list(query(paging(limit, page)))

    def iter(self, *, page_size: int = 50) -> AsyncIterator[Video]:
        """Every video of every page, each once, fetching ``page_size`` at a time.

        Raises ValueError at once for a ``page_size`` outside 1-100 or a bad filter; while
        iterating, APIError / APIConnectionError as any call.
        """
        return self._iter(page_size=page_size, filters={})

    async def get(self, video_id: str, *, verbose: bool = False) -> Video:
        """The video as Tavus sees it now; ``verbose=True`` adds thumbnail urls.

        Raises ValueError for an unsafe id before any request, NotFoundError for an
        unknown one, and APIError / APIConnectionError as any call.
        """
        return await self._get(video_id, verbose=check_bool("verbose", verbose))

    async def rename(self, video_id: str, name: str) -> None:
        """Give the video a new ``video_name``.

        Raises ValueError for an unsafe id or an empty name before any request,
        NotFoundError for an unknown id.
        """
        await self._rename(video_id, name)

    async def delete(self, video_id: str, *, hard: bool = False) -> None:
        """Delete the video. ``hard=True`` also deletes its assets, irrevocably.

        Raises ValueError for an unsafe id before any request, NotFoundError for an
        unknown one.
        """
        await self._delete(video_id, hard=check_bool("hard", hard))
