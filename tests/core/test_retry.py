"""Retries: which calls are tried again, how often, and how long the client waits first."""

from __future__ import annotations

import asyncio
import email.utils
import logging
from datetime import datetime, timedelta, timezone

import aiohttp
import pytest

from tavus_async import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    RateLimitError,
    ServerError,
    TavusClient,
    TavusError,
)
from tavus_async._core.retry import parse_retry_after

from _support.http import API_KEY, BASE, connector_error, sent, total_requests

URL = BASE + "/v2/videos/v1"
VIDEO = {"video_id": "v1", "status": "ready"}
HTTP_DATE_NOW = datetime(2015, 10, 21, 7, 27, 30, tzinfo=timezone.utc)


def http_date(seconds_ahead: float) -> str:
    when = datetime.now(timezone.utc) + timedelta(seconds=seconds_ahead)
    return email.utils.format_datetime(when, usegmt=True)


# Each idempotent call: (mock method, url, how to call it).
IDEMPOTENT_CALLS = [
    pytest.param("get", URL, lambda t: t.videos.get("v1"), id="GET"),
    pytest.param("patch", URL + "/name", lambda t: t.videos.rename("v1", "New"), id="PATCH"),
    pytest.param("delete", URL, lambda t: t.videos.delete("v1"), id="DELETE"),
]

# Each create: (url, success payload, how to call it).
CREATES = [
    pytest.param(
        BASE + "/v2/videos",
        {"video_id": "v1", "status": "queued"},
        lambda t: t.videos.create(replica_id="r1", script="Hi!"),
        id="videos.create",
    ),
    pytest.param(
        BASE + "/v2/replicas",
        {"replica_id": "r1", "status": "started"},
        lambda t: t.replicas.create(train_video_url="https://example.com/train.mp4"),
        id="replicas.create",
    ),
]


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_get_retries_transient_status_then_succeeds(client, http, sleeps, status):
    """A GET answered 408, 429 or a retryable 5xx is sent again and returns the next answer."""
    http.get(URL, status=status, payload={"error": "try again"})
    http.get(URL, payload=VIDEO)

    video = await client.videos.get("v1")

    assert video.video_id == "v1"
    assert len(sent(http, "GET", URL)) == 2
    assert len(sleeps.delays) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 501])
async def test_get_not_retried_on_final_status(client, http, sleeps, status):
    """A GET answered 4xx (other than 408/429) or 501 raises at once, after one request."""
    http.get(URL, status=status, payload={"error": "no"})
    http.get(URL, payload=VIDEO)

    with pytest.raises(APIError) as caught:
        await client.videos.get("v1")

    assert caught.value.status == status
    assert len(sent(http, "GET", URL)) == 1
    assert sleeps.delays == []


CONNECTION_FAILURES = [
    pytest.param(aiohttp.ServerDisconnectedError, id="disconnect"),
    pytest.param(connector_error, id="connect-refused"),
    pytest.param(asyncio.TimeoutError, id="read-timeout"),
    pytest.param(aiohttp.ConnectionTimeoutError, id="connect-timeout"),
]


@pytest.mark.parametrize("make_exc", CONNECTION_FAILURES)
async def test_get_retries_connection_failure_then_succeeds(client, http, sleeps, make_exc):
    """A GET whose connection fails or times out is sent again and returns the next answer;
    one closed before any answer is sent again at once (RFC 9112), without a pause."""
    http.get(URL, exception=make_exc())
    http.get(URL, payload=VIDEO)

    video = await client.videos.get("v1")

    assert video.video_id == "v1"
    assert len(sent(http, "GET", URL)) == 2
    assert len(sleeps.delays) == (0 if make_exc is aiohttp.ServerDisconnectedError else 1)


@pytest.mark.parametrize(
    ("options", "attempts"),
    [pytest.param({}, 4, id="default-3"), ({"max_retries": 0}, 1), ({"max_retries": 1}, 2)],
)
@pytest.mark.parametrize(
    ("failure", "error_class"),
    [
        pytest.param(
            lambda: {"exception": aiohttp.ServerDisconnectedError()},
            APIConnectionError,
            id="disconnect",
        ),
        pytest.param(
            lambda: {"exception": connector_error()}, APIConnectionError, id="connect-refused"
        ),
        pytest.param(lambda: {"exception": asyncio.TimeoutError()}, APITimeoutError, id="timeout"),
        pytest.param(lambda: {"status": 503}, ServerError, id="503"),
    ],
)
async def test_get_failures_exhaust_retries(http, sleeps, options, attempts, failure, error_class):
    """A GET that keeps failing is tried exactly max_retries+1 times, then raises (each try
    closed before any answer being sent twice, the second time at once)."""
    closed = "ServerDisconnectedError" in repr(failure())
    sends = attempts * (2 if closed else 1)
    for _ in range(sends):
        http.get(URL, **failure())
    http.get(URL, payload=VIDEO)

    async with TavusClient(API_KEY, sleep=sleeps, **options) as tavus:
        with pytest.raises(TavusError) as caught:
            await tavus.videos.get("v1")

    assert type(caught.value) is error_class
    assert len(sent(http, "GET", URL)) == sends
    assert len(sleeps.delays) == attempts - 1


@pytest.mark.parametrize(("mock", "url", "call"), IDEMPOTENT_CALLS)
@pytest.mark.parametrize(
    "failure",
    [
        pytest.param({"status": 503}, id="503"),
        pytest.param({"status": 429}, id="429"),
        pytest.param({"exception": aiohttp.ServerDisconnectedError()}, id="disconnect"),
        pytest.param({"exception": asyncio.TimeoutError()}, id="timeout"),
    ],
)
async def test_idempotent_methods_are_retried(client, http, sleeps, mock, url, call, failure):
    """GET, PATCH (rename) and DELETE are retried after a 5xx, a 429, a disconnect or a timeout
    (a disconnect before any answer at once, without a pause)."""
    register = getattr(http, mock)
    register(url, **failure)
    register(url, status=200, payload=VIDEO)

    await call(client)

    assert len(sent(http, mock.upper(), url)) == 2
    assert len(sleeps.delays) == (
        0 if "exception" in failure and "Disconnected" in repr(failure["exception"]) else 1
    )


@pytest.mark.parametrize(("url", "payload", "call"), CREATES)
async def test_create_retried_on_429_after_retry_after(client, http, sleeps, url, payload, call):
    """A create answered 429 (Tavus did not act on it) is sent again after Retry-After."""
    http.post(url, status=429, headers={"Retry-After": "2"})
    http.post(url, payload=payload)

    created = await call(client)

    assert created.status in ("queued", "started")
    assert len(sent(http, "POST", url)) == 2
    assert sleeps.delays == [2.0]


@pytest.mark.parametrize(("url", "payload", "call"), CREATES)
@pytest.mark.parametrize(
    "make_exc",
    [
        pytest.param(connector_error, id="connect-refused"),
        pytest.param(aiohttp.ConnectionTimeoutError, id="connect-timeout"),
    ],
)
async def test_create_retried_when_never_connected(
    client, http, sleeps, url, payload, call, make_exc
):
    """A create whose connection was never established cannot have reached Tavus: it is retried."""
    http.post(url, exception=make_exc())
    http.post(url, payload=payload)

    await call(client)

    assert len(sent(http, "POST", url)) == 2
    assert len(sleeps.delays) == 1


@pytest.mark.parametrize(("url", "payload", "call"), CREATES)
@pytest.mark.parametrize(
    "failure",
    [
        pytest.param({"status": 500}, id="500"),
        pytest.param({"status": 502}, id="502"),
        pytest.param({"status": 503, "headers": {"Retry-After": "1"}}, id="503-retry-after"),
    ],
)
async def test_create_not_retried_on_server_error(
    client, http, sleeps, url, payload, call, failure
):
    """A create answered 5xx may have created the job: it raises after exactly one request."""
    http.post(url, **failure)
    http.post(url, payload=payload)

    with pytest.raises(ServerError):
        await call(client)

    assert total_requests(http) == 1
    assert sleeps.delays == []


@pytest.mark.parametrize(("url", "payload", "call"), CREATES)
@pytest.mark.parametrize("status", [408, 400, 409, 422])
async def test_create_not_retried_on_other_statuses(
    client, http, sleeps, url, payload, call, status
):
    """A create answered 408 or another 4xx raises its APIError after exactly one request."""
    http.post(url, status=status, payload={"error": "no"})
    http.post(url, payload=payload)

    with pytest.raises(APIError) as caught:
        await call(client)

    assert caught.value.status == status
    assert total_requests(http) == 1
    assert sleeps.delays == []


@pytest.mark.parametrize(("url", "payload", "call"), CREATES)
async def test_create_429_beyond_cap_raises_at_once(http, sleeps, url, payload, call):
    """A create answered 429 with a Retry-After past max_retry_wait raises at once, unretried."""
    http.post(url, status=429, headers={"Retry-After": "600"})
    http.post(url, payload=payload)

    async with TavusClient(API_KEY, max_retry_wait=60, sleep=sleeps) as tavus:
        with pytest.raises(RateLimitError) as caught:
            await call(tavus)

    assert caught.value.retry_after == 600.0
    assert total_requests(http) == 1
    assert sleeps.delays == []


@pytest.mark.parametrize(("url", "payload", "call"), CREATES)
async def test_create_429_exhausts_retries(client, http, sleeps, url, payload, call):
    """A create answered 429 every time is sent max_retries + 1 times, then raises."""
    http.post(url, status=429, repeat=True)

    with pytest.raises(RateLimitError):
        await call(client)

    assert len(sent(http, "POST", url)) == 4
    assert len(sleeps.delays) == 3


@pytest.mark.parametrize(("url", "payload", "call"), CREATES)
@pytest.mark.parametrize(
    ("make_exc", "error_class"),
    [
        pytest.param(aiohttp.ServerDisconnectedError, APIConnectionError, id="disconnect"),
        pytest.param(asyncio.TimeoutError, APITimeoutError, id="timeout"),
    ],
)
async def test_create_not_retried_once_sent(
    client, http, sleeps, url, payload, call, make_exc, error_class
):
    """A create that may have reached Tavus is not retried, and the error says a job may exist."""
    http.post(url, exception=make_exc())
    http.post(url, payload=payload)

    with pytest.raises(APIConnectionError) as caught:
        await call(client)

    assert type(caught.value) is error_class
    assert caught.value.request_sent is True
    assert "may have created a job" in str(caught.value)
    assert total_requests(http) == 1
    assert sleeps.delays == []


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_seconds_is_the_delay(client, http, sleeps, status):
    """Retry-After in seconds on a 429 or 503 is exactly how long the client waits."""
    http.get(URL, status=status, headers={"Retry-After": "3"})
    http.get(URL, payload=VIDEO)

    await client.videos.get("v1")

    assert sleeps.delays == [3.0]
    assert len(sent(http, "GET", URL)) == 2


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_http_date_is_the_delay(client, http, sleeps, status):
    """Retry-After as an HTTP date 30 s ahead makes the client wait about 30 s."""
    http.get(URL, status=status, headers={"Retry-After": http_date(30)})
    http.get(URL, payload=VIDEO)

    await client.videos.get("v1")

    assert len(sleeps.delays) == 1
    assert 28.0 <= sleeps.delays[0] <= 30.0
    assert len(sent(http, "GET", URL)) == 2


async def test_retry_after_beyond_cap_raises_at_once(http, sleeps):
    """A Retry-After longer than max_retry_wait is not waited for: RateLimitError at once."""
    http.get(URL, status=429, headers={"Retry-After": "120"})
    http.get(URL, payload=VIDEO)

    async with TavusClient(API_KEY, max_retry_wait=60, sleep=sleeps) as tavus:
        with pytest.raises(RateLimitError) as caught:
            await tavus.videos.get("v1")

    assert caught.value.retry_after == 120.0
    assert sleeps.delays == []
    assert len(sent(http, "GET", URL)) == 1


async def test_backoff_grows_with_jitter_up_to_cap(http, sleeps):
    """Without Retry-After delays double from 0.5 s up to 8 s, each plus up to 0.5 s of jitter."""
    for _ in range(6):
        http.get(URL, status=503)
    http.get(URL, payload=VIDEO)

    async with TavusClient(API_KEY, max_retries=6, sleep=sleeps) as tavus:
        await tavus.videos.get("v1")

    bases = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert len(sleeps.delays) == len(bases)
    for delay, base in zip(sleeps.delays, bases, strict=True):
        assert base <= delay <= base + 0.5
    assert sleeps.delays[:5] == sorted(sleeps.delays[:5])
    assert max(sleeps.delays) <= 8.5
    assert any(delay > base for delay, base in zip(sleeps.delays, bases, strict=True))


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("3", 3.0),
        (" 120 ", 120.0),
        ("1.5", 1.5),
        ("0", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:37:30 GMT", 600.0),
        ("Wed, 21 Oct 2015 07:00:00 GMT", 0.0),
        ("Wed, 21 Oct 2015 08:28:00 +0100", 30.0),
        ("soon", None),
        ("12abc", None),
        ("nan", None),
        ("inf", None),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_parse_retry_after(value, seconds):
    """parse_retry_after reads delta-seconds or an HTTP date (past: 0); anything else is None."""
    assert parse_retry_after(value, now=HTTP_DATE_NOW) == seconds


async def test_retry_is_logged(client, http, caplog):
    """Each retry is logged at INFO on "tavus_async", naming request, cause and delay."""
    caplog.set_level(logging.INFO, logger="tavus_async")
    http.get(URL, status=503, headers={"Retry-After": "3"})
    http.get(URL, exception=aiohttp.ServerDisconnectedError())  # sent again at once, unlogged
    http.get(URL, exception=aiohttp.ServerDisconnectedError())
    http.get(URL, payload=VIDEO)

    await client.videos.get("v1")

    retries = [r for r in caplog.records if r.name == "tavus_async" and r.levelno == logging.INFO]
    assert len(retries) == 2
    assert "GET /v2/videos/v1 answered 503" in retries[0].getMessage()
    assert "retrying in 3.00 s" in retries[0].getMessage()
    assert "GET /v2/videos/v1" in retries[1].getMessage()
    assert "Server disconnected" in retries[1].getMessage()


async def test_api_key_never_logged(client, http, caplog):
    """No log record at any level contains the API key, even when responses echo it."""
    caplog.set_level(logging.DEBUG)
    echo = {"error": f"bad key {API_KEY}"}
    http.get(URL, status=503, payload=echo, headers={"x-request-id": "req-1"})
    http.get(URL, exception=connector_error())
    http.get(URL, status=401, payload=echo)
    http.post(BASE + "/v2/videos", exception=aiohttp.ServerDisconnectedError())

    with pytest.raises(APIError):
        await client.videos.get("v1")
    with pytest.raises(APIConnectionError):
        await client.videos.create(replica_id="r1", script="Hi!")

    assert len(caplog.records) >= 3
    for record in caplog.records:
        assert API_KEY not in record.getMessage()
    assert API_KEY not in caplog.text
