"""The callback tests' fixtures: a receiver, a plain HTTP client, a real-time FakeTavus.

The real Redis servers the relay's tests use are in tests/conftest.py (the docs'
example tests use them too)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from tavus_async import TavusClient
from tavus_async.callbacks import CallbackReceiver
from tavus_async.testing import FakeTavus

from _support.callbacks import BOUND, TINY


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
