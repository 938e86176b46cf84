"""The public surface is declared and nothing else leaks: names, modules, the docs' imports."""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

import tavus_async

from _support.docs import python_blocks

ROOT = Path(__file__).resolve().parents[2]


def public_modules() -> list[str]:
    """Every module of the package whose dotted path has no part starting with ``_``."""
    names = ["tavus_async"]
    for info in pkgutil.walk_packages(tavus_async.__path__, "tavus_async."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return names


def test_the_package_exports_exactly_its_all() -> None:
    """``tavus_async``'s public names are its ``__all__``: no Any or TYPE_CHECKING leaks."""
    shown = {
        name
        for name, value in vars(tavus_async).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    lazy = set(tavus_async._LAZY)  # imported on first use (then kept as plain names)

    assert lazy <= set(tavus_async.__all__)
    assert shown - lazy == set(tavus_async.__all__) - lazy - {"__version__"}
    assert {name for name in tavus_async.__all__ if getattr(tavus_async, name) is None} == set()


def test_importing_the_package_loads_no_family() -> None:
    """`import tavus_async` loads no family's models or calls; using a family loads it."""
    code = (
        "import sys, tavus_async\n"
        "families = ('replicas', 'videos', 'personas', 'conversations', 'memories',\n"
        "            'pronunciation_dictionaries', 'voices')\n"
        "def loaded(): return sorted(m for m in sys.modules if m.rsplit('.', 1)[-1] in families)\n"
        "print(loaded())\n"
        "tavus_async.TavusClient(api_key='k').videos\n"
        "print(loaded())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    before, after = done.stdout.splitlines()
    assert before == "[]"
    assert after == "['tavus_async.resources.videos', 'tavus_async.types.videos']"


def test_the_public_modules_are_the_documented_ones() -> None:
    """The public modules are the package, waiters, callbacks and its relay, testing, cli,
    and types/resources."""
    top = {name for name in public_modules() if name.count(".") <= 1}

    assert top == {
        "tavus_async",
        "tavus_async.callbacks",
        "tavus_async.cli",
        "tavus_async.relay",
        "tavus_async.resources",
        "tavus_async.testing",
        "tavus_async.types",
        "tavus_async.waiters",
        "tavus_async.waiting",
    }


@pytest.mark.parametrize("name", public_modules())
def test_a_public_module_declares_only_public_names_that_exist(name: str) -> None:
    """Each public module's ``__all__`` (where it has names) holds public names it really has."""
    module = importlib.import_module(name)
    declared = getattr(module, "__all__", [])

    assert [n for n in declared if n.startswith("_") and n != "__version__"] == []
    assert [n for n in declared if not hasattr(module, n)] == []
    assert len(declared) == len(set(declared))


def doc_imports() -> list[str]:
    """Every ``import`` / ``from ... import`` statement of the docs' python blocks (README.md
    and docs/)."""
    statements = []
    for _, block in python_blocks():
        text = re.sub(r"\(\s*([^)]*?)\s*\)", lambda m: " ".join(m.group(1).split()), block)
        statements += [
            line.strip()
            for line in text.splitlines()
            if re.match(r"\s*(from tavus_async\S* import|import tavus_async)", line)
        ]
    return sorted(set(statements))


def test_the_docs_show_imports() -> None:
    """The docs' examples import from the public modules (at least the core ones)."""
    shown = " ".join(doc_imports())
    for module in ("from tavus_async import", "from tavus_async.testing import"):
        assert module in shown


@pytest.mark.parametrize("statement", doc_imports())
def test_every_import_the_docs_show_works(statement: str) -> None:
    """An import path the docs show works as written."""
    exec(statement.rstrip(","), {})
