"""The commands every family has, made from its spec: list, get, rename, delete, wait."""

from __future__ import annotations

import argparse
from typing import Any

from .._client import TavusClient, families
from ..resources._spec import FamilySpec
from ..waiting.jobs import JobState
from .arguments import poll_policy
from .family import Command, family_cli
from .output import Display, Output, progress_of

__all__ = ["command"]


def command(family: str, action: str) -> Command:
    """What ``tavus-async <family> <action>`` runs: the family's own, else the generic one."""
    own = family_cli(_spec(family))
    if own is not None and action in own.COMMANDS:
        return own.COMMANDS[action]
    return _GENERIC[action]


def _spec(command: str) -> FamilySpec[Any]:
    """The family whose command is ``command`` (its name, hyphenated as Tavus's path)."""
    return next(spec for spec in families() if command in (spec.command, spec.name))


def _resource(tavus: TavusClient, args: argparse.Namespace) -> Any:
    return getattr(tavus, _spec(args.resource).name)


async def _list(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    spec = _spec(args.resource)
    own = family_cli(spec)
    filters = own.list_filters(args) if own is not None else {}
    resource = _resource(tavus, args)
    if args.limit is not None or args.page is not None:
        page = await resource.list(limit=args.limit, page=args.page, **filters)
        output.jobs(list(page.data), total=page.total_count, columns=spec.columns)
        return 0
    everything = [item async for item in resource.iter(page_size=100, **filters)]
    output.jobs(everything, total=len(everything), columns=spec.columns)
    return 0


async def _get(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    options = {"verbose": True} if getattr(args, "verbose", False) else {}
    output.job(await _resource(tavus, args).get(args.id, **options))
    return 0


async def _rename(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    spec = _spec(args.resource)
    await _resource(tavus, args).rename(args.id, args.name)
    output.record({spec.id_field: args.id, str(spec.name_field): args.name})
    return 0


async def _delete(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    spec = _spec(args.resource)
    if not spec.hard_delete:
        await _resource(tavus, args).delete(args.id)
        output.record({spec.id_field: args.id, "deleted": True})
        return 0
    await _resource(tavus, args).delete(args.id, hard=args.hard)
    output.record({spec.id_field: args.id, "deleted": True, "hard": args.hard})
    return 0


async def _wait(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    """Follow the job to its end: a bar (or lines, or JSON lines), then the final object."""
    spec = _spec(args.resource)
    kind = spec.job
    assert kind is not None  # the parser offers wait to job families only
    resource = _resource(tavus, args)
    policy = poll_policy(args, resource.default_policy)
    last: Any = None
    with Display(output.console, live=None if not output.json_mode else False) as display:
        show = display.track(f"{spec.noun} {args.id}")
        async for job in resource.watch(args.id, policy=policy):
            last = job
            if output.json_mode:
                output.job(job)
            else:
                show(str(job.status), progress_of(job))
    assert last is not None  # watch yields at least once or raises
    if not output.json_mode:
        output.job(last)
    if kind.state(last) is JobState.FAILED:
        output.error(kind.failure_error(last))
        return 1
    return 0


_GENERIC: dict[str, Command] = {
    "list": _list,
    "get": _get,
    "rename": _rename,
    "delete": _delete,
    "wait": _wait,
}
