"""``tavus-async memories``: ``delete STORE ID``, the one memory call Tavus documents."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .family import Actions, Command

if TYPE_CHECKING:
    from .._client import TavusClient
    from .output import Output

__all__ = ["COMMANDS", "HELP", "add_commands", "list_filters"]

HELP = "delete a memory a conversation made"


def add_commands(actions: Actions) -> None:
    """``delete STORE ID``."""
    delete = actions.add_parser("delete", help="delete one memory of a memory store")
    delete.add_argument("memory_store", metavar="STORE", help="the store's name, as given")
    delete.add_argument("memory_id", metavar="ID")


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """Memories have no list."""
    return {}


async def _delete(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    await tavus.memories.delete(args.memory_store, args.memory_id)
    output.record({"memory_store": args.memory_store, "memory_id": args.memory_id, "deleted": True})
    return 0


COMMANDS: dict[str, Command] = {"delete": _delete}
