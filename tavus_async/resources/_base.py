"""What every family's calls do alike: paths, query strings, bodies, pages, and waits.

``Resource`` serves plain create/read/update/delete families; ``JobResource`` adds the
waits of a job family. Each family subclass names its ``FamilySpec`` and keeps its own
typed public signatures and docstrings over these shared methods.
"""

from __future__ import annotations

import random
from collections.abc import AsyncGenerator, Awaitable, Iterable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

from .._core.arguments import check_id, check_page, check_page_size, check_text
from .._core.paging import Page, iterate_pages
from .._core.request_path import Requester
from ..waiting import engine
from ..waiting.engine import Subscriber, WaitOutcome
from ..waiting.jobs import JobKind
from ..waiting.policy import PollPolicy
from ._spec import FamilySpec

__all__ = ["JobResource", "Resource", "body", "paging", "query"]

M = TypeVar("M")


def query(values: Mapping[str, object]) -> dict[str, str]:
    """A query string's parameters: unset ones left out, booleans as ``true``/``false``."""
    params: dict[str, str] = {}
    for key, value in values.items():
        if value is None:
            continue
        params[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return params


def body(values: Mapping[str, object]) -> dict[str, Any]:
    """A JSON body with unset fields left out (never sent as null)."""
    return {key: value for key, value in values.items() if value is not None}


def paging(limit: object, page: object) -> dict[str, object]:
    """The ``limit`` and ``page`` of a list call, checked; None when not given."""
    return {
        "limit": None if limit is None else check_page_size("limit", limit),
        "page": None if page is None else check_page("page", page),
    }


class Resource(Generic[M]):
    """One collection of the API (``spec.path``) and its model."""

    spec: ClassVar[FamilySpec[Any]]

    def __init__(self, requester: Requester) -> None:
        self._requester = requester
        generic_page: Any = Page
        self._page_type: Any = generic_page[self.spec.model]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec.path}>"

    def _item_path(self, obj_id: object) -> str:
        return f"{self.spec.path}/{check_id(self.spec.id_field, obj_id)}"

    def _structured(
        self,
        method: str,
        path: str,
        cls: type[Any],
        *,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
        retries: bool = True,
    ) -> Awaitable[Any]:
        """The request's answer as a ``cls``, made as the request path reads the body.

        The calls below hand this awaitable on rather than await it in a coroutine of their
        own: every layer of coroutines costs every call CPU time.
        """
        return self._requester.request(
            method, path, params=params, json_body=json_body, model=cls, retries=retries
        )

    def _create(self, json_body: Mapping[str, Any]) -> Awaitable[M]:
        return self._structured("POST", self.spec.path, self.spec.model, json_body=json_body)

    def _get(self, obj_id: object, *, verbose: bool) -> Awaitable[M]:
        path = self._item_path(obj_id)
        params = {"verbose": "true"} if verbose else None
        return self._structured("GET", path, self.spec.model, params=params)

    async def _rename(self, obj_id: object, name: object) -> None:
        name_field = self.spec.name_field
        if name_field is None:  # pragma: no cover - a family without /name has no rename
            raise NotImplementedError(f"{self.spec.name} cannot be renamed")
        path = self._item_path(obj_id) + "/name"
        new_name = check_text("name", name)
        await self._requester.request(
            "PATCH", path, json_body={name_field: new_name}, expect_body=False
        )

    async def _delete(self, obj_id: object, *, hard: bool) -> None:
        path = self._item_path(obj_id)
        params = query({"hard": True if hard else None})
        await self._requester.request("DELETE", path, params=params, expect_body=False)

    def _list(self, params: dict[str, str]) -> Awaitable[Page[M]]:
        return self._structured("GET", self.spec.path, self._page_type, params=params)

    def _iter(self, *, page_size: object, filters: dict[str, str]) -> AsyncGenerator[M, None]:
        size = check_page_size("page_size", page_size)

        async def fetch_page(page_number: int) -> Page[M]:
            return await self._list({**filters, "limit": str(size), "page": str(page_number)})

        return iterate_pages(fetch_page, page_size=size, item_id=self.spec.id_of)


class JobResource(Resource[M]):
    """A collection whose objects are long jobs: ``wait``, ``watch`` and ``wait_many``."""

    @property
    def _job(self) -> JobKind[M]:
        job: JobKind[M] | None = self.spec.job
        assert job is not None, f"{self.spec.name} declares no job kind"
        return job

    @property
    def default_policy(self) -> PollPolicy:
        """The PollPolicy that ``wait``, ``watch`` and ``wait_many`` use when given none."""
        return self._job.default_policy

    def _policy(self, policy: object, callbacks: object = None) -> PollPolicy:
        if policy is None:
            # With callbacks, polling is the fallback for a lost callback: it can be slow.
            return self._job.default_policy if callbacks is None else self._job.fallback_policy
        if not isinstance(policy, PollPolicy):
            raise TypeError(f"policy must be a PollPolicy, not {type(policy).__name__}")
        return policy

    def _fetch(self, obj_id: str) -> Awaitable[M]:
        """One poll of a wait: a single GET, no retries (the waiter has its own schedule)."""
        return self._structured("GET", self._item_path(obj_id), self.spec.model, retries=False)

    def _wait(
        self, obj_id: object, *, policy: object, on_update: object, callbacks: object = None
    ) -> Awaitable[M]:
        job_id = check_id(self.spec.id_field, obj_id)
        if on_update is not None and not callable(on_update):
            raise TypeError(f"on_update must be callable, not {type(on_update).__name__}")
        return engine.wait(
            self._fetch,
            job_id,
            kind=self._job,
            policy=self._policy(policy, callbacks),
            clock=self._requester.clock,
            sleep=self._requester.sleep,
            on_update=on_update,
            callbacks=_check_callbacks(callbacks),
        )

    def _watch(
        self, obj_id: object, *, policy: object, callbacks: object = None
    ) -> AsyncGenerator[M, None]:
        return engine.watch(
            self._fetch,
            check_id(self.spec.id_field, obj_id),
            kind=self._job,
            policy=self._policy(policy, callbacks),
            clock=self._requester.clock,
            sleep=self._requester.sleep,
            callbacks=_check_callbacks(callbacks),
        )

    def _wait_many(
        self, ids: object, *, policy: object, concurrency: object, callbacks: object = None
    ) -> AsyncGenerator[WaitOutcome[M], None]:
        id_field = self.spec.id_field
        if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
            raise TypeError(f"ids must be a list of {id_field}s, not {type(ids).__name__}")
        job_ids = [check_id(f"ids[{i}]", job_id) for i, job_id in enumerate(ids)]
        if isinstance(concurrency, bool) or not isinstance(concurrency, int):
            raise TypeError(f"concurrency must be an int, not {type(concurrency).__name__}")
        if concurrency < 1:
            raise ValueError(f"concurrency must be 1 or more, got {concurrency}")
        chosen = self._policy(policy, callbacks)
        receiver = _check_callbacks(callbacks)
        # Polling alone, thousands of waits must not all poll at the same instant. A fleet
        # settles into polling each job about once per ``maximum`` pause, so the first polls
        # are spread over that much (5 s at most) and the load is even from the start. With
        # callbacks the first poll only catches jobs that already ended: it comes at once.
        spread = min(chosen.maximum, 5.0) if len(job_ids) > 1 and receiver is None else 0.0
        sleep = self._requester.sleep

        async def wait_one(job_id: str) -> M:
            if spread:
                await sleep(random.uniform(0.0, spread))
            return await self._wait(job_id, policy=chosen, on_update=None, callbacks=receiver)

        return engine.wait_many(wait_one, job_ids, concurrency=concurrency)


def _check_callbacks(callbacks: object) -> Subscriber | None:
    if callbacks is None or callable(getattr(callbacks, "subscribe", None)):
        return callbacks  # type: ignore[return-value]
    raise TypeError(f"callbacks must be a CallbackReceiver, not {type(callbacks).__name__}")
