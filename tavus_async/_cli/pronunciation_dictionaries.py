"""``tavus-async pronunciation-dictionaries``: the generic commands, ``create``, ``update``.

Rules are given as ``--rule TEXT=SAY`` (an alias: say TEXT as SAY), ``--ipa TEXT=IPA``,
or ``--rules`` with a JSON array of rule objects (or ``@FILE`` holding one).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .family import Actions, Command

if TYPE_CHECKING:
    from .._client import TavusClient
    from .output import Output

__all__ = ["COMMANDS", "HELP", "add_commands", "list_filters"]

HELP = "create, list, show, update (JSON Patch), delete pronunciation dictionaries"


def _rule_options(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--rule", action="append", default=[], metavar="TEXT=SAY", help=f"{what}: an alias"
    )
    parser.add_argument(
        "--ipa", action="append", default=[], metavar="TEXT=IPA", help=f"{what}: in IPA"
    )
    parser.add_argument("--rules", help="the rules as a JSON array, or @FILE holding it")


def add_commands(actions: Actions) -> None:
    """``list --sort``, ``create`` and ``update``."""
    actions.choices["list"].add_argument(
        "--sort", help="by creation: desc (Tavus's default, newest first) or asc"
    )
    create = actions.add_parser("create", help="create a pronunciation dictionary")
    create.add_argument("--name", required=True)
    _rule_options(create, "a rule (repeatable)")
    update = actions.add_parser(
        "update", help="rename it or replace its rules (JSON Patch), then show it"
    )
    update.add_argument("id")
    update.add_argument("--name", help="the new name")
    _rule_options(update, "the new rules, replacing all (repeatable)")
    update.add_argument(
        "--op", action="append", default=[], help="one JSON Patch operation as JSON (repeatable)"
    )


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """``sort`` from ``--sort``."""
    return {"sort": args.sort}


def _pair(option: str, text: str, kind: str) -> dict[str, Any]:
    said, equals, pronunciation = text.partition("=")
    if not equals or not said:
        raise ValueError(f"{option} takes TEXT=PRONUNCIATION, got {text!r}")
    return {"text": said, "pronunciation": pronunciation, "type": kind}


async def _json(text: str, option: str) -> Any:
    where = option
    if text.startswith("@"):
        path = Path(text[1:])
        where = f"{option} {path}"
        try:
            text = await asyncio.to_thread(path.read_text, encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:  # before any request: a usage error
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise ValueError(f"{where}: {reason}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{where} is not JSON: {exc}") from None


async def _rules(args: argparse.Namespace) -> list[Any] | None:
    """The rules the options give, or None when they give none."""
    rules: list[Any] = []
    if args.rules is not None:
        given = await _json(args.rules, "--rules")
        if not isinstance(given, list):
            raise ValueError("--rules must be a JSON array of rules")
        rules.extend(given)
    rules += [_pair("--rule", text, "alias") for text in args.rule]
    rules += [_pair("--ipa", text, "ipa") for text in args.ipa]
    return rules if rules or args.rules is not None else None


async def _create(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    dictionary = await tavus.pronunciation_dictionaries.create(
        name=args.name, rules=await _rules(args)
    )
    output.job(dictionary)
    return 0


async def _update(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    operations: list[Any] = []
    if args.name is not None:
        operations.append({"op": "replace", "path": "/name", "value": args.name})
    rules = await _rules(args)
    if rules is not None:
        operations.append({"op": "replace", "path": "/rules", "value": rules})
    operations += [await _json(op, "--op") for op in args.op]
    if not operations:
        raise ValueError("say what to change: --name, --rule, --ipa, --rules or --op")
    await tavus.pronunciation_dictionaries.update(args.id, operations)
    output.job(await tavus.pronunciation_dictionaries.get(args.id))
    return 0


COMMANDS: dict[str, Command] = {"create": _create, "update": _update}
