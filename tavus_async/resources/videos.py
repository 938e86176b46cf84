"""``tavus.videos``: generate, list, get, rename, delete, wait for and download videos."""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from .._core.arguments import (
    check_bool,
    check_id,
    check_settings,
    check_string,
    check_text,
    check_url,
    optional,
)
from .._core.download import FileSink, destination
from .._core.options import RequestOptions, Unpack, check_options, refuse_extra_body
from .._core.paging import Page
from .._exceptions import VideoGenerationError, VideoNotReadyError
from ..types.videos import Video, VideoProperties, VideoStatus
from ..waiting.engine import Subscriber, WaitOutcome
from ..waiting.jobs import JobKind, JobState
from ..waiting.policy import PollPolicy
from ._base import JobResource, body, paging, query
from ._spec import FamilySpec

__all__ = ["VIDEOS", "VIDEO_FALLBACK_POLICY", "VIDEO_POLICY", "Videos"]

#: Videos render in minutes: first poll 3-5 s after the start, backing off to about once a
#: minute (58-60 s); give up after 2 hours.
VIDEO_POLICY = PollPolicy(initial=5.0, maximum=60.0, multiplier=1.5, jitter=2.0, timeout=7200.0)
#: With callbacks, polling is only the fallback for a callback that never comes: a video
#: is looked at again after 5 minutes, then up to every 15.
VIDEO_FALLBACK_POLICY = PollPolicy(
    initial=300.0, maximum=900.0, multiplier=2.0, jitter=30.0, timeout=7200.0
)

VIDEOS: FamilySpec[Video] = FamilySpec(
    name="videos",
    noun="video",
    path="/v2/videos",
    model=Video,
    id_field="video_id",
    name_field="video_name",
    verbose=True,
    hard_delete=True,
    # A deleted video will never be ready.
    job=JobKind(
        name="video",
        id_field="video_id",
        progress_field="generation_progress",
        states={
            "queued": JobState.PENDING,
            "generating": JobState.PENDING,
            "ready": JobState.DONE,
            "error": JobState.FAILED,
            "deleted": JobState.FAILED,
        },
        failure=VideoGenerationError,
        reason_fields=("status_details", "error_details"),
        default_policy=VIDEO_POLICY,
        fallback_policy=VIDEO_FALLBACK_POLICY,
    ),
    callback_key="video_id",
    columns=("video_id", "video_name", "status", "progress", "replica_id", "created_at"),
)


def _check_properties(name: str, value: object) -> dict[str, Any]:
    return check_settings(name, value, VideoProperties)


class Videos(JobResource[Video]):
    """The videos of the account: ``POST/GET/PATCH/DELETE /v2/videos``.

    Every call also takes the per-call options (``extra_body``, ``extra_query``,
    ``extra_headers``, ``timeout``, ``max_retries``); waits apply them to every poll.
    """

    spec = VIDEOS
    _SEVERAL_REQUESTS = JobResource._SEVERAL_REQUESTS | {"download"}

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
        **options: Unpack[RequestOptions],
    ) -> Video:
        """Start rendering a video of ``replica_id`` and return it at once (``queued``).

        Give ``script`` (the text to speak) or ``audio_url`` (a .wav or .mp3 link).
        ``background_url`` records a website as the background, ``background_source_url``
        uses a video file. ``fast=True`` renders a barebones video sooner;
        ``transparent_background=True`` (a .webm) needs ``fast=True``. Only what is given
        is sent.

        The request is never retried once it may have reached Tavus (a second create is
        a second bill). Raises ValueError/TypeError before any request for what would
        render a video other than the one asked for (a script and an audio track
        together, two backgrounds, a background with ``fast``, a transparent background
        without ``fast``, an empty script) or a malformed url; APIError for Tavus's
        refusals; APIConnectionError when no answer came (its message says whether the
        video may exist).
        """
        if script is not None and audio_url is not None:
            raise ValueError(
                "give script (text to speak) or audio_url, not both: a video speaks one of them"
            )
        if background_url is not None and background_source_url is not None:
            raise ValueError(
                "give background_url (a website) or background_source_url (a video file), "
                "not both: a video has one background"
            )
        fast_render = optional(check_bool, "fast", fast)
        transparent = optional(check_bool, "transparent_background", transparent_background)
        if transparent and not fast_render:
            raise ValueError(
                "transparent_background=True needs fast=True: Tavus renders it only with fast"
            )
        if fast_render and (background_url is not None or background_source_url is not None):
            raise ValueError(
                "fast=True renders no background: drop background_url / "
                "background_source_url, or fast"
            )
        json_body = body(
            {
                "replica_id": check_text("replica_id", replica_id),
                "script": optional(check_text, "script", script),
                "audio_url": optional(check_url, "audio_url", audio_url),
                "video_name": optional(check_string, "video_name", video_name),
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
        return await self._create(json_body, options)

    async def create_and_wait(
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
        policy: PollPolicy | None = None,
        on_update: Callable[[Video], Awaitable[None] | None] | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> Video:
        """``create`` with these arguments, then ``wait`` for the video: the ready video.

        With ``callbacks`` and no ``callback_url``, the receiver's url is sent. The create
        is sent once: if its answer is lost, its error says the video may exist, and
        nothing is created again. Raises what ``create`` and ``wait`` raise; the wait's
        arguments are checked before anything is created.
        """
        create = functools.partial(
            self.create,
            replica_id=replica_id,
            script=script,
            audio_url=audio_url,
            video_name=video_name,
            background_url=background_url,
            background_source_url=background_source_url,
            fast=fast,
            transparent_background=transparent_background,
            watermark_image_url=watermark_image_url,
            properties=properties,
            **options,
        )
        return await self._create_and_wait(
            create,
            callback_url=callback_url,
            policy=policy,
            on_update=on_update,
            callbacks=callbacks,
            options=options,
        )

    async def list(
        self,
        *,
        limit: int | None = None,
        page: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[Video]:
        """One page of videos (``.data``, ``.total_count``).

        ``limit`` is the page size (Tavus's default is 10). Raises ValueError / TypeError
        for a bad ``limit`` or ``page`` before any request.
        """
        return await self._list(query(paging(limit, page)), options)

    def iter(
        self, *, page_size: int = 50, **options: Unpack[RequestOptions]
    ) -> AsyncGenerator[Video, None]:
        """Every video of every page, each once, fetching ``page_size`` (1-100) at a time.

        Raises ValueError at once for a bad ``page_size``, or for ``limit`` or ``page`` in
        ``extra_query`` (``iter`` sets those itself); while iterating, APIError /
        APIConnectionError as any call. The options apply to every page.
        """
        return self._iter(page_size=page_size, filters={}, options=options)

    async def get(
        self, video_id: str, *, verbose: bool = False, **options: Unpack[RequestOptions]
    ) -> Video:
        """The video as Tavus sees it now; ``verbose=True`` adds thumbnail urls.

        Raises ValueError for an unsafe id before any request, NotFoundError for an
        unknown one, and APIError / APIConnectionError as any call.
        """
        return await self._get(video_id, verbose=check_bool("verbose", verbose), options=options)

    async def rename(self, video_id: str, name: str, **options: Unpack[RequestOptions]) -> None:
        """Give the video a new ``video_name``.

        Raises ValueError for an unsafe id before any request, NotFoundError for an
        unknown id.
        """
        await self._rename(video_id, name, options)

    async def delete(
        self, video_id: str, *, hard: bool = False, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete the video. ``hard=True`` also deletes its assets, irrevocably.

        Raises ValueError for an unsafe id before any request, NotFoundError for an
        unknown one.
        """
        await self._delete(video_id, hard=check_bool("hard", hard), options=options)

    async def wait(
        self,
        video_id: str,
        *,
        policy: PollPolicy | None = None,
        on_update: Callable[[Video], Awaitable[None] | None] | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> Video:
        """Poll the video until it is ``ready``, and return it.

        ``policy`` sets the pauses and the deadline (default: ``self.default_policy``).
        ``on_update`` is called with each observed change of status or progress, the
        first state seen included; it may be a function or a coroutine function. With
        ``callbacks`` (a CallbackReceiver whose url the job was created with), a callback
        ends the wait's current pause at once and one GET confirms it; the default
        policy then polls only as a fallback (``waiters.VIDEO_FALLBACK_POLICY``). The
        options apply to every poll; the deadline stays ``policy.timeout``.

        Raises VideoGenerationError (``.job`` is the video, the message carries Tavus's
        ``status_details``) when it ends ``error`` or ``deleted``; WaitTimeoutError (``.last``,
        ``.elapsed``) at the deadline; APIError for 400/401/403/404. Connection trouble,
        429, 5xx and malformed bodies do not end the wait before its deadline.
        """
        return await self._wait(
            video_id, policy=policy, on_update=on_update, callbacks=callbacks, options=options
        )

    def watch(
        self,
        video_id: str,
        *,
        policy: PollPolicy | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[Video, None]:
        """Each observed change of the video (status or progress), ending after the last.

        The same state is never yielded twice in a row. A failed video is yielded, not
        raised: read its ``status``. Raises WaitTimeoutError at the deadline and
        APIError for 400/401/403/404.
        """
        return self._watch(video_id, policy=policy, callbacks=callbacks, options=options)

    def wait_many(
        self,
        ids: Iterable[str],
        *,
        policy: PollPolicy | None = None,
        concurrency: int = 16,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[WaitOutcome[Video], None]:
        """Wait for many videos: one WaitOutcome per id, in the order they end.

        At most ``concurrency`` waits run at once. An outcome's ``ok`` is True for a
        finished video; otherwise ``error`` says why (a failed job, the deadline, an
        unknown id) and ``result`` is the failed video when one was seen. Leaving the
        loop early cancels the waits still running.
        """
        return self._wait_many(
            ids, policy=policy, concurrency=concurrency, callbacks=callbacks, options=options
        )

    async def download(
        self,
        video_or_id: Video | str,
        dest: str | os.PathLike[str],
        *,
        on_progress: Callable[[int, int | None], Awaitable[None] | None] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Path:
        """Stream a ready video's ``download_url`` to ``dest`` and return the file's path.

        ``dest`` is a file path (parent folders are created) or a folder (one that exists,
        or a path ending in ``/``), in which case the file is named after the video. The
        bytes arrive in a temporary file beside it, renamed into place only when complete;
        disk writes run off the event loop. ``on_progress(done_bytes, total_bytes_or_None)``
        is called as bytes arrive; it may be a function or a coroutine function, and its
        count never goes backwards. A retried attempt asks for the rest of the file
        (``Range``) and appends it when the host answers 206; a host that answers 200
        sends the whole file again, which replaces the bytes written. The API key is not
        sent to the download host. The options apply to the look-up; of them,
        only ``timeout`` and ``max_retries`` to the file's host.

        A video object that is not ready is looked up again first. Raises
        VideoNotReadyError, writing nothing, when the video has no file yet (wait for
        it first); APIError / APIConnectionError when the download fails.
        """
        if not isinstance(dest, (str, os.PathLike)):
            raise TypeError(f"dest must be a path, not {type(dest).__name__}")
        if on_progress is not None and not callable(on_progress):
            raise TypeError(f"on_progress must be callable, not {type(on_progress).__name__}")
        checked = check_options(options)
        refuse_extra_body(checked, "download")
        if isinstance(video_or_id, Video):
            video = video_or_id
            if not _downloadable(video):
                video = await self.get(video.video_id, **options)
        elif isinstance(video_or_id, str):
            video = await self.get(check_id("video_or_id", video_or_id), **options)
        else:
            raise TypeError(
                f"video_or_id must be a Video or a video_id, not {type(video_or_id).__name__}"
            )
        if not _downloadable(video) or video.download_url is None:
            raise VideoNotReadyError(
                f"video {video.video_id} has no file to download yet (status {video.status}): "
                "wait for it first (videos.wait)",
                video=video,
            )
        url = check_url("download_url", video.download_url)
        path = await asyncio.to_thread(destination, dest, stem=video.video_id, download_url=url)
        sink = FileSink(path, on_progress)
        try:
            return await self._requester.download(
                url, sink, options=checked, resume=sink.resume_headers
            )
        finally:
            sink.discard()  # the temporary file of a download given up (none once renamed)


def _downloadable(video: Video) -> bool:
    return video.status == VideoStatus.READY and bool(video.download_url)
