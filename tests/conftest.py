"""Shared fixtures: a client whose retry sleeps are recorded, mocked HTTP, FakeTavus, and
real Redis servers (for the callback relay).

Folders add their own in their ``conftest.py``; the helpers tests share are in ``_support``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest
from aioresponses import aioresponses

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus

from _support.clocks import FakeClock
from _support.emulator import EMULATOR_TIMING
from _support.http import API_KEY, SleepRecorder, mend_aioresponses
from _support.redis_server import RedisServer, redis_binary

mend_aioresponses()


@pytest.fixture(autouse=True)
def no_real_tavus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the developer's shell holds, no test may reach the real API."""
    monkeypatch.delenv("TAVUS_API_KEY", raising=False)
    monkeypatch.delenv("TAVUS_BASE_URL", raising=False)


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


@pytest.fixture(name="redis_url", scope="session")
def redis_url_fixture() -> Iterator[str]:
    """A Redis the relay tests share: the one .ci/run started, or one started here."""
    given = os.environ.get("TAVUS_TEST_REDIS_URL")
    if given:
        yield given
        return
    server = RedisServer(redis_binary())
    server.start()
    try:
        yield server.url
    finally:
        server.kill()


@pytest.fixture(name="own_redis")
def own_redis_fixture() -> Iterator[RedisServer]:
    """A Redis of this test's own, to kill and start again."""
    server = RedisServer(redis_binary())
    server.start()
    try:
        yield server
    finally:
        server.kill()
