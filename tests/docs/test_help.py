"""help() is a way in: the package shows a quick start that runs, the client its families."""

from __future__ import annotations

import asyncio
import pydoc
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

import tavus_async
from tavus_async import TavusClient
from tavus_async._client import families
from tavus_async.testing import FakeTavus, ManualClock, Timing


@pytest.fixture(name="served")
async def served_fixture(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> AsyncIterator[FakeTavus]:
    """FakeTavus named by TAVUS_BASE_URL / TAVUS_API_KEY, on a clock every pause advances."""
    clock = ManualClock()
    real_sleep = asyncio.sleep

    async def advance(delay: float, result: Any = None) -> Any:
        clock.advance(delay)
        return await real_sleep(0, result)

    monkeypatch.setattr(asyncio, "sleep", advance)
    monkeypatch.chdir(tmp_path)
    async with FakeTavus(clock=clock, timing=Timing(video_queue=1, video_rendering=12)) as fake:
        monkeypatch.setenv("TAVUS_BASE_URL", fake.base_url)
        monkeypatch.setenv("TAVUS_API_KEY", fake.api_key)
        yield fake


async def test_the_package_quick_start_runs_on_fake_server(
    served: FakeTavus, capsys: pytest.CaptureFixture[str]
) -> None:
    """help(tavus_async) shows a quick start that runs as written and saves its video."""
    doc = tavus_async.__doc__ or ""
    (block,) = re.findall(r"::\n\n((?:    .*\n|\n)+)", doc)
    code = "\n".join(line[4:] for line in block.splitlines())
    assert code.rstrip().endswith("asyncio.run(main())")
    namespace: dict[str, Any] = {"__name__": "help_quick_start"}
    exec(compile(code.rstrip().removesuffix("asyncio.run(main())"), "help", "exec"), namespace)

    await namespace["main"]()

    lines = capsys.readouterr().out.splitlines()
    assert "r783537ef5 Anna (stock) completed" in lines
    assert lines[-2:] == ["ready", "saved out/hello.mp4"]


def test_help_of_the_client_names_its_families_and_options() -> None:
    """help(TavusClient) names every family attribute and every constructor option, and
    sends the reader to no private module."""
    text = pydoc.render_doc(TavusClient, renderer=pydoc.plaintext)
    doc = TavusClient.__doc__ or ""

    for spec in families():
        assert f"tavus.{spec.name}" in doc
    for option in (
        "api_key", "base_url", "timeout", "max_retries", "max_retry_wait",
        "max_connections", "session", "sleep", "clock", "allow_insecure_http",
    ):  # fmt: skip
        assert f"``{option}``" in doc
    assert "_core" not in text
    assert "_retry" not in doc.replace("max_retry", "")
