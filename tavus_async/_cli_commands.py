"""The ``replicas`` and ``videos`` commands: each SDK call, printed for people or programs."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import attrs

from ._cli_output import Display, Output
from ._client import TavusClient
from ._models import Replica, Video
from .resources.replicas import Replicas
from .resources.videos import Videos
from .waiters import JobKind, JobState, PollPolicy

__all__ = ["COMMANDS", "poll_policy"]

Command = Callable[[TavusClient, argparse.Namespace, Output], Awaitable[int]]


def poll_policy(args: argparse.Namespace, default: PollPolicy) -> PollPolicy | None:
    """The policy ``--poll`` / ``--timeout`` ask for, or None for the SDK's default."""
    poll, timeout = getattr(args, "poll", None), getattr(args, "timeout", None)
    if poll is None and timeout is None:
        return None
    deadline: float = timeout if timeout is not None else default.timeout
    if poll is None:
        return attrs.evolve(default, timeout=deadline)
    return PollPolicy(initial=poll, maximum=poll, timeout=deadline)


def _resource(tavus: TavusClient, args: argparse.Namespace) -> Replicas | Videos:
    return tavus.replicas if args.resource == "replicas" else tavus.videos


async def _list(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    filters: dict[str, Any] = {}
    if args.resource == "replicas":
        filters = {"replica_type": args.type, "verbose": args.verbose}
        if args.ids:
            filters["replica_ids"] = [i for i in args.ids.split(",") if i]
    if args.limit is not None or args.page is not None:
        page = await _resource(tavus, args).list(limit=args.limit, page=args.page, **filters)
        output.jobs(list(page.data), total=page.total_count)
        return 0
    everything = [job async for job in _resource(tavus, args).iter(page_size=100, **filters)]
    output.jobs(everything, total=len(everything))
    return 0


async def _get(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    output.job(await _resource(tavus, args).get(args.id, verbose=args.verbose))
    return 0


async def _rename(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    await _resource(tavus, args).rename(args.id, args.name)
    singular = args.resource[:-1]
    output.record({f"{singular}_id": args.id, f"{singular}_name": args.name})
    return 0


async def _delete(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    await _resource(tavus, args).delete(args.id, hard=args.hard)
    output.record({f"{args.resource[:-1]}_id": args.id, "deleted": True, "hard": args.hard})
    return 0


async def _create_replica(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    replica = await tavus.replicas.create(
        train_video_url=args.train_video_url,
        train_image_url=args.train_image_url,
        voice_name=args.voice_name,
        consent_video_url=args.consent_video_url,
        replica_name=args.name,
        model_name=args.model_name,
        callback_url=args.callback_url,
    )
    output.job(replica)
    return 0


async def _create_video(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
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


async def _wait(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    """Follow the job to its end: a bar (or lines, or JSON lines), then the final object."""
    resource = _resource(tavus, args)
    policy = poll_policy(args, resource.default_policy)
    last: Replica | Video | None = None
    with Display(output.console, live=None if not output.json_mode else False) as display:
        show = display.track(f"{args.resource[:-1]} {args.id}")
        async for job in resource.watch(args.id, policy=policy):
            last = job
            if output.json_mode:
                output.job(job)
            else:
                show(str(job.status), job.progress)
    assert last is not None  # watch yields at least once or raises
    if not output.json_mode:
        output.job(last)
    kind: JobKind[Any] = resource._job
    if kind.state(last) is JobState.FAILED:
        output.failure(f"error: {kind.failure_error(last)}")
        return 1
    return 0


async def _download(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
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


COMMANDS: dict[tuple[str, str], Command] = {
    ("replicas", "list"): _list,
    ("replicas", "get"): _get,
    ("replicas", "create"): _create_replica,
    ("replicas", "rename"): _rename,
    ("replicas", "delete"): _delete,
    ("replicas", "wait"): _wait,
    ("videos", "list"): _list,
    ("videos", "get"): _get,
    ("videos", "create"): _create_video,
    ("videos", "rename"): _rename,
    ("videos", "delete"): _delete,
    ("videos", "wait"): _wait,
    ("videos", "download"): _download,
}
