"""The connection pool a client and its ``with_options`` copies share: one aiohttp session.

A session belongs to the event loop it was opened on. A client made at module level and
used by two ``asyncio.run()`` calls in turn gets a session per loop: the pool closes its
session as the loop that opened it ends, and opens a new one on the next loop. A loop
still running elsewhere, or a session the caller gave, cannot be moved: that is a
``TavusError`` that says what to do.
"""

from __future__ import annotations

import asyncio
import contextlib
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

    def session(self) -> aiohttp.ClientSession:
        """The session for the running loop, opened on first use; RuntimeError once closed."""
        if self.closed:
            raise RuntimeError("this TavusClient is closed; create a new one to make requests")
        session = self._session
        if session is not None and self._loop is asyncio.get_running_loop():
            return session
        return self._open()

    def _open(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._loop is not None and self._loop is not loop and self._session is not None:
            if not self._owns_session:
                raise TavusError(
                    "the aiohttp session given to this TavusClient belongs to another event "
                    "loop: create the session and the client inside the loop that uses them"
                )
            if not self._loop.is_closed():
                raise TavusError(
                    "this TavusClient is in use in another event loop that is still running: "
                    "create one client per event loop, inside it"
                )
            # The loop ended without closing what it opened (not asyncio.run): let it go.
            self._session, self._loop_end = None, None
        self._loop = loop
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._max_connections)
            )
            self._close_when_loop_ends()
        return self._session

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
            await self._close_session()

    async def _close_session(self) -> None:
        session, self._session, self._loop_end = self._session, None, None
        if session is not None and self._owns_session:
            await session.close()

    async def close(self) -> None:
        """Refuse further requests and close the session opened here (never one given)."""
        self.closed = True
        ending = self._loop_end
        if ending is not None:
            await ending.aclose()  # its finally closes the session
        else:
            await self._close_session()
