"""FakeTavus's own tests' fixtures: a plain HTTP session to the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tavus_async.testing import FakeTavus

from _support.fake_http import Raw, session


@pytest.fixture
async def raw(fake: FakeTavus) -> AsyncIterator[Raw]:
    async with session(fake) as client:
        yield client
