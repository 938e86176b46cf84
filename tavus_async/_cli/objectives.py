"""``tavus-async objectives``: the generic commands, ``create`` and ``update``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .family import Actions, Command
from .patching import add_patch_options, parse_json, read_json_file, read_operations

if TYPE_CHECKING:
    from .._client import TavusClient
    from .output import Output

__all__ = ["COMMANDS", "HELP", "add_commands", "list_filters"]

HELP = "create, list, show, update (JSON Patch), delete sets of objectives"


def add_commands(actions: Actions) -> None:
    """``create`` and ``update``."""
    create = actions.add_parser("create", help="create a set of objectives")
    create.add_argument(
        "--item", action="append", default=[], help="one objective as JSON (repeatable)"
    )
    create.add_argument(
        "--file", type=Path, help='a JSON file: the list of objectives, or {"data": [...]}'
    )
    update = actions.add_parser("update", help="change a set with a JSON Patch, then show it")
    update.add_argument("id")
    add_patch_options(update)


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """None: Tavus's list of objectives takes no filter."""
    return {}


async def _create(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    items: list[Any] = []
    if args.file is not None:
        held = await read_json_file(args.file, "--file")
        if isinstance(held, dict) and isinstance(held.get("data"), list):
            held = held["data"]
        if not isinstance(held, list):
            raise ValueError(f'--file {args.file} must hold a JSON list or {{"data": [...]}}')
        items.extend(held)
    items.extend(parse_json(item, "--item") for item in args.item)
    if not items:
        raise ValueError("give the objectives: --item JSON (repeatable) or --file")
    output.job(await tavus.objectives.create(data=items))
    return 0


async def _update(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    await tavus.objectives.update(args.id, await read_operations(args))
    output.job(await tavus.objectives.get(args.id))
    return 0


COMMANDS: dict[str, Command] = {"create": _create, "update": _update}
