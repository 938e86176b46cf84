"""``tavus-async pals``: the generic commands, ``list --pal-type``, ``create``, ``update``,
``publish``.

What is printed has its secrets masked, so ``create --file`` refuses a body holding
``"***"`` (a masked secret copied from printed output), and leaves out the fields Tavus
assigns (``pal_id``, ``pal_type``, ``conferencing_email``, the timestamps).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._core.models import SECRET_MASK
from .family import Actions, Command
from .patching import (
    add_patch_options,
    masked_paths,
    parse_json,
    read_json_file,
    read_operations,
)

if TYPE_CHECKING:
    from .._client import TavusClient
    from .output import Output

__all__ = ["COMMANDS", "HELP", "add_commands", "list_filters"]

HELP = "create, list, show, update (JSON Patch), publish, delete PALs (the current personas)"

# ``create``'s options, by the field each sets.
_TEXT_OPTIONS = {
    "pal_name": "name",
    "system_prompt": "system_prompt",
    "pipeline_mode": "pipeline_mode",
    "default_face_id": "default_face_id",
    "objectives_id": "objectives_id",
}
_LIST_OPTIONS = {
    "document_ids": "document_id",
    "document_tags": "document_tag",
    "guardrail_ids": "guardrail_id",
    "guardrail_tags": "guardrail_tag",
}
_FIELDS = (*_TEXT_OPTIONS, *_LIST_OPTIONS, "layers")
_READ_ONLY = ("pal_id", "pal_type", "conferencing_email", "created_at", "updated_at")


def add_commands(actions: Actions) -> None:
    """``list --pal-type``, ``create``, ``update`` and ``publish``."""
    actions.choices["list"].add_argument(
        "--pal-type", help="only user (yours) or system (Tavus's stock) PALs"
    )
    create = actions.add_parser("create", help="create a PAL")
    create.add_argument(
        "--file",
        type=Path,
        help="a JSON file with the whole PAL's body (a `pals get --json` copy will do: the "
        "fields Tavus assigns are left out)",
    )
    create.add_argument("--name", help="pal_name")
    create.add_argument("--system-prompt")
    create.add_argument("--pipeline-mode", help="full (Tavus's default) or echo")
    create.add_argument("--default-face-id", help="the face it appears as (required by Tavus)")
    create.add_argument("--layers", help="the layers as JSON, or @FILE holding it")
    for option, what in (
        ("--document-id", "a document to attach"),
        ("--document-tag", "attach the documents with this tag"),
        ("--guardrail-id", "a guardrail to attach"),
        ("--guardrail-tag", "attach the guardrails with this tag"),
    ):
        create.add_argument(option, action="append", help=f"{what} (repeatable)")
    create.add_argument("--objectives-id")
    update = actions.add_parser("update", help="change a PAL with a JSON Patch, then show it")
    update.add_argument("id")
    add_patch_options(update)
    publish = actions.add_parser("publish", help="publish the PAL's PAL Builder draft")
    publish.add_argument("id")


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """``pal_type`` from ``--pal-type``."""
    return {"pal_type": args.pal_type}


async def _create(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    fields: dict[str, Any] = {}
    if args.file is not None:
        fields = await read_json_file(args.file, "--file")
        if not isinstance(fields, dict):
            raise ValueError(f"--file {args.file} must hold a JSON object (the PAL's body)")
        fields = {k: v for k, v in fields.items() if k not in _READ_ONLY}
    for field, option in _TEXT_OPTIONS.items():
        if getattr(args, option) is not None:
            fields[field] = getattr(args, option)
    for field, option in _LIST_OPTIONS.items():
        if getattr(args, option):
            fields[field] = getattr(args, option)
    if args.layers is not None:
        layers = args.layers
        if layers.startswith("@"):
            fields["layers"] = await read_json_file(Path(layers[1:]), "--layers")
        else:
            fields["layers"] = parse_json(layers, "--layers")
    masked = masked_paths(fields)
    if masked:
        raise ValueError(
            f"{', '.join(masked)} holds {SECRET_MASK!r}, a masked secret (from printed "
            "output): give the real value"
        )
    if "default_face_id" not in fields:
        raise ValueError("give --default-face-id (the face the PAL appears as)")
    known = {k: v for k, v in fields.items() if k in _FIELDS}
    extra = {k: v for k, v in fields.items() if k not in _FIELDS}
    create: Any = tavus.pals.create  # the file's fields, checked by the call itself
    output.job(await create(**known, extra_body=extra or None))
    return 0


async def _update(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    await tavus.pals.update(args.id, await read_operations(args))
    output.job(await tavus.pals.get(args.id))
    return 0


async def _publish(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    await tavus.pals.publish(args.id)
    output.record({"pal_id": args.id, "published": True})
    return 0


COMMANDS: dict[str, Command] = {"create": _create, "update": _update, "publish": _publish}
