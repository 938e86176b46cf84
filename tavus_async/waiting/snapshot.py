"""The last object a fleet's wait saw, kept where the cyclic garbage collector never walks.

A hundred thousand waits each holding its last object seen would give every full
collection a hundred thousand objects to walk (a 123 ms pause, measured). ``keep`` makes
of an attrs object (every model is one) a tuple of numbers, strings, None, datetimes and
tuples of such: its class's number, which fields held an enum member or a dict, and the
field values, each member as its value and each dict as its keys and values in turn.
The collector stops tracking such a tuple within two of its passes, and
``restore`` builds an equal object from it, as unpickling does (``object.__setattr__``
field by field), only when a wait times out.

An object whose fields hold anything else (a list, a nested model) is kept pickled, as
bytes; one that cannot be pickled, as it is. Keeping a video's fields costs about a tenth
of pickling it.
"""

from __future__ import annotations

import enum
import operator
import pickle
import typing
from collections.abc import Callable
from datetime import datetime
from itertools import chain
from typing import Any, NamedTuple

import attrs

__all__ = ["AS_FIELDS", "AS_IS", "PICKLED", "keep", "restore"]

#: How an object was kept: by ``keep``'s first answer.
AS_FIELDS, PICKLED, AS_IS = 0, 1, 2


class _Plan(NamedTuple):
    """How one class's objects are kept field by field."""

    names: tuple[str, ...]
    values: Callable[[Any], tuple[Any, ...]]  # the field values, in C
    enums: dict[int, type[enum.Enum]]  # a field's enum, where its type names one


#: What a kept field may hold as it is: objects the collector never tracks.
_ATOMS = frozenset({str, int, float, bool, type(None), bytes, datetime})

# Classes by number (a number in the tuple, not the class: a class is tracked) and their
# plans; None for a class whose objects are not kept field by field.
_classes: list[type] = []
_numbers: dict[type, int] = {}
_plans: dict[type, _Plan | None] = {}


def keep(obj: object) -> tuple[int, object]:
    """How ``obj`` is kept (AS_FIELDS, PICKLED or AS_IS) and what is kept of it."""
    cls = type(obj)
    plan = _plans[cls] if cls in _plans else _plan_for(cls)
    if plan is not None:
        kept = _fields(plan, obj)
        if kept is not None:
            return AS_FIELDS, (_numbers[cls], *kept)
    try:
        return PICKLED, pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return AS_IS, obj


def _fields(plan: _Plan, obj: object) -> tuple[Any, ...] | None:
    """Which fields held an enum member and which a dict, then every field's value with
    each member as its value and each dict as its items: all of it numbers, strings,
    None, datetimes and tuples of such. None when a field holds anything else: a tuple
    holding a list, a model or even an empty dict is never untracked by the collector."""
    values = list(plan.values(obj))
    enums = dicts = 0
    for index, value in enumerate(values):
        kind = type(value)
        if kind in _ATOMS:
            continue
        if kind is dict and all(type(item) in _ATOMS for item in value.values()):
            # Flat, keys and values in turn: the collector untracks it, then the tuple
            # holding it, in two passes (a tuple of pairs would take three).
            values[index] = tuple(chain.from_iterable(value.items()))  # JSON keys: strings
            dicts |= 1 << index
            continue
        enum_kind = plan.enums.get(index)
        if enum_kind is None or not isinstance(value, enum_kind):
            return None
        values[index] = value.value
        enums |= 1 << index
    return (enums, dicts, *values)


def restore(how: int, kept: object) -> object:
    """The object ``keep`` kept (an equal one, unless it was kept as it is)."""
    if how == AS_IS:
        return kept
    if how == PICKLED:
        assert isinstance(kept, bytes)
        return pickle.loads(kept)  # bytes keep() pickled itself
    assert isinstance(kept, tuple)
    number, enums, dicts, *values = kept
    cls = _classes[number]
    plan = _plans[cls]
    assert plan is not None
    obj: object = object.__new__(cls)
    for index, (name, value) in enumerate(zip(plan.names, values, strict=True)):
        if enums >> index & 1:
            value = plan.enums[index](value)
        elif dicts >> index & 1:
            value = dict(zip(value[::2], value[1::2], strict=True))
        object.__setattr__(obj, name, value)
    return obj


def _plan_for(cls: type) -> _Plan | None:
    plan: _Plan | None = None
    if attrs.has(cls) and "__slots__" in vars(cls):
        names = tuple(field.name for field in attrs.fields(cls))
        if len(names) >= 2:  # attrgetter gives a tuple only for two names or more
            plan = _Plan(names, operator.attrgetter(*names), _enum_fields(cls, names))
            _numbers[cls] = len(_classes)
            _classes.append(cls)
    _plans[cls] = plan
    return plan


def _enum_fields(cls: type, names: tuple[str, ...]) -> dict[int, type[enum.Enum]]:
    """The fields whose type names exactly one enum (a status: ``VideoStatus | str``)."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # an annotation that does not resolve: no field is an enum's
        return {}
    found: dict[int, type[enum.Enum]] = {}
    for index, name in enumerate(names):
        kinds = [kind for kind in _kinds(hints.get(name)) if _is_enum(kind)]
        if len(kinds) == 1:
            found[index] = kinds[0]
    return found


def _kinds(hint: object) -> list[object]:
    args = typing.get_args(hint)
    if not args:
        return [hint]
    return [kind for arg in args for kind in _kinds(arg)]


def _is_enum(kind: object) -> typing.TypeGuard[type[enum.Enum]]:
    return isinstance(kind, type) and issubclass(kind, enum.Enum)
