"""How FakeTavus serves a fault: a status, a hold, a dropped connection or a spoiled body.

The same faults serve both of the fake's hosts: the API (``/v2/...``) and the file host
(``/files/...``, ``/streams/...``). Only a body's spoiling differs, where a file would
otherwise pass for whole (see ``Fault``).
"""

from __future__ import annotations

import asyncio
import contextlib
import http
from collections.abc import Awaitable, Callable

from aiohttp import web

from ._faults import Fault

__all__ = ["HOLD_CHECK", "Holds", "drop", "serve_fault"]

#: Seconds between looks at a held request's connection, to see whether its client left.
HOLD_CHECK = 0.01

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Holds:
    """The requests that ``hang`` faults hold: counted, and let go when the fake closes."""

    def __init__(self) -> None:
        self.count = 0
        self._changed = asyncio.Event()
        self._closing: asyncio.Future[None] | None = None

    def open(self) -> None:
        """Start holding requests (on the running loop)."""
        self._changed = asyncio.Event()
        self._closing = asyncio.get_running_loop().create_future()

    def release(self) -> None:
        """Let every held request go (its connection is dropped), and hold no more."""
        if self._closing is not None and not self._closing.done():
            self._closing.set_result(None)

    async def hold(self, request: web.Request) -> None:
        """Hold ``request`` unanswered until its client hangs up or ``release()``, then drop it.

        aiohttp lets a handler run on when its client leaves (``handler_cancellation``
        is off: a ``delay`` or ``drop_after`` fault must still act after the client gave
        up, as a real server would), so the connection itself is watched instead.
        """
        closing = self._closing
        self._counted(+1)
        try:
            while closing is not None and not closing.done() and _connected(request):
                await asyncio.wait((closing,), timeout=HOLD_CHECK)
        finally:
            self._counted(-1)
            drop(request)

    async def until(self, count: int) -> None:
        """Return once exactly ``count`` requests are held."""
        while self.count != count:
            self._changed.clear()
            await self._changed.wait()

    def _counted(self, change: int) -> None:
        self.count += change
        self._changed.set()


def _connected(request: web.Request) -> bool:
    transport = request.transport
    return transport is not None and not transport.is_closing()


def drop(request: web.Request) -> None:
    """Close the request's connection, whatever has been sent on it."""
    if request.transport is not None:
        request.transport.close()


async def serve_fault(
    request: web.Request, handler: Handler, fault: Fault, *, holds: Holds, files: bool
) -> web.StreamResponse:
    """Answer ``request`` as ``fault`` says; ``files`` when it is for the file host."""
    if fault.hang:
        await holds.hold(request)
        return web.Response()  # never sent: the connection is gone
    if fault.delay:
        await asyncio.sleep(fault.delay)
    if fault.drop:
        drop(request)
        return web.Response()
    if fault.status is not None:
        return _fault_response(fault)
    response = await handler(request)
    if fault.drop_after:
        drop(request)
        return web.Response()
    if response.status >= 300:
        return response  # a refusal stays a refusal; only a success is spoiled
    whole = _body_of(response)
    keep = fault.cut_after_bytes
    if keep is None and fault.truncated and files:
        keep = len(whole) // 2
    if keep is not None:
        return await _cut(request, response, whole, keep)
    if fault.malformed and files:
        return web.Response(body=b"<html>upstream error", content_type=response.content_type)
    if fault.malformed:
        return web.Response(text="<html>upstream error", content_type="application/json")
    if fault.truncated and whole:
        return web.Response(body=whole[: len(whole) // 2], content_type="application/json")
    return response


def _body_of(response: web.StreamResponse) -> bytes:
    body = response.body if isinstance(response, web.Response) else None
    return bytes(body) if isinstance(body, (bytes, bytearray)) else b""


async def _cut(
    request: web.Request, response: web.StreamResponse, whole: bytes, keep: int
) -> web.StreamResponse:
    """Headers naming the whole body's length, its first ``keep`` bytes, then a closed line."""
    cut = web.StreamResponse(status=response.status)
    cut.content_type = response.content_type
    if "Content-Range" in response.headers:  # a 206 cut short still says which part it is
        cut.headers["Content-Range"] = response.headers["Content-Range"]
    cut.content_length = len(whole)
    await cut.prepare(request)
    await cut.write(whole[:keep])
    drop(request)  # the transport sends what it holds, then closes
    return cut


def _fault_response(fault: Fault) -> web.Response:
    assert fault.status is not None
    headers = dict(fault.headers)
    if isinstance(fault.body, (str, bytes)):
        content_type = headers.pop("Content-Type", "text/plain")
        return web.Response(
            status=fault.status, body=fault.body, headers=headers, content_type=content_type
        )
    body = fault.body if fault.body is not None else {"error": _phrase(fault.status)}
    return web.json_response(body, status=fault.status, headers=headers)


def _phrase(status: int) -> str:
    with contextlib.suppress(ValueError):
        return http.HTTPStatus(status).phrase
    return f"HTTP {status}"
