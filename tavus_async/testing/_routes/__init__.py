"""FakeTavus's API families: one module per family, found here by name.

Every module of this package whose name does not start with ``_`` is a family: it defines
``Routes``, a ``FamilyRoutes`` subclass (see ``_common``). They are imported, sorted by name,
when ``tavus_async.testing`` is; their phases are then declared to ``Timing``, so that a new
family needs its module and nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil

from .._state import Timing
from ._common import FamilyRoutes

__all__ = ["discover", "families"]

_found: tuple[type[FamilyRoutes], ...] = ()


def families() -> tuple[type[FamilyRoutes], ...]:
    """The families found by the last ``discover()``, sorted by module name."""
    return _found


def discover() -> tuple[type[FamilyRoutes], ...]:
    """Import every family module of this package, declare their phases, and remember them."""
    global _found
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    found = tuple(_routes_of(name) for name in names)
    phases: dict[str, float] = {}
    for family in found:
        clash = phases.keys() & family.PHASES.keys()
        if clash:
            raise ValueError(f"family {family.name!r} declares phases already taken: {clash}")
        phases.update(family.PHASES)
    taken = [family.name for family in found]
    if len(set(taken)) != len(taken):
        raise ValueError(f"two family modules share a name: {taken}")
    Timing.declare(phases)
    _found = found
    return found


def _routes_of(module_name: str) -> type[FamilyRoutes]:
    module = importlib.import_module(f"{__name__}.{module_name}")
    routes = getattr(module, "Routes", None)
    if not (isinstance(routes, type) and issubclass(routes, FamilyRoutes)):
        raise TypeError(f"{module.__name__} must define Routes, a FamilyRoutes subclass")
    return routes


discover()
