"""What every ``update`` command that sends a JSON Patch shares: its options and their reading.

``--op JSON`` (an operation), ``--set /PATH=VALUE`` (a replace) and ``--patch FILE`` (an
array), each repeatable or combined, in that order; and where a body read from a file
holds a masked secret (``masked_paths``). Knows no family.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

from .._core.models import SECRET_MASK, looks_secret

__all__ = [
    "add_patch_options",
    "masked_paths",
    "parse_json",
    "read_json_file",
    "read_operations",
]


def add_patch_options(parser: argparse.ArgumentParser) -> None:
    """``--op``, ``--set`` and ``--patch`` on an update command."""
    parser.add_argument(
        "--op", action="append", default=[], help="one operation as JSON (repeatable)"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="/PATH=VALUE",
        help="replace the value at PATH; VALUE is JSON, else text (repeatable)",
    )
    parser.add_argument("--patch", type=Path, help="a JSON file holding a JSON Patch array")


async def read_json_file(path: Path, option: str) -> Any:
    """The JSON a file holds; ValueError naming ``option`` when it cannot be read as JSON."""
    try:
        text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:  # before any request: a usage error
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ValueError(f"{option} {path}: {reason}") from None
    return parse_json(text, f"{option} {path}")


def parse_json(text: str, where: str) -> Any:
    """``text`` as JSON; ValueError saying ``where`` it came from when it is not."""
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{where} is not JSON: {exc}") from None


async def read_operations(args: argparse.Namespace) -> list[Any]:
    """The operations the options give; ValueError when they give none or one is malformed."""
    operations: list[Any] = []
    if args.patch is not None:
        patch = await read_json_file(args.patch, "--patch")
        if not isinstance(patch, list):
            raise ValueError(f"--patch {args.patch} must hold a JSON Patch array")
        operations.extend(patch)
    operations.extend(parse_json(op, "--op") for op in args.op)
    for assignment in args.set:
        path, equals, text = assignment.partition("=")
        if not equals or not path.startswith("/"):
            raise ValueError(f"--set takes /PATH=VALUE, got {assignment!r}")
        try:
            value = json.loads(text)
        except ValueError:
            value = text  # plain text: --set /guardrail_prompt=Be kind
        operations.append({"op": "replace", "path": path, "value": value})
    if not operations:
        raise ValueError("say what to change: --op, --set or --patch")
    return operations


def masked_paths(value: Any, path: str = "") -> list[str]:
    """Where ``value`` holds ``"***"`` under a secret-looking key: a masked copy's secrets."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if item == SECRET_MASK and looks_secret(str(key)):
                found.append(here)
            else:
                found.extend(masked_paths(item, here))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(masked_paths(item, f"{path}[{index}]"))
    return found
