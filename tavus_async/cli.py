"""The ``tavus-async`` command line: ``demo`` and ``fake-server``.

Exit codes: 0 success, 1 a failed job, 2 a usage error (or a missing ``cli`` extra).
The libraries behind a command are imported only when that command runs.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from ._version import __version__

__all__ = ["main"]

_CLI_EXTRA = "this command needs the cli extra: python -m pip install 'tavus-async[cli]'"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tavus-async", description="Async client for the Tavus Replicas and Videos API."
    )
    parser.add_argument("--version", action="version", version=f"tavus-async {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo", help="train a replica and render videos on the embedded FakeTavus (no key)"
    )
    demo.add_argument("--dir", type=Path, default=Path("tavus-demo"), help="where videos go")
    demo.add_argument(
        "--speed", type=_positive, default=1.0, help="compress the emulator's time further"
    )

    fake = commands.add_parser("fake-server", help="run FakeTavus standalone for any HTTP client")
    fake.add_argument("--host", default="127.0.0.1", help="address to listen on")
    fake.add_argument("--port", type=int, default=8000, help="port (0: any free port)")
    fake.add_argument("--api-key", default="fake-tavus-key", help="the key clients must send")
    fake.add_argument("--training-seconds", type=_positive, default=60.0)
    fake.add_argument("--rendering-seconds", type=_positive, default=20.0)
    fake.add_argument("--seed", type=int, default=0, help="makes ids repeat across runs")
    fake.add_argument(
        "--files-host", help="host name in download urls (default: the API's other loopback name)"
    )
    return parser


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number above 0, got {text}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tavus-async`` with ``argv`` (default: the process's arguments)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            try:
                from ._demo import run_demo
            except ModuleNotFoundError as exc:
                if (exc.name or "").partition(".")[0] != "rich":
                    raise
                print(f"tavus-async: {_CLI_EXTRA}", file=sys.stderr)
                return 2
            return asyncio.run(run_demo(out_dir=args.dir, speed=args.speed))
        return asyncio.run(_serve_fake(args))
    except KeyboardInterrupt:
        print("tavus-async: interrupted", file=sys.stderr)
        return 130


async def _serve_fake(args: argparse.Namespace) -> int:
    from .testing import FakeTavus, Timing

    timing = Timing(replica_training=args.training_seconds, video_rendering=args.rendering_seconds)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    fake = FakeTavus(
        api_key=args.api_key,
        host=args.host,
        port=args.port,
        timing=timing,
        seed=args.seed,
        files_host=args.files_host,
    )
    try:
        await fake.start()
    except OSError as exc:
        print(
            f"tavus-async: cannot listen on {args.host}:{args.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 2
    try:
        print(
            f"FakeTavus serving {fake.base_url} (files on {fake.files_url}); "
            f"send the header 'x-api-key: {fake.api_key}'. Ctrl-C stops it.",
            flush=True,
        )
        await stop.wait()
    finally:
        await fake.close()
    print("FakeTavus stopped.", flush=True)
    return 0
