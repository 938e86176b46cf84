"""The layering holds where import-linter's contracts cannot say it generically.

Contracts in pyproject.toml name the layers; these checks run over every family the
client declares, so that a new family is held to them without editing anything.
"""

from __future__ import annotations

import io
import itertools
import re
import tokenize
from pathlib import Path

import grimp
import pytest

from tavus_async._client import families

PACKAGE = Path(__file__).resolve().parents[2] / "tavus_async"
#: The layers a family has a file in, each under the family's own name.
FAMILY_LAYERS = ("types", "resources", "_cli", "testing._routes")
#: Besides a family's own files, the registry: the client's line, the exports, its error.
REGISTRY = {"_client.py", "__init__.py", "_exceptions.py"}
#: Files that name families on purpose, beyond the checklist: features across families.
ACROSS_FAMILIES = {
    "waiters.py": "the public default policies, kept where they always were",
    "_cli/demo.py": "the demo trains a replica and renders videos with it",
    "_cli/batch.py": "videos batch, the videos command's crash-safe batch",
    "_cli/journal.py": "videos batch's journal",
    "_cli/rows.py": "videos batch's rows, checked as videos.create checks them",
}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    """Every import of the package, those made only for type checking included."""
    return grimp.build_graph("tavus_async", exclude_type_checking_imports=False, cache_dir=None)


@pytest.fixture(scope="module")
def runtime_graph() -> grimp.ImportGraph:
    """The imports that run (a family's error class names its model only for typing)."""
    return grimp.build_graph("tavus_async", exclude_type_checking_imports=True, cache_dir=None)


def test_no_module_imports_itself_back(graph: grimp.ImportGraph) -> None:
    """No import cycle between modules, at run time or for type checking."""
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.chain_exists(imported, module):
                cycles.append(graph.find_shortest_chain(imported, module))
    assert cycles == []


def family_modules(graph: grimp.ImportGraph, name: str) -> list[str]:
    modules = (f"tavus_async.{layer}.{name}" for layer in FAMILY_LAYERS)
    return [module for module in modules if module in graph.modules]


def test_every_family_has_its_models_resource_and_fake_routes(graph: grimp.ImportGraph) -> None:
    """Each family of the client has its types, resource and FakeTavus routes, by its name."""
    for spec in families():
        layers = {
            m.removeprefix("tavus_async.").rsplit(".", 1)[0]
            for m in family_modules(graph, spec.name)
        }
        assert {"types", "resources", "testing._routes"} <= layers, spec.name


def test_no_family_imports_another(runtime_graph: grimp.ImportGraph) -> None:
    """No family's file, in any layer, imports another family's file, even through others."""
    graph = runtime_graph
    names = [spec.name for spec in families()]
    found = [
        (importer, imported)
        for one, other in itertools.permutations(names, 2)
        for importer in family_modules(graph, one)
        for imported in family_modules(graph, other)
        if graph.chain_exists(importer, imported)
    ]
    assert found == []


def family_classes(name: str) -> set[str]:
    """The class names a family's files define (``Video``, ``VideoStatus``, ``Videos``...)."""
    defined = set()
    for layer in ("types", "resources"):
        source = (PACKAGE / layer / f"{name}.py").read_text(encoding="utf-8")
        defined |= set(re.findall(r"^class (\w+)", source, flags=re.MULTILINE))
    return defined


def names_in_code(path: Path) -> set[str]:
    """The names a module's code uses: not its strings, docstrings or comments."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return {token.string for token in tokens if token.type == tokenize.NAME}


def own_files(name: str) -> set[str]:
    return {
        f"types/{name}.py",
        f"resources/{name}.py",
        f"_cli/{name}.py",
        f"testing/_routes/{name}.py",
    }


@pytest.mark.parametrize("name", [spec.name for spec in families()])
def test_a_family_is_named_only_in_its_own_files_and_the_registry(name: str) -> None:
    """Outside a family's files and the registry, no module names its classes: not the core,
    the waiting engine, the callbacks, FakeTavus's server or the CLI's generic commands."""
    classes = family_classes(name)
    naming = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if names_in_code(path) & classes
    }
    assert naming - own_files(name) - REGISTRY - set(ACROSS_FAMILIES) == set()
