"""How the request path reads an API answer: its body bounded, redacted, decoded, structured.

``JsonAnswer`` is a request's way of reading its answer: ``RequestPath.request`` makes
one and hands it to the one exchange as its ``consume``. It holds what it needs as
attributes, not as a ``functools.partial``'s keywords: those cost every request a dict
copied, merged and matched by name.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import aiohttp

from .._exceptions import ResponseValidationError
from .decode import Decode, json_decoder
from .models import mask_secret_text
from .responses import ACTING_METHODS, REDACTED, may_have_acted, unsettled_hint
from .transport import MAX_RESPONSE_BYTES, decode_text, read_at_most

__all__ = ["JsonAnswer"]


class JsonAnswer:
    """A success's body as JSON (as a ``model`` when one is named), the ``secret`` redacted.

    A body over MAX_RESPONSE_BYTES, one that is not JSON and one that does not fit the
    model are refused with ResponseValidationError naming ``method`` and ``url``. For a
    request that makes a job, the error also says that the job was made and how to find
    it. With ``optional``, a 304 or an empty body is None (a PATCH that changed nothing).
    """

    __slots__ = ("method", "model", "optional", "secret", "url")

    def __init__(
        self, method: str, url: str, model: type[Any] | None, optional: bool, secret: str
    ) -> None:
        self.method = method
        self.url = url
        self.model = model
        self.optional = optional
        self.secret = secret

    async def __call__(self, response: aiohttp.ClientResponse) -> Any:
        # read_at_most's own fast path, inline: most answers say their length, and this
        # saves them a coroutine. Only a body said to be too long is refused unread.
        length = response.content_length
        if length is None or "Content-Encoding" in response.headers:
            raw, whole = await read_at_most(response, MAX_RESPONSE_BYTES)
        elif length > MAX_RESPONSE_BYTES:
            raw, whole = b"", False  # said to be too long: not a byte of it is read
        else:
            raw, whole = await response.read(), True
        if self.optional and (response.status == 304 or (whole and not raw.strip())):
            return None
        try:
            return self._parse(raw, whole, response)
        except ResponseValidationError as exc:
            if self.method in ACTING_METHODS and may_have_acted(exc):
                exc.message += unsettled_hint(exc)
                exc.args = (exc.message,)
            raise

    def _parse(self, raw: bytes, whole: bool, response: aiohttp.ClientResponse) -> Any:
        method, url, secret = self.method, self.url, self.secret
        if not whole:
            raise ResponseValidationError(
                f"response body is larger than {MAX_RESPONSE_BYTES // 2**20} MiB: refused",
                body=None,
                method=method,
                url=url,
            )
        secret_bytes = secret.encode()  # not cached: a cache would keep keys past their client
        if secret_bytes in raw:
            raw = raw.replace(secret_bytes, REDACTED.encode())
        try:
            payload = _decoder()(raw)
        except (ValueError, RecursionError):
            # The bytes were redacted as UTF-8; the text is redacted again in its charset
            # (read from the headers only now: a body that is JSON does not need it).
            text = decode_text(raw, response.charset).replace(secret, REDACTED)
            shown = mask_secret_text(text[:200])  # a persona's keys, say, cut short
            raise ResponseValidationError(
                f"response is not JSON: {shown!r}", body=text[:200], method=method, url=url
            ) from None
        if self.model is None:
            return payload
        return _structure()(payload, self.model, method=method, url=url)


@functools.cache
def _decoder() -> Decode:
    """How bodies are decoded (``_core.decode``), chosen with the first body read (orjson is
    not loaded at start-up), then a cached lookup on every request."""
    return json_decoder()


@functools.cache
def _structure() -> Callable[..., Any]:
    """The converter's ``structure``, imported with the first body read as a model (cattrs
    is not loaded at start-up), then a cached lookup on every request."""
    from .convert import structure

    return structure
