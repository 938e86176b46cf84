"""Where the key may go, and how much of an answer the client will read."""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
from typing import Any

import pytest
from aiohttp import web

from tavus_async import NotFoundError, ResponseValidationError, TavusClient
from tavus_async._core.transport import MAX_ERROR_BODY_BYTES, MAX_RESPONSE_BYTES, Slots

from _support.http import API_KEY, SleepRecorder, serve

VIDEO = {"video_id": "v1", "status": "ready"}
CHUNK = b" " * 2**16


@pytest.mark.parametrize(
    "url",
    [
        "http://tavusapi.com",
        "http://10.0.0.7:8080",
        "http://tavus.internal/api",
        "http://127.0.0.1.example.com",
        "http://[2001:db8::1]",
    ],
)
def test_plain_http_to_another_machine_is_refused(url: str) -> None:
    """A plain http base_url to a host other than this machine is refused, naming base_url."""
    with pytest.raises(ValueError, match=r"base_url .*clear text.*allow_insecure_http=True") as err:
        TavusClient(API_KEY, base_url=url)
    assert API_KEY not in str(err.value)


def test_plain_http_from_the_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """TAVUS_BASE_URL is held to the same rule, and the error names the variable."""
    monkeypatch.setenv("TAVUS_BASE_URL", "http://tavus.example.com")
    with pytest.raises(ValueError, match=r"^TAVUS_BASE_URL 'http://tavus\.example\.com' is plain"):
        TavusClient(API_KEY)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080",
        "http://127.3.2.1",
        "http://localhost:9000/",
        "http://LOCALHOST",
        "http://[::1]:8080",
        "https://tavus.example.com",
        "https://10.0.0.7",
    ],
)
async def test_loopback_and_https_urls_are_accepted(url: str) -> None:
    """https anywhere, and plain http to this machine (FakeTavus, a local proxy), need no opt-in."""
    async with TavusClient(API_KEY, base_url=url) as tavus:
        assert tavus.base_url == url.rstrip("/")


async def test_plain_http_elsewhere_is_allowed_when_asked_for() -> None:
    """allow_insecure_http=True is the explicit opt-in for plain http to another host."""
    async with TavusClient(API_KEY, base_url="http://10.0.0.7", allow_insecure_http=True) as tavus:
        assert tavus.base_url == "http://10.0.0.7"


def test_the_opt_in_must_be_a_bool() -> None:
    """allow_insecure_http takes True or False, not a truthy string."""
    with pytest.raises(TypeError, match="allow_insecure_http"):
        TavusClient(API_KEY, base_url="http://10.0.0.7", allow_insecure_http="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("https://tavusapi.com/v2", "https://tavusapi.com"),
        ("https://tavusapi.com/v2/", "https://tavusapi.com"),
        ("https://gateway.example.com/tavus/V2", "https://gateway.example.com/tavus"),
    ],
)
def test_a_base_url_ending_in_v2_is_refused(url: str, root: str) -> None:
    """A base_url ending in /v2 (every call would 404 on /v2/v2/...) is refused, naming the fix."""
    with pytest.raises(ValueError, match=r"^base_url .* ends in /v2.*drop it") as err:
        TavusClient(API_KEY, base_url=url)
    assert repr(root) in str(err.value)


def test_a_v2_base_url_from_the_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """TAVUS_BASE_URL ending in /v2 is refused too, and the error names the variable."""
    monkeypatch.setenv("TAVUS_BASE_URL", "https://tavusapi.com/v2")
    with pytest.raises(ValueError, match=r"^TAVUS_BASE_URL 'https://tavusapi\.com/v2' ends in /v2"):
        TavusClient(API_KEY)


async def test_a_gateway_prefix_is_kept_in_every_path() -> None:
    """A base_url with another path (a gateway's prefix) is accepted and prefixes /v2/..."""

    async def video(request: web.Request) -> web.Response:
        return web.json_response(VIDEO)

    app = web.Application()
    app.router.add_get("/tavus/v2/videos/{video_id}", video)
    async with serve(app) as base_url, TavusClient(API_KEY, base_url=f"{base_url}/tavus") as tavus:
        video = await tavus.videos.get("v1")

    assert video.video_id == "v1"


def answering(handler: Any) -> web.Application:
    app = web.Application()
    app.router.add_route("*", "/v2/videos/{video_id}", handler)
    app.router.add_route("*", "/v2/videos/{video_id}/name", handler)
    return app


async def endless(request: web.Request, *, status: int = 200) -> web.StreamResponse:
    """An answer without a length that never ends: only a client that stops reading survives."""
    response = web.StreamResponse(status=status, headers={"Content-Type": "application/json"})
    await response.prepare(request)
    await response.write(b'{"video_id": "v1", "data": "')
    while True:
        await response.write(CHUNK)


async def test_a_body_over_the_cap_with_its_length_is_refused_unread() -> None:
    """A success body whose Content-Length is over 16 MiB is refused before it is read."""
    sent = []

    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.content_length = MAX_RESPONSE_BYTES + 1
        await response.prepare(request)
        for _ in range(MAX_RESPONSE_BYTES // len(CHUNK) + 1):
            await response.write(CHUNK)
            sent.append(len(CHUNK))
        return response

    async with serve(answering(huge)) as url, TavusClient(API_KEY, base_url=url) as tavus:
        with pytest.raises(ResponseValidationError, match="larger than 16 MiB: refused") as err:
            await tavus.videos.get("v1")
    assert (err.value.method, err.value.url) == ("GET", f"{url}/v2/videos/v1")
    assert sum(sent) < MAX_RESPONSE_BYTES  # the client hung up long before the end


async def test_an_endless_body_is_refused_at_the_cap() -> None:
    """A success body with no length that never ends is refused once 16 MiB have come."""
    async with (
        serve(answering(endless)) as url,
        TavusClient(API_KEY, base_url=url, timeout=5, max_retries=0) as tavus,
    ):  # reading to the end would time out instead
        with pytest.raises(ResponseValidationError, match="larger than 16 MiB"):
            await tavus.videos.get("v1")


async def test_a_compressed_body_is_capped_by_what_it_inflates_to() -> None:
    """A small gzip body that inflates past 16 MiB is refused: the cap counts decoded bytes."""
    inflated = json.dumps({**VIDEO, "data": {"pad": " " * MAX_RESPONSE_BYTES}}).encode()
    body = gzip.compress(inflated)

    async def bomb(request: web.Request) -> web.Response:
        return web.Response(
            body=body, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
        )

    assert len(body) < 2**20
    async with serve(answering(bomb)) as url, TavusClient(API_KEY, base_url=url) as tavus:
        with pytest.raises(ResponseValidationError, match="larger than 16 MiB"):
            await tavus.videos.get("v1")


async def test_a_body_just_under_the_cap_is_read() -> None:
    """A success body of almost 16 MiB, with or without a length, is read and parsed."""
    padding = " " * (MAX_RESPONSE_BYTES - 200)
    body = json.dumps({**VIDEO, "status_details": padding}).encode()
    assert len(body) <= MAX_RESPONSE_BYTES

    async def big(request: web.Request) -> web.StreamResponse:
        if request.query.get("verbose"):  # the same body, streamed without a length
            response = web.StreamResponse(headers={"Content-Type": "application/json"})
            await response.prepare(request)
            for start in range(0, len(body), len(CHUNK)):
                await response.write(body[start : start + len(CHUNK)])
            await response.write_eof()
            return response
        return web.Response(body=body, content_type="application/json")

    async with serve(answering(big)) as url, TavusClient(API_KEY, base_url=url) as tavus:
        for verbose in (False, True):
            video = await tavus.videos.get("v1", verbose=verbose)
            assert video.status_details == padding


async def test_an_endless_error_body_still_gives_its_error(sleeps: SleepRecorder) -> None:
    """An error whose body never ends raises its APIError from the body's first 64 KiB."""

    async def missing(request: web.Request) -> web.StreamResponse:
        return await endless(request, status=404)

    async with (
        serve(answering(missing)) as url,
        TavusClient(API_KEY, base_url=url, timeout=5, sleep=sleeps) as tavus,
    ):  # reading to the end would time out instead
        with pytest.raises(NotFoundError) as err:
            await tavus.videos.get("v1")
    assert len(str(err.value.body)) <= MAX_ERROR_BODY_BYTES


async def test_an_endless_body_to_a_rename_is_left_unread() -> None:
    """A call that needs no body (rename) succeeds and stops reading an endless one."""
    async with (
        serve(answering(endless)) as url,
        TavusClient(API_KEY, base_url=url, timeout=5, max_retries=0) as tavus,
    ):  # reading to the end would time out instead
        assert await tavus.videos.rename("v1", "New name") is None


async def test_a_long_error_body_gives_its_error_from_the_first_64_kib(
    sleeps: SleepRecorder,
) -> None:
    """An error body that says it is 32 MiB long is read only as far as its first 64 KiB."""

    async def missing(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=404, headers={"Content-Type": "text/plain"})
        response.content_length = 2 * MAX_RESPONSE_BYTES
        await response.prepare(request)
        await response.write(b"no such video " + b"." * (2 * MAX_RESPONSE_BYTES - 14))
        return response

    async with (
        serve(answering(missing)) as url,
        TavusClient(API_KEY, base_url=url, sleep=sleeps) as tavus,
    ):
        with pytest.raises(NotFoundError, match="no such video") as err:
            await tavus.videos.get("v1")
    assert len(str(err.value.body)) <= MAX_ERROR_BODY_BYTES


async def test_slots_are_handed_out_in_order_and_never_lost() -> None:
    """Requests waiting for a connection slot get it first come first served; none leaks."""
    slots = Slots(1)
    assert slots.take_now()
    order: list[int] = []

    async def wait_turn(n: int) -> None:
        await slots.take()
        order.append(n)
        slots.give_back()

    waiters = [asyncio.ensure_future(wait_turn(n)) for n in range(3)]
    await asyncio.sleep(0)
    assert not slots.take_now()  # busy, and others are in line
    waiters[1].cancel()  # gives up its place in line
    slots.give_back()
    await asyncio.gather(*waiters, return_exceptions=True)
    assert order == [0, 2]
    assert slots.take_now()  # exactly the one slot is left
    assert not slots.take_now()


async def test_a_slot_handed_to_a_cancelled_waiter_is_passed_on() -> None:
    """A waiter cancelled just as it is handed the slot passes it to the next in line."""
    slots = Slots(1)
    assert slots.take_now()
    first = asyncio.ensure_future(slots.take())
    second = asyncio.ensure_future(slots.take())
    await asyncio.sleep(0)
    slots.give_back()  # the slot goes to `first`...
    first.cancel()  # ...which is cancelled before it runs
    await asyncio.gather(first, return_exceptions=True)
    await asyncio.wait_for(second, 1)  # `second` has it now
    assert not slots.take_now()
    slots.give_back()
    assert slots.take_now()


async def test_an_unreadable_answer_is_still_logged(caplog: pytest.LogCaptureFixture) -> None:
    """A 2xx whose body cannot be read still gets its DEBUG line, the create's above all."""

    async def garbage(request: web.Request) -> web.Response:
        return web.Response(text="<html>upstream error", content_type="application/json")

    app = web.Application()
    app.router.add_route("*", "/v2/videos", garbage)
    caplog.set_level(logging.DEBUG, logger="tavus_async")
    async with serve(app) as url, TavusClient(API_KEY, base_url=url) as tavus:
        with pytest.raises(ResponseValidationError, match="the job exists"):
            await tavus.videos.create(replica_id="r1", script="Hi")
    assert any("POST /v2/videos -> 200" in r.getMessage() for r in caplog.records)
