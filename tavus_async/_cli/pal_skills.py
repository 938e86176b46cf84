"""``tavus-async pal-skills``: a PAL's skills: ``list``, ``get``, ``attach``, ``update``,
``replace``, ``detach``, each naming the PAL first. Configs are JSON (or ``@FILE``)."""

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

HELP = "attach skills to a PAL with their config, list, change, detach them"
_COLUMNS = ("skill_id", "config", "attached_at", "updated_at")


def _pal(parser: argparse.ArgumentParser, *, skill: bool = True) -> argparse.ArgumentParser:
    parser.add_argument("pal_id", metavar="PAL_ID")
    if skill:
        parser.add_argument("skill_id", metavar="SKILL_ID")
    return parser


def add_commands(actions: Actions) -> None:
    """The six calls of a PAL's skills."""
    _pal(actions.add_parser("list", help="list a PAL's skills"), skill=False)
    _pal(actions.add_parser("get", help="show one skill of a PAL"))
    attach = _pal(actions.add_parser("attach", help="attach a skill (or set its whole config)"))
    attach.add_argument("--config", help="its config as a JSON object, or @FILE")
    update = _pal(actions.add_parser("update", help="merge into its config (null removes)"))
    update.add_argument("--config", required=True, help="a JSON object, or @FILE")
    replace = _pal(actions.add_parser("replace", help="make these all its skills"), skill=False)
    replace.add_argument(
        "--skill", action="append", default=[], metavar="ID[=CONFIG]",
        help="a skill, with its config as JSON (repeatable; none detaches all)",
    )  # fmt: skip
    _pal(actions.add_parser("detach", help="detach a skill from a PAL"))


def list_filters(args: argparse.Namespace) -> dict[str, Any]:
    """The family's list takes its PAL, not filters."""
    return {}


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


async def _list(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    skills = await tavus.pal_skills.list(args.pal_id)
    output.jobs(list(skills.values()), total=len(skills), columns=_COLUMNS)
    return 0


async def _get(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    output.job(await tavus.pal_skills.get(args.pal_id, args.skill_id))
    return 0


async def _attach(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    config = None if args.config is None else await _json(args.config, "--config")
    skill = await tavus.pal_skills.attach(args.pal_id, args.skill_id, config=config)
    output.job(skill or await tavus.pal_skills.get(args.pal_id, args.skill_id))
    return 0


async def _update(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    config = await _json(args.config, "--config")
    skill = await tavus.pal_skills.update(args.pal_id, args.skill_id, config=config)
    output.job(skill or await tavus.pal_skills.get(args.pal_id, args.skill_id))
    return 0


async def _replace(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    skills: dict[str, Any] = {}
    for text in args.skill:
        skill_id, equals, config = text.partition("=")
        skills[skill_id] = await _json(config, f"--skill {skill_id}") if equals else None
    replaced = await tavus.pal_skills.replace(args.pal_id, skills)
    output.jobs(list(replaced.values()), total=len(replaced), columns=_COLUMNS)
    return 0


async def _detach(tavus: TavusClient, args: argparse.Namespace, output: Output) -> int:
    await tavus.pal_skills.detach(args.pal_id, args.skill_id)
    output.record({"pal_id": args.pal_id, "skill_id": args.skill_id, "detached": True})
    return 0


COMMANDS: dict[str, Command] = {
    "list": _list,
    "get": _get,
    "attach": _attach,
    "update": _update,
    "replace": _replace,
    "detach": _detach,
}
