"""The command-line page shows what the command line does: its ``--json`` examples run as
written against FakeTavus served on loopback and print what the page says, and every
command and flag the docs name exists.

The examples are the bash blocks under "## Examples with --json" of docs/cli.md, run in
order on one FakeTavus with the emulator's default seed (so the ids the page shows are the
ones it makes). A ``# {...}`` line under a command shows fields of one JSON line it prints
(``...`` stands for the rest); ``# exit N`` says it exits N, and shows its stderr's JSON
line instead. ``--poll`` values are shortened: jobs here take tenths of a second.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
from pathlib import Path
from typing import Any

import attrs
import pytest

from tavus_async._cli.main import _parser
from tavus_async.testing import FakeTavus, Timing

from _support.cli import environment, tavus_async
from _support.docs import DOCS, blocks, name_of, pages, section

CLI = DOCS / "cli.md"
TIMING = Timing(
    replica_training=0.4,
    video_queue=0.05,
    video_rendering=0.3,
    document_queue=0.05,
    document_processing=0.3,
    conversation_joining=0.05,
    conversation_length=0.3,
    transcript_delay=0.1,
)


@attrs.frozen
class Shown:
    """A command of the page and what the page says it does."""

    line: str
    exit_code: int
    prints: tuple[dict[str, Any], ...]


def examples() -> list[Shown]:
    """The ``tavus-async`` commands of the --json examples, in order, with their outputs."""
    text = section(CLI, "## Examples with --json")
    shown: list[Shown] = []
    for block in re.findall(r"^```bash\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE):
        for line in block.splitlines():
            if line.startswith("tavus-async "):
                shown.append(Shown(line=line, exit_code=0, prints=()))
            elif (code := re.match(r"# exit (\d+)", line)) and shown:
                shown[-1] = attrs.evolve(shown[-1], exit_code=int(code.group(1)))
            elif line.startswith("# {") and shown:
                fields = json.loads(line[2:].replace(", ...}", "}"))
                shown[-1] = attrs.evolve(shown[-1], prints=(*shown[-1].prints, fields))
    return shown


def shorter_polls(args: list[str]) -> list[str]:
    return [
        "0.05" if before == "--poll" else arg
        for before, arg in zip(["", *args[:-1]], args, strict=True)
    ]


def test_the_examples_show_every_family_and_outputs() -> None:
    """The examples are many, each family's create or list among them, most with output."""
    shown = examples()

    assert len(shown) >= 20
    assert sum(1 for s in shown if s.prints) >= len(shown) - 2
    assert all("--json" in s.line for s in shown)


async def test_the_json_examples_print_what_the_page_says(tmp_path: Path) -> None:
    """Each example, run in the page's order on a served FakeTavus, exits as shown and prints
    one JSON object per line, among them every one the page shows."""
    async with FakeTavus(timing=TIMING) as fake:
        env = environment(fake)
        for shown in examples():
            args = shorter_polls(shlex.split(shown.line)[1:])

            code, out, err = await tavus_async(*args, env=env, cwd=tmp_path)

            assert code == shown.exit_code, f"{shown.line}\n{err}"
            printed = out.splitlines() if code == 0 else err.splitlines()[-1:]
            objects = [json.loads(line) for line in printed]
            for fields in shown.prints:
                assert any(fields.items() <= o.items() for o in objects), (shown.line, objects)
    assert (tmp_path / "out" / "v7d4c80b6da.mp4").is_file()


# -- every command and flag the docs name exists ------------------------------------------


def commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """A parser's subcommands by name (none for a parser without any)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def flags(parser: argparse.ArgumentParser) -> set[str]:
    return set(parser._option_string_actions)


def command_lines() -> list[tuple[str, str]]:
    """Every ``tavus-async`` line of a bash block in the docs: (page, line)."""
    return [
        (name_of(page), line)
        for page in pages()
        for block in blocks(page, "bash")
        for line in block.splitlines()
        if line.startswith("tavus-async ")
    ]


@pytest.mark.parametrize(("page", "line"), command_lines())
def test_every_command_the_docs_run_parses(page: str, line: str) -> None:
    """A command a page shows is one the command line takes, flags and all."""
    _parser().parse_args(shlex.split(line)[1:])


def synopsis() -> list[tuple[str, list[str], list[str]]]:
    """The commands of "## Every command": (family, its actions, the flags named)."""
    (block,) = blocks(CLI, "text")
    logical: list[str] = []
    for line in block.splitlines():
        if line.startswith("tavus-async "):
            logical.append(line.removeprefix("tavus-async "))
        elif line.strip() and logical:
            logical[-1] += " " + line.strip()
    found = []
    for line in logical:
        for piece in line.split(";"):
            words = piece.split()
            family, rest = words[0], words[1:]
            actions = rest[0].split("|") if rest and re.fullmatch(r"[a-z|-]+", rest[0]) else []
            named = re.findall(r"--(?:\[no-\])?[a-z][a-z-]*", piece)
            found.append((family, actions, [flag.replace("[no-]", "") for flag in named]))
    return found


def test_the_synopsis_names_only_real_commands_and_flags() -> None:
    """Each family, action and flag of the command list on the page exists."""
    families = commands(_parser())
    for family, actions, named in synopsis():
        assert family in families, family
        parsers = [families[family]]
        if actions:
            parsers = [commands(families[family])[action] for action in actions]
        for flag in named:
            assert all(flag in flags(p) for p in parsers), f"{family} {actions}: {flag}"


def test_the_synopsis_names_every_command() -> None:
    """Every family and every action of the command line is on the page's command list."""
    listed = {(family, action) for family, actions, _ in synopsis() for action in actions or [""]}

    for family, parser in commands(_parser()).items():
        for action in commands(parser) or [""]:
            assert (family, action) in listed, f"tavus-async {family} {action} is not listed"
