"""The `videos batch` tests' fixtures: FakeTavus on a manual clock, and one in-process run."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus, ManualClock, Timing

from _support.cli_batch import Run


@pytest.fixture(name="fake")
async def fake_fixture() -> AsyncIterator[FakeTavus]:
    timing = Timing(video_queue=1, video_rendering=30)
    async with FakeTavus(clock=ManualClock(), timing=timing) as fake:
        yield fake


@pytest.fixture(name="tavus")
async def tavus_fixture(fake: FakeTavus) -> AsyncIterator[TavusClient]:
    async with fake.client() as tavus:
        yield tavus


@pytest.fixture(name="replica")
def replica_fixture(fake: FakeTavus) -> str:
    return next(iter(fake.jobs.replicas))


@pytest.fixture(name="run")
def run_fixture(tavus: TavusClient, tmp_path: Path, replica: str) -> Run:
    return Run(tavus, tmp_path, replica)
