"""``tavus-async canvas-interactions``: ``record`` and ``list`` a conversation's Magic Canvas
interactions."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .family import Actions, Command
from .patching import parse_json

if TYPE_CHECKING:
    from .._client import TavusClient
    from .output import Output

__all__ = ["COMMANDS", "HELP", "add_commands", "list_filters"]

HELP = "record and list a conversation's Magic Canvas interactions"

_COLUMNS = ("interaction_id", "tool_call_id", "component", "type", "created_at")


def add_commands(actions: Actions) -> None:
    """``record CONVERSATION_ID`` and ``list CONVERSATION_ID``."""
    record = actions.add_parser("record", help="record an interaction with a card")
    record.add_argument("conversation_id", metavar="CONVERSATION_ID")
    record.add_argument("--interaction-id", required=True, help="your id for it (1-128)")
    record.add_argument("--tool-call-id", required=True, help="the tool call that showed it")
    record.add_argument("--component", required=True, help="e.g. canvas.question")
    record.add_argument(
        "--type", required=True, help="submit, skip, dismiss, clear, error or heartbeat"
    )
    record.add_argument("--component-version", help="e.g. v1")
    record.add_argument("--value", help="the answer as JSON (else as text)")
    record.add_argument("--metadata", help="a JSON object")
    listing = actions.add_parser("list", help="the interactions recorded in a conversation")
    listing.add_argument("conversation_id", metavar="CONVERSATION_ID")


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """The list takes no filters."""
    return {}


async def _record(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    value: Any = None
    if args.value is not None:
        try:
            value = parse_json(args.value, "--value")
        except ValueError:
            value = args.value  # plain text: --value B
    metadata = None if args.metadata is None else parse_json(args.metadata, "--metadata")
    await tavus.canvas_interactions.record(
        args.conversation_id,
        interaction_id=args.interaction_id,
        tool_call_id=args.tool_call_id,
        component=args.component,
        type=args.type,
        component_version=args.component_version,
        value=value,
        metadata=metadata,
    )
    output.record(
        {
            "conversation_id": args.conversation_id,
            "interaction_id": args.interaction_id,
            "recorded": True,
        }
    )
    return 0


async def _list(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    page = await tavus.canvas_interactions.list(args.conversation_id)
    output.jobs(list(page.data), total=len(page), columns=_COLUMNS)
    return 0


COMMANDS: dict[str, Command] = {"record": _record, "list": _list}
