"""What every family's calls do alike: paths, query strings, bodies, pages, and waits.

``Resource`` serves plain create/read/update/delete families; ``JobResource`` adds the
waits of a job family. Each family subclass names its ``FamilySpec`` and keeps its own
typed public signatures and docstrings over these shared methods. Every call's per-call
options (``RequestOptions``) are checked here once and handed to the request path, and
``with_raw_response`` serves every single-request call of every family.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Mapping
from typing import Any, ClassVar, Generic, TypeVar, overload

import attrs

from .._core.arguments import (
    check_id,
    check_limit,
    check_page,
    check_page_size,
    check_string,
    each_id,
)
from .._core.convert import structure
from .._core.json_patch import check_operations, replayable
from .._core.options import CallOptions, check_options, refuse_extra_body
from .._core.paging import Page, iterate_pages
from .._core.raw import RAW_RESPONSES, RawResponse
from .._core.request_path import JsonBody, Requester
from .._exceptions import ResponseValidationError
from ..waiting import engine, fleet
from ..waiting.engine import Subscriber, WaitOutcome
from ..waiting.jobs import JobKind
from ..waiting.policy import PollPolicy
from ._spec import FamilySpec

__all__ = ["JobResource", "Resource", "WithRawResponse", "body", "paging", "query"]

M = TypeVar("M")
T = TypeVar("T")
R = TypeVar("R", bound="Resource[Any]")


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
        "limit": None if limit is None else check_limit("limit", limit),
        "page": None if page is None else check_page("page", page),
    }


class Resource(Generic[M]):
    """One collection of the API (``spec.path``) and its model."""

    spec: ClassVar[FamilySpec[Any]]
    #: Public calls that make more than one request, or none: not for with_raw_response.
    _SEVERAL_REQUESTS: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, requester: Requester) -> None:
        self._requester = requester
        generic_page: Any = Page
        self._page_type: Any = generic_page[self.spec.model]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec.path}>"

    @property
    def with_raw_response(self: R) -> WithRawResponse[R]:
        """The same calls, each answering with its ``RawResponse`` (``.parse()``: the result).

        For every call that makes one request (create, list, get, rename, delete, ...);
        not for waits, ``iter`` or ``download``.
        """
        return WithRawResponse(self)

    def _item_path(self, obj_id: object) -> str:
        return f"{self.spec.path}/{check_id(self.spec.id_field, obj_id)}"

    def _structured(
        self,
        method: str,
        path: str,
        cls: type[Any],
        *,
        params: Mapping[str, str] | None = None,
        json_body: JsonBody | None = None,
        retries: bool = True,
        options: CallOptions | None = None,
    ) -> Awaitable[Any]:
        """The request's answer as a ``cls``, made as the request path reads the body.

        The calls below hand this awaitable on rather than await it in a coroutine of their
        own: every layer of coroutines costs every call CPU time.
        """
        return self._requester.request(
            method,
            path,
            params=params,
            json_body=json_body,
            model=cls,
            retries=retries,
            options=options,
        )

    def _create(self, json_body: Mapping[str, Any], options: Mapping[str, object]) -> Awaitable[M]:
        return self._structured(
            "POST",
            self.spec.path,
            self.spec.model,
            json_body=json_body,
            options=check_options(options),
        )

    def _get(self, obj_id: object, *, verbose: bool, options: Mapping[str, object]) -> Awaitable[M]:
        path = self._item_path(obj_id)
        params = {"verbose": "true"} if verbose else None
        return self._structured(
            "GET", path, self.spec.model, params=params, options=check_options(options)
        )

    async def _get_listed(self, obj_id: object, options: Mapping[str, object]) -> M:
        """GET one object that Tavus answers as a list of one, ``{"data": [object]}``.

        The object itself is returned (a bare object is taken too); a ``data`` that is not
        a list, or holds none of the family's objects, is ResponseValidationError.
        """
        obj_id = check_id(self.spec.id_field, obj_id)
        path = f"{self.spec.path}/{obj_id}"
        payload = await self._requester.request("GET", path, options=check_options(options))
        id_field = self.spec.id_field
        if isinstance(payload, Mapping) and "data" in payload and id_field not in payload:
            items = payload["data"]
            if not isinstance(items, list) or not items:
                got = "an empty list" if items == [] else f"a JSON {_json_kind(items)}"
                raise ResponseValidationError(
                    f"response holds no {self.spec.noun}: data is {got}",
                    body=payload,
                    method="GET",
                    url=path,
                )
            matching = (i for i in items if isinstance(i, Mapping) and i.get(id_field) == obj_id)
            payload = next(matching, items[0])
        item: M = structure(payload, self.spec.model, method="GET", url=path)
        raw = RAW_RESPONSES.get()
        if raw:  # with_raw_response: parse() gives the object, as the call does
            raw[-1] = attrs.evolve(raw[-1], parsed=item)
        return item

    async def _rename(self, obj_id: object, name: object, options: Mapping[str, object]) -> None:
        name_field = self.spec.name_field
        if name_field is None:  # pragma: no cover - a family without /name has no rename
            raise NotImplementedError(f"{self.spec.name} cannot be renamed")
        path = self._item_path(obj_id) + "/name"
        new_name = check_string("name", name)
        await self._requester.request(
            "PATCH",
            path,
            json_body={name_field: new_name},
            expect_body=False,
            options=check_options(options),
        )

    @overload
    async def _patch(
        self, obj_id: object, operations: object, options: Mapping[str, object]
    ) -> None: ...
    @overload
    async def _patch(
        self,
        obj_id: object,
        operations: object,
        options: Mapping[str, object],
        *,
        answer: type[T],
    ) -> T | None: ...
    async def _patch(
        self,
        obj_id: object,
        operations: object,
        options: Mapping[str, object],
        *,
        answer: type[T] | None = None,
    ) -> T | None:
        """PATCH a JSON Patch (RFC 6902) to the object.

        Tavus answers 200 without the object, or 304 when the patch changed nothing: both
        are success. An empty patch changes nothing and sends nothing. With ``answer``, a
        family whose PATCH echoes the changed object reads it as ``answer`` (a body holding
        the family's id); a 304, an empty body or one without the object (a message) is
        None. A patch that would do more when applied twice (it appends, removes, moves or
        copies, or tests next to a change) is not sent again once it may have reached
        Tavus.
        """
        path = self._item_path(obj_id)
        patch = check_operations("operations", operations)
        checked = check_options(options)
        if not patch:  # json_patch(x, x): nothing to change, nothing to send
            return None
        payload = await self._requester.request(
            "PATCH",
            path,
            json_body=patch,
            expect_body=answer is not None,
            body_optional=True,
            idempotent=replayable(patch),
            options=checked,
        )
        if answer is None:
            return None
        item: T | None = None
        if isinstance(payload, Mapping) and self.spec.id_field in payload:
            item = structure(payload, answer, method="PATCH", url=path)
        raw = RAW_RESPONSES.get()
        if raw:  # with_raw_response: parse() gives what the call returns
            raw[-1] = attrs.evolve(raw[-1], parsed=item)
        return item

    async def _delete(self, obj_id: object, *, hard: bool, options: Mapping[str, object]) -> None:
        path = self._item_path(obj_id)
        params = query({"hard": True if hard else None})
        await self._requester.request(
            "DELETE", path, params=params, expect_body=False, options=check_options(options)
        )

    def _list(self, params: dict[str, str], options: Mapping[str, object]) -> Awaitable[Page[M]]:
        return self._structured(
            "GET", self.spec.path, self._page_type, params=params, options=check_options(options)
        )

    def _iter(
        self,
        *,
        page_size: object,
        filters: dict[str, str],
        options: Mapping[str, object],
        item_id: Callable[[M], str] | None = None,
    ) -> AsyncGenerator[M, None]:
        """Every item of every page, each once by ``item_id`` (by default, its id)."""
        size = check_page_size("page_size", page_size)
        checked = check_options(options)
        refuse_extra_body(checked, "iter")
        if checked is not None and checked.extra_query:
            paging_keys = sorted(checked.extra_query.keys() & {"limit", "page"})
            if paging_keys:  # the walk sets them; another would end it early or loop
                raise ValueError(f"extra_query cannot set {', '.join(paging_keys)} on iter")

        async def fetch_page(page_number: int) -> Page[M]:
            params = {**filters, "limit": str(size), "page": str(page_number)}
            page: Page[M] = await self._structured(
                "GET", self.spec.path, self._page_type, params=params, options=checked
            )
            return page

        return iterate_pages(fetch_page, page_size=size, item_id=item_id or self.spec.id_of)


class JobResource(Resource[M]):
    """A collection whose objects are long jobs: ``wait``, ``watch``, ``wait_many`` and
    ``create_and_wait``."""

    _SEVERAL_REQUESTS: ClassVar[frozenset[str]] = frozenset({"wait", "create_and_wait"})

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

    def _fetcher(
        self, options: CallOptions | None, *, verbose: bool = False
    ) -> Callable[[str], Awaitable[M]]:
        """One poll of a wait: a single GET, no retries unless the call's ``max_retries``
        asks (the waiter has its own schedule), with the call's options; ``verbose`` (or
        the spec's ``poll_verbose``) asks for the verbose object."""
        refuse_extra_body(options, "a wait")
        verbose = verbose or self.spec.poll_verbose
        if options is None and not verbose:
            return self._fetch
        return functools.partial(self._fetch, options=options, verbose=verbose)

    def _fetch(
        self, obj_id: str, options: CallOptions | None = None, verbose: bool = False
    ) -> Awaitable[M]:
        params = {"verbose": "true"} if verbose else None
        return self._structured(
            "GET",
            self._item_path(obj_id),
            self.spec.model,
            params=params,
            retries=False,
            options=options,
        )

    def _wait(
        self,
        obj_id: object,
        *,
        policy: object,
        on_update: object,
        callbacks: object = None,
        options: Mapping[str, object],
    ) -> Awaitable[M]:
        job_id = check_id(self.spec.id_field, obj_id)
        if on_update is not None and not callable(on_update):
            raise TypeError(f"on_update must be callable, not {type(on_update).__name__}")
        return engine.wait(
            self._fetcher(check_options(options)),
            job_id,
            kind=self._job,
            policy=self._policy(policy, callbacks),
            clock=self._requester.clock,
            sleep=self._requester.sleep,
            on_update=on_update,
            callbacks=_check_callbacks(callbacks),
        )

    def _watch(
        self,
        obj_id: object,
        *,
        policy: object,
        callbacks: object = None,
        options: Mapping[str, object],
    ) -> AsyncGenerator[M, None]:
        return engine.watch(
            self._fetcher(check_options(options)),
            check_id(self.spec.id_field, obj_id),
            kind=self._job,
            policy=self._policy(policy, callbacks),
            clock=self._requester.clock,
            sleep=self._requester.sleep,
            callbacks=_check_callbacks(callbacks),
        )

    def _wait_many(
        self,
        ids: object,
        *,
        policy: object,
        concurrency: object,
        callbacks: object = None,
        options: Mapping[str, object],
    ) -> AsyncGenerator[WaitOutcome[M], None]:
        id_field = self.spec.id_field
        if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
            raise TypeError(f"ids must be a list of {id_field}s, not {type(ids).__name__}")
        job_ids = each_id("ids", ids)
        if isinstance(concurrency, bool) or not isinstance(concurrency, int):
            raise TypeError(f"concurrency must be an int, not {type(concurrency).__name__}")
        if concurrency < 1:
            raise ValueError(f"concurrency must be 1 or more, got {concurrency}")
        chosen = self._policy(policy, callbacks)
        return fleet.wait_many(
            self._fetcher(check_options(options)),
            job_ids,
            kind=self._job,
            policy=chosen,
            clock=self._requester.clock,
            sleep=self._requester.sleep,
            concurrency=concurrency,
            # As many polls as connections: a poll waiting for a connection as a task costs
            # far more than one waiting in the schedule, and the collector walks it.
            in_flight=self._requester.max_connections,
            callbacks=_check_callbacks(callbacks),
        )

    async def _create_and_wait(
        self,
        create: Callable[..., Awaitable[M]],
        *,
        callback_url: str | None,
        policy: object,
        on_update: object,
        callbacks: object,
        options: Mapping[str, object],
    ) -> M:
        """Create the job with ``create(callback_url=...)``, then wait for it.

        Everything the wait needs is checked first: a wait that cannot start must not
        leave a billed job behind. With ``callbacks`` and no ``callback_url``, the
        receiver's url is the job's. The create is sent once: an answer lost on the way
        raises its error, which says the job may exist, and nothing is created again.
        The options go with the create and every poll (``extra_body`` with the create).
        """
        chosen = self._policy(policy, callbacks)
        receiver = _check_callbacks(callbacks)
        if on_update is not None and not callable(on_update):
            raise TypeError(f"on_update must be callable, not {type(on_update).__name__}")
        if callback_url is None and receiver is not None:
            callback_url = getattr(receiver, "url", None)
        job = await create(callback_url=callback_url)
        # The polls are GETs: the create's extra_body is the create's alone.
        poll_options = {name: value for name, value in options.items() if name != "extra_body"}
        return await self._wait(
            self.spec.id_of(job),
            policy=chosen,
            on_update=on_update,
            callbacks=receiver,
            options=poll_options,
        )


class WithRawResponse(Generic[R]):
    """``resource.with_raw_response.<call>(...)``: the call's ``RawResponse``.

    Any single-request call of the resource, with the same arguments; the answer's
    status, headers, request id and timing, and ``parse()`` for what the call returns.
    """

    def __init__(self, resource: R) -> None:
        self._resource = resource

    def __repr__(self) -> str:
        return f"<with_raw_response of {self._resource!r}>"

    def __getattr__(self, name: str) -> Callable[..., Awaitable[RawResponse[Any]]]:
        resource = self._resource
        call = getattr(resource, name)
        if (
            name.startswith("_")
            or name in resource._SEVERAL_REQUESTS
            or not inspect.iscoroutinefunction(call)
        ):
            raise AttributeError(
                f"with_raw_response has no {name!r}: it serves the calls that make one request"
            )

        @functools.wraps(call)
        async def raw_call(*args: Any, **kwargs: Any) -> RawResponse[Any]:
            answers: list[RawResponse[Any]] = []
            token = RAW_RESPONSES.set(answers)
            try:
                await call(*args, **kwargs)
            finally:
                RAW_RESPONSES.reset(token)
            if not answers:
                raise ValueError(f"{name} made no request (an empty patch changes nothing)")
            return answers[-1]

        return raw_call


def _json_kind(value: object) -> str:
    kinds = {dict: "object", str: "string", bool: "boolean", type(None): "null"}
    return kinds.get(type(value), "number" if isinstance(value, (int, float)) else "value")


def _check_callbacks(callbacks: object) -> Subscriber | None:
    if callbacks is None or callable(getattr(callbacks, "subscribe", None)):
        return callbacks  # type: ignore[return-value]
    raise TypeError(f"callbacks must be a CallbackReceiver, not {type(callbacks).__name__}")
