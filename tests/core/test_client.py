"""TavusClient: configuration, the session it owns or borrows, and real-socket failures."""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tavus_async import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    NotFoundError,
    TavusClient,
)

from _support.http import API_KEY, BASE, SleepRecorder, sent, serve


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_missing_key_names_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no api_key and no TAVUS_API_KEY, construction fails naming TAVUS_API_KEY."""
    monkeypatch.delenv("TAVUS_API_KEY", raising=False)

    with pytest.raises(ValueError, match="TAVUS_API_KEY"):
        TavusClient()


async def test_base_url_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, http: Any
) -> None:
    """TAVUS_BASE_URL is used when no base_url is passed; an explicit base_url wins over it."""
    monkeypatch.setenv("TAVUS_BASE_URL", "https://staging.example.com/")
    http.get("https://staging.example.com/v2/videos/v1", payload={"video_id": "v1"})
    http.get(f"{BASE}/v2/videos/v2", payload={"video_id": "v2"})

    async with TavusClient(API_KEY) as from_env, TavusClient(API_KEY, base_url=BASE) as given:
        first = await from_env.videos.get("v1")
        second = await given.videos.get("v2")

    assert (from_env.base_url, first.video_id) == ("https://staging.example.com", "v1")
    assert (given.base_url, second.video_id) == (BASE, "v2")


async def test_key_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, http: Any) -> None:
    """TAVUS_API_KEY is used when no api_key is passed, and an explicit api_key wins over it."""
    monkeypatch.setenv("TAVUS_API_KEY", "from-env")
    http.get(f"{BASE}/v2/videos/v1", payload={"video_id": "v1"}, repeat=True)

    async with TavusClient() as from_env, TavusClient("explicit") as explicit:
        await from_env.videos.get("v1")
        await explicit.videos.get("v1")

    keys = [c.kwargs["headers"]["x-api-key"] for c in sent(http, "GET", f"{BASE}/v2/videos/v1")]
    assert keys == ["from-env", "explicit"]


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"timeout": 0}, ValueError, "timeout"),
        ({"timeout": float("inf")}, ValueError, "timeout"),
        ({"timeout": "30"}, TypeError, "timeout"),
        ({"max_retries": -1}, ValueError, "max_retries"),
        ({"max_retry_wait": -1}, ValueError, "max_retry_wait"),
        ({"max_connections": 0}, ValueError, "max_connections"),
        ({"base_url": "ftp://tavusapi.com"}, ValueError, "base_url"),
        ({"base_url": "http://localhost:99999"}, ValueError, "base_url"),
        ({"base_url": "https://tavusapi.com:44x3"}, ValueError, "base_url"),
        ({"base_url": "http://evil.com\\@127.0.0.1"}, ValueError, "base_url"),
        ({"base_url": "https://tavusapi.com/?x=1"}, ValueError, "base_url"),
        ({"base_url": "https://tavusapi.com/#top"}, ValueError, "base_url"),
        ({"session": object()}, TypeError, "session"),
        ({"api_key": "two words"}, ValueError, "api_key"),
        ({"api_key": 12345}, TypeError, "api_key"),
        ({"api_key": "  "}, ValueError, "TAVUS_API_KEY"),
    ],
)
def test_bad_options_are_refused(kwargs: dict[str, Any], error: type[Exception], name: str) -> None:
    """An option out of range fails at construction with a message naming it."""
    kwargs.setdefault("api_key", API_KEY)

    with pytest.raises(error, match=name):
        TavusClient(**kwargs)


def test_repr_hides_the_key() -> None:
    """Neither the client's repr nor its resources' repr shows the API key."""
    tavus = TavusClient(API_KEY)

    shown = repr(tavus) + repr(tavus.replicas) + repr(tavus.videos)

    assert API_KEY not in shown
    assert "hidden" in repr(tavus)
    assert "tavusapi.com" in shown


async def test_closed_client_refuses_calls(http: Any) -> None:
    """After close() a call raises a clear RuntimeError and sends nothing; close() twice is fine."""
    tavus = TavusClient(API_KEY)
    await tavus.close()
    await tavus.close()

    with pytest.raises(RuntimeError, match="closed"):
        await tavus.videos.get("v1")
    assert tavus.closed
    assert not http.requests


async def test_closed_client_cannot_be_reopened() -> None:
    """`async with` on a client that was closed raises the same clear RuntimeError."""
    tavus = TavusClient(API_KEY)
    await tavus.close()

    with pytest.raises(RuntimeError, match="closed"):
        async with tavus:
            pass


async def test_close_during_retries_stops_them(http: Any) -> None:
    """Closing the client while a call waits to retry ends that call with a clear RuntimeError."""
    http.get(f"{BASE}/v2/videos/v1", status=503, repeat=True)
    clients: list[TavusClient] = []

    async def close_instead_of_sleeping(seconds: float) -> None:
        await clients[0].close()

    tavus = TavusClient(API_KEY, sleep=close_instead_of_sleeping)
    clients.append(tavus)
    with pytest.raises(RuntimeError, match="closed"):
        await tavus.videos.get("v1")

    assert len(sent(http, "GET", f"{BASE}/v2/videos/v1")) == 1


async def test_client_works_without_async_with(http: Any) -> None:
    """A client used without `async with` opens its session on first use and close() ends it."""
    http.get(f"{BASE}/v2/videos/v1", payload={"video_id": "v1"})
    tavus = TavusClient(API_KEY)

    video = await tavus.videos.get("v1")
    await tavus.close()

    assert video.video_id == "v1"


async def test_injected_session_is_used_and_never_closed() -> None:
    """A session passed in carries the requests and stays open after the client closes."""
    seen: list[str] = []

    async def video(request: web.Request) -> web.Response:
        seen.append(request.headers["x-api-key"])
        return web.json_response({"video_id": request.match_info["video_id"]})

    app = web.Application()
    app.router.add_get("/v2/videos/{video_id}", video)
    async with serve(app) as url, aiohttp.ClientSession() as session:
        async with TavusClient(API_KEY, base_url=url, session=session) as tavus:
            result = await tavus.videos.get("v9")

        assert not session.closed
        assert result.video_id == "v9"
        assert seen == [API_KEY]


async def test_injected_session_options_do_not_change_error_mapping() -> None:
    """A session made with raise_for_status=True still gives NotFoundError, unretried."""
    hits: list[str] = []

    async def missing(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.json_response({"error": "Video not found"}, status=404)

    app = web.Application()
    app.router.add_get("/v2/videos/{video_id}", missing)
    async with (
        serve(app) as url,
        aiohttp.ClientSession(raise_for_status=True) as session,
        TavusClient(API_KEY, base_url=url, session=session) as tavus,
    ):
        with pytest.raises(NotFoundError, match="Video not found"):
            await tavus.videos.get("v1")

    assert hits == ["/v2/videos/v1"]


@pytest.mark.parametrize(
    "reply",
    [
        b"HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 %s\r\nBad Header: x\r\n\r\n",
        b"HTTP/1.1 %s OK\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: %s\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%s\r\n",
    ],
)
async def test_garbled_reply_keeps_the_key_out_of_the_exception_chain(
    reply: bytes, sleeps: SleepRecorder, caplog: pytest.LogCaptureFixture
) -> None:
    """A reply that is not HTTP, even one quoting the key, leaves it out of errors and logs.

    The error raised is an APIConnectionError with no key anywhere in its chain (aiohttp's
    own errors carry the request headers), and the retry it logged holds no key either.
    """

    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        key = next(
            line.split(b":", 1)[1].strip()
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"x-api-key:")
        )
        writer.write(reply.replace(b"%s", key))
        await writer.drain()
        writer.close()

    caplog.set_level(logging.DEBUG)
    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with TavusClient(
            API_KEY, base_url=f"http://127.0.0.1:{port}", max_retries=1, sleep=sleeps
        ) as tavus:
            with pytest.raises(APIConnectionError) as caught:
                await tavus.videos.get("v1")
    finally:
        server.close()
        await server.wait_closed()

    chain: list[BaseException] = []
    error: BaseException | None = caught.value
    while error is not None and len(chain) < 10:
        chain.append(error)
        error = error.__cause__ or error.__context__
    for link in chain:
        assert API_KEY not in repr(link) + str(link) + repr(vars(link))
        assert not isinstance(link, aiohttp.ClientResponseError)
    assert caplog.records  # the retry was logged
    assert all(API_KEY not in logging.Formatter().format(r) for r in caplog.records)


async def test_a_request_waiting_for_a_slot_when_the_client_closes_says_so() -> None:
    """Closing the client while requests wait for a connection slot ends them clearly."""
    release = asyncio.Event()

    async def slow(request: web.Request) -> web.Response:
        await release.wait()
        return web.json_response({"video_id": "v1"})

    app = web.Application()
    app.router.add_get("/v2/videos/{video_id}", slow)
    async with serve(app) as url:
        tavus = TavusClient(API_KEY, base_url=url, max_connections=1, max_retries=0)
        first = asyncio.ensure_future(tavus.videos.get("v1"))
        queued = asyncio.ensure_future(tavus.videos.get("v2"))
        await asyncio.sleep(0.05)
        await tavus.close()
        release.set()
        results = await asyncio.gather(first, queued, return_exceptions=True)
    assert isinstance(results[1], RuntimeError)
    assert "closed while the request waited" in str(results[1])


async def test_requests_beyond_max_connections_wait_in_the_client() -> None:
    """At most max_connections requests are in flight, even on a session that sets no limit."""
    arrived: list[str] = []
    release = asyncio.Event()

    async def slow(request: web.Request) -> web.Response:
        arrived.append(request.match_info["video_id"])
        await release.wait()
        return web.json_response({"video_id": request.match_info["video_id"]})

    app = web.Application()
    app.router.add_get("/v2/videos/{video_id}", slow)
    unlimited = aiohttp.TCPConnector(limit=0)
    async with (
        serve(app) as url,
        aiohttp.ClientSession(connector=unlimited) as session,
        TavusClient(API_KEY, base_url=url, session=session, max_connections=2) as tavus,
    ):
        gets = [asyncio.ensure_future(tavus.videos.get(f"v{n}")) for n in range(6)]
        try:
            for _ in range(100):  # let every request that may leave, leave (bounded: 1 s)
                await asyncio.sleep(0.01)
            in_flight = len(arrived)
        finally:
            release.set()
        videos = await asyncio.gather(*gets)

    assert in_flight == 2
    assert sorted(v.video_id for v in videos) == [f"v{n}" for n in range(6)]


async def test_own_session_is_bounded_and_closed() -> None:
    """The client's own session allows at most max_connections connections and closes on exit."""
    async with TavusClient(API_KEY, max_connections=7) as tavus:
        session = tavus._requester.open_session()
        assert session.connector is not None
        assert session.connector.limit == 7

    assert session.closed


async def test_refused_connection_is_retried_then_raised(sleeps: SleepRecorder) -> None:
    """A refused connection is retried max_retries times, then raises with request_sent False."""
    base_url = f"http://127.0.0.1:{free_port()}"

    async with TavusClient(API_KEY, base_url=base_url, max_retries=2, sleep=sleeps) as tavus:
        with pytest.raises(APIConnectionError) as caught:
            await tavus.videos.create(replica_id="r1", script="Hi")

    assert caught.value.request_sent is False
    assert len(sleeps.delays) == 2
    assert API_KEY not in str(caught.value)


def _counting_app(handler_body: Any) -> tuple[web.Application, dict[str, int]]:
    hits = {"GET": 0, "POST": 0}

    async def handler(request: web.Request) -> web.StreamResponse:
        hits[request.method] += 1
        return await handler_body(request)

    app = web.Application()
    app.router.add_route("*", "/v2/videos", handler)
    app.router.add_route("*", "/v2/videos/{video_id}", handler)
    return app, hits


async def test_connection_dropped_after_a_post_is_not_retried(sleeps: SleepRecorder) -> None:
    """A create whose connection drops after sending is made once and says the job may exist."""

    async def drop(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        request.transport.close()
        return web.Response()

    app, hits = _counting_app(drop)
    async with serve(app) as url, TavusClient(API_KEY, base_url=url, sleep=sleeps) as tavus:
        with pytest.raises(APIConnectionError) as post_error:
            await tavus.videos.create(replica_id="r1", script="Hi")
        with pytest.raises(APIConnectionError):
            await tavus.videos.get("v1")

    # aiohttp itself re-sends an idempotent request once on a dropped keep-alive connection
    # (RFC 9112), so GETs are counted by our retry sleeps: 3 retries after the first attempt.
    assert hits["POST"] == 1
    assert hits["GET"] >= 4
    assert len(sleeps.delays) == 3
    assert post_error.value.request_sent is True
    assert "may have created a job" in str(post_error.value)


async def test_timeout_after_a_post_is_not_retried(sleeps: SleepRecorder) -> None:
    """A create that times out is made once and raises APITimeoutError; a GET is retried."""
    release = asyncio.Event()

    async def hang(request: web.Request) -> web.StreamResponse:
        await release.wait()
        return web.Response()

    app, hits = _counting_app(hang)
    async with serve(app) as url:
        try:
            async with TavusClient(
                API_KEY, base_url=url, timeout=0.05, max_retries=1, sleep=sleeps
            ) as tavus:
                with pytest.raises(APITimeoutError) as post_error:
                    await tavus.videos.create(replica_id="r1", script="Hi")
                with pytest.raises(APITimeoutError):
                    await tavus.videos.get("v1")
        finally:
            release.set()  # let the hanging handlers end so the server can shut down

    assert hits == {"POST": 1, "GET": 2}
    assert post_error.value.request_sent is True


async def test_redirect_to_another_host_is_not_followed() -> None:
    """A redirect is returned as an APIError and the key never reaches the other host."""
    other_host_hits: list[dict[str, str]] = []

    async def elsewhere(request: web.Request) -> web.Response:
        other_host_hits.append(dict(request.headers))
        return web.json_response({"video_id": "stolen"})

    other = web.Application()
    other.router.add_get("/{tail:.*}", elsewhere)
    async with serve(other) as other_url:

        async def redirect(request: web.Request) -> web.Response:
            raise web.HTTPFound(f"{other_url}/v2/videos/v1")

        api = web.Application()
        api.router.add_get("/v2/videos/{video_id}", redirect)
        async with serve(api) as api_url, TavusClient(API_KEY, base_url=api_url) as tavus:
            with pytest.raises(APIError) as caught:
                await tavus.videos.get("v1")

    assert caught.value.status == 302
    assert "redirect" in str(caught.value)
    assert other_host_hits == []


async def test_requests_are_logged_without_the_key(
    client: TavusClient, http: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Each request is logged at DEBUG with method, path and status, never with the key."""
    http.get(f"{BASE}/v2/replicas/r1", payload={"replica_id": "r1"})
    caplog.set_level(logging.DEBUG)

    await client.replicas.get("r1")

    lines = [r.getMessage() for r in caplog.records if r.name == "tavus_async"]
    assert any("GET /v2/replicas/r1 -> 200" in line for line in lines)
    assert all(API_KEY not in r.getMessage() + str(r.args) for r in caplog.records)


def test_families_are_built_on_first_use_and_kept() -> None:
    """A family is made the first time it is read, then the same object is handed back."""
    tavus = TavusClient(API_KEY)

    assert "videos" not in vars(tavus)
    videos = tavus.videos
    assert tavus.videos is videos
    assert "replicas" not in vars(tavus)


def test_the_client_declares_each_family_under_its_spec_name() -> None:
    """The registry lists every family once, each the client's attribute of its spec's name."""
    from tavus_async._client import families

    names = [spec.name for spec in families()]

    assert names == [
        "replicas",
        "videos",
        "personas",
        "conversations",
        "documents",
        "memories",
        "pronunciation_dictionaries",
        "voices",
        "guardrails",
        "objectives",
        "tools",
        "pal_tools",
        "skills",
        "pal_skills",
        "faces",
        "pals",
        "deployments",
        "canvas_interactions",
        "transcriptions",
    ]
    assert all(getattr(TavusClient, name).spec.name == name for name in names)
