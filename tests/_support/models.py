"""Every family's model, read from the client's registry, and the fields of each kind it has.

Tests of what all models share parametrize over these, so that a family added later is
covered by them without new tests.
"""

from __future__ import annotations

import typing
from datetime import datetime
from typing import Any

import attrs
import pytest

from tavus_async._client import families
from tavus_async._core.models import StatusEnum

#: Every family's model.
REGISTRY_MODELS = tuple(spec.model for spec in families())
#: One parameter per family: its model and the name of its id field.
FAMILY_MODELS = [pytest.param(spec.model, spec.id_field, id=spec.name) for spec in families()]


def fields_holding(model: type[Any], kind: type) -> list[str]:
    """The model's fields whose type is ``kind`` or a subclass of it (``X | None`` too)."""
    hints = typing.get_type_hints(model)
    return [
        field.name
        for field in attrs.fields(model)
        if any(
            isinstance(arg, type) and issubclass(arg, kind)
            for arg in (hints[field.name], *typing.get_args(hints[field.name]))
        )
    ]


def family_fields(kind: type) -> list[Any]:
    """One parameter per family's field of ``kind``: the model, its id field, the field."""
    return [
        pytest.param(spec.model, spec.id_field, name, id=f"{spec.name}.{name}")
        for spec in families()
        for name in fields_holding(spec.model, kind)
    ]


#: Every timestamp field of every family.
TIMESTAMP_FIELDS = family_fields(datetime)
#: Every status field of every family (its type holds a StatusEnum).
STATUS_FIELDS = family_fields(StatusEnum)


def status_enum(model: type[Any], name: str) -> type[StatusEnum]:
    """The StatusEnum in the type of the model's field ``name``."""
    hint = typing.get_type_hints(model)[name]
    return next(
        arg
        for arg in typing.get_args(hint)
        if isinstance(arg, type) and issubclass(arg, StatusEnum)
    )
