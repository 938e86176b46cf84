"""Raw responses: what ``with_raw_response`` hands back instead of the model alone.

A ``with_raw_response`` call runs the plain call with ``RAW_RESPONSES`` set; the request
path describes each successful answer into it, and the last one (the answer to the
attempt that succeeded) is the call's ``RawResponse``.
"""

from __future__ import annotations

import contextvars
import time
from typing import Any, Generic, TypeVar

import aiohttp
import attrs
from multidict import CIMultiDict, CIMultiDictProxy

from .responses import REDACTED, request_id_of

__all__ = ["RAW_RESPONSES", "RawResponse", "raw_response"]

T = TypeVar("T")

#: Set by a ``with_raw_response`` call: the answers its request received.
RAW_RESPONSES: contextvars.ContextVar[list[RawResponse[Any]] | None] = contextvars.ContextVar(
    "RAW_RESPONSES", default=None
)


@attrs.frozen(kw_only=True)
class RawResponse(Generic[T]):
    """One call's HTTP answer: status, headers and timing, and ``parse()`` for the model.

    ``headers`` are the response's, case-insensitive (aiohttp's own type), with the key
    blotted out should a server echo it; ``elapsed`` is the seconds from sending the
    request to reading its answer; ``url`` holds no key (it never does).
    """

    method: str
    url: str
    status_code: int
    headers: CIMultiDictProxy[str]
    elapsed: float
    request_id: str | None
    _parsed: T = attrs.field(alias="parsed", repr=False)

    def parse(self) -> T:
        """What the plain call returns (the model, a page, or None for a rename or delete)."""
        return self._parsed


def raw_response(
    response: aiohttp.ClientResponse,
    method: str,
    url: str,
    started: float,
    parsed: Any,
    secret: str,
) -> RawResponse[Any]:
    """The description of one successful answer, read after its body was."""
    headers = CIMultiDict(
        (name, value.replace(secret, REDACTED)) for name, value in response.headers.items()
    )
    return RawResponse(
        method=method,
        url=url,
        status_code=response.status,
        headers=CIMultiDictProxy(headers),
        elapsed=time.perf_counter() - started,
        request_id=request_id_of(headers),
        parsed=parsed,
    )
