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
        ``model_name`` left out is Tavus's default (``phoenix-4``). Training takes hours:
        follow it with ``wait``, or use ``create_and_wait``. Only what is given is sent;
        a field the Face pages do not document goes in ``extra_body``.

        The request is never retried once it may have reached Tavus (a second create is
        a second bill). Raises ValueError/TypeError before any request for a malformed
        url, a training video and photo given together, or a photo without
        ``voice_name``; APIError for Tavus's refusals; APIConnectionError when no answer
        came (its message says whether the face may exist).
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
        nothing is created again. Raises what ``create`` and ``wait`` raise; the wait's
        arguments are checked before anything is created.
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

        ``limit`` is the page size (Tavus's default is 10). ``face_type`` keeps ``user``
        or ``system`` (stock) faces, ``model_name`` those of one model (``phoenix-4``);
        ``verbose=True`` adds each face's ``face_type``. Raises ValueError / TypeError
        for a bad argument before any request.
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

        Raises ValueError at once for a bad ``page_size`` or filter; while iterating,
        APIError / APIConnectionError as any call. The options apply to every page.
        """
        filters = _filters(verbose=verbose, face_type=face_type, model_name=model_name)
        return self._iter(page_size=page_size, filters=query(filters), options=options)

    async def get(
        self, face_id: str, *, verbose: bool = False, **options: Unpack[RequestOptions]
    ) -> Face:
        """The face as Tavus sees it now; ``verbose=True`` adds ``face_type``.

        Raises ValueError for an unsafe id before any request, NotFoundError for an
        unknown one, and APIError / APIConnectionError as any call.
        """
        return await self._get(face_id, verbose=check_bool("verbose", verbose), options=options)

    async def rename(self, face_id: str, name: str, **options: Unpack[RequestOptions]) -> None:
        """Give the face a new ``face_name``.

        Raises ValueError for an unsafe id before any request, NotFoundError for an
        unknown id.
        """
        await self._rename(face_id, name, options)

    async def delete(
        self, face_id: str, *, hard: bool = False, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete the face. ``hard=True`` also deletes its training footage, irrevocably.

        Raises ValueError for an unsafe id before any request, NotFoundError for an
        unknown one.
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

        ``policy`` sets the pauses and the deadline (default: ``self.default_policy``).
        ``on_update`` is called with each observed change of status or progress, the
        first state seen included; it may be a function or a coroutine function. With
        ``callbacks`` (a CallbackReceiver whose url the face was created with), a callback
        ends the wait's current pause at once and one GET confirms it; the default policy
        then polls only as a fallback (``FACE_FALLBACK_POLICY``). The options apply to
        every poll; the deadline stays ``policy.timeout``.

        Raises FaceTrainingError (``.job`` is the face, the message carries Tavus's
        ``error_message``) when it ends ``error``; WaitTimeoutError (``.last``,
        ``.elapsed``) at the deadline; APIError for 400/401/403/404. Connection trouble,
        429, 5xx and malformed bodies do not end the wait before its deadline.
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
        raised: read its ``status``. Raises WaitTimeoutError at the deadline and
        APIError for 400/401/403/404.
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

        At most ``concurrency`` waits run at once. An outcome's ``ok`` is True for a
        trained face; otherwise ``error`` says why (a failed training, the deadline, an
        unknown id) and ``result`` is the failed face when one was seen. Leaving the
        loop early cancels the waits still running.
        """
        return self._wait_many(
            ids, policy=policy, concurrency=concurrency, callbacks=callbacks, options=options
        )
