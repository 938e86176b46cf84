"""An aiohttp web service that awaits the SDK inside its handlers; one client for the app.

POST /videos {"script": ..., "replica_id": ...} renders a video, waits until it is ready and
answers its download url (no replica_id: TAVUS_REPLICA_ID, else the first stock replica).
GET /videos/{video_id} answers the video's current status. Run it from the repository root:

    python examples/web_service.py
    curl -X POST localhost:8080/videos -d '{"script": "Hi Anna, welcome aboard!"}'

With TAVUS_API_KEY set it talks to Tavus; without it, to FakeTavus, the in-process emulator.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from tavus_async import NotFoundError, TavusClient, TavusError
from tavus_async.testing import real_or_fake

TAVUS = web.AppKey("tavus", TavusClient)
routes = web.RouteTableDef()


def fail(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def default_replica(tavus: TavusClient) -> str | None:
    if replica_id := os.environ.get("TAVUS_REPLICA_ID"):
        return replica_id
    async for replica in tavus.replicas.iter(replica_type="system"):
        return replica.replica_id
    return None


@routes.post("/videos")
async def render(request: web.Request) -> web.Response:
    tavus = request.app[TAVUS]
    body = None
    with contextlib.suppress(ValueError):
        body = await request.json()
    if not isinstance(body, dict) or not isinstance(body.get("script"), str):
        return fail(400, 'send a JSON object: {"script": "...", "replica_id": "..."}')
    replica_id = body.get("replica_id") or await default_replica(tavus)
    if not isinstance(replica_id, str):
        return fail(400, "give a replica_id: no stock replica was found")
    try:
        video = await tavus.videos.create(replica_id=replica_id, script=body["script"])
        video = await tavus.videos.wait(video.video_id)
    except ValueError as error:  # refused by the SDK before any request
        return fail(400, str(error))
    except TavusError as error:  # refused by Tavus, failed, or timed out
        return fail(502, str(error))
    return web.json_response({"video_id": video.video_id, "download_url": video.download_url})


@routes.get("/videos/{video_id}")
async def status(request: web.Request) -> web.Response:
    try:
        video = await request.app[TAVUS].videos.get(request.match_info["video_id"])
    except ValueError as error:
        return fail(400, str(error))
    except NotFoundError:
        return fail(404, "no such video")
    fields = ("video_id", "status", "progress", "download_url")
    return web.json_response({f: getattr(video, f) for f in fields})


def make_app(
    tavus_factory: Callable[[], contextlib.AbstractAsyncContextManager[TavusClient]] = TavusClient,
) -> web.Application:
    """The service; ``tavus_factory`` makes the app's one client (tests inject their own)."""

    async def tavus_client(app: web.Application) -> AsyncIterator[None]:
        async with tavus_factory() as app[TAVUS]:
            yield

    app = web.Application()
    app.add_routes(routes)
    app.cleanup_ctx.append(tavus_client)
    return app


async def main(tavus: TavusClient, host: str = "127.0.0.1", port: int = 8080) -> None:
    """Serve with ``tavus`` (left open for its owner) until cancelled."""
    runner = web.AppRunner(make_app(lambda: contextlib.nullcontext(tavus)))
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        print("serving on http://{}:{}".format(*runner.addresses[0][:2]), flush=True)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


async def run() -> None:
    async with real_or_fake() as tavus:
        await main(tavus)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
