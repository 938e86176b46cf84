"""The callback tests' fixtures: a receiver, a plain HTTP client, a real-time FakeTavus,
and real Redis servers for the relay."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest

from tavus_async import TavusClient
from tavus_async.callbacks import CallbackReceiver
from tavus_async.testing import FakeTavus

from _support.callbacks import BOUND, TINY
from _support.redis_server import RedisServer, redis_binary


@pytest.fixture(name="receiver")
async def receiver_fixture() -> AsyncIterator[CallbackReceiver]:
    async with CallbackReceiver() as started:
        yield started


@pytest.fixture(name="raw")
async def raw_fixture() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain HTTP client, for what a caller (not Tavus) might send."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=BOUND)) as session:
        yield session


@pytest.fixture(name="fast")
async def fast_fixture() -> AsyncIterator[FakeTavus]:
    """FakeTavus in real time: tiny jobs, callbacks sent within 5 ms of a job's end."""
    async with FakeTavus(timing=TINY, callback_interval=0.005) as fake:
        yield fake


@pytest.fixture(name="tavus")
async def tavus_fixture(fast: FakeTavus) -> AsyncIterator[TavusClient]:
    async with fast.client() as client:
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
