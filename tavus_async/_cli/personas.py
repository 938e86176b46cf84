"""``tavus-async personas``: the generic commands, ``list --persona-type``, ``create``, ``update``.

What is printed has its secrets masked (``Output``), so a persona saved with ``personas get
--json`` holds ``"***"`` for its keys: ``update --from-file`` keeps the stored secret where
the file still says ``"***"`` (in objects and arrays alike) and refuses a ``"***"`` with no
stored secret behind it; ``create --file`` refuses to send one, and leaves out the fields
Tavus assigns (``persona_id``, ``persona_type``, the timestamps).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._core.json_patch import json_patch
from .._core.models import SECRET_MASK, looks_secret
from .family import Actions, Command
from .patching import masked_paths

if TYPE_CHECKING:
    from .._client import TavusClient
    from .output import Output

__all__ = ["COMMANDS", "HELP", "add_commands", "list_filters"]

HELP = "create, list, show, update (JSON Patch), delete personas"

# ``create``'s options, by the field each sets.
_TEXT_OPTIONS = {
    "persona_name": "name",
    "system_prompt": "system_prompt",
    "context": "context",
    "pipeline_mode": "pipeline_mode",
    "default_replica_id": "default_replica_id",
    "guardrails_id": "guardrails_id",
    "objectives_id": "objectives_id",
}
_LIST_OPTIONS = {
    "document_ids": "document_id",
    "document_tags": "document_tag",
    "guardrail_ids": "guardrail_id",
    "guardrail_tags": "guardrail_tag",
}
_FIELDS = (*_TEXT_OPTIONS, *_LIST_OPTIONS, "layers")
# What Tavus assigns a persona: left out of a ``create --file`` body (a `get --json` copy).
_READ_ONLY = ("persona_id", "persona_type", "created_at", "updated_at")


def add_commands(actions: Actions) -> None:
    """``list --persona-type``, ``create`` and ``update``."""
    actions.choices["list"].add_argument(
        "--persona-type", help="only user (yours) or system (Tavus's stock) personas"
    )
    create = actions.add_parser("create", help="create a persona")
    create.add_argument(
        "--file",
        type=Path,
        help="a JSON file with the whole persona's body (a `personas get --json` copy will "
        "do: persona_id, persona_type, created_at and updated_at are left out)",
    )
    create.add_argument("--name", help="persona_name")
    create.add_argument("--system-prompt")
    create.add_argument("--context")
    create.add_argument("--pipeline-mode", help="full (Tavus's default) or echo")
    create.add_argument("--default-replica-id")
    create.add_argument("--layers", help="the layers as JSON, or @FILE holding it")
    for option, what in (
        ("--document-id", "a document to attach"),
        ("--document-tag", "attach the documents with this tag"),
        ("--guardrail-id", "a guardrail to attach"),
        ("--guardrail-tag", "attach the guardrails with this tag"),
    ):
        create.add_argument(option, action="append", help=f"{what} (repeatable)")
    create.add_argument("--guardrails-id", help="a legacy guardrail set")
    create.add_argument("--objectives-id")
    update = actions.add_parser("update", help="change a persona with a JSON Patch, then show it")
    update.add_argument("id")
    update.add_argument(
        "--op", action="append", default=[], help="one operation as JSON (repeatable)"
    )
    update.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="/PATH=VALUE",
        help="replace the value at PATH; VALUE is JSON, else text (repeatable)",
    )
    update.add_argument("--patch", type=Path, help="a JSON file holding a JSON Patch array")
    update.add_argument(
        "--from-file",
        type=Path,
        help="the whole edited persona as JSON (from `personas get --json`): its changes are sent",
    )


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """``persona_type`` from ``--persona-type``."""
    return {"persona_type": args.persona_type}


async def _read_json(path: Path, option: str) -> Any:
    try:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:  # before any request: a usage error
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ValueError(f"{option} {path}: {reason}") from None
    return _parse(text, f"{option} {path}")


def _parse(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{where} is not JSON: {exc}") from None


def _unmasked(after: Any, before: Any, left: list[str], path: str = "") -> Any:
    """``after`` with each ``"***"`` under a secret-looking key put back to ``before``'s value.

    Objects are walked key by key, arrays index by index. The paths of the ``"***"`` that
    ``before`` has no value for are added to ``left``.
    """
    if isinstance(after, dict):
        prior = before if isinstance(before, dict) else {}
        restored: dict[str, Any] = {}
        for key, item in after.items():
            here = f"{path}.{key}" if path else str(key)
            if item == SECRET_MASK and looks_secret(str(key)):
                kept = prior.get(key)
                if kept is None:
                    left.append(here)
                restored[key] = item if kept is None else kept
            else:
                restored[key] = _unmasked(item, prior.get(key), left, here)
        return restored
    if isinstance(after, list):
        prior_items = before if isinstance(before, list) else []
        return [
            _unmasked(item, prior_items[i] if i < len(prior_items) else None, left, f"{path}[{i}]")
            for i, item in enumerate(after)
        ]
    return after


async def _create(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    fields: dict[str, Any] = {}
    if args.file is not None:
        fields = await _read_json(args.file, "--file")
        if not isinstance(fields, dict):
            raise ValueError(f"--file {args.file} must hold a JSON object (the persona's body)")
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
            fields["layers"] = await _read_json(Path(layers[1:]), "--layers")
        else:
            fields["layers"] = _parse(layers, "--layers")
    masked = masked_paths(fields)
    if masked:
        raise ValueError(
            f"{', '.join(masked)} holds {SECRET_MASK!r}, a masked secret (from printed "
            "output): give the real value"
        )
    known = {k: v for k, v in fields.items() if k in _FIELDS}
    extra = {k: v for k, v in fields.items() if k not in _FIELDS}
    create: Any = tavus.personas.create  # the file's fields, checked by the call itself
    persona = await create(**known, extra_body=extra or None)
    output.job(persona)
    return 0


async def _update(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    edits = bool(args.op or args.set or args.patch)
    if args.from_file is not None and edits:
        raise ValueError("give --from-file alone, or --op / --set / --patch")
    operations: list[Any] = []
    if args.from_file is not None:
        after = await _read_json(args.from_file, "--from-file")
        if not isinstance(after, dict):
            raise ValueError(f"--from-file {args.from_file} must hold the persona's JSON object")
        before = (await tavus.personas.get(args.id)).to_dict()
        left: list[str] = []
        restored = _unmasked(after, before, left)
        if left:
            raise ValueError(
                f"--from-file {args.from_file}: {', '.join(left)} holds {SECRET_MASK!r}, a "
                "masked secret, where the stored persona has none to keep: give the real value"
            )
        operations = json_patch(before, restored)
    elif not edits:
        raise ValueError("say what to change: --op, --set, --patch or --from-file")
    if args.patch is not None:
        patch = await _read_json(args.patch, "--patch")
        if not isinstance(patch, list):
            raise ValueError(f"--patch {args.patch} must hold a JSON Patch array")
        operations.extend(patch)
    operations.extend(_parse(op, "--op") for op in args.op)
    for assignment in args.set:
        path, equals, text = assignment.partition("=")
        if not equals or not path.startswith("/"):
            raise ValueError(f"--set takes /PATH=VALUE, got {assignment!r}")
        try:
            value = json.loads(text)
        except ValueError:
            value = text  # plain text: --set /persona_name=Coach
        operations.append({"op": "replace", "path": path, "value": value})
    if operations:
        await tavus.personas.update(args.id, operations)
    output.job(await tavus.personas.get(args.id))
    return 0


COMMANDS: dict[str, Command] = {"create": _create, "update": _update}
