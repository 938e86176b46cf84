"""``tavus-async transcriptions``: the generic commands and ``create``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .family import Actions, Command

if TYPE_CHECKING:
    from .._client import TavusClient
    from .output import Output

__all__ = ["COMMANDS", "HELP", "add_commands", "list_filters"]

HELP = "transcribe files (in openapi.yaml, not in the reference's pages): create, list, show"


def add_commands(actions: Actions) -> None:
    """``create``."""
    create = actions.add_parser("create", help="transcribe the file at a url")
    create.add_argument("--file-url", required=True)
    create.add_argument("--callback-url", required=True, help="told when it is done (required)")


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """Transcriptions have no list filters."""
    return {}


async def _create(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    output.job(
        await tavus.transcriptions.create(file_url=args.file_url, callback_url=args.callback_url)
    )
    return 0


COMMANDS: dict[str, Command] = {"create": _create}
