"""``tavus-async tools``: the generic commands, ``create`` and ``update``.

``--parameters`` and ``--delivery`` take JSON (or ``@FILE`` holding it); ``--api-url``
(with ``--api-method`` and ``--header NAME=VALUE``) is the short way to an API delivery.
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

HELP = "create, list, show, update, delete the account's tools"
_WORDS = ("trigger_type", "origin", "on_call", "on_resolve", "static_filler", "description")


def _fields(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--name", required=required, help="what the LLM calls")
    parser.add_argument("--description")
    parser.add_argument("--parameters", help="a JSON Schema of its arguments, or @FILE")
    parser.add_argument("--delivery", help="the delivery as JSON, or @FILE")
    parser.add_argument("--api-url", help="deliver by HTTP to this url")
    parser.add_argument("--api-method", help="with --api-url: GET, POST, ...")
    parser.add_argument(
        "--header", action="append", default=[], metavar="NAME=VALUE", help="with --api-url"
    )
    parser.add_argument("--trigger-type", help="in_call or post_call")
    parser.add_argument("--origin", help="llm, vision or audio")
    parser.add_argument("--on-call", help="generate_filler, static_filler, silent, passthrough")
    parser.add_argument("--on-resolve", help="generate_response, response_in_result, ...")
    parser.add_argument("--static-filler", help="what to say while it runs (on_call static_filler)")


def add_commands(actions: Actions) -> None:
    """``list --sort --type``, ``create`` and ``update``."""
    listing = actions.choices["list"]
    listing.add_argument("--sort", help="by creation: asc (Tavus's default) or desc")
    listing.add_argument("--type", help="user (Tavus's default), system or all")
    _fields(actions.add_parser("create", help="create a tool"), required=True)
    update = actions.add_parser("update", help="change the fields given, then show the tool")
    update.add_argument("id")
    _fields(update, required=False)


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """``sort`` and ``type``."""
    return {"sort": args.sort, "type": args.type}


async def _json(text: str | None, option: str) -> Any:
    if text is None:
        return None
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


async def _given(args: argparse.Namespace) -> dict[str, Any]:
    """The tool's fields the options give."""
    fields: dict[str, Any] = {key: getattr(args, key) for key in _WORDS}
    fields["name"] = args.name
    fields["parameters"] = await _json(args.parameters, "--parameters")
    fields["delivery"] = await _json(args.delivery, "--delivery")
    if args.api_url is not None:
        if fields["delivery"] is not None:
            raise ValueError("give --delivery or --api-url, not both")
        headers = {}
        for text in args.header:
            name, equals, value = text.partition("=")
            if not equals or not name:
                raise ValueError(f"--header takes NAME=VALUE, got {text!r}")
            headers[name] = value
        api = {"url": args.api_url, "method": args.api_method, "headers": headers or None}
        fields["delivery"] = {"api": {k: v for k, v in api.items() if v is not None}}
    elif args.header or args.api_method:
        raise ValueError("--header and --api-method go with --api-url")
    return {key: value for key, value in fields.items() if value is not None}


async def _create(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    output.job(await tavus.tools.create(**await _given(args)))
    return 0


async def _update(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    fields = await _given(args)
    if not fields:
        raise ValueError("say what to change: --name, --description, --parameters, ...")
    tool = await tavus.tools.update(args.id, **fields)
    output.job(tool if tool is not None else await tavus.tools.get(args.id))
    return 0


COMMANDS: dict[str, Command] = {"create": _create, "update": _update}
