"""Per-call options: what every call of every family takes, declared and checked once.

``RequestOptions`` is the one declaration (``**options: Unpack[RequestOptions]`` on each
call); ``check_options`` turns what a caller gave into a ``CallOptions`` before any
request, refusing what cannot be sent with a message that names the option.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Mapping
from typing import Any, NamedTuple, TypedDict

if sys.version_info >= (3, 11):  # pragma: no cover - the version decides
    from typing import Unpack
else:  # pragma: no cover
    from typing_extensions import Unpack

__all__ = [
    "PROTECTED_HEADERS",
    "CallOptions",
    "RequestOptions",
    "Unpack",
    "check_headers",
    "check_options",
    "check_retries",
    "check_seconds",
    "refuse_extra_body",
]

#: Headers a caller may not set: the key goes to the API only, the host is the API's own,
#: and the body's framing is aiohttp's to state (a wrong length would hang a create).
PROTECTED_HEADERS = frozenset(
    {"x-api-key", "host", "content-length", "transfer-encoding", "connection"}
)
#: What HTTP allows in a header's name (RFC 9110's token): nothing that could end it early.
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


class RequestOptions(TypedDict, total=False):
    """Options every call takes, for that call alone.

    ``extra_body`` is merged into the JSON body at the top level, last, so it may also
    override a field (a POST that sends no body of its own sends it as the body);
    ``extra_query`` into the query string; ``extra_headers`` into the headers. ``timeout``
    is the seconds each request of the call may take, ``max_retries`` how often an
    idempotent request of the call is tried again. A field or filter Tavus adds before
    this SDK knows it goes through these.
    """

    extra_body: Mapping[str, Any]
    extra_query: Mapping[str, str | int | float | bool]
    extra_headers: Mapping[str, str]
    timeout: float
    max_retries: int


class CallOptions(NamedTuple):
    """A call's options, checked: what the request path applies to each request."""

    extra_body: Mapping[str, Any] | None = None
    extra_query: Mapping[str, str] | None = None
    extra_headers: Mapping[str, str] | None = None
    timeout: float | None = None
    max_retries: int | None = None


_NAMES = frozenset(RequestOptions.__annotations__)


def check_options(options: Mapping[str, object]) -> CallOptions | None:
    """The options a caller gave, checked; None when none were given.

    Raises TypeError for an unknown keyword (a misspelt argument must not vanish) or a
    value of the wrong type, ValueError for one out of range or a protected header.
    """
    if not options:
        return None
    unknown = sorted(options.keys() - _NAMES)
    if unknown:
        raise TypeError(
            f"unexpected keyword argument {', '.join(map(repr, unknown))}: a field or filter "
            "this SDK does not know yet goes in extra_body= or extra_query="
        )
    extra_body = options.get("extra_body")
    if extra_body is not None:
        extra_body = _json_object("extra_body", extra_body)
        try:
            json.dumps(extra_body, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"extra_body must hold only JSON values: {exc}") from None
    extra_query = options.get("extra_query")
    if extra_query is not None:
        extra_query = _query("extra_query", extra_query)
    extra_headers = options.get("extra_headers")
    if extra_headers is not None:
        extra_headers = check_headers("extra_headers", extra_headers)
    timeout = options.get("timeout")
    if timeout is not None:
        timeout = check_seconds("timeout", timeout)
    max_retries = options.get("max_retries")
    if max_retries is not None:
        max_retries = check_retries("max_retries", max_retries)
    return CallOptions(
        extra_body=extra_body,
        extra_query=extra_query,
        extra_headers=extra_headers,
        timeout=timeout,
        max_retries=max_retries,
    )


def refuse_extra_body(options: CallOptions | None, call: str) -> None:
    """ValueError for an ``extra_body`` given to a call whose requests send no body."""
    if options is not None and options.extra_body:
        raise ValueError(f"extra_body cannot go with {call}: its requests are GETs, with no body")


def _json_object(name: str, value: object) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping, not {type(value).__name__}")
    if not all(isinstance(key, str) for key in value):
        raise TypeError(f"{name} keys must be strings")
    return dict(value)


def _query(name: str, value: object) -> dict[str, str]:
    params: dict[str, str] = {}
    for key, item in _json_object(name, value).items():
        if isinstance(item, bool):
            params[key] = "true" if item else "false"
        elif isinstance(item, (str, int, float)):
            params[key] = str(item)
        else:
            raise TypeError(
                f"{name}[{key!r}] must be a string, number or bool, not {type(item).__name__}"
            )
    return params


def check_headers(name: str, value: object) -> dict[str, str]:
    """Headers with valid names and one-line string values, none of them protected.

    A name is compared as servers may read it (any case, ``_`` for ``-``): ``X_Api_Key``
    could reach some servers as a second key.
    """
    headers: dict[str, str] = {}
    for key, item in _json_object(name, value).items():
        if not _HEADER_NAME.fullmatch(key):
            raise ValueError(f"{name} has {key!r}, which is not a header name")
        if key.lower().replace("_", "-") in PROTECTED_HEADERS:
            raise ValueError(f"{name} may not set {key!r}: the client sets it")
        if not isinstance(item, str):
            raise TypeError(f"{name}[{key!r}] must be a string, not {type(item).__name__}")
        if any((ord(c) < 32 and c != "\t") or c == "\x7f" for c in item):
            raise ValueError(f"{name}[{key!r}] must be one line of printable text")
        headers[key] = item
    return headers


def check_seconds(name: str, value: object) -> float:
    """A finite number of seconds above 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number more than 0, got {value!r}")
    return float(value)


def check_retries(name: str, value: object) -> int:
    """A whole number of retries, 0 or more."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must be 0 or more, got {value!r}")
    return value
