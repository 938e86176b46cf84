"""``RedisRelay``: the callback relay on Redis pub/sub (``pip install 'tavus-async[redis]'``).

One subscriber connection listens on the receivers' channel, one client publishes. Redis
down, at start or later, never fails the receiver: ``start`` returns after the first
failed attempt, one warning is logged per outage (not per callback), what cannot be
published is dropped (the waits it would have woken poll on), and the subscriber
reconnects with backoff, on tenacity, until Redis returns. redis-py's own retries are
turned off, so that tenacity alone decides when to try again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import tenacity

from ._core.arguments import check_text
from ._core.options import check_seconds
from .relay import Deliver

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from redis.asyncio.client import PubSub

__all__ = ["RedisRelay"]

logger = logging.getLogger("tavus_async")

Sleep = Callable[[float], Awaitable[None]]

_SCHEMES = ("redis", "rediss", "unix")
#: How long one wait for a message lasts at most: between two, the subscriber checks
#: whether Redis still answers.
_LISTEN_SECONDS = 1.0


def _redis() -> Any:
    """redis-py's asyncio client, imported when a relay is made (not with the package)."""
    try:
        import redis.asyncio
    except ImportError:
        raise ImportError("RedisRelay needs redis-py: pip install 'tavus-async[redis]'") from None
    return redis.asyncio


class RedisRelay:
    """Relays accepted callbacks between processes on Redis pub/sub.

    Reconnection attempts back off exponentially, with jitter, up to ``max_backoff``
    seconds. Give one to each ``CallbackReceiver``: ``CallbackReceiver(path_token=...,
    relay=RedisRelay(url))``, in every process that serves the callback url.
    """

    def __init__(
        self,
        url: str,
        *,
        connect_timeout: float = 5.0,
        health_check_interval: float = 10.0,
        max_backoff: float = 30.0,
        sleep: Sleep | None = None,
    ) -> None:
        """Make a relay; its receiver connects it as it starts. Needs the ``redis`` package.

        Args:
            url: redis-py's (``redis://[:password@]host:port/db``, ``rediss://`` for TLS,
                ``unix://``).
            connect_timeout: Bounds each connection attempt and each command, in seconds.
            health_check_interval: How often an idle subscriber asks Redis for a PING, in
                seconds (one unanswered within ``connect_timeout`` is an outage: a stopped
                Redis raises nothing).
            max_backoff: The longest pause between reconnection attempts, in seconds.
            sleep: What the backoff awaits (inject one in tests).

        Raises:
            ValueError: A url that is not ``redis://``, ``rediss://`` or ``unix://``, or a
                number of seconds out of range (naming it).
            TypeError: An argument of the wrong type (naming it).
            ImportError: The ``redis`` package is not installed.
        """
        text = check_text("url", url)
        if urlsplit(text).scheme not in _SCHEMES:
            raise ValueError(
                f"url must be a redis://, rediss:// or unix:// url, got {_masked(text)!r}"
            )
        self._url = text
        self._connect_timeout = check_seconds("connect_timeout", connect_timeout)
        self._health_check_interval = check_seconds("health_check_interval", health_check_interval)
        self._max_backoff = check_seconds("max_backoff", max_backoff)
        self._sleep: Sleep = sleep or asyncio.sleep
        self._module = _redis()  # ImportError now, not as the receiver starts
        self._channel: str | None = None
        self._publisher: Redis | None = None
        self._listener: asyncio.Task[None] | None = None
        self._subscribed = False
        self._outage = False
        self._closed = False

    def __repr__(self) -> str:
        return f"RedisRelay({_masked(self._url)!r})"

    @property
    def subscribed(self) -> bool:
        """Whether the subscription is confirmed now (False during an outage)."""
        return self._subscribed

    async def start(self, channel: str, deliver: Deliver) -> None:
        """Subscribe to ``channel``; return once Redis confirms, or once a first attempt
        failed (then reconnect in the background).

        Args:
            channel: The channel of the receivers sharing a url.
            deliver: Called with each message's bytes, on the event loop.

        Raises:
            RuntimeError: The relay was started already (give each receiver its own).
        """
        if self._channel is not None or self._closed:
            raise RuntimeError(
                "a RedisRelay serves one CallbackReceiver, once: give each receiver its own"
            )
        self._channel = channel
        self._publisher = self._client()
        first: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._listener = asyncio.ensure_future(self._listen(channel, deliver, first))
        self._listener.add_done_callback(_log_end)
        try:
            await asyncio.wait({first, self._listener}, return_when=asyncio.FIRST_COMPLETED)
            if self._listener.done():  # it can only have ended by raising
                self._listener.result()
        except BaseException:  # cancelled while starting, say: leave nothing running
            await self.close()
            raise

    async def publish(self, channel: str, message: bytes) -> None:
        """Publish ``message``; with Redis unreachable, log the outage (once) and drop it.

        Args:
            channel: The channel ``start`` subscribed to.
            message: The message's bytes.
        """
        publisher = self._publisher
        if publisher is None or self._closed:
            raise RuntimeError("this RedisRelay is not started, or closed")
        try:
            await publisher.publish(channel, message)
        except (self._module.RedisError, OSError, asyncio.TimeoutError) as exc:
            self._down(exc)
        else:
            if self._outage and self._subscribed:  # a lost publish, and Redis answers again
                self._up()

    async def close(self) -> None:
        """Stop listening and close both connections."""
        self._closed = True
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
        publisher, self._publisher = self._publisher, None
        if publisher is not None:
            await publisher.aclose()
        self._subscribed = False

    # -- the subscriber ------------------------------------------------------------------

    def _client(self) -> Redis:
        module = self._module
        return module.Redis.from_url(  # type: ignore[no-any-return]
            self._url,
            socket_connect_timeout=self._connect_timeout,
            socket_timeout=self._connect_timeout,
            # No retries of redis-py's own: tenacity decides (see _listen).
            retry=module.retry.Retry(_no_backoff(), 0),
        )

    async def _listen(self, channel: str, deliver: Deliver, first: asyncio.Future[None]) -> None:
        """Subscribe, deliver each message, and subscribe again after each outage, with a
        backoff that starts over once a subscription was confirmed."""
        errors = (self._module.RedisError, OSError, asyncio.TimeoutError)

        def failed(state: tenacity.RetryCallState) -> None:
            outcome = state.outcome
            if outcome is not None and (error := outcome.exception()) is not None:
                self._down(error)
            if not first.done():
                first.set_result(None)  # start() returns: the receiver runs without Redis

        retrying = tenacity.AsyncRetrying(
            retry=tenacity.retry_if_exception_type(errors),
            # Full jitter: many processes that lost Redis together do not return in step.
            wait=tenacity.wait_random_exponential(multiplier=0.1, max=self._max_backoff),
            sleep=self._sleep,
            before_sleep=failed,
            reraise=True,
        )
        while True:
            connection: _Subscription | None = None
            try:
                async for attempt in retrying:  # a new backoff each time round
                    with attempt:
                        if connection is not None:
                            await connection.close()
                        connection = _Subscription(self._client())
                        await self._subscribe(connection.pubsub, channel)
                assert connection is not None
                self._up()
                if not first.done():
                    first.set_result(None)
                await self._receive(connection.pubsub, deliver)
            except errors as exc:  # the connection was lost: subscribe again
                self._down(exc)
            finally:
                self._subscribed = False
                if connection is not None:
                    await connection.close()

    async def _subscribe(self, pubsub: PubSub, channel: str) -> None:
        """Subscribe and wait for Redis to confirm it."""
        await pubsub.subscribe(channel)
        message = await pubsub.get_message(timeout=self._connect_timeout)
        if message is None or message.get("type") != "subscribe":
            raise self._module.ConnectionError(
                f"Redis did not confirm the subscription within {self._connect_timeout:g} s"
            )

    async def _receive(self, pubsub: PubSub, deliver: Deliver) -> None:
        """Deliver each message. An idle connection is asked for a PING every
        ``health_check_interval``: a Redis that does not answer within ``connect_timeout``
        (a host gone, a process stopped, which no error reports) is an outage."""
        loop = asyncio.get_running_loop()
        listen = min(_LISTEN_SECONDS, self._health_check_interval / 2, self._connect_timeout / 2)
        heard, pinged = loop.time(), math.inf
        while True:
            message: dict[str, Any] | None = await pubsub.get_message(
                ignore_subscribe_messages=True, timeout=listen
            )
            now = loop.time()
            if message is None:
                if now - pinged > self._connect_timeout:
                    raise self._module.ConnectionError(
                        f"Redis did not answer a PING within {self._connect_timeout:g} s"
                    )
                if pinged == math.inf and now - heard >= self._health_check_interval:
                    await pubsub.ping()
                    pinged = now
                continue
            heard, pinged = now, math.inf  # any message, a PONG too, says it is there
            data = message.get("data")
            if message.get("type") != "message" or not isinstance(data, bytes):
                continue
            try:
                deliver(data)
            except Exception:  # the receiver's own fault: it must not end the relay
                logger.exception("callback relay: a relayed message could not be handled")

    def _up(self) -> None:
        self._subscribed = True
        if self._outage:
            self._outage = False
            logger.info("callback relay: Redis at %s is reachable again", _masked(self._url))

    def _down(self, error: BaseException) -> None:
        if self._outage or self._closed:
            logger.debug("callback relay: Redis still unreachable (%s)", type(error).__name__)
            return
        self._outage = True
        logger.warning(
            "callback relay: Redis at %s is unreachable (%s); callbacks reach only the "
            "process Tavus sends them to, and waits elsewhere poll, until it returns",
            _masked(self._url),
            _reason(error),
        )


def _log_end(listener: asyncio.Task[None]) -> None:
    """A subscriber that ended other than by close(): say so (it would be silent)."""
    if not listener.cancelled() and listener.exception() is not None:
        logger.error(
            "callback relay: the subscriber stopped; callbacks from other processes no "
            "longer arrive",
            exc_info=listener.exception(),
        )


def _no_backoff() -> Any:
    from redis.backoff import NoBackoff

    return NoBackoff()


class _Subscription:
    """One subscriber connection: its own client (and pool) and its pub/sub."""

    def __init__(self, client: Redis) -> None:
        self.client = client
        self.pubsub: PubSub = client.pubsub()

    async def close(self) -> None:
        """Close both; errors of a connection already lost are of no interest now."""
        with contextlib.suppress(Exception):
            # Untyped in redis-py 8.0 and 8.1 (Python 3.10 gets 8.1).
            await self.pubsub.aclose()  # type: ignore[no-untyped-call, unused-ignore]
        with contextlib.suppress(Exception):
            await self.client.aclose()


def _reason(error: BaseException) -> str:
    """What went wrong, without the url (it may hold the password)."""
    return type(error).__name__


def _masked(url: str) -> str:
    """``url`` with its password, if any, as ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
