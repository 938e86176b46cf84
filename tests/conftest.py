"""Shared fixtures: a client whose retry sleeps are recorded, and mocked HTTP."""

from __future__ import annotations

import contextlib
import inspect
import types
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import aioresponses.core as aioresponses_core
import pytest
from aiohttp import web
from aiohttp.client_reqrep import ConnectionKey
from aioresponses import aioresponses

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus, ManualClock, Timing

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


if "stream_writer" in inspect.signature(aiohttp.ClientResponse.__init__).parameters:
    aioresponses_core.ClientResponse = _ResponseWithStreamWriter  # type: ignore[misc]


@pytest.fixture(autouse=True)
def no_real_tavus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the developer's shell holds, no test may reach the real API."""
    monkeypatch.delenv("TAVUS_API_KEY", raising=False)
    monkeypatch.delenv("TAVUS_BASE_URL", raising=False)


class SleepRecorder:
    """Stands in for asyncio.sleep: remembers each delay and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


class FakeClock(ManualClock):
    """The emulator's ManualClock, remembering each pause it was asked to sleep.

    Pass ``clock`` as the client's ``clock`` and ``clock.sleep`` as its ``sleep``: a wait's
    pauses and deadline then run instantly, in order, and are recorded in ``delays``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.delays: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
        await super().sleep(seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def timed_client(clock: FakeClock) -> AsyncIterator[TavusClient]:
    """A client whose retries and polls sleep on the fake clock (one try per request)."""
    async with TavusClient(API_KEY, sleep=clock.sleep, clock=clock, max_retries=0) as tavus:
        yield tavus


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
async def client(sleeps: SleepRecorder) -> AsyncIterator[TavusClient]:
    async with TavusClient(API_KEY, sleep=sleeps) as tavus:
        yield tavus


@pytest.fixture
def http() -> Iterator[aioresponses]:
    with aioresponses() as mocked:
        yield mocked


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


#: Emulator job lengths for tests on a manual clock: long enough to see every phase.
EMULATOR_TIMING = Timing(replica_training=10.0, video_queue=1.0, video_rendering=4.0)


@pytest.fixture
async def fake(clock: FakeClock) -> AsyncIterator[FakeTavus]:
    """FakeTavus on the test's manual clock; callbacks only when deliver_callbacks() is called."""
    async with FakeTavus(clock=clock, timing=EMULATOR_TIMING, callback_interval=3600) as emulator:
        yield emulator


@pytest.fixture
async def tavus(fake: FakeTavus) -> AsyncIterator[TavusClient]:
    """A client of ``fake``, sharing its clock: waits take no time."""
    async with fake.client() as client:
        yield client
