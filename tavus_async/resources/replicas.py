"""``tavus.replicas``: create, list, get, rename, delete and wait for replicas."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, Literal

from .._core.arguments import (
    check_bool,
    check_choice,
    check_ids,
    check_settings,
    check_text,
    check_url,
    optional,
)
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

_REPLICA_TYPES = ("user", "system")


def _check_replica_type(name: str, value: object) -> str:
    return check_choice(name, value, _REPLICA_TYPES)


def _filters(*, verbose: object, replica_type: object, replica_ids: object) -> dict[str, object]:
    return {
        "verbose": True if check_bool("verbose", verbose) else None,
        "replica_type": optional(_check_replica_type, "replica_type", replica_type),
        "replica_ids": None
        if replica_ids is None
        else ",".join(check_ids("replica_ids", replica_ids)),
    }


class Replicas(JobResource[Replica]):
    """The replicas of the account: ``POST/GET/PATCH/DELETE /v2/replicas``."""

    spec = REPLICAS

    async def create(
        self,
        *,
        train_video_url: str | None = None,
        consent_video_url: str | None = None,
        replica_name: str | None = None,
        callback_url: str | None = None,
        model_name: str | None = None,
        properties: ReplicaProperties | Mapping[str, Any] | None = None,
        train_image_url: str | None = None,
        voice_name: str | None = None,
    ) -> Replica:
        """Start training a replica and return it at once (status ``started``).

        Give ``train_video_url`` (a public download link, valid for at least 24 hours),
        or ``train_image_url`` with ``voice_name`` for an image-trained replica. Training
        takes hours: follow it with ``wait``.

        The request is never retried once it may have reached Tavus (a second create is
        a second bill). Raises ValueError/TypeError for bad arguments before any request,
        APIError for Tavus's refusals, APIConnectionError when no answer came.
        """
        if (train_video_url is None) == (train_image_url is None):
            raise ValueError(
                "give exactly one of train_video_url (a training video) or "
                "train_image_url (an image-trained replica)"
            )
        if voice_name is not None and train_image_url is None:
            raise ValueError("voice_name goes with train_image_url, not train_video_url")
        json_body = body(
            {
                "train_video_url": optional(check_url, "train_video_url", train_video_url),
                "train_image_url": optional(check_url, "train_image_url", train_image_url),
                "voice_name": optional(check_text, "voice_name", voice_name),
                "consent_video_url": optional(check_url, "consent_video_url", consent_video_url),
                "replica_name": optional(check_text, "replica_name", replica_name),
                "callback_url": optional(check_url, "callback_url", callback_url),
                "model_name": optional(check_text, "model_name", model_name),
                "properties": optional(_check_properties, "properties", properties),
            }
        )
        return await self._create(json_body)

    async def list(
        self,
        *,
        limit: int | None = None,
        page: int | None = None,
        verbose: bool = False,
        replica_type: Literal["user", "system"] | None = None,
        replica_ids: Sequence[str] | None = None,
    ) -> Page[Replica]:
        """One page of replicas (``.data``, ``.total_count``).

        ``limit`` is the page size (1 to 100; Tavus's default is 10). ``replica_type``
        keeps ``user`` or ``system`` (stock) replicas; ``replica_ids`` keeps those ids.
        Raises ValueError / TypeError for a bad argument before any request.
        """
        filters = _filters(verbose=verbose, replica_type=replica_type, replica_ids=replica_ids)
        return await self._list(query({**paging(limit, page), **filters}))

    def iter(
        self,
        *,
        page_size: int = 50,
        verbose: bool = False,
        replica_type: Literal["user", "system"] | None = None,
        replica_ids: Sequence[str] | None = None,
    ) -> AsyncGenerator[Replica, None]:
        """Every replica of every page, each once, fetching ``page_size`` at a time.

        Raises ValueError at once for a ``page_size`` outside 1-100 or a bad filter; while
        iterating, APIError / APIConnectionError as any call.
        """
        filters = _filters(verbose=verbose, replica_type=replica_type, replica_ids=replica_ids)
        return self._iter(page_size=page_size, filters=query(filters))

    async def get(self, replica_id: str, *, verbose: bool = False) -> Replica:
        """The replica as Tavus sees it now; ``verbose=True`` adds ``replica_type``.

        Raises ValueError for an unsafe id before any request, NotFoundError for an
        unknown one, and APIError / APIConnectionError as any call.
        """
        return await self._get(replica_id, verbose=check_bool("verbose", verbose))

    async def rename(self, replica_id: str, name: str) -> None:
        """Give the replica a new ``replica_name``.

        Raises ValueError for an unsafe id or an empty name before any request,
        NotFoundError for an unknown id.
        """
        await self._rename(replica_id, name)

    async def delete(self, replica_id: str, *, hard: bool = False) -> None:
        """Delete the replica. ``hard=True`` also deletes its training footage, irrevocably.

        Raises ValueError for an unsafe id before any request, NotFoundError for an
        unknown one.
        """
        await self._delete(replica_id, hard=check_bool("hard", hard))

    async def wait(
        self,
        replica_id: str,
        *,
        policy: PollPolicy | None = None,
        on_update: Callable[[Replica], Awaitable[None] | None] | None = None,
        callbacks: Subscriber | None = None,
    ) -> Replica:
        """Poll the replica until it is ``completed`` (or ``ready``), and return it.

        ``policy`` sets the pauses and the deadline (default: ``self.default_policy``).
        ``on_update`` is called with each observed change of status or progress, the
        first state seen included; it may be a function or a coroutine function. With
        ``callbacks`` (a CallbackReceiver whose url the job was created with), a callback
        ends the wait's current pause at once and one GET confirms it; the default
        policy then polls only as a fallback (``waiters.REPLICA_FALLBACK_POLICY``).

        Raises ReplicaTrainingError (``.job`` is the replica, the message carries Tavus's
        ``error_message``) when it ends ``error``; WaitTimeoutError (``.last``,
        ``.elapsed``) at the deadline; APIError for 400/401/403/404. Connection trouble,
        429, 5xx and malformed bodies do not end the wait before its deadline.
        """
        return await self._wait(replica_id, policy=policy, on_update=on_update, callbacks=callbacks)

    def watch(
        self,
        replica_id: str,
        *,
        policy: PollPolicy | None = None,
        callbacks: Subscriber | None = None,
    ) -> AsyncGenerator[Replica, None]:
        """Each observed change of the replica (status or progress), ending after the last.

        The same state is never yielded twice in a row. A failed replica is yielded, not
        raised: read its ``status``. Raises WaitTimeoutError at the deadline and
        APIError for 400/401/403/404.
        """
        return self._watch(replica_id, policy=policy, callbacks=callbacks)

    def wait_many(
        self,
        ids: Iterable[str],
        *,
        policy: PollPolicy | None = None,
        concurrency: int = 16,
        callbacks: Subscriber | None = None,
    ) -> AsyncGenerator[WaitOutcome[Replica], None]:
        """Wait for many replicas: one WaitOutcome per id, in the order they end.

        At most ``concurrency`` waits run at once. An outcome's ``ok`` is True for a
        finished replica; otherwise ``error`` says why (a failed job, the deadline, an
        unknown id) and ``result`` is the failed replica when one was seen. Leaving the
        loop early cancels the waits still running.
        """
        return self._wait_many(ids, policy=policy, concurrency=concurrency, callbacks=callbacks)


def _check_properties(name: str, value: object) -> dict[str, Any]:
    return check_settings(name, value, ReplicaProperties)
