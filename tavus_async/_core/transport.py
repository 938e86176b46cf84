"""What the client's one request path needs of HTTP: slots, bounded bodies, transport errors."""

from __future__ import annotations

import asyncio
from collections import deque

import aiohttp
import attrs

from .._exceptions import APIConnectionError, APITimeoutError
from .responses import ACTING_METHODS, REDACTED, may_have_acted, unsettled_hint

__all__ = [
    "MAX_ERROR_BODY_BYTES",
    "MAX_RESPONSE_BYTES",
    "Slots",
    "TransportFailure",
    "decode_text",
    "read_and_drop",
    "read_at_most",
    "transport_failure",
]

#: The largest success body read (Tavus's are a few KB; a page of 100 videos ~100 KB).
MAX_RESPONSE_BYTES = 16 * 2**20
#: Of an error's body, the first this many bytes are read: enough for any message.
MAX_ERROR_BODY_BYTES = 64 * 2**10


class Slots:
    """At most ``size`` requests in flight; the others wait in line, first come first served.

    An asyncio.Semaphore, but taking a free slot is a plain call: most requests find one,
    and every request pays for the way in.
    """

    def __init__(self, size: int) -> None:
        self._free = size
        self._line: deque[asyncio.Future[None]] = deque()

    def take_now(self) -> bool:
        """Take a slot if one is free and nobody waits for it; whether it was taken."""
        if self._free and not self._line:
            self._free -= 1
            return True
        return False

    async def take(self) -> None:
        """Wait in line for a slot; ``give_back()`` it when done."""
        turn = asyncio.get_running_loop().create_future()
        self._line.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.give_back()  # handed a slot just as we were cancelled: pass it on
            elif turn in self._line:
                self._line.remove(turn)  # out of the line now, not at the next give_back()
            raise

    def give_back(self) -> None:
        """Hand the slot to the first in line still waiting, or free it."""
        while self._line:
            turn = self._line.popleft()
            if not turn.done():  # a cancelled waiter's turn is done: skip it
                turn.set_result(None)
                return
        self._free += 1


async def read_and_drop(response: aiohttp.ClientResponse) -> None:
    """Read a body nobody needs: a short one whole, so that the connection serves again."""
    await read_at_most(response, MAX_ERROR_BODY_BYTES)


async def read_at_most(response: aiohttp.ClientResponse, limit: int) -> tuple[bytes, bool]:
    """The body's first ``limit`` bytes at most, and whether that is the whole body.

    A body that says its length and is not compressed is read at once; any other is read
    as it comes, and reading stops past ``limit``: a huge or endless answer costs a few
    times ``limit`` of memory at most, never more.
    """
    length = response.content_length
    if length is not None and length <= limit and "Content-Encoding" not in response.headers:
        return await response.read(), True
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_any():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return b"".join(chunks)[:limit], False
    return b"".join(chunks), True


def decode_text(raw: bytes, charset: str | None) -> str:
    """A body as text in its charset when Python can decode it so, else as UTF-8.

    Never raises: a charset Python does not know, a codec that is not a text encoding
    (rot13, base64) and one that fails on these bytes (idna, punycode) all fall back.
    """
    if charset:
        try:
            return raw.decode(charset, errors="replace")
        except (LookupError, UnicodeError, TypeError):
            pass
    return raw.decode("utf-8", errors="replace")


@attrs.frozen
class TransportFailure:
    error: APIConnectionError
    cause: BaseException | None


def transport_failure(
    exc: Exception,
    *,
    method: str,
    url: str,
    timeout: float | None,
    secret: str,
    replayable: bool | None = None,
) -> TransportFailure:
    """The APIConnectionError (or APITimeoutError) for an exchange that got no answer.

    aiohttp's messages quote what the server sent, and a server may echo the key:
    ``secret`` is redacted from the message. A POST that may have acted is said to have
    perhaps made a job, unless it is ``replayable`` (sending it twice does no harm, as
    ending a conversation): such a request makes no job. A change that must not be sent
    twice (``replayable=False``: a JSON Patch that appends) is said to have perhaps been
    applied.
    """
    error_class: type[APIConnectionError] = APIConnectionError
    cause: BaseException | None = exc
    if isinstance(exc, aiohttp.InvalidURL):
        request_sent, message = False, f"not a url aiohttp can request: {exc}"
    elif isinstance(exc, aiohttp.ConnectionTimeoutError):
        error_class, request_sent, message = APITimeoutError, False, f"timed out connecting: {exc}"
    elif isinstance(exc, aiohttp.ClientConnectorError):
        request_sent, message = False, f"could not connect: {exc}"
    elif isinstance(exc, asyncio.TimeoutError):
        waited = f" within {timeout:g} s" if timeout else ""
        error_class, request_sent, message = APITimeoutError, True, f"no answer{waited}"
    else:
        # A ClientResponseError (a reply that is not HTTP, say) holds the request's headers.
        if isinstance(exc, aiohttp.ClientResponseError):
            cause = None
        what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        request_sent, message = True, f"connection lost ({what})"
    message = message.replace(secret, REDACTED)
    error = error_class(message, method=method, url=url, request_sent=request_sent)
    if may_have_acted(error) and (
        (method in ACTING_METHODS and not replayable)
        or (replayable is False and method not in ACTING_METHODS)
    ):
        error.message += unsettled_hint(error, method=method)
        error.args = (error.message,)
    return TransportFailure(error, cause)
