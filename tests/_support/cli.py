"""What the command tests share: `python -m tavus_async` run against a FakeTavus.

Each test serves one FakeTavus on loopback from its own event loop and runs
`python -m tavus_async ...` with asyncio subprocesses, so the emulator keeps answering
while the command runs. Jobs take tenths of a second of real time; waits poll every
0.05 s. Commands that do not depend on each other run at the same time.

The ``fake`` and ``tavus`` fixtures are in cli/conftest.py.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus, Timing
from tavus_async.waiters import PollPolicy

KEY = "sk-test-cli-key-0123456789"
WRONG_KEY = "sk-wrong-cli-key-9876543210"
TIMING = Timing(
    replica_training=0.4,
    face_training=0.4,
    video_queue=0.05,
    video_rendering=0.3,
    document_queue=0.05,
    document_processing=0.3,
    document_recrawl_cooldown=0.0,
)
FAST = PollPolicy(initial=0.05, maximum=0.05, timeout=10)
POLL = ("--poll", "0.05")
# Variables that would make rich treat the pipe as a terminal, or change its width.
_RICH_VARIABLES = {"FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES"}


def environment(fake: FakeTavus | None = None, **extra: str) -> dict[str, str]:
    """The test's environment without any TAVUS_ variable, plus ``fake``'s url and key.

    Output is UTF-8, 200 columns wide (tables never wrap), and warnings are errors in
    the command too.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TAVUS_") and k not in _RICH_VARIABLES
    }
    env.update(COLUMNS="200", PYTHONIOENCODING="utf-8", PYTHONWARNINGS="error")
    if fake is not None:
        env.update(TAVUS_BASE_URL=fake.base_url, TAVUS_API_KEY=fake.api_key)
    env.update(extra)
    return env


async def tavus_async(
    *args: str, env: dict[str, str], cwd: Path | None = None
) -> tuple[int, str, str]:
    """Run `python -m tavus_async ARGS`: (exit code, stdout, stderr).

    Whatever the command, no key it was given may appear in its output, and it never
    prints a traceback.
    """
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tavus_async",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=cwd,
    )
    try:
        raw_out, raw_err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    out, err = raw_out.decode(), raw_err.decode()
    secrets = {KEY, WRONG_KEY, env.get("TAVUS_API_KEY", KEY)}
    secrets |= {value for option, value in itertools.pairwise(args) if option == "--api-key"}
    leaked = [secret for secret in secrets if secret in out + err]
    assert not leaked, f"{args}: the key {leaked} was printed:\n{out}{err}"
    assert "Traceback" not in err, f"{args}: a traceback:\n{err}"
    return process.returncode, out, err


def json_lines(out: str) -> list[dict[str, Any]]:
    """Every line of ``out`` read as one JSON object."""
    objects = [json.loads(line) for line in out.splitlines()]
    assert all(isinstance(o, dict) for o in objects), out
    return objects


def block(out: str) -> dict[str, str]:
    """A key/value block (`key  value` lines) as a dict; other lines are skipped."""
    pairs = (line.split(None, 1) for line in out.splitlines() if re.match(r"^\w+  ", line))
    return {key: value.rstrip() for key, value in pairs}


def api_error(code: int, out: str, err: str) -> str:
    """The one line an API error prints, after checking its shape."""
    assert code == 1, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("tavus-async: error: ")
    return lines[0]


def stock_ids(fake: FakeTavus) -> list[str]:
    return [r.replica_id for r in fake.jobs.replicas.values() if r.replica_type == "system"]


async def new_video(tavus: TavusClient, fake: FakeTavus, script: str = "Hello there") -> str:
    video = await tavus.videos.create(replica_id=stock_ids(fake)[0], script=script)
    return video.video_id


async def ready_video(tavus: TavusClient, fake: FakeTavus) -> str:
    video_id = await new_video(tavus, fake)
    await tavus.videos.wait(video_id, policy=FAST)
    return video_id
