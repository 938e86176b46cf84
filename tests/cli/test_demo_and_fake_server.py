"""The command line: `tavus-async demo` and `tavus-async fake-server`."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from rich.console import Console

from tavus_async import cli
from tavus_async._cli.demo import demo_rows, run_demo
from tavus_async.testing import ManualClock


def environment() -> dict[str, str]:
    """The test process's environment without a Tavus key: the CLI must not need one."""
    return {k: v for k, v in os.environ.items() if k != "TAVUS_API_KEY"}


def test_demo_renders_the_example_scripts() -> None:
    """The demo renders the five rows of examples/videos.csv."""
    rows = demo_rows()

    assert [row.video_name for row in rows][:2] == ["welcome-anna", "welcome-ben"]
    assert len(rows) == 5
    assert all(row.script.strip() for row in rows)


async def test_demo_trains_renders_and_saves_every_video(tmp_path: Path) -> None:
    """On a manual clock the demo trains, renders and saves every video, then sums it up."""
    output = io.StringIO()
    console = Console(file=output, width=140, force_terminal=False)

    code = await run_demo(out_dir=tmp_path / "out", clock=ManualClock(), console=console)

    printed = output.getvalue()
    saved = sorted(p.name for p in (tmp_path / "out").glob("*.mp4"))
    assert code == 0
    assert saved == [f"{row.video_name}.mp4" for row in demo_rows()]
    assert all((tmp_path / "out" / name).read_bytes()[4:8] == b"ftyp" for name in saved)
    assert "train replica Rio: completed 100%" in printed
    assert "welcome-anna: ready 100%" in printed
    assert "5 of 5 videos saved" in printed


async def test_demo_holds_a_conversation_and_saves_its_transcript(tmp_path: Path) -> None:
    """Beside the videos, the demo talks with the replica, waits for the end and the
    transcript, and saves the transcript it prints."""
    output = io.StringIO()
    console = Console(file=output, width=140, force_terminal=False)

    code = await run_demo(out_dir=tmp_path, clock=ManualClock(), console=console)

    printed = output.getvalue()
    transcript = (tmp_path / "welcome-call.txt").read_text("utf-8").splitlines()
    assert code == 0
    assert "call with Rio: ended 100%" in printed
    assert "ended (participant_left_timeout reached)" in printed
    assert transcript[:2] == [
        "system: You are Rio. You welcome new customers in one or two sentences.",
        "assistant: Hi, I'm Rio! Welcome aboard.",
    ]
    assert all(f"  {line}" in printed for line in transcript)


async def test_demo_prints_each_change_once_off_a_terminal(tmp_path: Path) -> None:
    """Off a terminal the demo writes one plain line per change, never the same line twice."""
    output = io.StringIO()

    await run_demo(out_dir=tmp_path, clock=ManualClock(), console=Console(file=output, width=140))

    lines = [line for line in output.getvalue().splitlines() if line.startswith("welcome-ben:")]
    assert lines[-1] == "welcome-ben: ready 100%"
    assert len(lines) == len(set(lines))
    assert "\x1b[" not in output.getvalue()  # no terminal control codes in logs


def test_demo_runs_as_a_command_without_a_key(tmp_path: Path) -> None:
    """`python -m tavus_async demo` exits 0 with no key and saves the videos."""
    result = subprocess.run(
        [sys.executable, "-m", "tavus_async", "demo", "--dir", "videos", "--speed", "8"],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "videos").glob("*.mp4"))) == 5
    assert "5 of 5 videos saved" in result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["nope"],
        ["demo", "--speed", "0"],
        ["demo", "--speed", "fast"],
        ["videos", "batch", "rows.csv", "--concurrency", "0"],
        ["videos", "batch", "rows.csv", "--concurrency", "two"],
        [],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown command or a bad option exits 2 with a usage message, no traceback."""
    with pytest.raises(SystemExit) as caught:
        cli.main(argv)

    assert caught.value.code == 2
    assert "usage: tavus-async" in capsys.readouterr().err


def test_demo_without_the_cli_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without rich installed, the demo exits 2 naming the cli extra."""
    monkeypatch.delitem(sys.modules, "tavus_async._cli.demo")
    monkeypatch.setitem(sys.modules, "rich.console", None)

    code = cli.main(["demo"])

    assert code == 2
    assert "tavus-async[cli]" in capsys.readouterr().err


def test_fake_server_help_shows_its_defaults(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`fake-server --help` names the default host, port, key and timings, and what --seed does."""
    monkeypatch.setenv("COLUMNS", "300")  # argparse wraps at hyphens too: keep each help whole
    with pytest.raises(SystemExit) as caught:
        cli.main(["fake-server", "--help"])

    shown = " ".join(capsys.readouterr().out.split())
    assert caught.value.code == 0
    for default in ("127.0.0.1", "8000", "fake-tavus-key", "60.0", "20.0", "0"):
        assert f"(default: {default})" in shown
    assert "makes ids repeat across runs" not in shown
    assert "the same seed makes the same ids, another seed other ids" in shown


async def test_fake_server_serves_any_http_client_until_interrupted() -> None:
    """`tavus-async fake-server --port 0` answers plain HTTP and stops cleanly on SIGINT."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tavus_async",
        "fake-server",
        "--port",
        "0",
        "--api-key",
        "k1",
        stdout=asyncio.subprocess.PIPE,
        env=environment(),
    )
    try:
        assert process.stdout is not None
        banner = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        base_url = banner.split("serving ", 1)[1].split(" ", 1)[0]
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{base_url}/v2/replicas", headers={"x-api-key": "k1"}) as ok:
                listed = await ok.json()
            async with session.get(f"{base_url}/v2/replicas") as refused:
                refusal = await refused.json()
        process.send_signal(signal.SIGINT)
        rest = (await asyncio.wait_for(process.stdout.read(), 30)).decode()
        code = await asyncio.wait_for(process.wait(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

    assert listed["total_count"] == 3
    assert refusal == {"message": "Invalid access token"}
    assert code == 0
    assert "stopped" in rest


async def test_ctrl_c_stops_the_demo_with_one_line(tmp_path: Path) -> None:
    """SIGINT during the demo exits 130 with one line on stderr and no traceback."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tavus_async",
        "demo",
        "--dir",
        "videos",
        cwd=tmp_path,
        env=environment(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        await asyncio.wait_for(process.stdout.readline(), 30)  # the banner: it has started
        process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

    assert process.returncode == 130
    assert stderr.decode().strip() == "tavus-async: interrupted"


def test_demo_reports_videos_it_could_not_save(tmp_path: Path) -> None:
    """A --dir that cannot be a folder fails each video's row, exit 1, and no traceback."""
    (tmp_path / "taken").write_text("a file, not a folder")

    result = subprocess.run(
        [sys.executable, "-m", "tavus_async", "demo", "--dir", "taken", "--speed", "8"],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert "0 of 5 videos saved" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_demo_prints_on_an_ascii_console(tmp_path: Path) -> None:
    """The demo's output survives a console that can only encode ASCII."""
    result = subprocess.run(
        [sys.executable, "-m", "tavus_async", "demo", "--speed", "8"],
        cwd=tmp_path,
        env={**environment(), "PYTHONIOENCODING": "ascii", "COLUMNS": "60"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert "5 of 5 videos saved" in result.stdout


def test_fake_server_on_a_busy_port_exits_2(tmp_path: Path) -> None:
    """fake-server on a port in use says so in one line and exits 2."""
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "tavus_async", "fake-server", "--port", str(port)],
            env=environment(),
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"tavus-async: cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in result.stderr
