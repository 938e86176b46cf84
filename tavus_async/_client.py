"""TavusClient: configuration, the aiohttp session, and the one path every request takes."""

from __future__ import annotations

import asyncio
import codecs
import json
import logging
import math
import os
import platform
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import aiohttp
from yarl import URL

from ._arguments import check_url
from ._errors import (
    REDACTED,
    APIConnectionError,
    APITimeoutError,
    ResponseValidationError,
    _path_of,
)
from ._errors import error_from_response as _error_from_response
from ._retry import Sleep, build_retrying, parse_retry_after
from ._version import __version__
from .resources.replicas import Replicas
from .resources.videos import Videos

__all__ = ["DEFAULT_BASE_URL", "TavusClient"]

logger = logging.getLogger("tavus_async")

DEFAULT_BASE_URL = "https://tavusapi.com"
USER_AGENT = (
    f"tavus-async/{__version__} aiohttp/{aiohttp.__version__} python/{platform.python_version()}"
)


class TavusClient:
    """An async client for the Tavus Replicas and Videos API.

    Use it as ``async with TavusClient() as tavus:``, or call ``await tavus.close()``
    when done. The API key comes from ``api_key`` or, when that is None, from the
    ``TAVUS_API_KEY`` environment variable, read once here.

    A ``session`` passed in is used for every request and never closed by the client;
    otherwise the client opens its own, with at most ``max_connections`` connections.
    Idempotent calls are retried up to ``max_retries`` times (see ``_retry``), waiting
    at most ``max_retry_wait`` seconds for a server that sends ``Retry-After``.
    ``sleep`` is what the client awaits between attempts (``asyncio.sleep``); tests pass
    a recorder so that nothing waits on the wall clock.

    Raises ValueError when there is no API key or an option is out of range.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 30.0,
        max_retries: int = 3,
        max_retry_wait: float = 60.0,
        max_connections: int = 64,
        session: aiohttp.ClientSession | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("TAVUS_API_KEY")
        if not isinstance(key, str) or not key.strip():
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
        self._base_url = check_url("base_url", base_url).rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._max_retries = max_retries
        self._max_retry_wait = float(max_retry_wait)
        self._max_connections = max_connections
        self._sleep: Sleep = sleep if sleep is not None else asyncio.sleep
        self._session = session
        self._owns_session = session is None
        self._closed = False
        self._headers = {
            "x-api-key": self._api_key,
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
        }
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
    ) -> Any:
        """Send one API request, retrying as ``_retry`` allows; the decoded JSON body.

        With ``expect_body=False`` any 2xx is success and its body is ignored (rename
        and delete answer 200 or 204, with or without a body).
        """
        session = self._open_session()
        url = self._base_url + path
        if params:
            # The url in errors and logs names the query too (it never holds the key).
            url = str(URL(url).with_query(params))
            params = None
        retrying = build_retrying(
            method=method,
            max_retries=self._max_retries,
            max_retry_wait=self._max_retry_wait,
            sleep=self._sleep,
        )
        async for attempt in retrying:
            with attempt:
                return await self._send(session, method, url, params, json_body, expect_body)
        raise AssertionError("unreachable: tenacity returns or raises")  # pragma: no cover

    async def _send(
        self,
        session: aiohttp.ClientSession,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        json_body: Mapping[str, Any] | None,
        expect_body: bool,
    ) -> Any:
        started = time.perf_counter()
        try:
            async with session.request(
                method,
                url,
                params=params,
                json=json_body,
                headers=self._headers,
                timeout=self._timeout,
                allow_redirects=False,
            ) as response:
                status = response.status
                raw = await response.read()
                headers = response.headers
                charset = _known_charset(response.charset)
        except aiohttp.ConnectionTimeoutError as exc:
            raise APITimeoutError(
                f"timed out connecting: {exc}", method=method, url=url, request_sent=False
            ) from exc
        except aiohttp.ClientConnectorError as exc:
            raise APIConnectionError(
                f"could not connect: {exc}", method=method, url=url, request_sent=False
            ) from exc
        except asyncio.TimeoutError as exc:
            raise APITimeoutError(
                _sent_message(method, f"no answer within {self._timeout.total:g} s"),
                method=method,
                url=url,
                request_sent=True,
            ) from exc
        except aiohttp.ClientError as exc:
            raise APIConnectionError(
                _sent_message(method, f"connection lost: {exc or type(exc).__name__}"),
                method=method,
                url=url,
                request_sent=True,
            ) from exc
        logger.debug(
            "%s %s -> %d in %.1f ms",
            method,
            _path_of(url),
            status,
            (time.perf_counter() - started) * 1000,
        )
        if 200 <= status < 300:
            if not expect_body:
                return None
            return self._decode_json(raw, charset, method, url)
        raise _error_from_response(
            status=status,
            text=raw.decode(charset, errors="replace"),
            headers=headers,
            method=method,
            url=url,
            retry_after=parse_retry_after(headers.get("Retry-After")),
            secret=self._api_key,
        )

    def _decode_json(self, raw: bytes, charset: str, method: str, url: str) -> Any:
        try:
            return json.loads(raw)
        except ValueError:
            text = raw.decode(charset, errors="replace").replace(self._api_key, REDACTED)
            excerpt = text[:200]
            raise ResponseValidationError(
                f"response is not JSON: {excerpt!r}", body=excerpt, method=method, url=url
            ) from None


def _known_charset(charset: str | None) -> str:
    """The response's charset when Python knows it, else UTF-8 (a server may name anything)."""
    if charset:
        try:
            return codecs.lookup(charset).name
        except LookupError:
            pass
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
