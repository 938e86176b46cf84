"""The one cattrs converter: JSON from Tavus in, models out; typed settings in, JSON out.

Configured once at import. It parses the three timestamp formats Tavus uses into aware
UTC datetimes, keeps status words it does not know as plain strings, and keeps fields
it does not know in each model's ``extra``. Families register by what their types are
(``_core.models``): any ``StatusEnum`` subclass in a field's type is a status, and any
``Model`` subclass is a model. ``Model.from_dict`` parses with this module's ``structure``.
"""

from __future__ import annotations

import email.utils
import enum
import functools
import logging
import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, TypeVar, cast

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn

from .._exceptions import ResponseValidationError
from .models import Model, StatusEnum, use_parser
from .structure_gen import Build, Hook, make_build

__all__ = ["converter", "parse_timestamp", "structure", "unstructure_settings"]

logger = logging.getLogger("tavus_async")

T = TypeVar("T")

converter = cattrs.Converter()

# Python 3.10's fromisoformat takes exactly 3 or 6 digits of fraction; Tavus is not so tidy.
_FRACTION = re.compile(r"(\.\d+)(?=$|[+-]\d\d:?\d\d$)")


def _six_digit_fraction(match: re.Match[str]) -> str:
    return (match.group(1) + "000000")[:7]


def parse_timestamp(value: object) -> datetime | None:
    """An aware UTC datetime from any timestamp Tavus sends, or None when there is none.

    Accepts ISO 8601 (``2024-01-24T07:14:03.327Z``), RFC 1123 (``Mon, 14 Jul 2025
    09:14:24 GMT``), the space-separated form without a zone (``2024-08-28
    15:27:40.824457``, read as UTC) and epoch seconds. A value in no known format gives
    None rather than failing the whole object.
    """
    if value is None or isinstance(value, bool):
        return None
    parsed: datetime | None = None
    if isinstance(value, str):
        parsed = _parse_text(value) if len(value) <= 64 else _parse_text.__wrapped__(value)
    elif isinstance(value, datetime):
        parsed = _in_utc(value)
    elif isinstance(value, (int, float)):
        try:
            parsed = datetime.fromtimestamp(value, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            parsed = None
    if parsed is None:
        logger.debug("unparseable timestamp %r: kept as None", value)
    return parsed


def _in_utc(moment: datetime) -> datetime | None:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None


_MONTHS = {m: n for n, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                        "Sep", "Oct", "Nov", "Dec"), start=1)}  # fmt: skip


# Every poll of a job sends the same created_at, and its updated_at changes now and then:
# remembering recent texts makes most timestamps a dict lookup. Only texts of 64 characters
# or fewer are remembered (any real timestamp), so the cache holds a few hundred KB at most.
@functools.lru_cache(maxsize=2048)
def _parse_text(text: str) -> datetime | None:
    """The moment a timestamp's text names, in UTC; the common shapes first, cheaply."""
    text = text.strip()
    if not text:
        return None
    if text[0].isalpha():
        return _in_utc_or_none(_parse_rfc_1123(text))
    iso = text[:-1] + "+00:00" if text[-1] in ("Z", "z") else text
    try:
        return _in_utc(datetime.fromisoformat(iso))
    except ValueError:
        pass
    try:  # Python 3.10 takes only 3 or 6 digits of fraction
        return _in_utc(datetime.fromisoformat(_FRACTION.sub(_six_digit_fraction, iso)))
    except ValueError:
        return _in_utc_or_none(_parse_rfc_1123(text))


def _in_utc_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else _in_utc(moment)


def _parse_rfc_1123(text: str) -> datetime | None:
    """``Mon, 14 Jul 2025 09:14:24 GMT`` as Tavus writes it; other email-style dates too."""
    parts = text.split()
    if len(parts) == 6 and parts[5] == "GMT" and parts[2] in _MONTHS and len(parts[4]) == 8:
        try:
            hour, minute, second = (int(n) for n in parts[4].split(":"))
            return datetime(
                int(parts[3]), _MONTHS[parts[2]], int(parts[1]), hour, minute, second,
                tzinfo=timezone.utc,
            )  # fmt: skip
        except (ValueError, OverflowError):
            pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _structure_text(value: object, _: type) -> str:
    """Strings as they are; numbers as their text (ids and progress are sometimes numbers)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"expected a string, got {type(value).__name__}")


def _structure_count(value: object, _: type) -> int:
    """A whole number (``total_count``): an int, or its text; never a bool or a fraction."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise TypeError(f"expected a whole number, got {value!r}")


def _structure_items(value: object, type_: Any) -> tuple[Any, ...]:
    """A JSON array as a tuple of items (an object or a string is not a list of items)."""
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"expected a JSON array, got {type(value).__name__}")
    (item_type, *_) = typing.get_args(type_)
    return tuple(converter.structure(item, item_type) for item in value)


def _is_tuple_of_items(type_: Any) -> bool:
    origin: Any = typing.get_origin(type_)
    return origin is tuple


def _status_enum(type_: Any) -> type[enum.Enum] | None:
    """The family's StatusEnum in a field's type (``XStatus | str | None``), if there is one."""
    return next(
        (
            arg
            for arg in typing.get_args(type_)
            if isinstance(arg, type) and issubclass(arg, StatusEnum) and arg is not StatusEnum
        ),
        None,
    )


def _status_hook_factory(type_: Any) -> Callable[[object, Any], object]:
    """A known status word as its enum member; an unknown one as the word itself."""
    status_enum = _status_enum(type_)
    assert status_enum is not None
    members = {member.value: member for member in status_enum}

    def structure_status(value: object, _: Any) -> object:
        if value is None:
            return None
        text = value if type(value) is str else _structure_text(value, str)
        return members.get(text, text)

    return structure_status


def _is_model(type_: Any) -> bool:
    return isinstance(type_, type) and issubclass(type_, Model) and attrs.has(type_)


def _model_hook_factory(cls: Any) -> Callable[[Any, Any], Any]:
    """Structure a model from a JSON object, keeping unknown fields in ``extra``.

    The model is built by its quick function (``structure_gen``), made on first use,
    when every hook it calls is registered. Should that raise, cattrs's own function
    runs, to say field by field what did not fit.
    """
    known = frozenset(a.name for a in attrs.fields(cls) if a.name != "extra")
    structure_fields = make_dict_structure_fn(cls, converter)
    # A model whose objects come in kinds names the subclass each object is parsed as.
    in_kinds = any("_parsed_as" in vars(k) for k in cls.__mro__ if k is not Model)
    build: Build | None = None

    def structure_model(value: Any, _: Any) -> Any:
        nonlocal build
        # JSON objects are dicts: the type test comes first, as an ABC check is slow.
        if type(value) is not dict and not isinstance(value, Mapping):
            raise TypeError(f"expected a JSON object, got {type(value).__name__}")
        if in_kinds:
            kind = cls._parsed_as(value)
            if kind is not cls and isinstance(kind, type) and issubclass(kind, cls):
                return converter.structure(value, kind)
        unknown = value.keys() - known  # in C; kept in the body's own order below
        extra = {k: v for k, v in value.items() if k not in known} if unknown else {}
        if build is None:
            build = make_build(cls, hook_of=_hook_of, inline=_INLINE)
            build = build or _detailed_only
        try:
            return build(value, extra)
        except Exception:
            return structure_fields({**value, "extra": extra}, cls)

    return structure_model


def _detailed_only(value: Mapping[str, Any], extra: dict[str, Any]) -> Any:
    """For a model with no quick function: fail, so that cattrs's own function runs."""
    raise NotImplementedError


def _structure_optional_text(value: object, _: type) -> str | None:
    if value is None or type(value) is str:
        return value
    return _structure_text(value, str)


def _structure_optional_object(value: object, _: type) -> dict[str, Any] | None:
    if value is None:
        return None
    if type(value) is dict:
        return dict(value)  # from JSON: its keys are strings already
    if not isinstance(value, Mapping):
        raise TypeError(f"expected a JSON object, got {type(value).__name__}")
    return {str(k): v for k, v in value.items()}


# The JSON scalar types an open word or flag may hold (``Literal["full", "echo"] | str``,
# ``bool | str``): settings Tavus sent as strings in older answers ("false") stay as sent.
_SCALARS: tuple[type, ...] = (str, bool, int, float, type(None))


def _is_open_scalar(type_: Any) -> bool:
    """A union of JSON scalars with Literal words or a bool in it (not a plain Optional)."""
    if typing.get_origin(type_) not in (typing.Union, types.UnionType):
        return False
    args = typing.get_args(type_)
    words = [a for a in args if typing.get_origin(a) is typing.Literal]
    kinds = [a for a in args if a not in words]
    return all(k in _SCALARS for k in kinds) and (bool(words) or bool in kinds)


def _open_scalar_hook_factory(type_: Any) -> Callable[[object, Any], object]:
    """A value of one of the union's kinds, or one of its words; numbers as text for ``str``.

    Its errors name the kinds expected and the kind received, never the value (a
    setting may be a secret).
    """
    args = typing.get_args(type_)
    words = {w for a in args if typing.get_origin(a) is typing.Literal for w in typing.get_args(a)}
    kinds = {a for a in args if typing.get_origin(a) is not typing.Literal}
    names = {"null" if k is type(None) else k.__name__ for k in kinds}
    expected = " or ".join(sorted(names | ({"a word"} if words else set())))

    def structure_scalar(value: object, _: Any) -> object:
        kind = type(value)
        if kind in kinds or (kind is int and float in kinds):
            return value
        if kind is str and value in words:
            return value
        if str in kinds and kind in (int, float):
            return str(value)
        raise TypeError(f"expected {expected}, got {'null' if value is None else kind.__name__}")

    return structure_scalar


# The hooks a model's quick function writes inline, as expressions of the value ``v``: a
# string is the common case, and reading it calls nothing (see ``structure_gen``).
_INLINE: dict[Hook, str] = {
    _structure_text: "v if type(v) is str else {hook}(v, {type})",
    _structure_optional_text: "v if v is None or type(v) is str else {hook}(v, {type})",
}

converter.register_structure_hook(str, _structure_text)
converter.register_structure_hook(int, _structure_count)
# The optional fields every model is made of get hooks of their own: cattrs's generic
# Optional handler would add a dispatch to each of them (most of the parsing time).
converter.register_structure_hook(typing.Optional[str], _structure_optional_text)  # noqa: UP045
converter.register_structure_hook(
    typing.Optional[datetime],  # noqa: UP045
    lambda value, _: parse_timestamp(value),
)
converter.register_structure_hook(
    typing.Optional[dict[str, Any]],  # noqa: UP045
    _structure_optional_object,
)
converter.register_structure_hook_func(_is_tuple_of_items, _structure_items)
converter.register_structure_hook(datetime, lambda value, _: parse_timestamp(value))
converter.register_structure_hook_factory(
    lambda t: _status_enum(t) is not None, _status_hook_factory
)
converter.register_structure_hook_factory(_is_model, _model_hook_factory)
converter.register_structure_hook_factory(_is_open_scalar, _open_scalar_hook_factory)


# The converter's own lookup of a type's hook (cattrs 24.1 and later).
_hook_of = cast(Callable[[Any], Hook], converter.get_structure_hook)

# Each class's hook, looked up once: cattrs's dispatch on every call costs each request
# time, and the converter is configured once, at import, before any lookup.
_hooks: dict[Any, Callable[[Any, Any], Any]] = {}


def structure(
    payload: Any, cls: type[T], *, method: str | None = None, url: str | None = None
) -> T:
    """``payload`` as a ``cls``, or ResponseValidationError saying what did not fit."""
    try:
        hook = _hooks.get(cls)
        if hook is None:
            hook = _hooks[cls] = _hook_of(cls)
        return hook(payload, cls)  # type: ignore[no-any-return]
    except Exception as exc:
        if isinstance(exc, cattrs.BaseValidationError):
            reason = "; ".join(cattrs.transform_error(exc))
        else:
            reason = str(exc) or type(exc).__name__
        name = getattr(cls, "__name__", str(cls))
        raise ResponseValidationError(
            f"response does not fit {name}: {reason}", body=payload, method=method, url=url
        ) from exc


def unstructure_settings(settings: object) -> dict[str, Any]:
    """A typed settings object (a family's ``properties`` class) as JSON, unset fields left out."""
    raw = converter.unstructure(settings)
    return {k: v for k, v in raw.items() if v is not None}


# Model.from_dict parses with the one converter (models cannot import it: see use_parser).
use_parser(structure)
