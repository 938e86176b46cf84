"""The command tests' fixtures: a real-time FakeTavus the commands run against, and its client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus

from _support.cli import KEY, TIMING


@pytest.fixture(name="fake")
async def fake_fixture() -> AsyncIterator[FakeTavus]:
    async with FakeTavus(api_key=KEY, timing=TIMING) as emulator:
        yield emulator


@pytest.fixture(name="tavus")
async def tavus_fixture(fake: FakeTavus) -> AsyncIterator[TavusClient]:
    """A client of the same emulator, to set the scene without spawning a command."""
    async with fake.client() as client:
        yield client
