"""How a response body becomes JSON: ``json.loads``, or orjson where it reads the same.

orjson (the ``[orjson]`` extra) decodes a Tavus body in about a quarter of the time
``json.loads`` takes. It is imported with the first body, not at start-up, and used only
where it gives exactly what ``json.loads`` gives: a body it refuses (``NaN`` and
``Infinity``, numbers past a float's range, lone surrogates, a byte-order mark, UTF-16
or UTF-32, nesting past 1,024 levels) goes to ``json.loads``, which reads it or raises
as it always did; so does a body holding a run of 19 digits or more anywhere, as orjson
reads an integer past 64 bits as a float, where ``json.loads`` keeps every digit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["Decode", "json_decoder"]

#: Bytes to JSON, or ValueError (RecursionError for nesting too deep for json.loads).
Decode = Callable[[bytes], Any]

# Every digit as "0" and every other byte as " ": a run of 19 digits in the body is then a
# substring search, in C. 2**63 has 19 digits; a shorter integer always fits in 64 bits.
_DIGITS_AS_ZEROS = bytes(b"0"[0] if b"0"[0] <= b <= b"9"[0] else b" "[0] for b in range(256))
_LONG_NUMBER = b"0" * 19


def json_decoder(*, prefer_orjson: bool = True) -> Decode:
    """The decoder for response bodies: orjson's, checked as above, when it is installed
    and preferred; ``json.loads`` otherwise."""
    if not prefer_orjson:
        return json.loads
    try:
        import orjson
    except ImportError:
        return json.loads
    loads, refused, stdlib_loads = orjson.loads, orjson.JSONDecodeError, json.loads

    def decode(raw: bytes) -> Any:
        if _LONG_NUMBER not in raw.translate(_DIGITS_AS_ZEROS):
            try:
                return loads(raw)
            except refused:
                pass  # json.loads reads it, or says why not as it always did
        return stdlib_loads(raw)

    return decode
