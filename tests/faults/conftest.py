"""The fault suite's fixtures: the guard every fault test runs under, and the stage it plays on."""

from __future__ import annotations

import asyncio
import gc
import logging
import warnings
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus

from _support.clocks import FakeClock
from _support.faults.model import TIMEOUT
from _support.faults.run import FAKE_KEY, EveryLogLine, Guard, Stage
from _support.http import API_KEY


@pytest.fixture(name="guard", autouse=True)
async def guard_fixture() -> AsyncIterator[Guard]:
    """Record warnings, event-loop errors and all logging at DEBUG; none may warn or show a key.

    Every logger of the process (the SDK's, aiohttp's, asyncio's, tenacity's) logs at
    DEBUG while the test runs, and no line may hold the client's or the emulator's key.
    """
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()
    loop_errors: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _, context: loop_errors.append(context))
    root, lines = logging.getLogger(), []
    handler, level = EveryLogLine(lines), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            guard = Guard(caught, loop_errors, lines)
            yield guard
            gc.collect()  # an unclosed session or connector warns when collected
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        loop.set_exception_handler(previous)
    assert [str(w.message) for w in guard.warnings] == []
    assert [c.get("message") for c in guard.loop_errors] == []
    assert [line for line in lines if API_KEY in line or FAKE_KEY in line] == []


@pytest.fixture(name="stage")
async def stage_fixture(
    fake: FakeTavus,
    tavus: TavusClient,
    clock: FakeClock,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Stage]:
    """The Stage of this test, with a client of ``fake`` that gives up after TIMEOUT."""
    async with fake.client(timeout=TIMEOUT) as hasty:
        yield Stage(fake, tavus, hasty, clock, tmp_path, request.node.nodeid)
