"""``tavus.replicas``: create, list, get, rename, delete and wait for replicas."""

from __future__ import annotations

import functools
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, Literal

from .._core.arguments import (
    check_bool,
    check_exclusive,
    check_ids,
    check_settings,
    check_string,
    check_text,
    check_url,
    optional,
)
from .._core.options import RequestOptions, Unpack
from .._core.paging import Page
from .._exceptions import ReplicaTrainingError
from ..types.replicas import Replica, ReplicaProperties
from ..waiting.engine import Subscriber, WaitOutcome
from ..waiting.jobs import JobKind, JobState
from ..waiting.policy import PollPolicy
from ._base import JobResource, body, paging, query
from ._spec import FamilySpec

__all__ = ["REPLICAS", "REPLICA_FALLBACK_POLICY", "REPLICA_POLICY", "Replicas"]

#: Replicas train for 3-6 hours: first poll 30-60 s after the start, backing off to every
#: 4.5-5 minutes; give up after 8 hours.
REPLICA_POLICY = PollPolicy(
    initial=60.0, maximum=300.0, multiplier=1.5, jitter=30.0, timeout=8 * 3600.0
)
#: With callbacks, polling is only the fallback for a callback that never comes: a replica
#: is looked at again after 30 minutes, then up to hourly.
REPLICA_FALLBACK_POLICY = PollPolicy(
    initial=1800.0, maximum=3600.0, multiplier=2.0, jitter=120.0, timeout=8 * 3600.0
)

_PENDING, _DONE, _FAILED = JobState.PENDING, JobState.DONE, JobState.FAILED

REPLICAS: FamilySpec[Replica] = FamilySpec(
    name="replicas",
    noun="replica",
    path="/v2/replicas",
    model=Replica,
    id_field="replica_id",
    name_field="replica_name",
    verbose=True,
    hard_delete=True,
    # GET says ``completed`` where the callback says ``ready``.
    job=JobKind(
        name="replica",
        id_field="replica_id",
        progress_field="training_progress",
        states={
            "started": _PENDING,
            "training": _PENDING,
            "completed": _DONE,
            "ready": _DONE,
            "error": _FAILED,
        },
        failure=ReplicaTrainingError,
        reason_fields=("error_message",),
        default_policy=REPLICA_POLICY,
        fallback_policy=REPLICA_FALLBACK_POLICY,
    ),
    callback_key="replica_id",
    columns=("replica_id", "replica_name", "status", "progress", "replica_type", "created_at"),
)


def _filters(
    *, verbose: object, replica_type: object, replica_ids: object, model_name: object
) -> dict[str, object]:
    # Ids are joined with commas: each must be one id. A type or model Tavus adds later
    # is passed as it is.
    return {
        "verbose": True if check_bool("verbose", verbose) else None,
        "replica_type": optional(check_text, "replica_type", replica_type),
        "replica_ids": None
        if replica_ids is None
        else ",".join(check_ids("replica_ids", replica_ids)),
        "model_name": optional(check_text, "model_name", model_name),
    }


class Replicas(JobResource[Replica]):
    """The replicas of the account: ``POST/GET/PATCH/DELETE /v2/replicas``.

    Every call also takes the per-call options (``extra_body``, ``extra_query``,
    ``extra_headers``, ``timeout``, ``max_retries``); waits apply them to every poll.
    """

    spec = REPLICAS

    async def create(
        self,
        *,
        train_video_url: str | None = None,
        train_image_url: str | None = None,
        voice_name: str | None = None,
        auto_fix_training_image: bool | None = None,
        consent_video_url: str | None = None,
        replica_name: str | None = None,
        callback_url: str | None = None,
        model_name: str | None = None,
        properties: ReplicaProperties | Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Replica:
        """Start training a replica and return it at once (status ``started``).

        Give ``train_video_url`` (a public download link, valid for at least 24 hours), or
        ``train_image_url`` (a photo; Tavus then needs ``voice_name``, a stock voice, and
        ``auto_fix_training_image`` may let it mend the photo). ``voice_name`` goes with a
        video too, where Tavus checks it. Training takes hours: follow it with ``wait``, or
        use ``create_and_wait``. Only what is given is sent.

        The request is never retried once it may have reached Tavus (a second create is
        a second bill).

        Args:
            train_video_url: The training video: a public download link, valid for at least
                24 hours.
            train_image_url: A photo to train from, instead of a video (with ``voice_name``).
            voice_name: A stock voice (``tavus.voices``): needed with a photo.
            auto_fix_training_image: Let Tavus mend the photo.
            consent_video_url: A video of the person's consent statement, when the training
                video holds none.
            replica_name: The replica's name.
            callback_url: Where Tavus posts the replica's status when training ends.
            model_name: The model to train (left out: Tavus's default, ``phoenix-4``).
            properties: Training settings: a ``ReplicaProperties`` or a mapping.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The new replica, ``started``: ``wait`` for it.

        Raises:
            ValueError: Before any request, for a malformed url or a training video and image
                given together (which one would be trained?).
            TypeError: Before any request, for an argument of the wrong type.
            APIError: Tavus refused the replica.
            APIConnectionError: No answer came (its message says whether the replica may
                exist).
        """
        check_exclusive(
            {"train_video_url": train_video_url, "train_image_url": train_image_url},
            "Tavus trains one replica from a training video or from a photo",
        )
        json_body = body(
            {
                "train_video_url": optional(check_url, "train_video_url", train_video_url),
                "train_image_url": optional(check_url, "train_image_url", train_image_url),
                "voice_name": optional(check_string, "voice_name", voice_name),
                "auto_fix_training_image": optional(
                    check_bool, "auto_fix_training_image", auto_fix_training_image
                ),
                "consent_video_url": optional(check_url, "consent_video_url", consent_video_url),
                "replica_name": optional(check_string, "replica_name", replica_name),
                "callback_url": optional(check_url, "callback_url", callback_url),
                "model_name": optional(check_string, "model_name", model_name),
                "properties": optional(_check_properties, "properties", properties),
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
        consent_video_url: str | None = None,
        replica_name: str | None = None,
        callback_url: str | None = None,
        model_name: str | None = None,
        properties: ReplicaProperties | Mapping[str, Any] | None = None,
        policy: PollPolicy | None = None,
        on_update: Callable[[Replica], Awaitable[None] | None] | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> Replica:
        """``create`` with these arguments, then ``wait`` for the replica: the trained replica.

        With ``callbacks`` and no ``callback_url``, the receiver's url is sent. The create
        is sent once: if its answer is lost, its error says the replica may exist, and
        nothing is created again. The wait's arguments are checked before anything is
        created.

        Args:
            train_video_url: As for ``create``.
            train_image_url: As for ``create``.
            voice_name: As for ``create``.
            auto_fix_training_image: As for ``create``.
            consent_video_url: As for ``create``.
            replica_name: As for ``create``.
            callback_url: As for ``create``; left out with ``callbacks``, the receiver's url.
            model_name: As for ``create``.
            properties: As for ``create``.
            policy: As for ``wait``.
            on_update: As for ``wait``.
            callbacks: As for ``wait``.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``); ``extra_body`` goes with
                the create alone, the others with the create and every poll.

        Returns:
            The trained replica.

        Raises:
            ValueError: What ``create`` and ``wait`` raise it for, before anything is created.
            TypeError: What ``create`` and ``wait`` raise it for, before anything is created.
            ReplicaTrainingError: The training ended ``error``.
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
            consent_video_url=consent_video_url,
            replica_name=replica_name,
            model_name=model_name,
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
        verbose: bool = False,
        replica_type: Literal["user", "system"] | str | None = None,
        replica_ids: Sequence[str] | None = None,
        model_name: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[Replica]:
        """One page of replicas (``.data``, ``.total_count``).

        Args:
            limit: The page size (Tavus's default is 10).
            page: The page to fetch.
            verbose: Ask for each replica's ``replica_type`` too.
            replica_type: Keep ``user`` or ``system`` (stock) replicas.
            replica_ids: Keep these replicas.
            model_name: Keep the replicas of one model (``phoenix-4``).
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The page: its replicas in ``.data``, the count of all in ``.total_count``.

        Raises:
            ValueError: A bad argument, before any request.
            TypeError: An argument of the wrong type, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        filters = _filters(
            verbose=verbose,
            replica_type=replica_type,
            replica_ids=replica_ids,
            model_name=model_name,
        )
        return await self._list(query({**paging(limit, page), **filters}), options)

    def iter(
        self,
        *,
        page_size: int = 50,
        verbose: bool = False,
        replica_type: Literal["user", "system"] | str | None = None,
        replica_ids: Sequence[str] | None = None,
        model_name: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[Replica, None]:
        """Every replica of every page, each once, fetching ``page_size`` (1-100) at a time.

        Args:
            page_size: How many each request fetches (1-100).
            verbose: As for ``list``.
            replica_type: As for ``list``.
            replica_ids: As for ``list``.
            model_name: As for ``list``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the pages are GETs);
                they apply to every page.

        Yields:
            Each replica.

        Raises:
            ValueError: At once, for a bad ``page_size`` or filter, or for ``limit`` or
                ``page`` in ``extra_query`` (``iter`` sets those itself).
            TypeError: At once, for an argument of the wrong type.
            APIError: While iterating, as any call.
            APIConnectionError: While iterating, as any call.
        """
        filters = _filters(
            verbose=verbose,
            replica_type=replica_type,
            replica_ids=replica_ids,
            model_name=model_name,
        )
        return self._iter(page_size=page_size, filters=query(filters), options=options)

    async def get(
        self, replica_id: str, *, verbose: bool = False, **options: Unpack[RequestOptions]
    ) -> Replica:
        """The replica as Tavus sees it now; ``verbose=True`` adds ``replica_type``.

        Args:
            replica_id: The replica's id.
            verbose: Ask for its ``replica_type`` too.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The replica.

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._get(replica_id, verbose=check_bool("verbose", verbose), options=options)

    async def rename(self, replica_id: str, name: str, **options: Unpack[RequestOptions]) -> None:
        """Give the replica a new ``replica_name``.

        Args:
            replica_id: The replica's id.
            name: Its new name.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._rename(replica_id, name, options)

    async def delete(
        self, replica_id: str, *, hard: bool = False, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete the replica. ``hard=True`` also deletes its training footage, irrevocably.

        Args:
            replica_id: The replica's id.
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
        await self._delete(replica_id, hard=check_bool("hard", hard), options=options)

    async def wait(
        self,
        replica_id: str,
        *,
        policy: PollPolicy | None = None,
        on_update: Callable[[Replica], Awaitable[None] | None] | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> Replica:
        """Poll the replica until it is ``completed`` (or ``ready``), and return it.

        ``on_update`` is called with each observed change of status or progress, the first
        state seen included. With ``callbacks``, a callback ends the wait's current pause at
        once and one GET confirms it; the default policy then polls only as a fallback
        (``waiters.REPLICA_FALLBACK_POLICY``). The deadline stays ``policy.timeout``.
        Connection trouble, 429, 5xx and malformed bodies do not end the wait before its
        deadline.

        Args:
            replica_id: The replica's id.
            policy: The pauses and the deadline (default: ``self.default_policy``).
            on_update: Called with each observed change, the first state seen included; a
                function or a coroutine function.
            callbacks: A CallbackReceiver whose url the replica was created with.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the polls are GETs);
                they apply to every poll.

        Returns:
            The trained replica.

        Raises:
            ReplicaTrainingError: The training ended ``error`` (``.job`` is the replica, the
                message carries Tavus's ``error_message``).
            WaitTimeoutError: The deadline passed (``.last``, ``.elapsed``).
            APIError: Tavus answered 400, 401, 403 or 404.
            ValueError: An unsafe id, or ``extra_body`` in the options, before any request.
            TypeError: A ``policy`` that is not a PollPolicy, or an ``on_update`` that is not
                callable, before any request.
        """
        return await self._wait(
            replica_id, policy=policy, on_update=on_update, callbacks=callbacks, options=options
        )

    def watch(
        self,
        replica_id: str,
        *,
        policy: PollPolicy | None = None,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[Replica, None]:
        """Each observed change of the replica (status or progress), ending after the last.

        The same state is never yielded twice in a row. A failed replica is yielded, not
        raised: read its ``status``.

        Args:
            replica_id: The replica's id.
            policy: The pauses and the deadline (default: ``self.default_policy``).
            callbacks: A CallbackReceiver whose url the replica was created with.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the polls are GETs);
                they apply to every poll.

        Yields:
            The replica, each time its status or progress changed.

        Raises:
            WaitTimeoutError: The deadline passed (``.last``, ``.elapsed``).
            APIError: Tavus answered 400, 401, 403 or 404.
            ValueError: An unsafe id, or ``extra_body`` in the options, at once.
            TypeError: A ``policy`` that is not a PollPolicy, at once.
        """
        return self._watch(replica_id, policy=policy, callbacks=callbacks, options=options)

    def wait_many(
        self,
        ids: Iterable[str],
        *,
        policy: PollPolicy | None = None,
        concurrency: int = 16,
        callbacks: Subscriber | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[WaitOutcome[Replica], None]:
        """Wait for many replicas: one WaitOutcome per id, in the order they end.

        An outcome's ``ok`` is True for a finished replica; otherwise ``error`` says why (a
        failed job, the deadline, an unknown id) and ``result`` is the failed replica when
        one was seen. Leaving the loop early cancels the waits still running.

        Args:
            ids: The replicas' ids.
            policy: The pauses and the deadline (default: ``self.default_policy``).
            concurrency: At most this many waits run at once.
            callbacks: A CallbackReceiver whose url the replicas was created with.
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


def _check_properties(name: str, value: object) -> dict[str, Any]:
    return check_settings(name, value, ReplicaProperties)
