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
        a second bill).

        Args:
            replica_id: The replica that speaks.
            script: The text to speak.
            audio_url: A .wav or .mp3 link to speak instead of a script.
            video_name: The video's name.
            callback_url: Where Tavus posts the video's status when it is ready or fails.
            background_url: A website, recorded as the background.
            background_source_url: A video file to use as the background.
            fast: Render a barebones video sooner (no background).
            transparent_background: Render a .webm with a transparent background (with ``fast``).
            watermark_image_url: An image to lay over the video.
            properties: Rendering settings: a ``VideoProperties`` or a mapping.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The new video, ``queued``: ``wait`` for it.

        Raises:
            ValueError: Before any request, for what would render a video other than the one
                asked for (a script and an audio track together, two backgrounds, a background
                with ``fast``, a transparent background without ``fast``, an empty script) or a
                malformed url.
            TypeError: Before any request, for an argument of the wrong type.
            APIError: Tavus refused the video.
            APIConnectionError: No answer came (its message says whether the video may exist).
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
        nothing is created again. The wait's arguments are checked before anything is
        created.

        Args:
            replica_id: As for ``create``.
            script: As for ``create``.
            audio_url: As for ``create``.
            video_name: As for ``create``.
            callback_url: As for ``create``; left out with ``callbacks``, the receiver's url.
            background_url: As for ``create``.
            background_source_url: As for ``create``.
            fast: As for ``create``.
            transparent_background: As for ``create``.
            watermark_image_url: As for ``create``.
            properties: As for ``create``.
            policy: As for ``wait``.
            on_update: As for ``wait``.
            callbacks: As for ``wait``.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``); ``extra_body`` goes with
                the create alone, the others with the create and every poll.

        Returns:
            The ready video.

        Raises:
            ValueError: What ``create`` and ``wait`` raise it for, before anything is created.
            TypeError: What ``create`` and ``wait`` raise it for, before anything is created.
            VideoGenerationError: The video ended ``error`` or ``deleted``.
            WaitTimeoutError: The wait's deadline passed.
            APIError: What ``create`` and ``wait`` raise it for.
            APIConnectionError: The create got no answer (nothing is created again).
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

        Args:
            limit: The page size (Tavus's default is 10).
            page: The page to fetch.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The page: its videos in ``.data``, the count of all in ``.total_count``.

        Raises:
            ValueError: A bad ``limit`` or ``page``, before any request.
            TypeError: A ``limit`` or ``page`` that is not an int, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._list(query(paging(limit, page)), options)

    def iter(
        self, *, page_size: int = 50, **options: Unpack[RequestOptions]
    ) -> AsyncGenerator[Video, None]:
        """Every video of every page, each once, fetching ``page_size`` (1-100) at a time.

        Args:
            page_size: How many each request fetches (1-100).
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the pages are GETs);
                they apply to every page.

        Yields:
            Each video.

        Raises:
            ValueError: At once, for a bad ``page_size``, or for ``limit`` or ``page`` in
                ``extra_query`` (``iter`` sets those itself).
            APIError: While iterating, as any call.
            APIConnectionError: While iterating, as any call.
        """
        return self._iter(page_size=page_size, filters={}, options=options)

    async def get(
        self, video_id: str, *, verbose: bool = False, **options: Unpack[RequestOptions]
    ) -> Video:
        """The video as Tavus sees it now; ``verbose=True`` adds thumbnail urls.

        Args:
            video_id: The video's id.
            verbose: Ask for the thumbnail urls too.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The video.

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._get(video_id, verbose=check_bool("verbose", verbose), options=options)

    async def rename(self, video_id: str, name: str, **options: Unpack[RequestOptions]) -> None:
        """Give the video a new ``video_name``.

        Args:
            video_id: The video's id.
            name: Its new name.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._rename(video_id, name, options)

    async def delete(
        self, video_id: str, *, hard: bool = False, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete the video. ``hard=True`` also deletes its assets, irrevocably.

        Args:
            video_id: The video's id.
            hard: Also delete its assets, irrevocably.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
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

        ``on_update`` is called with each observed change of status or progress, the first
        state seen included. With ``callbacks``, a callback ends the wait's current pause at
        once and one GET confirms it; the default policy then polls only as a fallback
        (``waiters.VIDEO_FALLBACK_POLICY``). The deadline stays ``policy.timeout``.
        Connection trouble, 429, 5xx and malformed bodies do not end the wait before its
        deadline.

        Args:
            video_id: The video's id.
            policy: The pauses and the deadline (default: ``self.default_policy``).
            on_update: Called with each observed change, the first state seen included; a
                function or a coroutine function.
            callbacks: A CallbackReceiver whose url the video was created with.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the polls are GETs);
                they apply to every poll.

        Returns:
            The ready video.

        Raises:
            VideoGenerationError: The video ended ``error`` or ``deleted`` (``.job`` is the
                video, the message carries Tavus's ``status_details``).
            WaitTimeoutError: The deadline passed (``.last``, ``.elapsed``).
            APIError: Tavus answered 400, 401, 403 or 404.
            ValueError: An unsafe id, or ``extra_body`` in the options, before any request.
            TypeError: A ``policy`` that is not a PollPolicy, or an ``on_update`` that is not
                callable, before any request.
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
        raised: read its ``status``.

        Args:
            video_id: The video's id.
            policy: The pauses and the deadline (default: ``self.default_policy``).
            callbacks: A CallbackReceiver whose url the video was created with.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the polls are GETs);
                they apply to every poll.

        Yields:
            The video, each time its status or progress changed.

        Raises:
            WaitTimeoutError: The deadline passed (``.last``, ``.elapsed``).
            APIError: Tavus answered 400, 401, 403 or 404.
            ValueError: An unsafe id, or ``extra_body`` in the options, at once.
            TypeError: A ``policy`` that is not a PollPolicy, at once.
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

        An outcome's ``ok`` is True for a finished video; otherwise ``error`` says why (a
        failed job, the deadline, an unknown id) and ``result`` is the failed video when one
        was seen. Leaving the loop early cancels the waits still running.

        Args:
            ids: The videos' ids.
            policy: The pauses and the deadline (default: ``self.default_policy``).
            concurrency: At most this many waits run at once.
            callbacks: A CallbackReceiver whose url the videos was created with.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the polls are GETs);
                they apply to every poll.

        Yields:
            One outcome per id, as its wait ends.

        Raises:
            TypeError: At once, for ``ids`` that are not a list of ids, a ``concurrency``
                that is not an int or a ``policy`` that is not a PollPolicy.
            ValueError: At once, for an unsafe id, a ``concurrency`` below 1 or ``extra_body``
                in the options.
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

        The bytes arrive in a temporary file beside it, renamed into place only when
        complete; disk writes run off the event loop. A retried attempt asks for the rest of
        the file (``Range``) and appends it when the host answers 206; a host that answers 200
        sends the whole file again, which replaces the bytes written. The API key is not sent
        to the download host. A video object that is not ready is looked up again first.

        Args:
            video_or_id: The video, or its id.
            dest: A file path (parent folders are created) or a folder (one that exists, or a
                path ending in ``/``), in which case the file is named after the video.
            on_progress: Called as ``on_progress(done_bytes, total_bytes_or_None)`` as bytes
                arrive; a function or a coroutine function. Its count never goes backwards.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``). They apply to the
                look-up; of them, only ``timeout`` and ``max_retries`` to the file's host.

        Returns:
            The path of the file written.

        Raises:
            VideoNotReadyError: The video has no file yet (wait for it first); nothing is
                written.
            TypeError: A ``dest`` that is not a path, a ``video_or_id`` that is neither a
                Video nor an id, or an ``on_progress`` that is not callable.
            ValueError: ``extra_body`` in the options.
            APIError: The look-up or the download failed.
            APIConnectionError: No answer came from the API or the file's host.
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
