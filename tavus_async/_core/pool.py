"""The connection pool a client and its ``with_options`` copies share: one aiohttp session.

A session belongs to the event loop it was opened on. A client made at module level and
used by two ``asyncio.run()`` calls in turn gets a session per loop: the pool closes its
session as the loop that opened it ends, and opens a new one on the next loop. What
cannot be moved is a ``TavusError`` that says what to do: a session still open on a loop
that runs elsewhere, or was closed without ``asyncio.run`` closing what it opened, and a
session the caller gave that belongs to another loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncGenerator
from typing import Any

import aiohttp

from .._exceptions import TavusError
from .transport import Slots

__all__ = ["Pool"]


class Pool:
    """At most ``max_connections`` connections and the requests waiting for one.

    ``session`` is used when given and never closed here; otherwise one is opened on
    first use, on the running loop, and closed by ``close()`` or when that loop ends.
    """

    def __init__(self, *, session: aiohttp.ClientSession | None, max_connections: int) -> None:
        self.slots = Slots(max_connections)
        self.closed = False
        self._session = session
        self._owns_session = session is None
        self._max_connections = max_connections
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_end: AsyncGenerator[None, None] | None = None
        self._ended: asyncio.AbstractEventLoop | None = None  # the loop now shutting down
        self._opening = threading.Lock()  # two threads' loops must not both open one

    @property
    def max_connections(self) -> int:
        """How many requests may be on the wire at once; others wait for a slot."""
        return self._max_connections

    def session(self) -> aiohttp.ClientSession:
        """The session for the running loop, opened on first use; RuntimeError once closed."""
        if self.closed:
            raise RuntimeError("this TavusClient is closed; create a new one to make requests")
        session = self._session
        if session is not None and self._loop is asyncio.get_running_loop():
            return session
        with self._opening:
            return self._open(asyncio.get_running_loop())

    def _open(self, loop: asyncio.AbstractEventLoop) -> aiohttp.ClientSession:
        if self._session is not None and self._loop is loop:
            return self._session  # another thread's call opened it meanwhile
        if not self._owns_session:
            given = self._session
            if given is not None and getattr(given, "_loop", loop) is not loop:
                raise TavusError(
                    "the aiohttp session given to this TavusClient belongs to another event "
                    "loop: create the session and the client inside the loop that uses them"
                )
            self._loop = loop
            assert given is not None
            return given
        if self._ended is loop:
            raise TavusError(
                "this event loop is shutting down and has closed the client's connections: "
                "make requests before asyncio.run ends"
            )
        if self._session is not None:  # open on another loop: it must be moved
            assert self._loop is not None
            if not self._loop.is_closed():
                raise TavusError(
                    "this TavusClient's connections belong to another event loop, which is "
                    "not closed: create one client per event loop, inside it"
                )
            raise TavusError(
                "the event loop this TavusClient's connections were opened on was closed "
                "without closing them (asyncio.run closes them; loop.close() alone does not): "
                "close the client before its loop, or create one client per loop"
            )
        self._loop = loop
        self.slots = Slots(self._max_connections)  # a slot held by a dead loop's task is lost
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self._max_connections))
        # aiohttp quietly sends an idempotent request again when its connection closes
        # before an answer. The request path does that resend itself (see ``_exchange``),
        # so that it knows a DELETE was sent twice: a 404 then means it is gone.
        session._retry_connection = False
        self._session = session
        self._close_when_loop_ends()
        return session

    def _close_when_loop_ends(self) -> None:
        """Close the session as its loop ends, from inside that loop, as asyncio.run ends.

        asyncio.run closes every async generator still suspended before it closes the
        loop (``shutdown_asyncgens``): one started here and left at its ``yield`` runs its
        ``finally`` then, while the loop still runs, and the session closes cleanly.
        """
        ending = self._until_loop_ends()
        step: Any = ending.__anext__()
        with contextlib.suppress(StopIteration):  # it runs to the yield at once
            step.send(None)
        self._loop_end = ending

    async def _until_loop_ends(self) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            self._ended = self._loop
            await self._close_session()

    async def _close_session(self) -> None:
        session, self._session, self._loop_end = self._session, None, None
        if session is not None and self._owns_session:
            await session.close()

    async def close(self) -> None:
        """Refuse further requests and close the session opened here (never one given).

        From another loop than the session's, the close runs on the session's loop while
        that one runs; a session whose loop was closed cannot be closed any more, and is
        let go.
        """
        self.closed = True
        ending, loop = self._loop_end, self._loop
        if ending is None:
            if self._session is not None and loop is not None and loop.is_closed():
                self._session = None  # nothing can close it now
            await self._close_session()
            return
        assert loop is not None
        if loop is asyncio.get_running_loop():
            await ending.aclose()  # its finally closes the session
        elif loop.is_running():
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(ending.aclose(), loop))
        else:
            self._session, self._loop_end = None, None
