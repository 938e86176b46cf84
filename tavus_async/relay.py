"""Callbacks across the processes of a service: what a relay is, and what it carries.

Tavus POSTs a job's callback to one url; behind a load balancer it reaches one process,
while the wait for that job may sit in another. A ``CallbackReceiver`` given a ``relay``
publishes every callback it accepts (right token, valid body) on a channel named for a
hash of its token, and handles every callback another receiver of the same token
published there as if it had reached it: its waits wake and its ``on(...)`` handlers run.

``RedisRelay`` (``tavus_async[redis]``) is the relay the SDK ships. Another broker
(Postgres ``LISTEN``/``NOTIFY``, NATS) plugs in as any object with the three methods of
``Relay``; the receiver does the rest (what a message holds, echoes, checks).

A message holds the callback and the publishing receiver's origin, never the token:
the broker is trusted for delivery, not for content. A message that is not a well-formed
callback is dropped with a warning, and a relayed callback, like any callback, only wakes
a wait, which then confirms with one GET.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, Protocol, runtime_checkable

__all__ = ["MESSAGE_VERSION", "Relay", "channel_for", "decode_message", "encode_message"]

#: The version of the message format, in every message: a receiver drops any other.
MESSAGE_VERSION = 1

#: What ``Relay.start`` calls with each message published on the channel.
Deliver = Callable[[bytes], None]


@runtime_checkable
class Relay(Protocol):
    """Carries the callbacks one process accepts to every process serving the same url.

    A relay serves one ``CallbackReceiver``, which calls ``start`` once as it starts,
    ``publish`` for each callback it accepts and ``close`` as it ends. A relay must not
    raise for a broker that is down: the receiver answers Tavus and its waits poll on
    either way, so a relay logs the outage, keeps reconnecting, and drops what it cannot
    send.
    """

    async def start(self, channel: str, deliver: Deliver) -> None:
        """Subscribe to ``channel`` and call ``deliver(message)`` for each message published
        on it, by any process, this one included (the receiver drops its own echoes).

        Returns once the subscription is confirmed, or once a first attempt failed (then
        it keeps trying in the background). ``deliver`` is called on the event loop.

        Args:
            channel: The channel of the receivers sharing a url (``channel_for(token)``).
            deliver: Called with each message's bytes.
        """

    async def publish(self, channel: str, message: bytes) -> None:
        """Publish ``message`` on ``channel``; with the broker down, drop it and return.

        Args:
            channel: The channel ``start`` subscribed to.
            message: The message's bytes (``encode_message``).
        """

    async def close(self) -> None:
        """Unsubscribe and close every connection; the relay is not used again."""


def channel_for(token: str) -> str:
    """The channel of the receivers sharing ``token``: named for a hash of it, so that the
    token (the url's secret) never reaches the broker."""
    digest = hashlib.sha256(b"tavus-async callback relay\0" + token.encode()).hexdigest()
    return f"tavus-async:callbacks:{digest[:32]}"


def encode_message(origin: str, callback: Mapping[str, Any]) -> bytes:
    """A message for the channel: the callback's JSON object and the receiver it came from."""
    envelope = {"tavus_async_relay": MESSAGE_VERSION, "origin": origin, "callback": callback}
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode()


def decode_message(message: bytes | str) -> tuple[str, Mapping[str, Any]]:
    """The origin and the callback object of a message; ValueError, saying why, for any
    message that is not one (the callback itself is checked by the receiver)."""
    try:
        envelope = json.loads(message)
    except (ValueError, RecursionError):
        raise ValueError("the message is not JSON") from None
    if not isinstance(envelope, dict):
        raise ValueError("the message is not a JSON object")
    version = envelope.get("tavus_async_relay")
    if version != MESSAGE_VERSION:
        raise ValueError(f"the message is not of version {MESSAGE_VERSION} of the format")
    origin, callback = envelope.get("origin"), envelope.get("callback")
    if not isinstance(origin, str) or not origin:
        raise ValueError("the message names no origin")
    if not isinstance(callback, dict):
        raise ValueError("the message holds no callback object")
    return origin, callback
