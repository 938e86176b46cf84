"""JSON Patch (RFC 6902): the operations Tavus's PATCH calls take, checked, and computed.

Tavus edits personas, guardrails and objectives with a JSON Patch: a list of operations
such as ``{"op": "replace", "path": "/system_prompt", "value": "..."}``. An update call
takes plain mappings or ``PatchOperation``s and ``check_operations`` checks each one's
shape before any request; ``json_patch(before, after)`` computes the operations that turn
one JSON object into another, so that a caller can edit ``persona.to_dict()`` and send
the difference.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal

import attrs

from .models import SECRET_MASK, looks_secret, mask_secrets

__all__ = ["ABSENT", "OPERATIONS", "PatchOperation", "check_operations", "json_patch", "replayable"]

#: The six operations RFC 6902 defines.
OPERATIONS: Final = ("add", "remove", "replace", "move", "copy", "test")
_NEEDS_VALUE = frozenset({"add", "replace", "test"})
_NEEDS_FROM = frozenset({"move", "copy"})
# A JSON Pointer (RFC 6901): empty (the whole document) or "/"-separated tokens in which
# "~" only ever starts "~0" (a "~") or "~1" (a "/").
_POINTER = re.compile(r"(/([^~/]|~[01])*)*")

Op = Literal["add", "remove", "replace", "move", "copy", "test"]


class _Absent:
    """The value of an operation that has none (a ``remove``, a ``move``), not JSON null."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "ABSENT"


#: ``PatchOperation.value`` / ``from_`` when the operation has none (null is a value).
ABSENT: Final = _Absent()


def _check_op(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in OPERATIONS:
        raise ValueError(f"op must be one of {', '.join(OPERATIONS)}, got {value!r}")


def _check_pointer(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is ABSENT and attribute.name == "from_":
        return
    _pointer(attribute.name.rstrip("_"), value)


@attrs.frozen(kw_only=True, repr=False)
class PatchOperation:
    """One JSON Patch operation: ``op`` at ``path``, with a ``value`` or from ``from_``.

    ``value`` is needed by ``add``, ``replace`` and ``test``; ``from_`` (``"from"`` in
    JSON) by ``move`` and ``copy``. ``to_dict()`` is the operation as JSON, leaving out
    what it does not have (``value=None`` is JSON null, and is sent).
    """

    op: Op = attrs.field(validator=_check_op)
    path: str = attrs.field(validator=_check_pointer)
    value: Any = attrs.field(default=ABSENT, hash=False)
    from_: str | _Absent = attrs.field(default=ABSENT, validator=_check_pointer)

    def __attrs_post_init__(self) -> None:
        _check_parts("operation", self.op, self.value is not ABSENT, self.from_ is not ABSENT)

    def __repr__(self) -> str:
        # A value set at a secret-looking key (``/layers/llm/api_key``), or holding one,
        # is shown masked: a patch is the kind of thing one logs before sending.
        if self.value is ABSENT:
            value = ""
        elif looks_secret(self.path.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")):
            value = f", value={SECRET_MASK!r}"
        else:
            value = f", value={mask_secrets(self.value)!r}"
        source = "" if self.from_ is ABSENT else f", from_={self.from_!r}"
        return f"PatchOperation(op={self.op!r}, path={self.path!r}{value}{source})"

    def to_dict(self) -> dict[str, Any]:
        """The operation as RFC 6902 writes it: ``op``, ``path``, and ``value`` or ``from``."""
        operation: dict[str, Any] = {"op": self.op, "path": self.path}
        if self.value is not ABSENT:
            operation["value"] = self.value
        if self.from_ is not ABSENT:
            operation["from"] = self.from_
        return operation


def _pointer(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a JSON Pointer string, not {type(value).__name__}")
    if not _POINTER.fullmatch(value):
        raise ValueError(
            f"{name} must be a JSON Pointer ('' or '/'-separated, '~' only as '~0' or '~1'), "
            f"got {value!r}"
        )
    return value


def _check_parts(name: str, op: str, has_value: bool, has_from: bool) -> None:
    if op in _NEEDS_VALUE and not has_value:
        raise ValueError(f"{name}: a {op!r} operation needs a value")
    if op in _NEEDS_FROM and not has_from:
        raise ValueError(f"{name}: a {op!r} operation needs 'from'")


def check_operations(name: str, operations: object) -> list[dict[str, Any]]:
    """A JSON Patch as JSON: each operation a mapping or a ``PatchOperation``, checked.

    Refuses, naming the operation by its index: an op that is not one of the six, a path
    or ``from`` that is not a JSON Pointer, a missing value (add, replace, test) or
    ``from`` (move, copy), and a value that is not JSON (NaN and infinities included). An
    empty patch is ``[]``: it changes nothing. Members RFC 6902 does not define are sent as
    they are (Tavus may read them).
    """
    if isinstance(operations, (str, bytes, Mapping)) or not isinstance(operations, Sequence):
        raise TypeError(
            f"{name} must be a list of JSON Patch operations, not {type(operations).__name__}"
        )
    checked = [_check_operation(f"{name}[{i}]", op) for i, op in enumerate(operations)]
    try:
        json.dumps(checked, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must hold only JSON values: {exc}") from None
    return checked


def _check_operation(name: str, operation: object) -> dict[str, Any]:
    if isinstance(operation, PatchOperation):
        return operation.to_dict()
    if not isinstance(operation, Mapping):
        raise TypeError(
            f"{name} must be a mapping or a PatchOperation, not {type(operation).__name__}"
        )
    if not all(isinstance(key, str) for key in operation):
        raise TypeError(f"{name}'s keys must be strings")
    op = operation.get("op")
    if op not in OPERATIONS:
        raise ValueError(f"{name}: op must be one of {', '.join(OPERATIONS)}, got {op!r}")
    _pointer(f"{name}.path", operation.get("path"))
    if "from" in operation:
        _pointer(f"{name}.from", operation["from"])
    _check_parts(name, op, "value" in operation, "from" in operation)
    return dict(operation)


def replayable(patch: Sequence[Mapping[str, Any]]) -> bool:
    """Whether applying ``patch`` twice leaves what applying it once does.

    ``replace`` does, and ``add`` to an object's key; an ``add`` that may insert into an
    array (a last token of ``-`` or digits), ``remove``, ``move`` and ``copy`` may not: a
    request carrying them is never sent again once it may have reached Tavus. A ``test``
    next to operations that change the object may not either: applied once, the change
    makes the test fail the second time. A patch of tests alone changes nothing.
    """
    ops = {operation.get("op") for operation in patch}
    if ops == {"test"}:
        return True
    if "test" in ops:
        return False
    for operation in patch:
        op = operation.get("op")
        if op == "replace":
            continue
        last = str(operation.get("path", "")).rsplit("/", 1)[-1]
        if op == "add" and last != "-" and not last.isdigit():
            continue
        return False
    return True


def json_patch(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[PatchOperation]:
    """The operations that turn the JSON object ``before`` into ``after``; ``[]`` if equal.

    For example, edit a persona's ``to_dict()`` and send the difference:

        before = persona.to_dict()
        after = {**before, "system_prompt": "You are brief."}
        await tavus.personas.update(persona.persona_id, json_patch(before, after))

    Objects are compared key by key and arrays item by item (a longer or shorter array
    gains or loses items at its end); any other change is a ``replace``. ``True`` and
    ``1`` are different values, as in JSON.

    Args:
        before: The object as it is.
        after: The object as it should be.

    Returns:
        The JSON Patch (RFC 6902), for an ``update`` call.

    Raises:
        TypeError: Either is not a mapping.
    """
    for name, value in (("before", before), ("after", after)):
        if not isinstance(value, Mapping):
            raise TypeError(f"{name} must be a JSON object (a mapping), not {type(value).__name__}")
    operations: list[PatchOperation] = []
    _diff("", before, after, operations)
    return operations


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _diff(path: str, before: Any, after: Any, operations: list[PatchOperation]) -> None:
    if _same(before, after):
        return
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        for key in before:
            if key not in after:
                operations.append(PatchOperation(op="remove", path=f"{path}/{_escape(key)}"))
        for key, value in after.items():
            child = f"{path}/{_escape(key)}"
            if key in before:
                _diff(child, before[key], value, operations)
            else:
                operations.append(PatchOperation(op="add", path=child, value=value))
        return
    if _is_array(before) and _is_array(after):
        common = min(len(before), len(after))
        for index in range(common):
            _diff(f"{path}/{index}", before[index], after[index], operations)
        # Items past the common part: removed from the end backwards (indexes stay valid),
        # or appended in order.
        for index in range(len(before) - 1, common - 1, -1):
            operations.append(PatchOperation(op="remove", path=f"{path}/{index}"))
        for index in range(common, len(after)):
            operations.append(PatchOperation(op="add", path=f"{path}/-", value=after[index]))
        return
    operations.append(PatchOperation(op="replace", path=path, value=after))


def _is_array(value: object) -> bool:
    return isinstance(value, (list, tuple))


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values: like ``==``, but a boolean is never a number."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if _is_array(a) and _is_array(b):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (Mapping, list, tuple)) or isinstance(b, (Mapping, list, tuple)):
        return False
    return bool(a == b)
