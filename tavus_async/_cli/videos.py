"""``tavus-async videos``: the generic commands, ``create``, ``download`` and ``batch``."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .arguments import at_least_one, poll_options, poll_policy
from .family import Actions, Command

if TYPE_CHECKING:
    from .._client import TavusClient
    from .output import Output

__all__ = ["COMMANDS", "HELP", "add_commands", "list_filters"]

HELP = "create, list, follow, download videos"


def add_commands(actions: Actions) -> None:
    """``create``, ``download`` and ``batch``."""
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
        "--concurrency", type=at_least_one, default=8, help="rows in flight (default 8)"
    )
    batch.add_argument("--download-dir", type=Path, help="save each ready video here")
    batch.add_argument("--journal", type=Path, help="default: FILE.journal.jsonl beside FILE")
    poll_options(batch)


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """Videos are listed without filters."""
    return {}


async def _create(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    script = args.script
    if args.script_file is not None:
        try:
            script = await asyncio.to_thread(Path(args.script_file).read_text, encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:  # before any request: a usage error
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise ValueError(f"--script-file {args.script_file}: {reason}") from None
    video = await tavus.videos.create(
        replica_id=args.replica_id,
        script=script,
        audio_url=args.audio_url,
        video_name=args.name,
        callback_url=args.callback_url,
        background_url=args.background_url,
        background_source_url=args.background_source_url,
        fast=args.fast or None,
        transparent_background=args.transparent_background or None,
        watermark_image_url=args.watermark_image_url,
    )
    output.job(video)
    return 0


async def _download(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    from .output import Display

    with Display(output.console, live=None if not output.json_mode else False) as display:
        show = display.track(f"download {args.id}")

        steps: set[int] = set()

        def progress(done: int, total: int | None) -> None:
            fraction = done / total if total else None
            step = int(10 * fraction) if fraction is not None else done // 10_485_760
            if not output.json_mode and (display.live or step not in steps):
                steps.add(step)  # off a terminal: a line per 10 % (or 10 MiB), not per chunk
                show(f"{done / 1_048_576:.1f} MiB", fraction)

        path = await tavus.videos.download(args.id, args.dest, on_progress=progress)
    size = (await asyncio.to_thread(path.stat)).st_size
    output.record({"video_id": args.id, "path": str(path), "bytes": size})
    return 0


async def _batch(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    from .batch import run_batch

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


COMMANDS: dict[str, Command] = {"create": _create, "download": _download, "batch": _batch}
