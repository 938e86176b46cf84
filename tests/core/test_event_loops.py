"""One client, any event loop: a client made outside a loop serves each asyncio.run in turn."""

from __future__ import annotations

import asyncio
import gc
import threading
import warnings
from collections.abc import Iterator

import aiohttp
import pytest

from tavus_async import TavusClient, TavusError
from tavus_async.testing import FakeTavus


@pytest.fixture
def fake_in_a_thread() -> Iterator[FakeTavus]:
    """FakeTavus on its own loop in another thread, as a remote API would be."""
    started = threading.Event()
    stop: list[asyncio.Event] = []
    fakes: list[FakeTavus] = []

    async def serve() -> None:
        async with FakeTavus() as fake:
            fakes.append(fake)
            stop.append(asyncio.Event())
            started.set()
            await stop[0].wait()

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),))
    thread.start()
    started.wait(10)
    try:
        yield fakes[0]
    finally:
        loop.call_soon_threadsafe(stop[0].set)
        thread.join(10)
        loop.close()


def test_a_client_serves_two_asyncio_runs_without_warnings(fake_in_a_thread: FakeTavus) -> None:
    """Used by two asyncio.run() calls in turn, a client works in both and leaves no warning."""
    client = fake_in_a_thread.client()

    async def count_stock_replicas() -> int:
        page = await client.replicas.list()
        return len(page.data)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = asyncio.run(count_stock_replicas())
        second = asyncio.run(count_stock_replicas())
        asyncio.run(client.close())
        gc.collect()

    assert (first, second) == (3, 3)
    assert [str(w.message) for w in caught] == []


def test_a_client_in_use_in_a_running_loop_refuses_another(fake_in_a_thread: FakeTavus) -> None:
    """A client whose session lives in a loop still running elsewhere says what to do."""
    client = fake_in_a_thread.client()
    in_use = threading.Event()
    done = threading.Event()
    errors: list[BaseException] = []

    async def hold() -> None:
        await client.replicas.list()
        in_use.set()
        await asyncio.to_thread(done.wait, 10)
        await client.close()

    holder = threading.Thread(target=asyncio.run, args=(hold(),))
    holder.start()
    in_use.wait(10)
    try:
        asyncio.run(client.replicas.list())
    except TavusError as error:
        errors.append(error)
    finally:
        done.set()
        holder.join(10)

    (error,) = errors
    assert "another event loop" in str(error)
    assert "one client per event loop" in str(error)


def test_a_given_session_from_an_ended_loop_is_refused_clearly(
    fake_in_a_thread: FakeTavus,
) -> None:
    """A session the caller gave belongs to its loop: on another, a TavusError says so."""
    holder: list[TavusClient] = []

    async def first() -> None:
        async with aiohttp.ClientSession() as session:
            client = fake_in_a_thread.client(session=session)
            holder.append(client)
            await client.replicas.list()

    asyncio.run(first())

    with pytest.raises(TavusError, match="session given to this TavusClient"):
        asyncio.run(holder[0].replicas.list())


def test_a_loop_closed_without_closing_the_client_is_named_in_the_error(
    fake_in_a_thread: FakeTavus,
) -> None:
    """A loop closed by hand (not asyncio.run) leaves connections no loop can close: said so."""
    client = fake_in_a_thread.client()
    loop = asyncio.new_event_loop()
    loop.run_until_complete(client.replicas.list())
    loop.close()

    with pytest.raises(TavusError, match="closed without closing them"):
        asyncio.run(client.replicas.list())

    with warnings.catch_warnings():  # the hand-closed loop's sockets: the mistake shown above
        warnings.simplefilter("ignore")
        asyncio.run(client.close())
        del client
        gc.collect()


def test_close_from_another_loop_closes_the_session_on_its_own(
    fake_in_a_thread: FakeTavus,
) -> None:
    """close() awaited in another loop while the session's loop runs closes it there, cleanly."""
    client = fake_in_a_thread.client()
    in_use = threading.Event()
    closed = threading.Event()

    async def use_then_idle() -> None:
        await client.replicas.list()
        in_use.set()
        await asyncio.to_thread(closed.wait, 10)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        user = threading.Thread(target=asyncio.run, args=(use_then_idle(),))
        user.start()
        in_use.wait(10)
        asyncio.run(client.close())
        closed.set()
        user.join(10)
        gc.collect()

    assert client.closed
    assert [str(w.message) for w in caught] == []
