"""The one path every request takes: session, slots, the exchange, retries, body reads.

``RequestPath`` is what the client hands its families, seen by them only through the
``Requester`` protocol: ``request`` for the API, ``download`` for a file host, and the
``clock`` and ``sleep`` that waits run on. Headers, per-call options, retries, error
mapping, redaction, raw responses and logging live here once.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, NamedTuple, Protocol, TypeVar, cast

import aiohttp
from multidict import CIMultiDict
from yarl import URL

from .._exceptions import APIConnectionError, APIError, path_of
from .answers import JsonAnswer
from .options import CallOptions
from .pool import Pool
from .raw import RAW_RESPONSES, raw_response
from .responses import error_from_response
from .retry import IDEMPOTENT_METHODS, Sleep, build_retrying, parse_retry_after, should_retry
from .transport import (
    MAX_ERROR_BODY_BYTES,
    TransportFailure,
    decode_text,
    read_and_drop,
    read_at_most,
    transport_failure,
)

__all__ = ["Clock", "Consume", "JsonBody", "RequestPath", "Requester", "Resume", "Route", "Sleep"]

logger = logging.getLogger("tavus_async")

T = TypeVar("T")
Consume = Callable[[aiohttp.ClientResponse], Awaitable[T]]
#: A request's JSON body: an object, or a list (a JSON Patch).
JsonBody = Mapping[str, Any] | Sequence[Any]
Clock = Callable[[], float]
#: The headers a retried attempt adds (a ``Range`` for the bytes not yet received, say).
Resume = Callable[[], Mapping[str, str]]


class Requester(Protocol):
    """What a family's calls need of the client, and all they may use."""

    @property
    def clock(self) -> Clock:
        """What waits read their deadlines from."""

    @property
    def sleep(self) -> Sleep:
        """What waits and retries await between attempts."""

    @property
    def max_connections(self) -> int:
        """The pool's size: more requests than this at once wait for a connection."""

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: JsonBody | None = None,
        model: type[Any] | None = None,
        expect_body: bool = True,
        body_optional: bool = False,
        retries: bool = True,
        idempotent: bool | None = None,
        options: CallOptions | None = None,
    ) -> Awaitable[Any]:
        """Send one API request; awaits to its answer (see ``RequestPath.request``)."""

    def download(
        self,
        url: str,
        consume: Consume[T],
        *,
        options: CallOptions | None = None,
        resume: Resume | None = None,
    ) -> Awaitable[T]:
        """GET a file from a download host with ``consume`` (see ``RequestPath.download``)."""


class Route(NamedTuple):
    """Where a request goes and how: the API (the key, no redirects) or a file host.

    A named tuple, not an attrs class: it is made at import, and each attrs class costs
    start-up time.
    """

    headers: CIMultiDict[str]
    timeout: aiohttp.ClientTimeout
    to_api: bool
    #: Whether the request may be sent again once it may have acted; None: by its method.
    replayable: bool | None = None

    def with_options(self, options: CallOptions) -> Route:
        """This route with a call's own headers and timeout."""
        headers = self.headers
        if options.extra_headers and self.to_api:  # a file host gets none of them
            headers = CIMultiDict(headers)
            headers.update(options.extra_headers)
        timeout = self.timeout
        if options.timeout is not None:
            timeout = _timeout(options.timeout, to_api=self.to_api)
        return self._replace(headers=headers, timeout=timeout)

    def with_headers(self, extra: Mapping[str, str]) -> Route:
        """This route with ``extra`` headers too, for one request (none: this route)."""
        if not extra:
            return self
        headers = CIMultiDict(self.headers)
        headers.update(extra)
        return self._replace(headers=headers)

    def idempotent(self, method: str) -> bool:
        """Whether a request of ``method`` on this route may be sent again safely."""
        return method in IDEMPOTENT_METHODS if self.replayable is None else self.replayable


def _timeout(seconds: float, *, to_api: bool) -> aiohttp.ClientTimeout:
    if to_api:
        return aiohttp.ClientTimeout(total=seconds)
    # A video may take minutes to arrive: bound the connection and each read, not the whole.
    return aiohttp.ClientTimeout(total=None, connect=seconds, sock_read=seconds)


class RequestPath:
    """The client's connection to the API: every request goes through ``_exchange``.

    The ``pool`` (the session and its slots) may be shared with other request paths:
    ``derive`` makes one with other defaults over the same pool, which closes only with
    the path that made it. ``secret`` (the key) is sent in ``headers`` to the API only and
    redacted from everything that comes back.
    """

    def __init__(
        self,
        *,
        base_url: str,
        secret: str,
        headers: Mapping[str, str],
        download_headers: Mapping[str, str],
        timeout: float,
        max_retries: int,
        max_retry_wait: float,
        pool: Pool,
        owns_pool: bool,
        sleep: Sleep,
        clock: Clock,
    ) -> None:
        self.base_url = base_url
        self.sleep = sleep
        self.clock = clock
        self._closed = False
        self._secret = secret
        self._timeout_seconds = timeout
        self._api = Route(CIMultiDict(headers), _timeout(timeout, to_api=True), True)
        self._files = Route(CIMultiDict(download_headers), _timeout(timeout, to_api=False), False)
        self._max_retries = max_retries
        self._max_retry_wait = max_retry_wait
        self._pool = pool
        self._owns_pool = owns_pool

    @property
    def max_connections(self) -> int:
        """The pool's size: more requests than this at once wait for a connection."""
        return self._pool.max_connections

    @property
    def closed(self) -> bool:
        """True once this path, or the pool it shares, is closed."""
        return self._closed or self._pool.closed

    def derive(
        self,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
        max_retry_wait: float | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> RequestPath:
        """A request path with other defaults over the same pool (``with_options``)."""
        merged = CIMultiDict(self._api.headers)
        merged.update(headers or {})  # by name, whatever its case: one header each
        return RequestPath(
            base_url=self.base_url,
            secret=self._secret,
            headers=merged,
            download_headers=self._files.headers,
            timeout=self._timeout_seconds if timeout is None else timeout,
            max_retries=self._max_retries if max_retries is None else max_retries,
            max_retry_wait=self._max_retry_wait if max_retry_wait is None else max_retry_wait,
            pool=self._pool,
            owns_pool=False,
            sleep=self.sleep,
            clock=self.clock,
        )

    async def close(self) -> None:
        """Refuse further requests; close the pool too when this path made it."""
        self._closed = True
        if self._owns_pool:
            await self._pool.close()

    def open_session(self) -> aiohttp.ClientSession:
        """The session for the running loop, opened on first use; RuntimeError once closed."""
        if self._closed:
            raise RuntimeError("this TavusClient is closed; create a new one to make requests")
        return self._pool.session()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: JsonBody | None = None,
        model: type[Any] | None = None,
        expect_body: bool = True,
        body_optional: bool = False,
        retries: bool = True,
        idempotent: bool | None = None,
        options: CallOptions | None = None,
    ) -> Awaitable[Any]:
        """Send one API request, retrying as ``retry`` allows; awaits to its answer.

        The answer is the body as a ``model`` when one is named, else the decoded JSON.
        With ``expect_body=False`` any 2xx is success and its body is ignored (rename and
        delete answer 200 or 204, with or without a body). ``retries=False`` sends it
        once: waiters poll on their own schedule and deadline. ``options`` are the call's
        own (``_core.options``); ValueError for an ``extra_body`` the request cannot carry.
        ``idempotent=False`` says that this request, though of an idempotent method, must
        not be sent again once it may have acted (a JSON Patch that appends to a list).
        ``body_optional=True`` answers None for a 304 or an empty body, where Tavus may or
        may not send one (a PATCH that echoes the object, except when nothing changed).
        """
        route = self._api
        if idempotent is not None:
            route = route._replace(replayable=idempotent)
        max_retries = self._max_retries if retries else 0
        if options is not None:
            route = route.with_options(options)
            if options.max_retries is not None:
                max_retries = options.max_retries
            if options.extra_query:
                params = {**(params or {}), **options.extra_query}
            if options.extra_body:
                json_body = _with_extra_body(method, json_body, options.extra_body)
        url = self.base_url + path
        if params:
            # The query goes in the url itself so that errors and logs name it (no key there).
            url = str(URL(url).with_query(params))
        consume: Consume[Any] = read_and_drop
        if expect_body:
            consume = JsonAnswer(method, url, model, body_optional, self._secret)
        return self._exchange(
            method, url, route=route, json_body=json_body, consume=consume, max_retries=max_retries
        )

    def download(
        self,
        url: str,
        consume: Consume[T],
        *,
        options: CallOptions | None = None,
        resume: Resume | None = None,
    ) -> Awaitable[T]:
        """GET a file from a download host with ``consume``, retried like any GET.

        The API key is not sent, nor a call's ``extra_headers``: download links point at
        hosts other than the API's. A call's ``timeout`` and ``max_retries`` apply.
        Each retried attempt also sends the headers ``resume`` gives at that moment (a
        ``Range`` for the rest of a file): ``consume`` takes whatever answer comes.
        """
        route, max_retries = self._files, self._max_retries
        if options is not None:
            route = route.with_options(options)
            if options.max_retries is not None:
                max_retries = options.max_retries
        return self._exchange(
            "GET",
            url,
            route=route,
            json_body=None,
            consume=consume,
            max_retries=max_retries,
            resume=resume,
        )

    async def _exchange(
        self,
        method: str,
        url: str,
        *,
        route: Route,
        json_body: JsonBody | None,
        consume: Consume[T],
        max_retries: int,
        gone_is_done: bool = False,
        resume: Resume | None = None,
        resent: bool = False,
    ) -> T:
        """One HTTP exchange: every request of the client goes through here.

        Requests to the API carry the key and never follow a redirect (the key would go
        along); downloads carry no key and follow redirects (to a CDN, say). A 2xx
        response is handed to ``consume`` (and, for ``with_raw_response``, described); anything
        else becomes its APIError, and a transport failure its APIConnectionError. A
        failure worth another attempt, with ``max_retries`` left, goes on to ``_retry``:
        most requests succeed at once, and only they pay for nothing but this one coroutine.
        With ``gone_is_done`` (a retried DELETE: see ``_retry``), a 404 is its answer too,
        and so is a 400 saying ``Invalid <x>_id`` (how Tavus answers for a gone persona or
        conversation).

        An idempotent request whose connection closed before any answer is sent again at
        once, one time, outside ``max_retries``, as RFC 9112 allows (aiohttp would do it
        unseen; the pool turns that off): so a resent DELETE is known, and its 404 means
        an earlier send deleted.
        """
        session = self.open_session()
        slots = self._pool.slots
        started = time.perf_counter()
        failure: TransportFailure | None = None
        # A free slot first: past max_connections, requests wait here, cheaply, not inside
        # aiohttp as built requests whose timeout is already running.
        if not slots.take_now():
            await slots.take()
            if self.closed:  # closed while this request waited for a slot
                slots.give_back()
                raise RuntimeError("this TavusClient was closed while the request waited")
        answered_at_all = False
        try:
            # Awaited, then released by hand, as aiohttp's ``async with`` would do it: that
            # is four coroutines less for every request.
            response = await session.request(
                method,
                url,
                json=json_body,
                headers=route.headers,
                timeout=route.timeout,
                allow_redirects=not route.to_api,
                raise_for_status=False,
            )
            answered_at_all = True
            try:
                status = response.status
                if logger.isEnabledFor(logging.DEBUG):  # the path is worked out only when logged
                    elapsed_ms = (time.perf_counter() - started) * 1000
                    logger.debug("%s %s -> %d in %.1f ms", method, path_of(url), status, elapsed_ms)
                # A PATCH answered 304 (Not Modified) changed nothing, as it was asked.
                answered = (
                    200 <= status < 300
                    or (status == 404 and gone_is_done)
                    or (status == 304 and method == "PATCH")
                )
                if answered:
                    if status == 404:
                        logger.debug(
                            "%s %s -> 404 on a retry: done by an earlier attempt, "
                            "whose answer was lost",
                            method,
                            path_of(url),
                        )
                    result = await consume(response)
                    raw = RAW_RESPONSES.get()
                    if raw is not None:  # a with_raw_response call: describe the answer too
                        raw.append(
                            raw_response(response, method, url, started, result, self._secret)
                        )
                else:
                    error_body, _ = await read_at_most(response, MAX_ERROR_BODY_BYTES)
                    error_text = decode_text(error_body, response.charset)
                    response_headers = response.headers
                    if gone_is_done and status == 400 and _GONE.search(error_text):
                        # Some families answer an id that is gone 400 "Invalid <x>_id", not 404.
                        logger.debug("%s %s -> 400 on a retry: gone, done", method, path_of(url))
                        answered, result = True, cast(T, None)  # what read_and_drop gives
                        raw = RAW_RESPONSES.get()
                        if raw is not None:
                            raw.append(
                                raw_response(response, method, url, started, None, self._secret)
                            )
            finally:
                response.release()
                await response.wait_for_close()
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            seconds = route.timeout.total or route.timeout.sock_read
            failure = transport_failure(
                exc,
                method=method,
                url=url,
                timeout=seconds,
                secret=self._secret,
                replayable=route.replayable,
            )
        finally:
            slots.give_back()
        # Errors are raised out here, not in the except blocks: aiohttp's response errors
        # carry the request headers, key included, and must not ride along as __context__.
        error: APIError | APIConnectionError
        if failure is not None:
            if self.closed:
                raise RuntimeError("this TavusClient was closed while the request was in flight")
            if not (resent or answered_at_all) and _closed_before_answering(
                route.idempotent(method), failure
            ):
                return await self._exchange(
                    method,
                    url,
                    route=route,
                    json_body=json_body,
                    consume=consume,
                    max_retries=max_retries,
                    gone_is_done=gone_is_done or _reads_nothing(method, consume),
                    resume=resume,
                    resent=True,
                )
            error = failure.error
            error.__cause__ = failure.cause
        else:
            if answered:
                return result
            error = error_from_response(
                status=status,
                text=error_text,
                headers=response_headers,
                method=method,
                url=url,
                retry_after=parse_retry_after(response_headers.get("Retry-After")),
                secret=self._secret,
            )
        idempotent = route.idempotent(method)
        if max_retries and should_retry(
            error, idempotent=idempotent, max_retry_wait=self._max_retry_wait
        ):
            return await self._retry(
                error, method, url, route, json_body, consume, max_retries, resume
            )
        raise error

    async def _retry(
        self,
        failure: BaseException,
        method: str,
        url: str,
        route: Route,
        json_body: JsonBody | None,
        consume: Consume[T],
        max_retries: int,
        resume: Resume | None = None,
    ) -> T:
        """The attempts after a first ``failure`` worth retrying, on tenacity.

        A retried DELETE whose answer nobody reads ends well on a 404: the attempt whose
        answer was lost deleted it, and what the caller asked for holds. (The first
        attempt's 404 is still NotFoundError: nothing was there to delete.)
        """
        first_failure: BaseException | None = failure
        gone_is_done = _reads_nothing(method, consume)
        retrying = build_retrying(
            idempotent=route.idempotent(method),
            max_retries=max_retries,
            max_retry_wait=self._max_retry_wait,
            sleep=self.sleep,
        )
        async for attempt in retrying:
            with attempt:
                if first_failure is not None:
                    # tenacity's attempt 1 is the one already made: it waits and logs as usual.
                    failure, first_failure = first_failure, None
                    raise failure
                if self.closed:
                    raise RuntimeError("this TavusClient was closed while the request was retrying")
                return await self._exchange(
                    method,
                    url,
                    route=route if resume is None else route.with_headers(resume()),
                    json_body=json_body,
                    consume=consume,
                    max_retries=0,
                    gone_is_done=gone_is_done,
                )
        raise AssertionError("unreachable: tenacity returns or raises")  # pragma: no cover


def _with_extra_body(
    method: str, json_body: JsonBody | None, extra_body: Mapping[str, Any]
) -> dict[str, Any]:
    """The body with a call's ``extra_body`` merged in last; ValueError where none fits."""
    if method in ("GET", "HEAD", "DELETE"):
        raise ValueError(f"extra_body cannot go with a {method}, which sends no body")
    if json_body is not None and not isinstance(json_body, Mapping):
        raise ValueError("extra_body cannot go with a JSON Patch update, whose body is a list")
    return {**(json_body or {}), **extra_body}


#: How Tavus answers a DELETE of a persona or conversation that is not there (a 400).
_GONE = re.compile(r"\bInvalid \w+_(?:id|uuid)\b")


def _reads_nothing(method: str, consume: Consume[Any]) -> bool:
    """A DELETE whose answer nobody reads: sent again, a 404 means it is gone."""
    return method == "DELETE" and consume is read_and_drop


def _closed_before_answering(idempotent: bool, failure: TransportFailure) -> bool:
    """An idempotent request whose connection closed before an answer (not one never made)."""
    cause = failure.cause
    return (
        idempotent
        and isinstance(cause, (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError))
        and not isinstance(cause, aiohttp.ClientConnectorError)
    )
