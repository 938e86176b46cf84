"""``tavus-async voices``: ``list`` with ``--search``, ``--tag`` and ``--sort``."""

from __future__ import annotations

import argparse
from typing import Any

from .family import Actions, Command

__all__ = ["COMMANDS", "HELP", "add_commands", "list_filters"]

HELP = "list Tavus's stock voices (for replicas trained from a photo)"


def add_commands(actions: Actions) -> None:
    """``list --search/--tag/--sort``."""
    listing = actions.choices["list"]
    listing.add_argument("--search", help="only voices whose name holds this (any case)")
    listing.add_argument("--tag", help="only voices of replicas with this tag")
    listing.add_argument("--sort", help="by name: asc (Tavus's default) or desc")


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """``search``, ``tag`` and ``sort`` from the list's options."""
    return {"search": args.search, "tag": args.tag, "sort": args.sort}


COMMANDS: dict[str, Command] = {}
