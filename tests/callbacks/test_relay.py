"""The callback relay on a real Redis: a callback any receiver accepts reaches every receiver
of the same token, once each; Redis down never fails a receiver, and it comes back.

Two receivers in one process are two subscribers, as two processes would be.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
import socket
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
import redis.asyncio
from aiohttp import web

from tavus_async import RedisRelay, Relay, TavusClient
from tavus_async.callbacks import MAX_CALLBACK_BYTES, CallbackReceiver
from tavus_async.relay import channel_for, decode_message, encode_message
from tavus_async.testing import FakeTavus

from _support.callbacks import BOUND, LONG, VIDEO_BODY, create, gets, post, until
from _support.redis_server import RedisServer, free_port, redis_binary

SHUTDOWN = {
    "conversation_id": "c0123456789",
    "event_type": "system.shutdown",
    "message_type": "system",
    "timestamp": "2025-07-11T06:48:37.566057Z",
    "properties": {"replica_id": "r783537ef5", "shutdown_reason": "participant_left_timeout"},
}


async def quick(seconds: float) -> None:
    """The relay's backoff, cut short: reconnection attempts come every few ms."""
    await asyncio.sleep(0.005)


def token() -> str:
    return secrets.token_urlsafe(24)


def relay_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and "unreachable" in r.getMessage()
    ]


@contextlib.asynccontextmanager
async def receivers(url: str, count: int = 2) -> AsyncIterator[list[CallbackReceiver]]:
    """``count`` running receivers of one token, each with its own relay on ``url``."""
    shared = token()
    async with contextlib.AsyncExitStack() as stack:
        yield [
            await stack.enter_async_context(
                CallbackReceiver(path_token=shared, relay=RedisRelay(url, sleep=quick))
            )
            for _ in range(count)
        ]


@contextlib.asynccontextmanager
async def channel_messages(url: str) -> AsyncIterator[list[tuple[str, bytes]]]:
    """Every message published on any receivers' channel, as (channel, message)."""
    seen: list[tuple[str, bytes]] = []
    client = redis.asyncio.Redis.from_url(url)
    pubsub = client.pubsub()
    await pubsub.psubscribe("tavus-async:callbacks:*")
    assert (await pubsub.get_message(timeout=BOUND) or {}).get("type") == "psubscribe"

    async def collect() -> None:
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is not None:
                seen.append((message["channel"].decode(), message["data"]))

    collector = asyncio.ensure_future(collect())
    try:
        yield seen
    finally:
        collector.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await collector
        await pubsub.aclose()
        await client.aclose()


async def publish(url: str, channel: str, message: bytes) -> None:
    client = redis.asyncio.Redis.from_url(url)
    try:
        await client.publish(channel, message)
    finally:
        await client.aclose()


# -- a callback reaches every receiver, once ------------------------------------------


async def test_a_callback_to_one_process_wakes_the_wait_in_another(
    fast: FakeTavus, tavus: TavusClient, redis_url: str
) -> None:
    """Tavus calls back A; the wait subscribed on B ends at once, confirmed by one GET."""
    async with receivers(redis_url) as (a, b):
        video_id = await create(tavus, fast, "videos", a.url)
        started = time.monotonic()
        video = await asyncio.wait_for(tavus.videos.wait(video_id, callbacks=b, policy=LONG), BOUND)
        assert time.monotonic() - started < 5  # its first pause alone would take 30 s
        assert str(video.status) == "ready"
        assert gets(fast, "videos", video_id) == 2
        assert (a.received, a.relayed, b.received, b.relayed) == (1, 0, 0, 1)


async def test_each_receiver_runs_its_handlers_once_and_ignores_its_own_echo(
    redis_url: str, raw: aiohttp.ClientSession
) -> None:
    """An event accepted by A runs A's handler and B's, once each; A's echo runs nothing."""
    async with channel_messages(redis_url) as seen, receivers(redis_url) as (a, b):
        ran: dict[str, list[str]] = {"a": [], "b": []}
        a.on("system.shutdown", lambda event: ran["a"].append(event.conversation_id))
        b.on("*", lambda event: ran["b"].append(event.conversation_id))
        assert await post(raw, a.url, json=SHUTDOWN) == 200
        await until(lambda: ran["b"] and seen, "B's handler and the published message")
        assert len(seen) == 1  # published once, by A
        a._relayed(seen[0][1])  # the echo A gets back from Redis: left alone
        assert ran == {"a": ["c0123456789"], "b": ["c0123456789"]}
        assert (a.relayed, b.relayed, a.dropped) == (0, 1, 0)


async def test_two_receivers_handle_a_callback_each_and_never_twice(
    redis_url: str, raw: aiohttp.ClientSession
) -> None:
    """Three receivers, callbacks posted to each in turn: every receiver wakes once a callback."""
    async with receivers(redis_url, count=3) as group:
        woken = [0, 0, 0]

        def counter(n: int) -> Callable[[Any], None]:
            return lambda event: woken.__setitem__(n, woken[n] + 1)

        for n, receiver in enumerate(group):
            receiver.on("*", counter(n))
        for receiver in group:
            assert await post(raw, receiver.url, json=SHUTDOWN) == 200
        await until(lambda: woken == [3, 3, 3], "three events in each receiver")
        assert [r.received for r in group] == [1, 1, 1]
        assert [r.relayed for r in group] == [2, 2, 2]


async def test_the_relay_carries_the_callback_but_never_the_token(
    redis_url: str, raw: aiohttp.ClientSession
) -> None:
    """The channel is named for a hash of the token; the message holds the body, no token."""
    async with channel_messages(redis_url) as seen, receivers(redis_url, count=1) as (a,):
        secret = a.url.rsplit("/", 1)[1]
        assert await post(raw, a.url, json=VIDEO_BODY) == 200
        await until(lambda: bool(seen), "the published message")
        ((channel, message),) = seen
        assert channel == channel_for(secret)
        assert secret not in channel
        assert secret.encode() not in message
        origin, callback = decode_message(message)
        assert callback == VIDEO_BODY
        assert origin
        assert origin not in secret


async def test_async_with_returns_once_the_subscription_is_confirmed(redis_url: str) -> None:
    """A message published the moment ``async with`` returns is received: nothing is missed."""
    for _ in range(5):
        shared = token()
        async with CallbackReceiver(path_token=shared, relay=RedisRelay(redis_url)) as hook:
            message = encode_message("another-process", VIDEO_BODY)
            await publish(redis_url, channel_for(shared), message)
            await until(lambda: hook.relayed == 1, "the message published at once")


@pytest.mark.parametrize(
    "message",
    [
        b"not json",
        b"[1, 2]",
        b'{"origin": "x", "callback": {"video_id": "v0123456789", "status": "ready"}}',
        encode_message("", VIDEO_BODY),
        encode_message("elsewhere", {"neither": "a video nor a replica"}),
        b'{"tavus_async_relay": 1, "origin": "elsewhere", "callback": "ready"}',
        b" " * (2 * MAX_CALLBACK_BYTES + 1),
    ],
    ids=["not-json", "a-list", "no-version", "no-origin", "no-callback", "a-string", "huge"],
)
async def test_a_message_that_is_no_callback_is_dropped_with_a_warning(
    redis_url: str, caplog: pytest.LogCaptureFixture, message: bytes
) -> None:
    """Redis is trusted for delivery, not content: a bad message wakes nothing, runs nothing."""
    shared = token()
    ran: list[Any] = []
    async with CallbackReceiver(path_token=shared, relay=RedisRelay(redis_url)) as hook:
        hook.on("*", ran.append)
        with hook.subscribe("v0123456789") as event:
            await publish(redis_url, channel_for(shared), message)
            await until(lambda: hook.dropped == 1, "the message dropped")
            assert not event.is_set()
    assert ran == []
    assert hook.relayed == 0
    dropped = [r for r in caplog.records if "dropped a message" in r.getMessage()]
    assert len(dropped) == 1
    assert dropped[0].levelno == logging.WARNING


# -- Redis down: the receiver works on, warns once, and reconnects ---------------------


async def test_redis_down_at_start_fails_nothing_and_warns_once(
    fast: FakeTavus,
    tavus: TavusClient,
    raw: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Nothing on the port: ``async with`` starts, Tavus gets 200, waits work, one warning."""
    relay = RedisRelay(f"redis://127.0.0.1:{free_port()}/0", sleep=quick)
    async with CallbackReceiver(relay=relay) as hook:
        assert not relay.subscribed
        for _ in range(3):
            assert await post(raw, hook.url, json=VIDEO_BODY) == 200
        video_id = await create(tavus, fast, "videos", hook.url)
        video = await asyncio.wait_for(
            tavus.videos.wait(video_id, callbacks=hook, policy=LONG), BOUND
        )
        assert str(video.status) == "ready"
        assert hook.received == 4
    assert len(relay_warnings(caplog)) == 1


async def test_redis_that_comes_up_later_is_subscribed_to(
    raw: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    """A receiver started while Redis was down subscribes once Redis answers on its port."""
    caplog.set_level(logging.INFO, logger="tavus_async")
    later = RedisServer(redis_binary(), port=free_port())
    shared = token()
    try:
        async with (
            CallbackReceiver(path_token=shared, relay=RedisRelay(later.url, sleep=quick)) as a,
            CallbackReceiver(path_token=shared, relay=RedisRelay(later.url, sleep=quick)) as b,
        ):
            later.start()
            await until(lambda: a._relay.subscribed and b._relay.subscribed, "both subscribed")  # type: ignore[union-attr]
            with b.subscribe("v0123456789") as event:
                assert await post(raw, a.url, json=VIDEO_BODY) == 200
                await until(event.is_set, "B woken through Redis")
    finally:
        later.kill()
    assert len(relay_warnings(caplog)) == 2  # one per relay, for the one outage
    assert any("reachable again" in r.getMessage() for r in caplog.records)


async def test_redis_killed_mid_run_and_back_warns_once_per_outage(
    own_redis: RedisServer, raw: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    """Killed: callbacks are still answered and handled where they land, one warning per
    relay for the outage; restarted on its port: the relay subscribes again and relays."""
    async with receivers(own_redis.url) as (a, b):
        with b.subscribe("v0123456789") as woken_b, a.subscribe("v0123456789") as woken_a:
            own_redis.kill()
            await until(lambda: not b._relay.subscribed, "B's relay to see the outage")  # type: ignore[union-attr]
            for _ in range(3):
                assert await post(raw, a.url, json=VIDEO_BODY) == 200
            assert woken_a.is_set()
            assert not woken_b.is_set()
            await until(lambda: not a._publishing, "the publishes given up")
            assert len(relay_warnings(caplog)) == 2
            woken_a.clear()

            own_redis.start()
            await until(
                lambda: a._relay.subscribed and b._relay.subscribed,  # type: ignore[union-attr]
                "both subscribed again",
            )
            assert await post(raw, a.url, json=VIDEO_BODY) == 200
            await until(woken_b.is_set, "B woken through Redis again")
    assert len(relay_warnings(caplog)) == 2
    assert b.relayed == 1
    assert a.received == 4


async def test_a_stopped_redis_that_answers_nothing_is_an_outage(
    own_redis: RedisServer, raw: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    """A Redis that hangs (SIGSTOP: no error, no answer) fails its PING: the relay warns,
    and once it answers again (SIGCONT) it subscribes again and relays."""
    shared = token()

    def relay() -> RedisRelay:
        return RedisRelay(
            own_redis.url, sleep=quick, health_check_interval=0.1, connect_timeout=0.2
        )

    async with (
        CallbackReceiver(path_token=shared, relay=relay()) as a,
        CallbackReceiver(path_token=shared, relay=relay()) as b,
    ):
        assert own_redis.process is not None
        own_redis.process.send_signal(signal.SIGSTOP)
        try:
            await until(lambda: not b._relay.subscribed, "the unanswered PING")  # type: ignore[union-attr]
        finally:
            own_redis.process.send_signal(signal.SIGCONT)
        await until(
            lambda: a._relay.subscribed and b._relay.subscribed,  # type: ignore[union-attr]
            "both subscribed again",
        )
        with b.subscribe("v0123456789") as event:
            assert await post(raw, a.url, json=VIDEO_BODY) == 200
            await until(event.is_set, "B woken through Redis")
    assert relay_warnings(caplog)


# -- the relay's own rules ------------------------------------------------------------


async def test_a_relay_serves_one_receiver(redis_url: str) -> None:
    """The same RedisRelay given to a second receiver is refused as it starts."""
    relay = RedisRelay(redis_url)
    async with CallbackReceiver(relay=relay):
        with pytest.raises(RuntimeError, match="one CallbackReceiver"):
            async with CallbackReceiver(relay=relay):
                pass  # pragma: no cover - refused on the way in


async def test_a_receiver_cancelled_while_its_relay_subscribes_leaves_nothing_running() -> None:
    """A Redis that accepts connections but never answers holds the start; cancelled then,
    the receiver closes its server and its relay, and no task is left behind."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        relay = RedisRelay(f"redis://127.0.0.1:{port}/0", connect_timeout=5)
        receiver = CallbackReceiver(relay=relay)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(receiver.__aenter__(), 0.2)
    assert [t for t in asyncio.all_tasks() if t is not asyncio.current_task()] == []
    assert not relay.subscribed
    with pytest.raises(RuntimeError, match="not started, or closed"):
        await relay.publish("any", b"{}")


def test_bad_relay_arguments_are_refused_naming_them() -> None:
    """A relay that is no Relay, a url that is not Redis's, and bad seconds are refused."""
    with pytest.raises(TypeError, match="relay must be a Relay"):
        CallbackReceiver(relay="redis://localhost")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="url must be a redis://"):
        RedisRelay("http://localhost:6379")
    with pytest.raises(ValueError, match="connect_timeout"):
        RedisRelay("redis://localhost", connect_timeout=0)
    with pytest.raises(ValueError, match="max_backoff"):
        RedisRelay("redis://localhost", max_backoff=float("inf"))


async def test_the_password_never_shows(caplog: pytest.LogCaptureFixture) -> None:
    """A url's password is masked in the repr and in the outage warning."""
    relay = RedisRelay(f"redis://user:s3cret-pw@127.0.0.1:{free_port()}/0", sleep=quick)
    assert "s3cret-pw" not in repr(relay)
    assert "***" in repr(relay)
    async with CallbackReceiver(relay=relay):
        pass
    assert relay_warnings(caplog)
    assert all("s3cret-pw" not in r.getMessage() for r in caplog.records)


class MemoryRelay:
    """A relay of the user's own (here, in memory): every Relay works, not only Redis."""

    def __init__(self, hub: list[Callable[[bytes], None]]) -> None:
        self.hub = hub

    async def start(self, channel: str, deliver: Callable[[bytes], None]) -> None:
        self.hub.append(deliver)

    async def publish(self, channel: str, message: bytes) -> None:
        for deliver in self.hub:
            deliver(message)

    async def close(self) -> None:
        self.hub.clear()


async def test_a_relay_of_your_own_is_plugged_in(raw: aiohttp.ClientSession) -> None:
    """Any object with start, publish and close relays as RedisRelay does."""
    hub: list[Callable[[bytes], None]] = []
    shared = token()
    assert isinstance(MemoryRelay(hub), Relay)
    async with (
        CallbackReceiver(path_token=shared, relay=MemoryRelay(hub)) as a,
        CallbackReceiver(path_token=shared, relay=MemoryRelay(hub)) as b,
    ):
        with b.subscribe("v0123456789") as event:
            assert await post(raw, a.url, json=VIDEO_BODY) == 200
            await until(event.is_set, "B woken through the relay")
        assert (a.relayed, b.relayed) == (0, 1)


async def test_a_mounted_receiver_relays_while_its_app_runs(
    redis_url: str, raw: aiohttp.ClientSession
) -> None:
    """attach(): the app's start-up subscribes (before it serves) and its cleanup closes."""
    shared = token()
    app = web.Application()
    mounted = CallbackReceiver(
        public_url="https://hooks.example.com/tavus", path_token=shared,
        relay=RedisRelay(redis_url),
    )  # fmt: skip
    mounted.attach(app, path="/tavus")
    runner = web.AppRunner(app)
    await runner.setup()  # runs the app's start-up: the relay is subscribed now
    try:
        async with CallbackReceiver(path_token=shared, relay=RedisRelay(redis_url)) as other:
            with mounted.subscribe("v0123456789") as event:
                assert await post(raw, other.url, json=VIDEO_BODY) == 200
                await until(event.is_set, "the mounted receiver woken")
    finally:
        await runner.cleanup()
    assert mounted.relayed == 1
