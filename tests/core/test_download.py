"""videos.download against real loopback servers: an API host and a separate file host."""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from unittest.mock import patch

import attrs
import pytest
from aiohttp import web
from multidict import CIMultiDict

from tavus_async import (
    APIConnectionError,
    APIError,
    TavusClient,
    Video,
    VideoNotReadyError,
    VideoStatus,
)

from _support.http import API_KEY, serve

DATA = os.urandom(3 * 1024 * 1024 + 123)  # several chunks of the client's reads


@attrs.define
class Hosts:
    """The API host (``http://127.0.0.1:…``), the file host (``http://localhost:…``), logs."""

    api_url: str = ""
    file_url: str = ""
    videos: dict[str, dict[str, Any]] = attrs.Factory(dict)
    api_requests: list[tuple[str, CIMultiDict[str]]] = attrs.Factory(list)
    file_requests: list[tuple[str, CIMultiDict[str]]] = attrs.Factory(list)
    kept: asyncio.Event = attrs.Factory(asyncio.Event)  # the client wrote some bytes down

    def ready(self, video_id: str, path: str) -> None:
        self.videos[video_id] = {
            "video_id": video_id,
            "status": "ready",
            "download_url": f"{self.file_url}{path}",
        }


async def _whole(request: web.Request) -> web.Response:
    return web.Response(body=DATA, content_type="video/mp4")


async def _chunked(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    response.enable_chunked_encoding()
    await response.prepare(request)
    for start in range(0, len(DATA), 1 << 20):
        await response.write(DATA[start : start + (1 << 20)])
    await response.write_eof()
    return response


async def _truncated(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    response.content_length = len(DATA)
    await response.prepare(request)
    await response.write(DATA[: len(DATA) // 2])
    assert request.transport is not None
    request.transport.close()
    return response


async def _expired(request: web.Request) -> web.Response:
    return web.Response(status=403, text="<Error><Code>AccessDenied</Code></Error>")


async def _trickle(request: web.Request) -> web.StreamResponse:
    """Five pieces, 30 ms apart: slower in all than the 0.1 s client timeout of its test."""
    response = web.StreamResponse()
    response.content_length = 5 * 1000
    response.headers["Content-Encoding"] = "identity"
    await response.prepare(request)
    for _ in range(5):
        await asyncio.sleep(0.03)
        await response.write(b"x" * 1000)
    await response.write_eof()
    return response


STALLED = asyncio.Event()  # set by the test that stalls a download, once it is done


async def _stalled(request: web.Request) -> web.StreamResponse:
    """Half the file, then nothing until the test lets go."""
    response = web.StreamResponse()
    response.content_length = len(DATA)
    await response.prepare(request)
    await response.write(DATA[: len(DATA) // 2])
    await STALLED.wait()
    return response


async def _cut_when(request: web.Request, kept: asyncio.Event) -> web.StreamResponse:
    """Half the file, then the connection closed once ``kept`` is set."""
    response = web.StreamResponse()
    response.content_length = len(DATA)
    await response.prepare(request)
    await response.write(DATA[: len(DATA) // 2])
    await kept.wait()
    assert request.transport is not None
    request.transport.close()
    return response


async def _moved(request: web.Request) -> web.Response:
    raise web.HTTPFound(f"/files/{request.match_info['name']}")


@pytest.fixture
async def hosts() -> AsyncIterator[Hosts]:
    hosts = Hosts()

    async def get_video(request: web.Request) -> web.Response:
        hosts.api_requests.append((request.path, CIMultiDict(request.headers)))
        found = hosts.videos.get(request.match_info["video_id"])
        if found is None:
            return web.json_response({"error": "Video not found"}, status=404)
        return web.json_response(found)

    @web.middleware
    async def record(request: web.Request, handler: Any) -> web.StreamResponse:
        hosts.file_requests.append((request.path, CIMultiDict(request.headers)))
        response: web.StreamResponse = await handler(request)
        return response

    async def cut_once(request: web.Request) -> web.StreamResponse:
        """Half the file, cut once the client kept some; a retry gets the rest, or all of it.

        ``/ranges/`` answers the retry's Range with a 206; ``/no-ranges/`` ignores it: 200.
        """
        wanted = request.headers.get("Range")
        if wanted is None:
            return await _cut_when(request, hosts.kept)
        if request.path.startswith("/no-ranges/"):
            return web.Response(body=DATA, content_type="video/mp4")
        first = int(wanted.removeprefix("bytes=").rstrip("-"))
        headers = {"Content-Range": f"bytes {first}-{len(DATA) - 1}/{len(DATA)}"}
        return web.Response(status=206, body=DATA[first:], headers=headers)

    api = web.Application()
    api.router.add_get("/v2/videos/{video_id}", get_video)
    files = web.Application(middlewares=[record])
    files.router.add_get("/files/{name}", _whole)
    files.router.add_get("/chunked/{name}", _chunked)
    files.router.add_get("/truncated/{name}", _truncated)
    files.router.add_get("/expired/{name}", _expired)
    files.router.add_get("/moved/{name}", _moved)
    files.router.add_get("/trickle/{name}", _trickle)
    files.router.add_get("/stalled/{name}", _stalled)
    files.router.add_get("/ranges/{name}", cut_once)
    files.router.add_get("/no-ranges/{name}", cut_once)
    async with serve(api) as api_url, serve(files) as file_url:
        hosts.api_url = api_url
        hosts.file_url = file_url.replace("127.0.0.1", "localhost")  # not the API's host name
        yield hosts


@pytest.fixture
async def tavus(hosts: Hosts) -> AsyncIterator[TavusClient]:
    async with TavusClient(API_KEY, base_url=hosts.api_url, max_retries=0) as client:
        yield client


def files_in(folder: Path) -> list[str]:
    """Every name under ``folder``, hidden temporary files included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


async def test_bytes_arrive_whole_in_new_folders(
    tavus: TavusClient, hosts: Hosts, tmp_path: Path
) -> None:
    """The file holds the served bytes, parent folders are made, and no temp file remains."""
    hosts.ready("v1", "/files/v1.mp4")
    dest = tmp_path / "out" / "deep" / "hi.mp4"

    path = await tavus.videos.download("v1", dest)

    assert path == dest
    assert dest.read_bytes() == DATA
    assert files_in(tmp_path) == ["out", "out/deep", "out/deep/hi.mp4"]


async def test_ready_video_object_is_downloaded_without_a_lookup(
    tavus: TavusClient, hosts: Hosts, tmp_path: Path
) -> None:
    """A ready Video object is downloaded from its own download_url, with no API call."""
    video = Video(
        video_id="v1", status=VideoStatus.READY, download_url=f"{hosts.file_url}/files/v1.mp4"
    )

    path = await tavus.videos.download(video, tmp_path / "v.mp4")

    assert path.read_bytes() == DATA
    assert hosts.api_requests == []


async def test_stale_video_object_is_looked_up_again(
    tavus: TavusClient, hosts: Hosts, tmp_path: Path
) -> None:
    """A Video object still generating is fetched again and downloaded once it is ready."""
    hosts.ready("v1", "/files/v1.mp4")
    stale = Video(video_id="v1", status=VideoStatus.GENERATING)

    path = await tavus.videos.download(stale, tmp_path / "v.mp4")

    assert path.read_bytes() == DATA
    assert [p for p, _ in hosts.api_requests] == ["/v2/videos/v1"]


@pytest.mark.parametrize("is_async", [False, True], ids=["plain", "coroutine"])
async def test_progress_runs_from_zero_to_content_length(
    tavus: TavusClient, hosts: Hosts, tmp_path: Path, is_async: bool
) -> None:
    """on_progress gets (0, total) first, then rising counts ending at (total, total)."""
    hosts.ready("v1", "/files/v1.mp4")
    seen: list[tuple[int, int | None]] = []

    def plain(done: int, total: int | None) -> None:
        seen.append((done, total))

    async def coroutine(done: int, total: int | None) -> None:
        seen.append((done, total))

    await tavus.videos.download(
        "v1", tmp_path / "v.mp4", on_progress=coroutine if is_async else plain
    )

    dones = [done for done, _ in seen]
    assert seen[0] == (0, len(DATA))
    assert seen[-1] == (len(DATA), len(DATA))
    assert {total for _, total in seen} == {len(DATA)}
    assert len(seen) >= 4
    assert all(a < b for a, b in itertools.pairwise(dones))


async def test_chunked_response_reports_unknown_total(
    tavus: TavusClient, hosts: Hosts, tmp_path: Path
) -> None:
    """Without a Content-Length, total is None and the bytes still arrive whole."""
    hosts.ready("v1", "/chunked/v1.mp4")
    seen: list[tuple[int, int | None]] = []

    path = await tavus.videos.download(
        "v1", tmp_path / "v.mp4", on_progress=lambda d, t: seen.append((d, t))
    )

    assert path.read_bytes() == DATA
    assert seen[0] == (0, None)
    assert seen[-1] == (len(DATA), None)
    assert {total for _, total in seen} == {None}


async def test_key_goes_to_the_api_host_only(
    tavus: TavusClient, hosts: Hosts, tmp_path: Path
) -> None:
    """The API host receives x-api-key; the file host never does, on any request."""
    hosts.ready("v1", "/files/v1.mp4")

    await tavus.videos.download("v1", tmp_path / "v.mp4")

    assert [h.get("X-API-Key") for _, h in hosts.api_requests] == [API_KEY]
    assert len(hosts.file_requests) == 1
    for _, headers in hosts.file_requests:
        assert "x-api-key" not in headers
        assert API_KEY not in str(headers)


@pytest.mark.parametrize("has_url", [False, True], ids=["no-url", "early-url"])
async def test_video_not_ready_writes_nothing(
    tavus: TavusClient, hosts: Hosts, tmp_path: Path, has_url: bool
) -> None:
    """A generating video raises VideoNotReadyError with .video; nothing is written or fetched."""
    hosts.ready("v1", "/files/v1.mp4")
    hosts.videos["v1"]["status"] = "generating"
    if not has_url:
        del hosts.videos["v1"]["download_url"]

    with pytest.raises(VideoNotReadyError, match="v1") as raised:
        await tavus.videos.download("v1", tmp_path / "v.mp4")

    assert raised.value.video.video_id == "v1"
    assert raised.value.video.status == VideoStatus.GENERATING
    assert files_in(tmp_path) == []
    assert hosts.file_requests == []


async def test_folder_dest_names_the_file_after_the_video(
    tavus: TavusClient, hosts: Hosts, tmp_path: Path
) -> None:
    """An existing folder as dest gets <video_id>.mp4 inside it."""
    hosts.ready("v1", "/files/rendered")

    path = await tavus.videos.download("v1", tmp_path)

    assert path == tmp_path / "v1.mp4"
    assert path.read_bytes() == DATA
    assert files_in(tmp_path) == ["v1.mp4"]


@pytest.mark.parametrize("old", [None, b"old"], ids=["new-file", "existing-file"])
async def test_dropped_connection_leaves_dest_as_it_was(
    hosts: Hosts, tmp_path: Path, old: bytes | None
) -> None:
    """A body cut short raises APIConnectionError after every retry; dest is unchanged, no temp."""
    hosts.ready("v1", "/truncated/v1.mp4")
    dest = tmp_path / "v.mp4"
    if old is not None:
        dest.write_bytes(old)
    delays: list[float] = []

    async def no_wait(seconds: float) -> None:
        delays.append(seconds)

    async with TavusClient(API_KEY, base_url=hosts.api_url, max_retries=2, sleep=no_wait) as tavus:
        with pytest.raises(APIConnectionError):
            await tavus.videos.download("v1", dest)

    assert len(hosts.file_requests) == 3
    assert files_in(tmp_path) == ([] if old is None else ["v.mp4"])
    if old is not None:
        assert dest.read_bytes() == old


async def test_expired_link_raises_403_and_writes_nothing(
    tavus: TavusClient, hosts: Hosts, tmp_path: Path
) -> None:
    """A 403 from the file host is an APIError with status 403, and nothing is written."""
    hosts.ready("v1", "/expired/v1.mp4")

    with pytest.raises(APIError) as raised:
        await tavus.videos.download("v1", tmp_path / "v.mp4")

    assert raised.value.status == 403
    assert files_in(tmp_path) == []


async def test_redirect_on_the_file_host_is_followed(
    tavus: TavusClient, hosts: Hosts, tmp_path: Path
) -> None:
    """A redirect from the file host is followed, still without the key."""
    hosts.ready("v1", "/moved/v1.mp4")

    path = await tavus.videos.download("v1", tmp_path / "v.mp4")

    assert path.read_bytes() == DATA
    assert [p for p, _ in hosts.file_requests] == ["/moved/v1.mp4", "/files/v1.mp4"]
    assert all("x-api-key" not in headers for _, headers in hosts.file_requests)


@pytest.mark.parametrize(
    "case",
    [
        ("v1", 42, None, TypeError, "dest"),
        ("v1", "v.mp4", 42, TypeError, "on_progress"),
        (42, "v.mp4", None, TypeError, "video_or_id"),
        ("bad/id", "v.mp4", None, ValueError, "video_or_id"),
    ],
    ids=["dest", "on_progress", "video_or_id-type", "video_or_id-unsafe"],
)
async def test_bad_arguments_fail_before_any_request(
    tavus: TavusClient, hosts: Hosts, tmp_path: Path, case: tuple[Any, Any, Any, type, str]
) -> None:
    """Each bad argument raises its error naming the argument, with no request to either host."""
    video_or_id, dest, on_progress, error, name = case
    hosts.ready("v1", "/files/v1.mp4")
    target = tmp_path / dest if isinstance(dest, str) else dest

    with pytest.raises(error, match=name):
        await tavus.videos.download(video_or_id, target, on_progress=on_progress)

    assert hosts.api_requests == []
    assert hosts.file_requests == []
    assert files_in(tmp_path) == []


async def test_disk_writes_run_off_the_event_loop(
    tavus: TavusClient, hosts: Hosts, tmp_path: Path
) -> None:
    """Every byte written to disk goes through asyncio.to_thread, a chunk at a time."""
    hosts.ready("v1", "/files/v1.mp4")

    with patch.object(asyncio, "to_thread", wraps=asyncio.to_thread) as to_thread:
        await tavus.videos.download("v1", tmp_path / "v.mp4")

    writes = [c.args[1] for c in to_thread.call_args_list if c.args[0].__name__ == "write"]
    assert len(writes) > 1
    assert b"".join(writes) == DATA


async def test_slow_download_is_not_cut_by_the_request_timeout(
    hosts: Hosts, tmp_path: Path
) -> None:
    """The client's timeout bounds each read of a download, not the whole transfer."""
    hosts.ready("v1", "/trickle/v1.mp4")

    async with TavusClient(API_KEY, base_url=hosts.api_url, timeout=0.1, max_retries=0) as tavus:
        path = await tavus.videos.download("v1", tmp_path / "slow.mp4")

    assert path.read_bytes() == b"x" * 5000


async def test_downloads_ask_for_uncompressed_bytes(
    tavus: TavusClient, hosts: Hosts, tmp_path: Path
) -> None:
    """A download asks for identity encoding, so progress counts the bytes Content-Length names."""
    hosts.ready("v1", "/files/v1.mp4")

    await tavus.videos.download("v1", tmp_path / "v1.mp4")

    assert [headers["Accept-Encoding"] for _, headers in hosts.file_requests] == ["identity"]


async def test_cancelled_download_leaves_nothing_behind(
    tavus: TavusClient, hosts: Hosts, tmp_path: Path
) -> None:
    """Cancelling a download midway leaves no temporary file, and dest as it was."""
    hosts.ready("v1", "/stalled/v1.mp4")
    dest = tmp_path / "v1.mp4"
    dest.write_text("old")
    halfway = asyncio.Event()

    def progress(done: int, total: int | None) -> None:
        if done:
            halfway.set()

    download = asyncio.create_task(tavus.videos.download("v1", dest, on_progress=progress))
    try:
        await asyncio.wait_for(halfway.wait(), 5)
        download.cancel()
        with pytest.raises(asyncio.CancelledError):
            await download
    finally:
        STALLED.set()

    assert files_in(tmp_path) == ["v1.mp4"]
    assert dest.read_text() == "old"


async def test_dest_ending_in_a_slash_is_a_new_folder(
    tavus: TavusClient, hosts: Hosts, tmp_path: Path
) -> None:
    """A dest ending in a slash is a folder, made if needed, holding v1.mp4."""
    hosts.ready("v1", "/files/v1")

    path = await tavus.videos.download("v1", f"{tmp_path}/new/")

    assert path == tmp_path / "new" / "v1.mp4"
    assert path.read_bytes() == DATA


@pytest.mark.parametrize("route", ["ranges", "no-ranges"], ids=["206", "200"])
async def test_a_retry_resumes_on_206_and_starts_over_on_200(
    hosts: Hosts, tmp_path: Path, route: str
) -> None:
    """After a cut, the retry asks for the rest; a 206 is appended, a 200 replaces: no fall."""
    hosts.ready("v1", f"/{route}/v1.mp4")
    seen: list[tuple[int, int | None]] = []

    def progress(done: int, total: int | None) -> None:
        seen.append((done, total))
        if done:
            hosts.kept.set()

    async def no_wait(seconds: float) -> None:
        pass

    async with TavusClient(API_KEY, base_url=hosts.api_url, max_retries=1, sleep=no_wait) as tavus:
        path = await tavus.videos.download("v1", tmp_path / "v.mp4", on_progress=progress)

    first, retry = (headers.get("Range") for _, headers in hosts.file_requests)
    assert first is None
    assert retry is not None
    assert 0 < int(retry.removeprefix("bytes=").rstrip("-")) <= len(DATA) // 2
    assert path.read_bytes() == DATA
    assert files_in(tmp_path) == ["v.mp4"]
    dones = [done for done, _ in seen]
    assert dones == sorted(dones)
    assert dones[-1] == len(DATA)
    assert {total for _, total in seen} == {len(DATA)}
    assert all("Range" not in headers for _, headers in hosts.api_requests)
