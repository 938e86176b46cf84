"""FakeTavus applies JSON Patch (RFC 6902) for real: its own reading, not the SDK's.

The emulator is an oracle for the SDK's tests, so it shares no code with the SDK's
``_core.json_patch``; a patch that cannot apply raises ``PatchError`` with what Tavus
would say, and the document is left as it was.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["PatchError", "apply_patch", "is_patch"]

_OPERATIONS = ("add", "remove", "replace", "move", "copy", "test")


class PatchError(Exception):
    """A patch that cannot apply to the document (answered 400 by the fake)."""


def is_patch(patch: object) -> bool:
    """Whether ``patch`` reads as a JSON Patch: a list of operations, each with a known
    ``op`` and a string ``path`` (what Tavus answers 422 ``Invalid JSON patch format`` for)."""
    return isinstance(patch, list) and all(
        isinstance(op, dict) and op.get("op") in _OPERATIONS and isinstance(op.get("path"), str)
        for op in patch
    )


def apply_patch(document: Any, patch: Any) -> Any:
    """``document`` with every operation of ``patch`` applied in order, as a new value."""
    if not isinstance(patch, list):
        raise PatchError("The request body must be a JSON Patch array of operations")
    result = copy.deepcopy(document)
    for index, operation in enumerate(patch):
        if not isinstance(operation, dict):
            raise PatchError(f"Operation {index} is not an object")
        result = _apply_one(result, operation, index)
    return result


def _tokens(pointer: object, index: int, member: str) -> list[str]:
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        raise PatchError(f"Operation {index}: invalid {member} {pointer!r}")
    parts = pointer.split("/")[1:]
    for part in parts:
        stripped = part.replace("~0", "").replace("~1", "")
        if "~" in stripped:
            raise PatchError(f"Operation {index}: invalid {member} {pointer!r}")
    return [part.replace("~1", "/").replace("~0", "~") for part in parts]


def _array_index(container: list[Any], token: str, index: int, *, adding: bool) -> int:
    if token == "-" and adding:
        return len(container)
    if not token.isdigit() or (len(token) > 1 and token.startswith("0")):
        raise PatchError(f"Operation {index}: {token!r} is not an array index")
    position = int(token)
    limit = len(container) if adding else len(container) - 1
    if position > limit:
        raise PatchError(f"Operation {index}: index {position} is out of range")
    return position


def _parent(document: Any, tokens: list[str], index: int) -> Any:
    node = document
    for token in tokens[:-1]:
        node = _child(node, token, index)
    return node


def _child(node: Any, token: str, index: int) -> Any:
    if isinstance(node, dict):
        if token not in node:
            raise PatchError(f"Operation {index}: path not found at {token!r}")
        return node[token]
    if isinstance(node, list):
        return node[_array_index(node, token, index, adding=False)]
    raise PatchError(f"Operation {index}: path goes through a value at {token!r}")


def _get(document: Any, tokens: list[str], index: int) -> Any:
    node = document
    for token in tokens:
        node = _child(node, token, index)
    return node


def _add(document: Any, tokens: list[str], value: Any, index: int) -> Any:
    if not tokens:
        return value
    parent = _parent(document, tokens, index)
    last = tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        parent.insert(_array_index(parent, last, index, adding=True), value)
    else:
        raise PatchError(f"Operation {index}: cannot add inside a value")
    return document


def _remove(document: Any, tokens: list[str], index: int) -> tuple[Any, Any]:
    if not tokens:
        raise PatchError(f"Operation {index}: cannot remove the whole document")
    parent = _parent(document, tokens, index)
    last = tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise PatchError(f"Operation {index}: path not found at {last!r}")
        return document, parent.pop(last)
    if isinstance(parent, list):
        return document, parent.pop(_array_index(parent, last, index, adding=False))
    raise PatchError(f"Operation {index}: cannot remove inside a value")


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    return bool(a == b)


def _apply_one(document: Any, operation: dict[str, Any], index: int) -> Any:
    op = operation.get("op")
    tokens = _tokens(operation.get("path"), index, "path")
    if op in ("add", "replace", "test") and "value" not in operation:
        raise PatchError(f"Operation {index}: {op} needs a value")
    value = copy.deepcopy(operation.get("value"))
    if op == "add":
        return _add(document, tokens, value, index)
    if op == "remove":
        return _remove(document, tokens, index)[0]
    if op == "replace":
        _get(document, tokens, index)  # it must exist
        if not tokens:
            return value
        document, _ = _remove(document, tokens, index)
        return _add(document, tokens, value, index)
    if op == "test":
        if not _equal(_get(document, tokens, index), value):
            raise PatchError(f"Operation {index}: test failed at {operation.get('path')!r}")
        return document
    if op in ("move", "copy"):
        if "from" not in operation:
            raise PatchError(f"Operation {index}: {op} needs 'from'")
        source = _tokens(operation["from"], index, "from")
        if op == "move":
            if tokens[: len(source)] == source and tokens != source:
                raise PatchError(f"Operation {index}: cannot move a value into itself")
            document, moved = _remove(document, source, index)
        else:
            moved = copy.deepcopy(_get(document, source, index))
        return _add(document, tokens, moved, index)
    raise PatchError(f"Operation {index}: unknown op {op!r}")
