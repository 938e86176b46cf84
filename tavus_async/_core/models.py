"""What every family's models share: the ``Model`` base, the status enum base, progress.

A family's ``types`` module imports only attrs and this module. The converter knows a
family's models by what they are, so nothing registers them by name: a ``Model``
subclass is a model (unknown keys survive in its ``extra``), and a ``StatusEnum`` in a
field's type is a status (unknown words survive as plain strings).
"""

from __future__ import annotations

import enum
import importlib
import json
import math
import re
import reprlib
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, ClassVar, Protocol, TypeVar
from urllib.parse import urlsplit

import attrs

__all__ = [
    "SECRET_MASK",
    "Model",
    "StatusEnum",
    "hidden_url",
    "is_callback_url",
    "looks_secret",
    "mask_secret_text",
    "mask_secrets",
    "masked_repr",
    "parse_progress",
    "use_parser",
]

M = TypeVar("M", bound="Model")
T = TypeVar("T")


class Parser(Protocol):
    """The converter's ``structure``: a JSON object as a model, or ResponseValidationError."""

    def __call__(self, payload: Any, cls: type[T], /) -> T: ...


# The converter (_core/convert.py) hands its parser over when it is imported, which the
# package does before any model exists. It is not imported from here: the converter
# raises ResponseValidationError, and _exceptions names the models (as type arguments),
# so models -> converter -> _exceptions -> models would be an import cycle.
_parse: Parser | None = None


def use_parser(parse: Parser) -> None:
    """Make ``Model.from_dict`` parse with ``parse`` (the converter's, once, at its import)."""
    global _parse
    _parse = parse


class Model:
    """Base of every family's model: Tavus's JSON in and out, and a repr that shows ``extra``.

    A subclass is a frozen attrs class with an ``extra: dict[str, Any]`` field for the
    fields this version does not know. The base has no slots of its own, so the attrs
    class stays slotted.
    """

    __slots__ = ()

    __attrs_attrs__: ClassVar[Any]  # the fields, set by attrs on each model
    extra: dict[str, Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # attrs writes a __repr__ unless the class itself has one (it does not look at
        # the bases): give each model its own, which shows extra when it is not empty.
        # A new function each time, as older attrs take the bases' own for inherited.
        if "__repr__" not in cls.__dict__:

            def __repr__(self: object) -> str:
                return _repr(self)

            cls.__repr__ = __repr__  # type: ignore[method-assign]

    @classmethod
    def _parsed_as(cls, data: Mapping[str, Any]) -> type[Model]:
        """The class a JSON object of this model is parsed as: this one.

        A model whose objects come in kinds (a conversation's events, by ``event_type``)
        overrides it to name the subclass for ``data``; the converter then parses ``data``
        as that subclass wherever the model is asked for (in a field or an array too). A
        class that is not a subclass of ``cls`` is ignored.
        """
        return cls

    @classmethod
    def from_dict(cls: type[M], data: Mapping[str, Any]) -> M:
        """A model from Tavus's JSON object, parsed exactly as a response body is.

        Unknown fields go to ``extra`` and unknown status words stay plain strings.
        Raises ResponseValidationError for data that does not fit the model.
        """
        if _parse is None:  # no request has loaded the converter yet: load it now
            importlib.import_module(f"{__package__}.convert")
        assert _parse is not None, "tavus_async._core.convert hands its parser over"
        return _parse(data, cls)

    def to_dict(self) -> dict[str, Any]:
        """The model as Tavus's JSON object: what ``from_dict`` reads back as an equal model.

        Timestamps become ISO 8601 text in UTC (``Z``), statuses their words, models held
        in fields their own ``to_dict()``; fields that are None are left out and
        ``extra``'s fields are put back at the top level. JSON values (``extra``, ``data``)
        are handed back as they came, not walked: a body nested as deep as ``json.loads``
        allows must not run out of stack here.
        """
        known = {
            field.name: _json_value(value)
            for field in attrs.fields(type(self))
            if field.name != "extra" and (value := getattr(self, field.name)) is not None
        }
        return {**known, **self.extra}

    def to_json(self, *, indent: int | None = None) -> str:
        """``to_dict()`` as JSON text: one line, or indented by ``indent`` spaces a level."""
        return json.dumps(self.to_dict(), indent=indent)


def _json_value(value: Any) -> Any:
    """A field's value as JSON: what the converter made is written out, JSON is handed back."""
    if isinstance(value, datetime):
        return _timestamp_text(value)
    if isinstance(value, enum.Enum):  # status enums subclass str: name their words
        return value.value
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, tuple):  # the converter's arrays of items
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return dict(value)  # the caller's to change, not the model's
    return value


def _timestamp_text(moment: datetime) -> str:
    """ISO 8601 in UTC with ``Z``; a moment without a zone is read as UTC, as when parsed."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        moment = moment.astimezone(timezone.utc)
    except (OverflowError, ValueError):  # its UTC instant is outside datetime's range
        return moment.isoformat()
    return moment.isoformat().removesuffix("+00:00") + "Z"


@reprlib.recursive_repr()
def _repr(model: Any) -> str:
    """attrs's repr of the known fields, then ``extra=`` when it holds anything."""
    shown = []
    for field in attrs.fields(type(model)):
        if field.name == "extra" or field.repr is False:
            continue
        value = getattr(model, field.name)
        if callable(field.repr):
            text = field.repr(value)
        elif isinstance(value, str) and is_callback_url(field.name):
            text = repr(hidden_url(value))  # a receiver's url ends in its secret token
        else:
            text = repr(value)
        shown.append(f"{field.name}={text}")
    if model.extra:
        shown.append(f"extra={mask_secrets(model.extra)!r}")
    name = type(model).__qualname__.rsplit(">.", 1)[-1]
    return f"{name}({', '.join(shown)})"


class StatusEnum(str, enum.Enum):
    """Base of every family's status words: a member prints as its word."""

    def __str__(self) -> str:
        return str(self.value)


def parse_progress(value: object) -> float | None:
    """``"42/100"`` → 0.42. A bare number or ``"42%"`` is read as a percentage. Else None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, str):
            done, slash, total = value.strip().rstrip("%").partition("/")
            ratio = float(done) / float(total) if slash else float(done) / 100
        elif isinstance(value, (int, float)):
            ratio = value / 100
        else:
            return None
    except (ValueError, ZeroDivisionError):
        return None
    if not math.isfinite(ratio):
        return None
    return min(max(ratio, 0.0), 1.0)


#: How a secret's value is shown in a repr and in what the command line prints.
SECRET_MASK = "***"
# Parts of a key's name that say its value is a secret (``api_key``, ``x-api-key``,
# ``Authorization``, ``client_secret``, ``access_token``), and names that only look so:
# data Tavus hands its user to use (a recording's storage key, a private room's token).
_SECRET_PARTS = frozenset(
    {"apikey", "authorization", "credential", "credentials", "password", "passwd", "secret",
     "secrets", "token"}
)  # fmt: skip
_NOT_SECRETS = frozenset({"s3_key", "meeting_token"})
_CASED_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
# Deeper than this, a JSON value is shown masked whole rather than walked.
_MASK_DEPTH = 64


def looks_secret(name: str) -> bool:
    """Whether a key named ``name`` holds a secret: ``api_key``, ``*_key``, a token, ..."""
    lowered = name.lower()
    if lowered in _NOT_SECRETS:
        return False
    # Words as written (``accessToken``, ``X-Api-Key``, ``client_secret``), then lowered.
    parts = [word.lower() for word in _CASED_WORDS.findall(name)]
    if not parts:
        return False
    return (len(parts) > 1 and parts[-1] == "key") or any(p in _SECRET_PARTS for p in parts)


def mask_secrets(value: Any, _depth: int = 0) -> Any:
    """A copy of a JSON value with the value of every secret-looking key shown as ``***``.

    For reprs and printed output only: ``to_dict()`` keeps the secrets (they are data).
    """
    if _depth > _MASK_DEPTH:
        return SECRET_MASK
    if isinstance(value, Mapping):
        return {key: _masked_item(key, item, _depth) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_secrets(item, _depth + 1) for item in value]
    return value


def _masked_item(key: object, item: Any, depth: int) -> Any:
    if isinstance(key, str) and item is not None:
        if looks_secret(key):
            return SECRET_MASK
        if is_callback_url(key) and isinstance(item, str):
            return hidden_url(item)
    return mask_secrets(item, depth + 1)


def masked_repr(value: object) -> str:
    """A JSON value's repr with its secret-looking keys masked (an attrs field's ``repr=``)."""
    return repr(mask_secrets(value))


def is_callback_url(name: str) -> bool:
    """Whether a field named ``name`` holds a callback url (whose path may be a secret token)."""
    return name.endswith("callback_url") or name == "webhook_url"


def hidden_url(url: str) -> str:
    """A callback url with its path hidden (``https://hooks.example.com/<hidden>``): a
    receiver's url ends in its secret token. Only the scheme, host and port are kept."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return "<hidden>"
    if not parts.scheme or not host:
        return "<hidden>"
    whole = f"{parts.scheme}://{f'[{host}]' if ':' in host else host}"
    whole += f":{port}" if port is not None else ""
    return url if url in (whole, f"{whole}/") else f"{whole}/<hidden>"


# A JSON object's member: its key, and its value when that is a string (perhaps cut short).
_MEMBER = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:\s*)("(?:[^"\\]|\\.)*"?)?')


def mask_secret_text(text: str) -> str:
    """JSON text, whole or cut short, with each secret-looking key's string value as ``***``.

    For a body that is not JSON (a truncated answer) quoted in an error message.
    """

    def mask(member: re.Match[str]) -> str:
        if member[3] is None or not looks_secret(member[1]):
            return member[0]
        return f'"{member[1]}"{member[2]}"{SECRET_MASK}"'

    return _MEMBER.sub(mask, text)
