"""``tavus-async deployments``: the generic commands, ``create``, ``update`` (JSON Patch), and
the public calls ``init``, ``start`` and ``end``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .family import Actions, Command
from .patching import add_patch_options, parse_json, read_operations

if TYPE_CHECKING:
    from .._client import TavusClient
    from .output import Output

__all__ = ["COMMANDS", "HELP", "add_commands", "list_filters"]

HELP = "publish PALs as widgets, embeds or landing pages; start and end their conversations"


def add_commands(actions: Actions) -> None:
    """``create``, ``update``, ``init``, ``start`` and ``end``."""
    create = actions.add_parser("create", help="publish a PAL on a channel")
    create.add_argument("--pal-id", required=True)
    create.add_argument("--channel", required=True, help="widget, embed or landing-page")
    create.add_argument("--name", help="its display name")
    create.add_argument("--password", help="a password visitors enter before a call")
    create.add_argument("--customization", help="its settings as a JSON object")
    create.add_argument("--limits", help="its call limits as a JSON object")
    create.add_argument(
        "--allowed-origin", action="append", help="a site that may embed it (repeatable)"
    )
    update = actions.add_parser("update", help="change a deployment with a JSON Patch")
    update.add_argument("id")
    update.add_argument("--if-match", help="the ETag of an earlier read: refused if changed")
    add_patch_options(update)
    init = actions.add_parser("init", help="its public configuration (what its element reads)")
    init.add_argument("id")
    start = actions.add_parser("start", help="start a conversation on it (billed)")
    start.add_argument("id")
    start.add_argument("--password")
    start.add_argument("--context", help="conversational_context for this conversation")
    start.add_argument("--greeting", help="custom_greeting for this conversation")
    start.add_argument("--pal-id", help="preview with another PAL")
    start.add_argument("--memory-store", action="append", help="a memory store (repeatable)")
    start.add_argument("--captcha-token")
    end = actions.add_parser("end", help="end a conversation it started")
    end.add_argument("id")
    end.add_argument("conversation_id")


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """Deployments have no list filters."""
    return {}


def _object(text: str | None, option: str) -> Any:
    if text is None:
        return None
    value = parse_json(text, option)
    if not isinstance(value, dict):
        raise ValueError(f"{option} must be a JSON object")
    return value


async def _create(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    deployment = await tavus.deployments.create(
        pal_id=args.pal_id,
        channel=args.channel,
        name=args.name,
        password=args.password,
        customization=_object(args.customization, "--customization"),
        limits=_object(args.limits, "--limits"),
        allowed_origins=args.allowed_origin,
    )
    output.job(deployment)
    return 0


async def _update(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    operations = await read_operations(args)
    echoed = await tavus.deployments.update(args.id, operations, if_match=args.if_match)
    output.job(echoed if echoed is not None else await tavus.deployments.get(args.id))
    return 0


async def _init(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    output.job(await tavus.deployments.init(args.id))
    return 0


async def _start(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    started = await tavus.deployments.start_conversation(
        args.id,
        password=args.password,
        conversational_context=args.context,
        custom_greeting=args.greeting,
        pal_id=args.pal_id,
        memory_stores=args.memory_store,
        captcha_token=args.captcha_token,
    )
    output.job(started)
    return 0


async def _end(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    await tavus.deployments.end_conversation(args.id, args.conversation_id)
    output.record(
        {"deployment_id": args.id, "conversation_id": args.conversation_id, "ended": True}
    )
    return 0


COMMANDS: dict[str, Command] = {
    "create": _create,
    "update": _update,
    "init": _init,
    "start": _start,
    "end": _end,
}
