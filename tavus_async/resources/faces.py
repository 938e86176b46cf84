"""``tavus.faces``: create, list, get, rename, delete and wait for faces.

Faces are Tavus's current name for replicas (``/v2/faces``, ``face_id``, ``face_name``);
``tavus.replicas`` calls the legacy alias of the same objects.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from typing import Literal

from .._core.arguments import (
    check_bool,
    check_exclusive,
    check_string,
    check_text,
    check_url,
    optional,
)
from .._core.options import RequestOptions, Unpack
from .._core.paging import Page
from .._exceptions import FaceTrainingError
from ..types.faces import Face
from ..waiting.engine import Subscriber, WaitOutcome
from ..waiting.jobs import JobKind, JobState
from ..waiting.policy import PollPolicy
from ._base import JobResource, body, paging, query
from ._spec import FamilySpec

__all__ = ["FACES", "FACE_FALLBACK_POLICY", "FACE_POLICY", "Faces"]

#: Faces train for 3-4 hours: first poll 30-60 s after the start, backing off to every
#: 4.5-5 minutes; give up after 8 hours.
FACE_POLICY = PollPolicy(
    initial=60.0, maximum=300.0, multiplier=1.5, jitter=30.0, timeout=8 * 3600.0
)
#: With callbacks, polling is only the fallback for a callback that never comes: a face is
#: looked at again after 30 minutes, then up to hourly.
FACE_FALLBACK_POLICY = PollPolicy(
    initial=1800.0, maximum=3600.0, multiplier=2.0, jitter=120.0, timeout=8 * 3600.0
)

FACES: FamilySpec[Face] = FamilySpec(
    name="faces",
    noun="face",
    path="/v2/faces",
    model=Face,
    id_field="face_id",
    name_field="face_name",
    verbose=True,
    hard_delete=True,
    job=JobKind(
        name="face",
        id_field="face_id",
        progress_field="training_progress",
        states={
            "started": JobState.PENDING,
            "completed": JobState.DONE,
            "error": JobState.FAILED,
        },
        failure=FaceTrainingError,
        reason_fields=("error_message",),
        default_policy=FACE_POLICY,
        fallback_policy=FACE_FALLBACK_POLICY,
    ),
    callback_key="face_id",
    columns=("face_id", "face_name", "status", "progress", "face_type", "created_at"),
)


def _filters(*, verbose: object, face_type: object, model_name: object) -> dict[str, object]:
    # A type or model Tavus adds later is passed as it is.
    return {
        "verbose": True if check_bool("verbose", verbose) else None,
        "face_type": optional(check_text, "face_type", face_type),
        "model_name": optional(check_text, "model_name", model_name),
    }


class Faces(JobResource[Face]):
    """The faces of the account: ``POST/GET/PATCH/DELETE /v2/faces``.

    Every call also takes the per-call options (``extra_body``, ``extra_query``,
    ``extra_headers``, ``timeout``, ``max_retries``); waits apply them to every poll.
    """

    spec = FACES

    async def create(
        self,
        *,
        train_video_url: str | None = None,
        train_image_url: str | None = None,
        voice_name: str | None = None,
        auto_fix_training_image: bool | None = None,
        face_name: str | None = None,
        callback_url: str | None = None,
        model_name: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Face:
        """Start training a face and return it at once (status ``started``).

        Give ``train_video_url`` (a public download link, valid for at least 24 hours), or
        ``train_image_url`` (a photo) with ``voice_name`` (a stock voice, which Tavus
        requires with a photo); ``auto_fix_training_image`` lets Tavus mend the photo.
        Training takes hours: follow it with ``wait``, or use ``create_and_wait``. Only what
        is given is sent; a field the Face pages do not document goes in ``extra_body``.

        The request is never retried once it may have reached Tavus (a second create is
        a second bill).

        Args:
            train_video_url: The training video: a public download link, valid for at least
                24 hours.
            train_image_url: A photo to train from, instead of a video (with ``voice_name``).
            voice_name: A stock voice (``tavus.voices``): needed with a photo.
            auto_fix_training_image: Let Tavus mend the photo.
            face_name: The face's name.
            callback_url: Where Tavus posts the face's status when training ends.
            model_name: The model to train (left out: Tavus's default, ``phoenix-4``).
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The new face, ``started``: ``wait`` for it.

        Raises:
            ValueError: Before any request, for a malformed url, a training video and photo
                given together, or a photo without ``voice_name``.
            TypeError: Before any request, for an argument of the wrong type.
            APIError: Tavus refused the face.
            APIConnectionError: No answer came (its message says whether the face may exist).
        """
        check_exclusive(
            {"train_video_url": train_video_url, "train_image_url": train_image_url},
            "Tavus trains one face from a training video or from a photo",
        )
        if train_image_url is not None and voice_name is None:
            raise ValueError("a face trained from train_image_url needs voice_name (a voice)")
        json_body = body(
            {
                "train_video_url": optional(check_url, "train_video_url", train_video_url),
                "train_image_url": optional(check_url, "train_image_url", train_image_url),
                "voice_name": optional(check_string, "voice_name", voice_name),
                "auto_fix_training_image": optional(
                    check_bool, "auto_fix_training_image", auto_fix_training_image
                ),
                "face_name": optional(check_string, "face_name", face_name),
                "callback_url": optional(check_url, "callback_url", callback_url),
                "model_name": optional(check_string, "model_name", model_name),
            }
        )
        return await self._create(json_body, options)

    async def create_and_wait(
        self,
        *,
        train_video_url: str | None = None,
        train_image_url: str | None = None,
        voice_name: str | None = None,
        auto_fix_training_image: bool | None = None,
        face_name: str | None = None,
        callback_url: str | None = None,
        model_name: str | None = None,
        policy: PollPolicy | None = None,
        on_update: Callable[[Face], Awaitable[None] | None] | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> Face:
        """``create`` with these arguments, then ``wait`` for the face: the trained face.

        With ``callbacks`` and no ``callback_url``, the receiver's url is sent. The create
        is sent once: if its answer is lost, its error says the face may exist, and
        nothing is created again. The wait's arguments are checked before anything is
        created.

        Args:
            train_video_url: As for ``create``.
            train_image_url: As for ``create``.
            voice_name: As for ``create``.
            auto_fix_training_image: As for ``create``.
            face_name: As for ``create``.
            callback_url: As for ``create``; left out with ``callbacks``, the receiver's url.
            model_name: As for ``create``.
            policy: As for ``wait``.
            on_update: As for ``wait``.
            callbacks: As for ``wait``.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``); ``extra_body`` goes with
                the create alone, the others with the create and every poll.

        Returns:
            The trained face.

        Raises:
            ValueError: What ``create`` and ``wait`` raise it for, before anything is created.
            TypeError: What ``create`` and ``wait`` raise it for, before anything is created.
            FaceTrainingError: The training ended ``error``.
            WaitTimeoutError: The wait's deadline passed.
            APIError: What ``create`` and ``wait`` raise it for.
            APIConnectionError: The create got no answer (nothing is created again).
        """
        create = functools.partial(
            self.create,
            train_video_url=train_video_url,
            train_image_url=train_image_url,
            voice_name=voice_name,
            auto_fix_training_image=auto_fix_training_image,
            face_name=face_name,
            model_name=model_name,
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
        verbose: bool = False,
        face_type: Literal["user", "system"] | str | None = None,
        model_name: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[Face]:
        """One page of faces (``.data``, ``.total_count``).

        Args:
            limit: The page size (Tavus's default is 10).
            page: The page to fetch.
            verbose: Ask for each face's ``face_type`` too.
            face_type: Keep ``user`` or ``system`` (stock) faces.
            model_name: Keep the faces of one model (``phoenix-4``).
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The page: its faces in ``.data``, the count of all in ``.total_count``.

        Raises:
            ValueError: A bad argument, before any request.
            TypeError: An argument of the wrong type, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        filters = _filters(verbose=verbose, face_type=face_type, model_name=model_name)
        return await self._list(query({**paging(limit, page), **filters}), options)

    def iter(
        self,
        *,
        page_size: int = 50,
        verbose: bool = False,
        face_type: Literal["user", "system"] | str | None = None,
        model_name: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[Face, None]:
        """Every face of every page, each once, fetching ``page_size`` (1-100) at a time.

        Args:
            page_size: How many each request fetches (1-100).
            verbose: As for ``list``.
            face_type: As for ``list``.
            model_name: As for ``list``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the pages are GETs);
                they apply to every page.

        Yields:
            Each face.

        Raises:
            ValueError: At once, for a bad ``page_size`` or filter, or for ``limit`` or
                ``page`` in ``extra_query`` (``iter`` sets those itself).
            TypeError: At once, for an argument of the wrong type.
            APIError: While iterating, as any call.
            APIConnectionError: While iterating, as any call.
        """
        filters = _filters(verbose=verbose, face_type=face_type, model_name=model_name)
        return self._iter(page_size=page_size, filters=query(filters), options=options)

    async def get(
        self, face_id: str, *, verbose: bool = False, **options: Unpack[RequestOptions]
    ) -> Face:
        """The face as Tavus sees it now; ``verbose=True`` adds ``face_type``.

        Args:
            face_id: The face's id.
            verbose: Ask for its ``face_type`` too.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The face.

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._get(face_id, verbose=check_bool("verbose", verbose), options=options)

    async def rename(self, face_id: str, name: str, **options: Unpack[RequestOptions]) -> None:
        """Give the face a new ``face_name``.

        Args:
            face_id: The face's id.
            name: Its new name.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._rename(face_id, name, options)

    async def delete(
        self, face_id: str, *, hard: bool = False, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete the face. ``hard=True`` also deletes its training footage, irrevocably.

        Args:
            face_id: The face's id.
            hard: Also delete its training footage, irrevocably.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._delete(face_id, hard=check_bool("hard", hard), options=options)

    async def wait(
        self,
        face_id: str,
        *,
        policy: PollPolicy | None = None,
        on_update: Callable[[Face], Awaitable[None] | None] | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> Face:
        """Poll the face until it is ``completed``, and return it.

        ``on_update`` is called with each observed change of status or progress, the first
        state seen included. With ``callbacks``, a callback ends the wait's current pause at
        once and one GET confirms it; the default policy then polls only as a fallback
        (``FACE_FALLBACK_POLICY``). The deadline stays ``policy.timeout``. Connection
        trouble, 429, 5xx and malformed bodies do not end the wait before its deadline.

        Args:
            face_id: The face's id.
            policy: The pauses and the deadline (default: ``self.default_policy``).
            on_update: Called with each observed change, the first state seen included; a
                function or a coroutine function.
            callbacks: A CallbackReceiver whose url the face was created with.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the polls are GETs);
                they apply to every poll.

        Returns:
            The trained face.

        Raises:
            FaceTrainingError: The training ended ``error`` (``.job`` is the face, the
                message carries Tavus's ``error_message``).
            WaitTimeoutError: The deadline passed (``.last``, ``.elapsed``).
            APIError: Tavus answered 400, 401, 403 or 404.
            ValueError: An unsafe id, or ``extra_body`` in the options, before any request.
            TypeError: A ``policy`` that is not a PollPolicy, or an ``on_update`` that is not
                callable, before any request.
        """
        return await self._wait(
            face_id, policy=policy, on_update=on_update, callbacks=callbacks, options=options
        )

    def watch(
        self,
        face_id: str,
        *,
        policy: PollPolicy | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[Face, None]:
        """Each observed change of the face (status or progress), ending after the last.

        The same state is never yielded twice in a row. A failed face is yielded, not
        raised: read its ``status``.

        Args:
            face_id: The face's id.
            policy: The pauses and the deadline (default: ``self.default_policy``).
            callbacks: A CallbackReceiver whose url the face was created with.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the polls are GETs);
                they apply to every poll.

        Yields:
            The face, each time its status or progress changed.

        Raises:
            WaitTimeoutError: The deadline passed (``.last``, ``.elapsed``).
            APIError: Tavus answered 400, 401, 403 or 404.
            ValueError: An unsafe id, or ``extra_body`` in the options, at once.
            TypeError: A ``policy`` that is not a PollPolicy, at once.
        """
        return self._watch(face_id, policy=policy, callbacks=callbacks, options=options)

    def wait_many(
        self,
        ids: Iterable[str],
        *,
        policy: PollPolicy | None = None,
        concurrency: int = 16,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[WaitOutcome[Face], None]:
        """Wait for many faces: one WaitOutcome per id, in the order they end.

        An outcome's ``ok`` is True for a trained face; otherwise ``error`` says why (a
        failed training, the deadline, an unknown id) and ``result`` is the failed face when
        one was seen. Leaving the loop early cancels the waits still running.

        Args:
            ids: The faces' ids.
            policy: The pauses and the deadline (default: ``self.default_policy``).
            concurrency: At most this many waits run at once.
            callbacks: A CallbackReceiver whose url the faces was created with.
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
