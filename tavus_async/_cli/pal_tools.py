"""``tavus-async pal-tools``: ``attach PAL_ID --tool-id ...``, ``list PAL_ID``,
``detach PAL_ID TOOL_ID``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .family import Actions, Command

if TYPE_CHECKING:
    from .._client import TavusClient
    from .output import Output

__all__ = ["COMMANDS", "HELP", "add_commands", "list_filters"]

HELP = "attach tools to a PAL, list them, detach one"
_COLUMNS = ("tool_id", "name", "trigger_type", "origin")


def add_commands(actions: Actions) -> None:
    """``attach``, ``list`` and ``detach``, each naming the PAL first."""
    attach = actions.add_parser("attach", help="attach tools to a PAL, then list its tools")
    attach.add_argument("pal_id", metavar="PAL_ID")
    attach.add_argument(
        "--tool-id", dest="tool_ids", action="append", required=True, help="(repeatable)"
    )
    listing = actions.add_parser("list", help="list the tools attached to a PAL")
    listing.add_argument("pal_id", metavar="PAL_ID")
    detach = actions.add_parser("detach", help="detach a tool from a PAL")
    detach.add_argument("pal_id", metavar="PAL_ID")
    detach.add_argument("tool_id", metavar="TOOL_ID")


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """The family's list takes its PAL, not filters."""
    return {}


async def _list_of(tavus: TavusClient, pal_id: str, output: Output) -> None:
    tools = await tavus.pal_tools.list(pal_id)
    output.jobs(list(tools), total=len(tools), columns=_COLUMNS)


async def _attach(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    await tavus.pal_tools.attach(args.pal_id, tool_ids=args.tool_ids)
    await _list_of(tavus, args.pal_id, output)
    return 0


async def _list(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    await _list_of(tavus, args.pal_id, output)
    return 0


async def _detach(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    await tavus.pal_tools.detach(args.pal_id, args.tool_id)
    output.record({"pal_id": args.pal_id, "tool_id": args.tool_id, "detached": True})
    return 0


COMMANDS: dict[str, Command] = {"attach": _attach, "list": _list, "detach": _detach}
