"""Mocked and loopback HTTP: the test key and base url, what a mock was sent, a served app."""

from __future__ import annotations

import contextlib
import inspect
import types
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import aioresponses.core as aioresponses_core
from aiohttp import web
from aiohttp.client_reqrep import ConnectionKey
from aioresponses import aioresponses

API_KEY = "tvs-test-key-0123456789abcdef"
BASE = "https://tavusapi.com"


@contextlib.asynccontextmanager
async def serve(app: web.Application) -> AsyncIterator[str]:
    """Run ``app`` on a free loopback port; yields its base url."""
    runner = web.AppRunner(app, shutdown_timeout=0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


class _ResponseWithStreamWriter(aiohttp.ClientResponse):
    """aioresponses 0.7.9 builds responses without the ``stream_writer`` aiohttp 3.14 requires.

    Upstream: pnuckowski/aioresponses#289. The mocked request is already "sent", so an
    object reporting zero bytes written is all aiohttp reads from it.
    """

    def __init__(self, method: str, url: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", types.SimpleNamespace(output_size=0))
        super().__init__(method, url, **kwargs)


def mend_aioresponses() -> None:
    """Make aioresponses build responses this aiohttp accepts (a no-op where it already does)."""
    if "stream_writer" in inspect.signature(aiohttp.ClientResponse.__init__).parameters:
        aioresponses_core.ClientResponse = _ResponseWithStreamWriter  # type: ignore[misc]


class SleepRecorder:
    """Stands in for asyncio.sleep: remembers each delay and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def sent(http: aioresponses, method: str, url: str) -> list[Any]:
    """The calls made to ``method url`` (query string included), in order."""
    from yarl import URL

    return http.requests.get((method, URL(url)), [])


def total_requests(http: aioresponses) -> int:
    """How many requests reached the mock, whatever their url."""
    return sum(len(calls) for calls in http.requests.values())


def connector_error() -> aiohttp.ClientConnectorError:
    """What aiohttp raises when a connection to Tavus cannot be established."""
    key = ConnectionKey("tavusapi.com", 443, True, True, None, None, None, None)
    return aiohttp.ClientConnectorError(key, OSError(111, "Connection refused"))
