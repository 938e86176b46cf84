"""Checks on what callers pass, made before any request, naming the argument at fault."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

from yarl import URL

from .models import Model

__all__ = [
    "check_api_url",
    "check_bool",
    "check_choice",
    "check_comma_list",
    "check_exclusive",
    "check_id",
    "check_ids",
    "check_limit",
    "check_page",
    "check_page_size",
    "check_settings",
    "check_string",
    "check_strings",
    "check_text",
    "check_url",
    "each_id",
    "optional",
]

T = TypeVar("T")

# Tavus ids are short runs of letters and digits (``r783537ef5``); anything that could
# change the meaning of a url path (``/``, ``?``, ``#``, ``%``, ``..``, spaces) is refused.
_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")
MAX_PAGE_SIZE = 100


def check_id(name: str, value: object) -> str:
    """A Tavus id that is safe to put in a url path."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must not be empty")
    if not _ID.fullmatch(value):
        raise ValueError(
            f"{name} must be letters, digits, '-' or '_' (a Tavus id like 'r783537ef5'), "
            f"got {value!r}"
        )
    return value


def check_ids(name: str, values: object) -> list[str]:
    """A non-empty list of ids (a bare string is refused: it is not a list of ids)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Collection):
        raise TypeError(f"{name} must be a list of ids, not {type(values).__name__}")
    if not values:
        raise ValueError(f"{name} must not be empty")
    return each_id(name, values)


def each_id(name: str, values: Iterable[object]) -> list[str]:
    """Every value checked with ``check_id`` as ``name[i]``: the name is spelled out only
    for the one refused, so that a hundred thousand ids are checked in milliseconds."""
    valid = _ID.fullmatch
    checked: list[str] = []
    for i, value in enumerate(values):
        if type(value) is str and valid(value):
            checked.append(value)
        else:  # refused, naming it (or a subclass of str, let through)
            checked.append(check_id(f"{name}[{i}]", value))
    return checked


def check_string(name: str, value: object) -> str:
    """A string, whatever it holds: Tavus judges its content (a name, a model, a voice)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    return value


def check_strings(
    name: str, values: object, check: Callable[[str, object], str] = check_string
) -> list[str]:
    """A list (maybe empty) of strings, each checked by ``check`` as ``name[i]``; a bare
    string is refused: it is not a list of them."""
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Collection):
        raise TypeError(f"{name} must be a list of strings, not {type(values).__name__}")
    return [check(f"{name}[{i}]", value) for i, value in enumerate(values)]


def check_comma_list(name: str, values: object) -> str:
    """A list filter's words as Tavus takes them, comma-separated (``tags=a,b``); a word
    that is blank or holds a comma (it would split) is refused."""
    words = check_strings(name, values, check_text)
    for i, word in enumerate(words):
        if "," in word:
            raise ValueError(f"{name}[{i}] must not hold ',' (the filter separates them with it)")
    return ",".join(words)


def check_exclusive(given: Mapping[str, object], why: str) -> None:
    """ValueError naming the arguments when more than one of ``given`` is set (not None)."""
    named = [name for name, value in given.items() if value is not None]
    if len(named) > 1:
        raise ValueError(f"give {' or '.join(named)}, not both: {why}")


def check_text(name: str, value: object) -> str:
    """A string with something in it besides white space."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def check_url(name: str, value: object) -> str:
    """An absolute http or https url."""
    text = check_text(name, value)
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise ValueError(f"{name} is not a valid url: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{name} must be an http(s) url, got {text!r}")
    if any(c.isspace() for c in text):
        raise ValueError(f"{name} must not contain white space, got {text!r}")
    return text


def check_api_url(name: str, value: object, *, allow_insecure_http: bool) -> str:
    """An API url the key may travel to: https, or plain http only to this machine.

    Plain http to any other host would carry the key in clear text; ``allow_insecure_http``
    is the caller saying that is what they want (a proxy on a private network, say). The
    url must be one aiohttp can request (a valid host and port), with no query or fragment,
    and must not end in ``/v2``: the client adds that itself. Any other path (a gateway's
    prefix) is kept.
    """
    text = check_url(name, value)
    try:
        url = URL(text)
        host, _ = url.host, url.port  # yarl checks both only when asked
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name} is not a valid url: {exc}") from None
    shown = str(url.with_password("***")) if url.password else text
    if not host or url.query_string or url.fragment:
        raise ValueError(f"{name} must be a host and a path, no query or fragment: {shown!r}")
    if url.path.rstrip("/").lower().endswith("/v2"):
        # The client adds /v2 to every path: this url would ask for /v2/v2/videos (404).
        root = str(url.with_path(url.path.rstrip("/")[: -len("/v2")] or "/")).rstrip("/")
        raise ValueError(
            f"{name} {shown!r} ends in /v2, which the client adds itself: drop it, use {root!r}"
        )
    if url.scheme == "http" and not allow_insecure_http and not _is_loopback(host):
        raise ValueError(
            f"{name} {shown!r} is plain http to another machine: the API key would travel in "
            "clear text. Use https, or pass allow_insecure_http=True (--allow-insecure-http on "
            "the command line) to send it anyway"
        )
    return text


def _is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bool(name: str, value: object) -> bool:
    """True or False (not 1, 0 or a string)."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, not {type(value).__name__}")
    return value


def check_choice(name: str, value: object, choices: Collection[str]) -> str:
    """One of the words Tavus accepts for this argument."""
    text = check_text(name, value)
    if text not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {text!r}")
    return text


def _check_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


def check_limit(name: str, value: object) -> int:
    """A page size for one page, 1 or more (Tavus says how many it sends)."""
    size = _check_int(name, value)
    if size < 1:
        raise ValueError(f"{name} must be 1 or more, got {size}")
    return size


def check_page_size(name: str, value: object) -> int:
    """A page size from 1 to 100, for walking every page.

    Above Tavus's largest page, a walk would take Tavus's full pages for short ones and
    stop early: the bound keeps ``iter`` complete.
    """
    size = _check_int(name, value)
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError(f"{name} must be from 1 to {MAX_PAGE_SIZE}, got {size}")
    return size


def check_page(name: str, value: object) -> int:
    """A page number, 0 or more."""
    page = _check_int(name, value)
    if page < 0:
        raise ValueError(f"{name} must be 0 or more, got {page}")
    return page


def check_settings(name: str, value: object, settings_class: type) -> dict[str, Any]:
    """A plain mapping with string keys, or the typed settings class, as a JSON object.

    A settings class that is a ``Model`` (with ``extra`` for keys this version does not
    know) is written with its ``to_dict()``, its unknown keys included.
    """
    if isinstance(value, settings_class):
        if isinstance(value, Model):
            return value.to_dict()
        from .convert import unstructure_settings  # cattrs loads when first needed

        return unstructure_settings(value)
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value):
            raise TypeError(f"{name} keys must be strings")
        settings = {k: v for k, v in value.items() if v is not None}
        try:
            json.dumps(settings, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must hold only JSON values (no NaN): {exc}") from None
        return settings
    raise TypeError(
        f"{name} must be a mapping or {settings_class.__name__}, not {type(value).__name__}"
    )


def optional(check: Callable[[str, object], T], name: str, value: object) -> T | None:
    """``check(name, value)`` for an argument that was given; None for one left unset."""
    return None if value is None else check(name, value)
