"""TavusClient: configuration, the aiohttp session, and the one path every request takes."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import platform
import time
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any, TypeVar

import aiohttp
import attrs
from yarl import URL

from ._arguments import check_url
from ._errors import (
    REDACTED,
    APIConnectionError,
    APIError,
    APITimeoutError,
    ResponseValidationError,
    error_from_response,
    path_of,
)
from ._retry import IDEMPOTENT_METHODS, Sleep, build_retrying, parse_retry_after, should_retry
from ._version import __version__
from .resources.replicas import Replicas
from .resources.videos import Videos

__all__ = ["DEFAULT_BASE_URL", "TavusClient"]

logger = logging.getLogger("tavus_async")

T = TypeVar("T")
Consume = Callable[[aiohttp.ClientResponse], Awaitable[T]]

DEFAULT_BASE_URL = "https://tavusapi.com"
USER_AGENT = (
    f"tavus-async/{__version__} aiohttp/{aiohttp.__version__} python/{platform.python_version()}"
)


class TavusClient:
    """An async client for the Tavus Replicas and Videos API.

    Use it as ``async with TavusClient() as tavus:``, or call ``await tavus.close()``
    when done. The API key comes from ``api_key`` or, when that is None, from the
    ``TAVUS_API_KEY`` environment variable; the url likewise from ``base_url`` or
    ``TAVUS_BASE_URL`` (default: Tavus's own). Both are read once, here.

    A ``session`` passed in is used for every request and never closed by the client;
    otherwise the client opens its own, with at most ``max_connections`` connections.
    Idempotent calls are retried up to ``max_retries`` times (see ``_retry``), waiting
    at most ``max_retry_wait`` seconds for a server that sends ``Retry-After``.
    ``sleep`` is what the client awaits between attempts and polls (``asyncio.sleep``)
    and ``clock`` what waits read their deadlines from (``time.monotonic``); tests pass
    a fake pair so that nothing waits on the wall clock.

    Raises ValueError when there is no API key or an option is out of range.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 3,
        max_retry_wait: float = 60.0,
        max_connections: int = 64,
        session: aiohttp.ClientSession | None = None,
        sleep: Sleep | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("TAVUS_API_KEY")
        if key is not None and not isinstance(key, str):
            raise TypeError(f"api_key must be a string, not {type(key).__name__}")
        if not key or not key.strip():
            raise ValueError(
                "no Tavus API key: pass api_key=... or set the TAVUS_API_KEY environment variable"
            )
        if any(c.isspace() for c in key.strip()) or not key.isprintable():
            raise ValueError("api_key must be a single printable token")
        _check_positive("timeout", timeout)
        _check_positive("max_retry_wait", max_retry_wait, allow_zero=True)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be an int, 0 or more, got {max_retries!r}")
        if (
            isinstance(max_connections, bool)
            or not isinstance(max_connections, int)
            or max_connections < 1
        ):
            raise ValueError(f"max_connections must be an int, 1 or more, got {max_connections!r}")
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise TypeError(
                f"session must be an aiohttp.ClientSession, not {type(session).__name__}"
            )

        self._api_key = key.strip()
        self._api_key_bytes = self._api_key.encode()
        if base_url is None:
            base_url = os.environ.get("TAVUS_BASE_URL") or DEFAULT_BASE_URL
        self._base_url = check_url("base_url", base_url).rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        # A video may take minutes to arrive: bound the connection and each read, not the whole.
        self._download_timeout = aiohttp.ClientTimeout(
            total=None, connect=timeout, sock_read=timeout
        )
        self._max_retries = max_retries
        self._max_retry_wait = float(max_retry_wait)
        self._max_connections = max_connections
        self._sleep: Sleep = sleep if sleep is not None else asyncio.sleep
        self._clock: Callable[[], float] = clock if clock is not None else time.monotonic
        self._session = session
        self._owns_session = session is None
        self._slots = asyncio.Semaphore(max_connections)
        self._closed = False
        self._headers = {
            "x-api-key": self._api_key,
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
        }
        # No key, and no compression: progress counts the bytes that Content-Length names.
        self._download_headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        self.replicas = Replicas(self)
        self.videos = Videos(self)

    def __repr__(self) -> str:
        return f"TavusClient(base_url={self._base_url!r}, api_key=<hidden>)"

    @property
    def base_url(self) -> str:
        """The API's root url, without a trailing slash."""
        return self._base_url

    @property
    def closed(self) -> bool:
        """True once ``close()`` was called; a closed client makes no more requests."""
        return self._closed

    async def __aenter__(self) -> TavusClient:
        self._open_session()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the client's own session (never an injected one). Safe to call twice."""
        self._closed = True
        if self._owns_session and self._session is not None:
            session, self._session = self._session, None
            await session.close()

    def _open_session(self) -> aiohttp.ClientSession:
        if self._closed:
            raise RuntimeError("this TavusClient is closed; create a new one to make requests")
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._max_connections)
            )
        return self._session

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
        expect_body: bool = True,
        retries: bool = True,
    ) -> Any:
        """Send one API request, retrying as ``_retry`` allows; the decoded JSON body.

        With ``expect_body=False`` any 2xx is success and its body is ignored (rename
        and delete answer 200 or 204, with or without a body). ``retries=False`` sends
        it once: waiters poll on their own schedule and deadline.
        """
        url = self._base_url + path
        if params:
            # The query goes in the url itself so that errors and logs name it (no key there).
            url = str(URL(url).with_query(params))
        raw, charset = await self._with_retries(
            method,
            url,
            to_api=True,
            json_body=json_body,
            consume=_read_body,
            max_retries=self._max_retries if retries else 0,
        )
        if not expect_body:
            return None
        if self._api_key_bytes in raw:
            raw = raw.replace(self._api_key_bytes, REDACTED.encode())
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            text = raw.decode(charset, errors="replace")
            raise ResponseValidationError(
                f"response is not JSON: {text[:200]!r}", body=text[:200], method=method, url=url
            ) from None

    async def _download(self, url: str, consume: Consume[T]) -> T:
        """GET a file from a download host with ``consume``, retried like any GET.

        The API key is not sent: download links point at hosts other than the API's.
        """
        return await self._with_retries(
            "GET", url, to_api=False, json_body=None, consume=consume, max_retries=self._max_retries
        )

    async def _with_retries(
        self,
        method: str,
        url: str,
        *,
        to_api: bool,
        json_body: Mapping[str, Any] | None,
        consume: Consume[T],
        max_retries: int,
    ) -> T:
        session = self._open_session()
        # Most requests succeed at once: send the first attempt straight away, and only a
        # failure worth retrying builds the tenacity controller (the per-call cost).
        try:
            return await self._exchange(session, method, url, to_api, json_body, consume)
        except (APIError, APIConnectionError) as exc:
            idempotent = method in IDEMPOTENT_METHODS
            if not max_retries or not should_retry(
                exc, idempotent=idempotent, max_retry_wait=self._max_retry_wait
            ):
                raise
            first_failure: BaseException | None = exc
        retrying = build_retrying(
            method=method,
            max_retries=max_retries,
            max_retry_wait=self._max_retry_wait,
            sleep=self._sleep,
        )
        async for attempt in retrying:
            with attempt:
                if first_failure is not None:
                    # tenacity's attempt 1 is the one already made: it waits and logs as usual.
                    failure, first_failure = first_failure, None
                    raise failure
                return await self._exchange(session, method, url, to_api, json_body, consume)
        raise AssertionError("unreachable: tenacity returns or raises")  # pragma: no cover

    async def _exchange(
        self,
        session: aiohttp.ClientSession,
        method: str,
        url: str,
        to_api: bool,
        json_body: Mapping[str, Any] | None,
        consume: Consume[T],
    ) -> T:
        """One HTTP exchange: every request of the client goes through here.

        Requests ``to_api`` carry the key and never follow a redirect (the key would go
        along); downloads carry no key and follow redirects (to a CDN, say). A 2xx
        response is handed to ``consume``; anything else becomes its APIError, and a
        transport failure its APIConnectionError.
        """
        if self._closed:
            raise RuntimeError("this TavusClient was closed while the request was retrying")
        started = time.perf_counter()
        failure: _TransportFailure | None = None
        try:
            # A free slot first: past max_connections, requests wait here, cheaply, not inside
            # aiohttp as built requests whose timeout is already running.
            async with (
                self._slots,
                session.request(
                    method,
                    url,
                    json=json_body,
                    headers=self._headers if to_api else self._download_headers,
                    timeout=self._timeout if to_api else self._download_timeout,
                    allow_redirects=not to_api,
                    raise_for_status=False,
                ) as response,
            ):
                status = response.status
                if 200 <= status < 300:
                    result = await consume(response)
                else:
                    error_body = await response.read()
                    charset = _known_charset(response.charset)
                    response_headers = response.headers
        except aiohttp.ClientError as exc:
            failure = _transport_error(exc, method=method, url=url, timeout=self._timeout.total)
        except asyncio.TimeoutError as exc:
            failure = _transport_error(exc, method=method, url=url, timeout=self._timeout.total)
        if failure is not None:
            if self._closed:
                raise RuntimeError("this TavusClient was closed while the request was in flight")
            # Raised outside the except block: aiohttp's response errors carry the request
            # headers, key included, and must not ride along as __context__.
            raise failure.error from failure.cause
        if logger.isEnabledFor(logging.DEBUG):  # the path is worked out only when logged
            elapsed_ms = (time.perf_counter() - started) * 1000
            logger.debug("%s %s -> %d in %.1f ms", method, path_of(url), status, elapsed_ms)
        if 200 <= status < 300:
            return result
        raise error_from_response(
            status=status,
            text=error_body.decode(charset, errors="replace"),
            headers=response_headers,
            method=method,
            url=url,
            retry_after=parse_retry_after(response_headers.get("Retry-After")),
            secret=self._api_key,
        )


async def _read_body(response: aiohttp.ClientResponse) -> tuple[bytes, str]:
    return await response.read(), _known_charset(response.charset)


@attrs.frozen
class _TransportFailure:
    error: APIConnectionError
    cause: BaseException | None


def _transport_error(
    exc: Exception, *, method: str, url: str, timeout: float | None
) -> _TransportFailure:
    """The APIConnectionError (or APITimeoutError) for an exchange that got no answer."""
    error_class: type[APIConnectionError] = APIConnectionError
    cause: BaseException | None = exc
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        error_class, request_sent, message = APITimeoutError, False, f"timed out connecting: {exc}"
    elif isinstance(exc, aiohttp.ClientConnectorError):
        request_sent, message = False, f"could not connect: {exc}"
    elif isinstance(exc, asyncio.TimeoutError):
        waited = f" within {timeout:g} s" if timeout else ""
        error_class, request_sent, message = APITimeoutError, True, f"no answer{waited}"
    else:
        # A ClientResponseError (a reply that is not HTTP, say) holds the request's headers.
        if isinstance(exc, aiohttp.ClientResponseError):
            cause = None
        what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        request_sent, message = True, f"connection lost ({what})"
    if request_sent:
        message = _sent_message(method, message)
    error = error_class(message, method=method, url=url, request_sent=request_sent)
    return _TransportFailure(error, cause)


def _known_charset(charset: str | None) -> str:
    """The response's charset when it is a text encoding Python knows, else UTF-8."""
    if charset:
        try:
            b"a".decode(charset, "replace")  # refuses rot13, base64 and other non-text codecs
        except LookupError:
            return "utf-8"
        return charset
    return "utf-8"


def _sent_message(method: str, what: str) -> str:
    """A connection error message; for a POST, what the caller must check before retrying."""
    if method == "POST":
        return (
            f"{what}; the request was sent and may have created a job at Tavus, so it was "
            "not retried: look for the job (list()) before creating it again"
        )
    return what


def _check_positive(name: str, value: object, *, allow_zero: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = "0 or more" if allow_zero else "more than 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
