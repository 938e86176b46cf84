"""The one path every request takes: session, slots, the exchange, retries, body reads.

``RequestPath`` is what the client hands its families, seen by them only through the
``Requester`` protocol: ``request`` for the API, ``download`` for a file host, and the
``clock`` and ``sleep`` that waits run on. Headers, retries, error mapping, redaction
and logging live here once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any, Protocol, TypeVar

import aiohttp
from multidict import CIMultiDict
from yarl import URL

from .._exceptions import APIConnectionError, APIError, ResponseValidationError, path_of
from .convert import structure
from .responses import (
    ACTING_METHODS,
    REDACTED,
    error_from_response,
    may_have_acted,
    unsettled_hint,
)
from .retry import IDEMPOTENT_METHODS, Sleep, build_retrying, parse_retry_after, should_retry
from .transport import (
    MAX_ERROR_BODY_BYTES,
    MAX_RESPONSE_BYTES,
    Slots,
    TransportFailure,
    decode_text,
    read_and_drop,
    read_at_most,
    transport_failure,
)

__all__ = ["Clock", "Consume", "RequestPath", "Requester", "Sleep"]

logger = logging.getLogger("tavus_async")

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
Consume = Callable[[aiohttp.ClientResponse], Awaitable[T]]
Clock = Callable[[], float]


class Requester(Protocol):
    """What a family's calls need of the client, and all they may use."""

    @property
    def clock(self) -> Clock:
        """What waits read their deadlines from."""

    @property
    def sleep(self) -> Sleep:
        """What waits and retries await between attempts."""

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
        model: type[Any] | None = None,
        expect_body: bool = True,
        retries: bool = True,
    ) -> Awaitable[Any]:
        """Send one API request; awaits to its answer (see ``RequestPath.request``)."""

    def download(self, url: str, consume: Consume[T]) -> Awaitable[T]:
        """GET a file from a download host with ``consume`` (see ``RequestPath.download``)."""


class RequestPath:
    """The client's connection to the API: every request goes through ``_exchange``.

    ``session`` is used when given and never closed here; otherwise one is opened on
    first use with at most ``max_connections`` connections. ``secret`` (the key) is sent
    in ``headers`` to the API only and redacted from everything that comes back.
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
        max_connections: int,
        session: aiohttp.ClientSession | None,
        sleep: Sleep,
        clock: Clock,
    ) -> None:
        self.base_url = base_url
        self.sleep = sleep
        self.clock = clock
        self.closed = False
        self._secret = secret
        self._secret_bytes = secret.encode()
        # Built once as aiohttp's own header type, which it then takes as it is.
        self._headers = CIMultiDict(headers)
        self._download_headers = dict(download_headers)
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        # A video may take minutes to arrive: bound the connection and each read, not the whole.
        self._download_timeout = aiohttp.ClientTimeout(
            total=None, connect=timeout, sock_read=timeout
        )
        self._max_retries = max_retries
        self._max_retry_wait = max_retry_wait
        self._max_connections = max_connections
        self._session = session
        self._owns_session = session is None
        self._slots = Slots(max_connections)

    async def close(self) -> None:
        """Refuse further requests and close the session opened here (never one given)."""
        self.closed = True
        if self._owns_session and self._session is not None:
            session, self._session = self._session, None
            await session.close()

    def open_session(self) -> aiohttp.ClientSession:
        """The session, opened on first use; RuntimeError once closed."""
        if self.closed:
            raise RuntimeError("this TavusClient is closed; create a new one to make requests")
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._max_connections)
            )
        return self._session

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
        model: type[Any] | None = None,
        expect_body: bool = True,
        retries: bool = True,
    ) -> Awaitable[Any]:
        """Send one API request, retrying as ``retry`` allows; awaits to its answer.

        The answer is the body as a ``model`` when one is named, else the decoded JSON.
        With ``expect_body=False`` any 2xx is success and its body is ignored (rename and
        delete answer 200 or 204, with or without a body). ``retries=False`` sends it
        once: waiters poll on their own schedule and deadline.
        """
        url = self.base_url + path
        if params:
            # The query goes in the url itself so that errors and logs name it (no key there).
            url = str(URL(url).with_query(params))
        consume: Consume[Any] = read_and_drop
        if expect_body:
            consume = partial(self._read_json, model=model, method=method, url=url)
        return self._exchange(
            method,
            url,
            to_api=True,
            json_body=json_body,
            consume=consume,
            max_retries=self._max_retries if retries else 0,
        )

    def download(self, url: str, consume: Consume[T]) -> Awaitable[T]:
        """GET a file from a download host with ``consume``, retried like any GET.

        The API key is not sent: download links point at hosts other than the API's.
        """
        return self._exchange(
            "GET", url, to_api=False, json_body=None, consume=consume, max_retries=self._max_retries
        )

    async def _exchange(
        self,
        method: str,
        url: str,
        *,
        to_api: bool,
        json_body: Mapping[str, Any] | None,
        consume: Consume[T],
        max_retries: int,
    ) -> T:
        """One HTTP exchange: every request of the client goes through here.

        Requests ``to_api`` carry the key and never follow a redirect (the key would go
        along); downloads carry no key and follow redirects (to a CDN, say). A 2xx
        response is handed to ``consume``; anything else becomes its APIError, and a
        transport failure its APIConnectionError. A failure worth another attempt, with
        ``max_retries`` left, goes on to ``_retry``: most requests succeed at once, and
        only they pay for nothing but this one coroutine.
        """
        session = self.open_session()
        started = time.perf_counter()
        failure: TransportFailure | None = None
        # A free slot first: past max_connections, requests wait here, cheaply, not inside
        # aiohttp as built requests whose timeout is already running.
        if not self._slots.take_now():
            await self._slots.take()
            if self.closed:  # closed while this request waited for a slot
                self._slots.give_back()
                raise RuntimeError("this TavusClient was closed while the request waited")
        try:
            # Awaited, then released by hand, as aiohttp's ``async with`` would do it: that
            # is four coroutines less for every request.
            response = await session.request(
                method,
                url,
                json=json_body,
                headers=self._headers if to_api else self._download_headers,
                timeout=self._timeout if to_api else self._download_timeout,
                allow_redirects=not to_api,
                raise_for_status=False,
            )
            try:
                status = response.status
                if logger.isEnabledFor(logging.DEBUG):  # the path is worked out only when logged
                    elapsed_ms = (time.perf_counter() - started) * 1000
                    logger.debug("%s %s -> %d in %.1f ms", method, path_of(url), status, elapsed_ms)
                if 200 <= status < 300:
                    result = await consume(response)
                else:
                    error_body, _ = await read_at_most(response, MAX_ERROR_BODY_BYTES)
                    error_text = decode_text(error_body, response.charset)
                    response_headers = response.headers
            finally:
                response.release()
                await response.wait_for_close()
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            failure = transport_failure(
                exc, method=method, url=url, timeout=self._timeout.total, secret=self._secret
            )
        finally:
            self._slots.give_back()
        # Errors are raised out here, not in the except blocks: aiohttp's response errors
        # carry the request headers, key included, and must not ride along as __context__.
        error: APIError | APIConnectionError
        if failure is not None:
            if self.closed:
                raise RuntimeError("this TavusClient was closed while the request was in flight")
            error = failure.error
            error.__cause__ = failure.cause
        else:
            if 200 <= status < 300:
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
        idempotent = method in IDEMPOTENT_METHODS
        if max_retries and should_retry(
            error, idempotent=idempotent, max_retry_wait=self._max_retry_wait
        ):
            return await self._retry(error, method, url, to_api, json_body, consume, max_retries)
        raise error

    async def _retry(
        self,
        failure: BaseException,
        method: str,
        url: str,
        to_api: bool,
        json_body: Mapping[str, Any] | None,
        consume: Consume[T],
        max_retries: int,
    ) -> T:
        """The attempts after a first ``failure`` worth retrying, on tenacity."""
        first_failure: BaseException | None = failure
        retrying = build_retrying(
            method=method,
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
                    method, url, to_api=to_api, json_body=json_body, consume=consume, max_retries=0
                )
        raise AssertionError("unreachable: tenacity returns or raises")  # pragma: no cover

    async def _read_json(
        self, response: aiohttp.ClientResponse, *, model: type[Any] | None, method: str, url: str
    ) -> Any:
        """A success's body as JSON (as a ``model`` when one is named), the key redacted.

        A body over MAX_RESPONSE_BYTES, one that is not JSON and one that does not fit the
        model are refused with ResponseValidationError naming ``method`` and ``url``. For
        a request that makes a job, the error also says that the job was made and how to
        find it.
        """
        # read_at_most's own fast path, inline: most answers say their length, and this
        # saves them a coroutine. Only a body said to be too long is refused unread.
        length = response.content_length
        if length is None or "Content-Encoding" in response.headers:
            raw, whole = await read_at_most(response, MAX_RESPONSE_BYTES)
        elif length > MAX_RESPONSE_BYTES:
            raw, whole = b"", False  # said to be too long: not a byte of it is read
        else:
            raw, whole = await response.read(), True
        try:
            return self._parse(raw, whole, response.charset, model=model, method=method, url=url)
        except ResponseValidationError as exc:
            if method in ACTING_METHODS and may_have_acted(exc):
                exc.message += unsettled_hint(exc)
                exc.args = (exc.message,)
            raise

    def _parse(
        self,
        raw: bytes,
        whole: bool,
        charset: str | None,
        *,
        model: type[Any] | None,
        method: str,
        url: str,
    ) -> Any:
        if not whole:
            raise ResponseValidationError(
                f"response body is larger than {MAX_RESPONSE_BYTES // 2**20} MiB: refused",
                body=None,
                method=method,
                url=url,
            )
        if self._secret_bytes in raw:
            raw = raw.replace(self._secret_bytes, REDACTED.encode())
        try:
            payload = json.loads(raw)
        except (ValueError, RecursionError):
            # The bytes were redacted as UTF-8; the text is redacted again in its charset.
            text = decode_text(raw, charset).replace(self._secret, REDACTED)
            raise ResponseValidationError(
                f"response is not JSON: {text[:200]!r}", body=text[:200], method=method, url=url
            ) from None
        return payload if model is None else structure(payload, model, method=method, url=url)
