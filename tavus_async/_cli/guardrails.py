"""``tavus-async guardrails``: the generic commands, ``list`` filters, ``create``, ``update``,
and the legacy sets (``legacy-sets``, ``create-legacy-set``)."""

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

HELP = "create, list, show, update (JSON Patch), delete guardrails; legacy guardrail sets"

_SET_COLUMNS = ("guardrails_id", "name", "created_at")


def add_commands(actions: Actions) -> None:
    """``list`` filters, ``create``, ``update``, ``legacy-sets`` and ``create-legacy-set``."""
    listing = actions.choices["list"]
    listing.add_argument("--sort", help="by creation: ascending (Tavus's default) or descending")
    listing.add_argument("--name-or-uuid", help="only guardrails whose name or uuid matches")
    listing.add_argument(
        "--tag", action="append", help="only guardrails with this tag (repeatable: any of them)"
    )
    create = actions.add_parser("create", help="create a guardrail")
    create.add_argument("--name", required=True, help="guardrail_name: letters, digits, _")
    create.add_argument("--prompt", required=True, help="guardrail_prompt: the rule")
    create.add_argument("--modality", help="verbal (Tavus's default) or visual")
    create.add_argument("--callback-url", help="told each time the guardrail triggers")
    create.add_argument("--tag", action="append", help="a tag (repeatable)")
    create.add_argument(
        "--app-message",
        action=argparse.BooleanOptionalAction,
        help="also tell the call's app when it triggers (Tavus's default: yes)",
    )
    update = actions.add_parser(
        "update", help="change a guardrail (or a legacy set) with a JSON Patch"
    )
    update.add_argument("id")
    add_patch_options(update)
    sets = actions.add_parser("legacy-sets", help="list the legacy guardrail sets")
    sets.add_argument("--limit", type=int, help="page size (Tavus's default: 10)")
    sets.add_argument("--page", type=int, help="the page, from 1 (Tavus's default: 1)")
    new_set = actions.add_parser("create-legacy-set", help="create a legacy guardrail set")
    new_set.add_argument("--name", required=True, help="the set's name")
    new_set.add_argument(
        "--item", action="append", default=[], help="one guardrail as JSON (repeatable)"
    )
    new_set.add_argument("--file", type=Path, help="a JSON file: the list of guardrails")


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """``sort``, ``name_or_uuid`` and ``tags`` from their options."""
    return {"sort": args.sort, "name_or_uuid": args.name_or_uuid, "tags": args.tag}


async def _create(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    guardrail = await tavus.guardrails.create(
        guardrail_name=args.name,
        guardrail_prompt=args.prompt,
        modality=args.modality,
        callback_url=args.callback_url,
        tags=args.tag,
        app_message=args.app_message,
    )
    output.job(guardrail)
    return 0


async def _update(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    changed = await tavus.guardrails.update(args.id, await read_operations(args))
    if changed is not None:
        output.job(changed)
    else:  # nothing changed (304), or a legacy set: Tavus sends no guardrail back
        output.record({"id": args.id, "updated": True})
    return 0


async def _legacy_sets(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    page = await tavus.guardrails.list_legacy_sets(limit=args.limit, page=args.page)
    output.jobs(list(page.data), total=page.total_count, columns=_SET_COLUMNS)
    return 0


async def _create_legacy_set(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    items: list[Any] = []
    if args.file is not None:
        held = await read_json_file(args.file, "--file")
        if not isinstance(held, list):
            raise ValueError(f"--file {args.file} must hold a JSON list of guardrails")
        items.extend(held)
    items.extend(parse_json(item, "--item") for item in args.item)
    if not items:
        raise ValueError("give the set's guardrails: --item JSON (repeatable) or --file")
    output.job(await tavus.guardrails.create_legacy_set(name=args.name, data=items))
    return 0


COMMANDS: dict[str, Command] = {
    "create": _create,
    "update": _update,
    "legacy-sets": _legacy_sets,
    "create-legacy-set": _create_legacy_set,
}
