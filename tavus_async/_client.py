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
from functools import partial
from types import TracebackType
from typing import Any, TypeVar

import aiohttp
from multidict import CIMultiDict
from yarl import URL

from ._arguments import check_api_url, check_bool
from ._convert import structure
from ._errors import (
    REDACTED,
    APIConnectionError,
    APIError,
    ResponseValidationError,
    error_from_response,
    path_of,
)
from ._retry import IDEMPOTENT_METHODS, Sleep, build_retrying, parse_retry_after, should_retry
from ._transport import (
    MAX_ERROR_BODY_BYTES,
    MAX_RESPONSE_BYTES,
    Slots,
    TransportFailure,
    decode_text,
    read_and_drop,
    read_at_most,
    transport_failure,
)
from ._version import __version__
from .resources.replicas import Replicas
from .resources.videos import Videos

__all__ = ["DEFAULT_BASE_URL", "TavusClient"]

logger = logging.getLogger("tavus_async")

T = TypeVar("T")
Consume = Callable[[aiohttp.ClientResponse], Awaitable[T]]

DEFAULT_BASE_URL = "https://tavusapi.com"
CREATED_BUT_UNREADABLE = (
    "; Tavus accepted the create, so the job exists (and is billed): find it with list() "
    "rather than creating it again"
)
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

    The key goes only to the API's own origin: redirects are never followed, and a plain
    ``http://`` url is refused unless it points at this machine (``localhost``,
    ``127.0.0.1``, ``::1``) or ``allow_insecure_http=True`` says to send the key in clear.

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
        allow_insecure_http: bool = False,
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
        url_source = "base_url"
        if base_url is None:
            url_source, base_url = "TAVUS_BASE_URL", os.environ.get("TAVUS_BASE_URL")
            base_url = base_url or DEFAULT_BASE_URL
        self._base_url = check_api_url(
            url_source,
            base_url,
            allow_insecure_http=check_bool("allow_insecure_http", allow_insecure_http),
        ).rstrip("/")
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
        self._slots = Slots(max_connections)
        self._closed = False
        # Built once as aiohttp's own header type, which it then takes as it is.
        self._headers = CIMultiDict(
            {"x-api-key": self._api_key, "User-Agent": USER_AGENT, "Accept": "application/json"}
        )
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

    def _request(
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
        """Send one API request, retrying as ``_retry`` allows; awaits to its answer.

        The answer is the body as a ``model`` when one is named, else the decoded JSON.
        With ``expect_body=False`` any 2xx is success and its body is ignored (rename and
        delete answer 200 or 204, with or without a body). ``retries=False`` sends it
        once: waiters poll on their own schedule and deadline.
        """
        url = self._base_url + path
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

    def _download(self, url: str, consume: Consume[T]) -> Awaitable[T]:
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
        session = self._open_session()
        started = time.perf_counter()
        failure: TransportFailure | None = None
        # A free slot first: past max_connections, requests wait here, cheaply, not inside
        # aiohttp as built requests whose timeout is already running.
        if not self._slots.take_now():
            await self._slots.take()
            if self._closed:  # closed while this request waited for a slot
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
                exc, method=method, url=url, timeout=self._timeout.total, secret=self._api_key
            )
        finally:
            self._slots.give_back()
        # Errors are raised out here, not in the except blocks: aiohttp's response errors
        # carry the request headers, key included, and must not ride along as __context__.
        error: APIError | APIConnectionError
        if failure is not None:
            if self._closed:
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
                secret=self._api_key,
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
            sleep=self._sleep,
        )
        async for attempt in retrying:
            with attempt:
                if first_failure is not None:
                    # tenacity's attempt 1 is the one already made: it waits and logs as usual.
                    failure, first_failure = first_failure, None
                    raise failure
                if self._closed:
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
        a create, the error also says that the job was made and how to find it.
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
            if method == "POST":  # Tavus said yes: the job exists, whatever its answer looks like
                exc.message += CREATED_BUT_UNREADABLE
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
        if self._api_key_bytes in raw:
            raw = raw.replace(self._api_key_bytes, REDACTED.encode())
        try:
            payload = json.loads(raw)
        except (ValueError, RecursionError):
            # The bytes were redacted as UTF-8; the text is redacted again in its charset.
            text = decode_text(raw, charset).replace(self._api_key, REDACTED)
            raise ResponseValidationError(
                f"response is not JSON: {text[:200]!r}", body=text[:200], method=method, url=url
            ) from None
        return payload if model is None else structure(payload, model, method=method, url=url)


def _check_positive(name: str, value: object, *, allow_zero: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = "0 or more" if allow_zero else "more than 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
