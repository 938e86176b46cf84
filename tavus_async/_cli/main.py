"""The ``tavus-async`` command line: a command per family, ``demo`` and ``fake-server``.

Each family of the client is a command with the generic actions its spec allows (list,
get, rename, delete, wait); ``_cli/<family>.py``, where it exists, adds the family's own
(``create``, ``download``, ...). Global options go before or after the command. Exit
codes: 0 success; 1 a failed job or an API error (one line on stderr, never a traceback);
2 a usage error (or no ``cli`` extra); 130 interrupted. With ``--json`` that last line on
stderr is a JSON object (see ``errors.py``). The libraries behind a command are imported
only when it runs.
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
from typing import TYPE_CHECKING, Any, NoReturn

from .._client import DEFAULT_BASE_URL, TavusClient, families
from .._exceptions import TavusError
from .._version import __version__
from ..resources._spec import FamilySpec
from .arguments import poll_options, positive
from .errors import report_error
from .family import family_cli

if TYPE_CHECKING:
    from .output import Output

__all__ = ["main"]

_CLI_EXTRA = "this command needs the cli extra: python -m pip install 'tavus-async[cli]'"


class _UsageError(Exception):
    """argparse refused the command line: the parser that did, and why."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser
        self.message = message


class _Parser(argparse.ArgumentParser):
    """argparse's parser (its commands' too), leaving the report of a usage error to main."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(self, message)


def _parser() -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = _Parser(
        prog="tavus-async", description="Async client for the Tavus API."
    )
    parser.add_argument("--version", action="version", version=f"tavus-async {__version__}")
    _global_options(parser, top=True)
    commands = parser.add_subparsers(dest="resource", required=True, metavar="COMMAND")
    for spec in families():
        _family_parser(commands, spec)

    demo = commands.add_parser(
        "demo", help="train a replica and render videos on the embedded FakeTavus (no key)"
    )
    demo.add_argument("--dir", type=Path, default=Path("tavus-demo"), help="where videos go")
    demo.add_argument(
        "--speed", type=positive, default=1.0, help="compress the emulator's time further"
    )

    fake = commands.add_parser(
        "fake-server",
        help="run FakeTavus standalone for any HTTP client",
        description="Run FakeTavus, the Tavus emulator, until Ctrl-C: point any client at the "
        "url it prints, with the key it prints.",
    )
    fake.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    fake.add_argument(
        "--port", type=int, default=8000, help="port, 0 for any free one (default: %(default)s)"
    )
    fake.add_argument(
        "--api-key",
        dest="fake_api_key",
        metavar="KEY",
        default="fake-tavus-key",
        help="the key clients must send as x-api-key (default: %(default)s)",
    )
    fake.add_argument(
        "--training-seconds",
        type=positive,
        default=60.0,
        help="seconds a replica takes to train (default: %(default)s)",
    )
    fake.add_argument(
        "--rendering-seconds",
        type=positive,
        default=20.0,
        help="seconds a video takes to render (default: %(default)s)",
    )
    fake.add_argument(
        "--seed",
        type=int,
        default=0,
        help="the ids FakeTavus makes follow from it: every run with the same seed makes the "
        "same ids, another seed other ids (default: %(default)s)",
    )
    fake.add_argument(
        "--files-host",
        help="host name in download urls (default: the API's other loopback name)",
    )
    return parser


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """``--api-key``, ``--base-url``, ``--allow-insecure-http`` and ``--json``.

    The top parser holds their defaults; a command's parsers take them too, with
    ``argparse.SUPPRESS`` for a default so that a flag given before the command is not
    reset by the command's parser (``tavus-async --json videos list`` and
    ``tavus-async videos list --json`` mean the same).
    """
    unset, off = (None, False) if top else (argparse.SUPPRESS, argparse.SUPPRESS)
    group = parser.add_argument_group("global options (before or after the command)")
    group.add_argument("--api-key", default=unset, help="your Tavus key (default: $TAVUS_API_KEY)")
    group.add_argument(
        "--base-url",
        default=unset,
        help=f"the API's url (default: $TAVUS_BASE_URL or {DEFAULT_BASE_URL})",
    )
    group.add_argument(
        "--allow-insecure-http",
        action="store_true",
        default=off,
        help="send the key over a plain http:// url to another machine (in clear text)",
    )
    group.add_argument(
        "--json",
        action="store_true",
        default=off,
        help="print one JSON object per line, Tavus's field names",
    )


def _family_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], spec: FamilySpec[Any]
) -> None:
    """The family's command: the generic actions its spec allows, then its own."""
    own = family_cli(spec)
    noun = spec.noun
    nouns = _plural(noun)
    parser = commands.add_parser(spec.command, help=own.HELP if own else f"list, show {nouns}")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    if "list" in spec.generic_calls:
        listing = actions.add_parser("list", help=f"list {nouns} (every page, or one with --page)")
        listing.add_argument(
            "--limit", type=int, help="page size of a single page (Tavus's default: 10)"
        )
        listing.add_argument("--page", type=int, help="show only this page")
    if "get" in spec.generic_calls:
        get = actions.add_parser("get", help=f"show one {noun}")
        get.add_argument("id")
        if spec.verbose:
            get.add_argument("--verbose", action="store_true", help="ask Tavus for every field")
    if spec.name_field is not None:
        rename = actions.add_parser("rename", help=f"rename a {noun}")
        rename.add_argument("id")
        rename.add_argument("name")
    if "delete" in spec.generic_calls:
        delete = actions.add_parser("delete", help=f"delete a {noun}")
        delete.add_argument("id")
        if spec.hard_delete:
            delete.add_argument(
                "--hard", action="store_true", help="also delete its files, for good"
            )
    if spec.job is not None:
        wait = actions.add_parser("wait", help=f"follow a {noun} to its end, with progress")
        wait.add_argument("id")
        poll_options(wait)
    if own is not None:
        own.add_commands(actions)
    _global_options(parser, top=False)
    for action in actions.choices.values():
        _global_options(action, top=False)


def _plural(noun: str) -> str:
    """``videos``, ``pronunciation dictionaries``."""
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tavus-async`` with ``argv`` (default: the process's arguments)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    # Known before parsing, so that a usage error can be reported as JSON too.
    json_mode = "--json" in argv
    try:
        args = _parser().parse_args(argv)
    except _UsageError as exc:
        if not json_mode:
            argparse.ArgumentParser.error(exc.parser, exc.message)
        exc.parser.print_usage(sys.stderr)
        report_error(exc.message, json_mode=True)
        raise SystemExit(2) from None
    json_mode = args.json  # parsed now: "--json" could have been another option's value
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
                from .demo import run_demo

                return asyncio.run(run_demo(out_dir=args.dir, speed=args.speed))
            from .output import Output
        except ModuleNotFoundError as exc:
            if (exc.name or "").partition(".")[0] != "rich":
                raise
            report_error(_CLI_EXTRA, json_mode=json_mode)
            return 2
        return asyncio.run(_call_api(args, Output(json_mode=args.json)))
    except KeyboardInterrupt:
        if json_mode:
            report_error("interrupted", json_mode=True)
        else:
            print("tavus-async: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `tavus-async videos list | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (ValueError, TypeError) as exc:  # the SDK refused an argument before any request
        report_error(exc, json_mode=json_mode)
        return 2
    except TavusError as exc:
        report_error(exc, json_mode=json_mode)
        return 1
    except OSError as exc:  # a file of ours: a download folder we cannot write, say
        where = f": {exc.filename}" if exc.filename else ""
        report_error(f"{exc.strerror or exc}{where}", json_mode=json_mode)
        return 1


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


async def _call_api(args: argparse.Namespace, output: Output) -> int:
    from .generic import command

    api_key = args.api_key or os.environ.get("TAVUS_API_KEY")
    if not (api_key or "").strip():  # the SDK's own message speaks of api_key=...
        raise ValueError("no Tavus API key: pass --api-key or set TAVUS_API_KEY")
    async with TavusClient(  # base_url None: $TAVUS_BASE_URL
        api_key, base_url=args.base_url, allow_insecure_http=args.allow_insecure_http
    ) as tavus:
        return await command(args.resource, args.action)(tavus, args, output)


async def _serve_fake(args: argparse.Namespace) -> int:
    from ..testing import FakeTavus, Timing

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
