"""The client's families, for tests that run once per family (parametrized over the registry)."""

from __future__ import annotations

from typing import Any

from tavus_async._client import families
from tavus_async.resources._spec import FamilySpec

#: Every family the client declares; a family added later is in it without a test's edit.
SPECS = families()
#: Those Tavus renames through ``<path>/<id>/name``.
NAMED = [spec for spec in SPECS if spec.name_field is not None]
#: Those with each generic call (``spec.generic_calls``): Tavus lists voices and nothing
#: more, and a memory's delete names its store too (its own call, tested with the family).
WITH_LIST = [spec for spec in SPECS if "list" in spec.generic_calls]
WITH_GET = [spec for spec in SPECS if "get" in spec.generic_calls]
WITH_DELETE = [spec for spec in SPECS if "delete" in spec.generic_calls]
#: Those whose objects are long jobs (waits).
JOB_FAMILIES = [spec for spec in SPECS if spec.job is not None]


def family_ids(spec: FamilySpec[Any]) -> str:
    """A test id for ``spec``: the family's name."""
    return spec.name
