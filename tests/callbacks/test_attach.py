"""Callbacks served by the user's own aiohttp application: CallbackReceiver.attach."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from tavus_async import TavusClient, VideoStatus
from tavus_async.callbacks import CallbackReceiver
from tavus_async.testing import FakeTavus

from _support.callbacks import BOUND, LONG, URL_SAFE, create, gets, post, token_of


@pytest.fixture
async def mounted() -> AsyncIterator[tuple[CallbackReceiver, str]]:
    """A receiver attached at /hooks/tavus to a user's app on 127.0.0.1; (receiver, app url)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        app_url = f"http://127.0.0.1:{port}"
        hook = CallbackReceiver(public_url=f"{app_url}/hooks/tavus")
        app = web.Application()

        async def health(request: web.Request) -> web.Response:
            return web.json_response({"ok": True})

        app.router.add_get("/health", health)
        hook.attach(app, path="/hooks/tavus")
        runner = web.AppRunner(app, shutdown_timeout=0, access_log=None)
        await runner.setup()
        try:
            await web.SockSite(runner, sock).start()
            yield hook, app_url
        finally:
            await runner.cleanup()


async def test_attach_serves_callbacks_from_the_users_app(
    mounted: tuple[CallbackReceiver, str], raw: aiohttp.ClientSession
) -> None:
    """Attached, the url is public_url plus the token, served next to the app's own routes."""
    hook, app_url = mounted
    assert hook.url.startswith(f"{app_url}/hooks/tavus/")
    assert set(token_of(hook)) <= URL_SAFE
    async with raw.get(f"{app_url}/health") as response:
        assert response.status == 200
    with hook.subscribe("v1") as woken:
        assert await post(raw, f"{app_url}/hooks/tavus/{'w' * 32}", json={"video_id": "v1"}) == 404
        assert await post(raw, hook.url, data=b"not json") == 400
        assert not woken.is_set()
        assert await post(raw, hook.url, json={"video_id": "v1", "status": "ready"}) == 200
        assert woken.is_set()
    assert (hook.received, hook.refused) == (1, 2)


async def test_attach_wakes_a_wait_end_to_end(
    mounted: tuple[CallbackReceiver, str], fast: FakeTavus, tavus: TavusClient
) -> None:
    """FakeTavus calling back the user's app ends a wait with one confirming GET."""
    hook, _ = mounted
    video_id = await create(tavus, fast, "videos", hook.url)
    video = await asyncio.wait_for(tavus.videos.wait(video_id, callbacks=hook, policy=LONG), BOUND)
    assert video.status == VideoStatus.READY
    assert gets(fast, "videos", video_id) == 2
    assert [c.outcome for c in fast.callbacks] == [200]


def test_attach_without_public_url_is_refused() -> None:
    """attach needs public_url: without it the url Tavus should call is unknown."""
    with pytest.raises(ValueError, match="public_url"):
        CallbackReceiver().attach(web.Application(), path="/hooks/tavus")
