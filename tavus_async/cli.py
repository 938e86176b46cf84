"""The ``tavus-async`` command line: ``replicas``, ``videos``, ``demo`` and ``fake-server``.

Global options come before the command. Exit codes: 0 success; 1 a failed job or an API
error (one line on stderr, never a traceback); 2 a usage error (or no ``cli`` extra);
130 interrupted. The libraries behind a command are imported only when it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ._client import DEFAULT_BASE_URL, TavusClient
from ._errors import TavusError
from ._version import __version__

if TYPE_CHECKING:
    from ._cli_output import Output

__all__ = ["main"]

_CLI_EXTRA = "this command needs the cli extra: python -m pip install 'tavus-async[cli]'"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tavus-async", description="Async client for the Tavus Replicas and Videos API."
    )
    parser.add_argument("--version", action="version", version=f"tavus-async {__version__}")
    parser.add_argument("--api-key", help="your Tavus key (default: $TAVUS_API_KEY)")
    parser.add_argument(
        "--base-url", help=f"the API's url (default: $TAVUS_BASE_URL or {DEFAULT_BASE_URL})"
    )
    parser.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="send the key over a plain http:// url to another machine (in clear text)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object per line, Tavus's field names"
    )
    commands = parser.add_subparsers(dest="resource", required=True, metavar="COMMAND")
    _replicas_parser(commands.add_parser("replicas", help="create, list, follow replicas"))
    _videos_parser(commands.add_parser("videos", help="create, list, follow, download videos"))

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
    fake.add_argument(
        "--api-key", dest="fake_api_key", default="fake-tavus-key", help="the key clients must send"
    )
    fake.add_argument("--training-seconds", type=_positive, default=60.0)
    fake.add_argument("--rendering-seconds", type=_positive, default=20.0)
    fake.add_argument("--seed", type=int, default=0, help="makes ids repeat across runs")
    fake.add_argument(
        "--files-host", help="host name in download urls (default: the API's other loopback name)"
    )
    return parser


def _common(actions: argparse._SubParsersAction[argparse.ArgumentParser], noun: str) -> None:
    listing = actions.add_parser("list", help=f"list {noun}s (every page, or one with --page)")
    listing.add_argument("--limit", type=int, help="page size (1-100) of a single page")
    listing.add_argument("--page", type=int, help="show only this page")
    get = actions.add_parser("get", help=f"show one {noun}")
    get.add_argument("id")
    get.add_argument("--verbose", action="store_true", help="ask Tavus for every field")
    rename = actions.add_parser("rename", help=f"rename a {noun}")
    rename.add_argument("id")
    rename.add_argument("name")
    delete = actions.add_parser("delete", help=f"delete a {noun}")
    delete.add_argument("id")
    delete.add_argument("--hard", action="store_true", help="also delete its files, for good")
    wait = actions.add_parser("wait", help=f"follow a {noun} to its end, with progress")
    wait.add_argument("id")
    _poll_options(wait)


def _poll_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--poll", type=_positive, help="seconds between polls (default: backoff)")
    parser.add_argument("--timeout", type=_positive, help="give up after this many seconds")


def _replicas_parser(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    _common(actions, "replica")
    listing = actions.choices["list"]
    listing.add_argument("--type", choices=("user", "system"), help="only user or stock replicas")
    listing.add_argument("--ids", help="only these replica ids, comma-separated")
    listing.add_argument("--verbose", action="store_true", help="include replica_type")
    create = actions.add_parser("create", help="start training a replica")
    source = create.add_mutually_exclusive_group(required=True)
    source.add_argument("--train-video-url", help="public link to the training video")
    source.add_argument("--train-image-url", help="public link to a photo (image replica)")
    create.add_argument("--voice-name", help="voice of an image replica")
    create.add_argument("--consent-video-url")
    create.add_argument("--name", help="replica_name")
    create.add_argument("--model-name", help="e.g. phoenix-3")
    create.add_argument("--callback-url")


def _videos_parser(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    _common(actions, "video")
    create = actions.add_parser("create", help="start rendering a video")
    create.add_argument("--replica-id", required=True)
    speech = create.add_mutually_exclusive_group(required=True)
    speech.add_argument("--script", help="the text to speak")
    speech.add_argument("--script-file", type=Path, help="a UTF-8 file holding the script")
    speech.add_argument("--audio-url", help="a .wav or .mp3 link to speak instead")
    create.add_argument("--name", help="video_name")
    create.add_argument("--background-url", help="a website recorded as the background")
    create.add_argument("--background-source-url", help="a video file as the background")
    create.add_argument("--fast", action="store_true", help="a faster, barebones render")
    create.add_argument(
        "--transparent-background", action="store_true", help="a .webm (needs --fast)"
    )
    create.add_argument("--watermark-image-url")
    create.add_argument("--callback-url")
    download = actions.add_parser("download", help="save a ready video to a file")
    download.add_argument("id")
    download.add_argument("dest", help="a file path, or a folder (existing, or ending in /)")
    batch = actions.add_parser(
        "batch", help="render every row of a CSV or JSON Lines file; rerun to resume"
    )
    batch.add_argument("file", type=Path, help="rows with script or audio_url, video_name, ...")
    batch.add_argument("--replica-id", help="the replica of rows that name none")
    batch.add_argument(
        "--concurrency", type=_at_least_one, default=8, help="rows in flight (default 8)"
    )
    batch.add_argument("--download-dir", type=Path, help="save each ready video here")
    batch.add_argument("--journal", type=Path, help="default: FILE.journal.jsonl beside FILE")
    _poll_options(batch)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number above 0, got {text}")
    return value


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {text}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tavus-async`` with ``argv`` (default: the process's arguments)."""
    parser = _parser()
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        # A name Tavus holds may not fit the console's encoding: escape it, never fail on it.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    # cron and supervisors stop with SIGTERM: stop as cleanly as on Ctrl-C (journal intact).
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if args.resource == "fake-server":
            return asyncio.run(_serve_fake(args))
        try:
            if args.resource == "demo":
                from ._demo import run_demo

                return asyncio.run(run_demo(out_dir=args.dir, speed=args.speed))
            from ._cli_output import Output
        except ModuleNotFoundError as exc:
            if (exc.name or "").partition(".")[0] != "rich":
                raise
            print(f"tavus-async: {_CLI_EXTRA}", file=sys.stderr)
            return 2
        return asyncio.run(_call_api(args, Output(json_mode=args.json)))
    except KeyboardInterrupt:
        print("tavus-async: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `tavus-async videos list | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (ValueError, TypeError) as exc:  # the SDK refused an argument before any request
        parser.exit(2, f"tavus-async: error: {exc}\n")
    except TavusError as exc:
        print(f"tavus-async: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a file of ours: a download folder we cannot write, say
        where = f": {exc.filename}" if exc.filename else ""
        print(f"tavus-async: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


async def _call_api(args: argparse.Namespace, output: Output) -> int:
    from ._cli_commands import COMMANDS

    api_key = args.api_key or os.environ.get("TAVUS_API_KEY")
    async with TavusClient(  # base_url None: $TAVUS_BASE_URL
        api_key, base_url=args.base_url, allow_insecure_http=args.allow_insecure_http
    ) as tavus:
        if (args.resource, args.action) == ("videos", "batch"):
            return await _batch(tavus, args, output)
        return await COMMANDS[(args.resource, args.action)](tavus, args, output)


async def _batch(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    from ._cli_batch import run_batch
    from ._cli_commands import poll_policy

    journal = args.journal or args.file.with_name(args.file.name + ".journal.jsonl")
    return await run_batch(
        tavus,
        file=args.file,
        replica_id=args.replica_id,
        concurrency=args.concurrency,
        download_dir=args.download_dir,
        journal_path=journal,
        policy=poll_policy(args, tavus.videos.default_policy),
        output=output,
    )


async def _serve_fake(args: argparse.Namespace) -> int:
    from .testing import FakeTavus, Timing

    timing = Timing(replica_training=args.training_seconds, video_rendering=args.rendering_seconds)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    fake = FakeTavus(
        api_key=args.fake_api_key,
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
