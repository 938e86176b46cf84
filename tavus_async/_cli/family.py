"""Finding a family's own commands: ``_cli/<family>.py``, by the family's name."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, cast

from ..resources._spec import FamilySpec

if TYPE_CHECKING:
    from .._client import TavusClient
    from .output import Output

__all__ = ["Actions", "Command", "FamilyCLI", "family_cli"]

Actions: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Command = Callable[["TavusClient", argparse.Namespace, "Output"], Awaitable[int]]


class FamilyCLI(Protocol):
    """What ``_cli/<family>.py`` provides, for a family that needs more than the generic
    list / get / rename / delete / wait. It imports rich only inside its commands."""

    #: The family command's help line.
    HELP: str
    #: Its actions (``create``, ``download``, ...); one named like a generic action
    #: replaces it.
    COMMANDS: Mapping[str, Command]

    def add_commands(self, actions: Actions) -> None:
        """Add the family's actions to its command, and its options to generic ones."""

    def list_filters(self, args: argparse.Namespace) -> dict[str, Any]:
        """The keyword arguments its ``list`` options ask for (``{}`` for none)."""


def family_cli(spec: FamilySpec[Any]) -> FamilyCLI | None:
    """The family's own command module, or None when the generic commands are all it has."""
    name = f"{__package__}.{spec.name}"
    if importlib.util.find_spec(name) is None:
        return None
    return cast(FamilyCLI, importlib.import_module(name))
