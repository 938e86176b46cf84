"""Checked by ``mypy --strict`` in .ci/run, never run: what the callback relay promises to a
type checker. A relay of the user's own satisfies ``Relay`` by its methods alone."""

from __future__ import annotations

from collections.abc import Callable

from typing_extensions import assert_type

from tavus_async import CallbackReceiver, RedisRelay, Relay


class LoggingRelay:
    """A relay of the user's own: no base class, only the three methods."""

    async def start(self, channel: str, deliver: Callable[[bytes], None]) -> None:
        deliver(b"")

    async def publish(self, channel: str, message: bytes) -> None:
        print(channel, len(message))

    async def close(self) -> None:
        return None


def receivers(token: str) -> list[CallbackReceiver]:
    """RedisRelay and a relay of one's own both go to relay=; the counters are ints."""
    redis_relay = RedisRelay("redis://localhost:6379/0", connect_timeout=2.0, max_backoff=10)
    assert_type(redis_relay.subscribed, bool)
    own: Relay = LoggingRelay()
    made = [
        CallbackReceiver(path_token=token, relay=redis_relay),
        CallbackReceiver(path_token=token, relay=own),
        CallbackReceiver(path_token=token, relay=LoggingRelay()),
    ]
    assert_type(made[0].relayed, int)
    assert_type(made[0].dropped, int)
    return made
