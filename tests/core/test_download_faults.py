"""videos.download under faults served by FakeTavus's file host, over real sockets.

The faults hit the file request itself (``path`` is the download_url's path), not the
API GET before it. Retries sleep on the test's ManualClock; only the held-request test
waits on the wall clock, for the client's own short timeout.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from yarl import URL

from tavus_async import (
    APIConnectionError,
    APITimeoutError,
    NotFoundError,
    TavusClient,
    Video,
)
from tavus_async.testing import FakeTavus

from _support.clocks import FakeClock
from _support.emulator import EMULATOR_TIMING

RENDERED = EMULATOR_TIMING.video_queue + EMULATOR_TIMING.video_rendering
TIMEOUT = 0.2  # real seconds: the timeout of the client a held request leaves waiting
EVERY = 100  # a fault's ``times`` that outlasts any client's retries


async def ready_video(tavus: TavusClient, clock: FakeClock) -> Video:
    """A new video, rendered to ready on the fake's clock (without a recorded sleep)."""
    stock = await tavus.replicas.list(replica_type="system", limit=1)
    video = await tavus.videos.create(replica_id=stock.data[0].replica_id, script="Hi")
    clock.advance(RENDERED)
    return await tavus.videos.get(video.video_id)


def file_path(video: Video) -> str:
    """The path of the video's download_url on the file host, e.g. ``/files/v123.mp4``."""
    assert video.download_url is not None
    return URL(video.download_url).path


async def served(video: Video) -> bytes:
    """What the file host serves for ``video`` (fetched without a key, after the faults)."""
    assert video.download_url is not None
    async with aiohttp.ClientSession() as plain, plain.get(video.download_url) as response:
        assert response.status == 200
        return await response.read()


def files_in(folder: Path) -> list[str]:
    """Every name under ``folder``, hidden temporary files included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def keyless(fake: FakeTavus) -> bool:
    """No request to the file host carried the API key, in a header or in the query."""
    return not any(request.key_sent for request in fake.file_requests)


# aiohttp itself resends a GET once when its connection closes before any answer, so a
# dropped file request is tried again before the SDK's own retries come into play.
UNANSWERED = ("drop", "drop_after")
TRANSIENT = {
    "cut-at-0": {"cut_after_bytes": 0},
    "cut-at-1": {"cut_after_bytes": 1},
    "cut-mid": {"cut_after_bytes": 100_000},
    "cut-1-short": {"cut_after_bytes": 256 * 1024 - 1},
    "truncated": {"truncated": True},
    "drop": {"drop": True},
    "drop-after": {"drop_after": True},
    "500": {"status": 500},
    "502-html": {"status": 502, "body": "<html>Bad Gateway</html>"},
    "503": {"status": 503},
    "504": {"status": 504},
    "429": {"status": 429, "headers": {"Retry-After": "0"}},
}


@pytest.mark.parametrize("fault", TRANSIENT.values(), ids=TRANSIENT.keys())
async def test_a_failed_file_request_is_retried_and_the_file_arrives_whole(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock, tmp_path: Path, fault: dict[str, Any]
) -> None:
    """After one cut, dropped or 5xx/429 file request, the retry writes the whole file."""
    video = await ready_video(tavus, clock)
    fake.fault(method="GET", path=file_path(video), **fault)
    progress: list[tuple[int, int | None]] = []

    path = await tavus.videos.download(
        video, tmp_path / "v.mp4", on_progress=lambda done, total: progress.append((done, total))
    )

    assert [r.path for r in fake.file_requests] == [file_path(video)] * 2
    assert keyless(fake)
    # One pause on the fake's clock before the SDK's retry; none for a connection closed
    # before any answer, which is sent again at once.
    assert len(clock.delays) == (0 if set(fault) & set(UNANSWERED) else 1)
    assert files_in(tmp_path) == ["v.mp4"]
    whole = await served(video)
    assert path.read_bytes() == whole
    assert progress[-1] == (len(whole), len(whole))


@pytest.mark.parametrize("old", [None, b"the previous take"], ids=["new-file", "existing-file"])
@pytest.mark.parametrize("cut", [{"cut_after_bytes": 4096}, {"truncated": True}], ids=str)
async def test_every_attempt_cut_raises_and_leaves_dest_as_it_was(
    fake: FakeTavus,
    tavus: TavusClient,
    clock: FakeClock,
    tmp_path: Path,
    old: bytes | None,
    cut: dict[str, Any],
) -> None:
    """Cut on every try, download raises APIConnectionError; no temp file, dest untouched."""
    video = await ready_video(tavus, clock)
    dest = tmp_path / "v.mp4"
    if old is not None:
        dest.write_bytes(old)
    fake.fault(method="GET", path="/files/*", times=EVERY, **cut)

    with pytest.raises(APIConnectionError) as raised:
        await tavus.videos.download(video.video_id, dest)

    assert not isinstance(raised.value, APITimeoutError)
    assert raised.value.request_sent
    assert raised.value.url == video.download_url
    assert len(fake.file_requests) == 1 + 3  # the first try and fake.client()'s 3 retries
    assert keyless(fake)
    assert files_in(tmp_path) == ([] if old is None else ["v.mp4"])
    if old is not None:
        assert dest.read_bytes() == old


async def test_429_on_the_file_host_waits_its_retry_after(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock, tmp_path: Path
) -> None:
    """A 429 from the file host is retried after the Retry-After it names, keyless."""
    video = await ready_video(tavus, clock)
    fake.fault(path=file_path(video), times=2, status=429, headers={"Retry-After": "7"})

    path = await tavus.videos.download(video, tmp_path / "v.mp4")

    assert clock.delays == [7.0, 7.0]
    assert len(fake.file_requests) == 3
    assert keyless(fake)
    assert path.read_bytes() == await served(video)


async def test_404_on_the_file_host_raises_not_found_at_once(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock, tmp_path: Path
) -> None:
    """A 404 from the file host raises NotFoundError after one request; nothing is written."""
    video = await ready_video(tavus, clock)
    missing = "NoSuchKey: The specified key does not exist."
    fake.fault(path=file_path(video), times=EVERY, status=404, body=missing)

    with pytest.raises(NotFoundError) as raised:
        await tavus.videos.download(video, tmp_path / "v.mp4")

    assert (raised.value.status, raised.value.url) == (404, video.download_url)
    assert "NoSuchKey" in str(raised.value)
    assert (len(fake.file_requests), clock.delays) == (1, [])
    assert keyless(fake)
    assert files_in(tmp_path) == []


async def test_a_held_file_request_times_out_and_is_retried(
    fake: FakeTavus, clock: FakeClock, tmp_path: Path
) -> None:
    """A file request held unanswered times out (the read timeout), and the retry succeeds."""
    async with fake.client(timeout=TIMEOUT) as tavus:
        video = await ready_video(tavus, clock)
        fake.fault(path=file_path(video), hang=True)

        path = await tavus.videos.download(video, tmp_path / "v.mp4")

    await asyncio.wait_for(fake.until_held(0), 5)
    assert len(fake.file_requests) == 2
    assert keyless(fake)
    assert files_in(tmp_path) == ["v.mp4"]
    assert path.read_bytes() == await served(video)


async def test_a_file_request_held_on_every_try_raises_timeout(
    fake: FakeTavus, clock: FakeClock, tmp_path: Path
) -> None:
    """Held on each try, download raises APITimeoutError and leaves nothing behind."""
    async with fake.client(timeout=TIMEOUT, max_retries=1) as tavus:
        video = await ready_video(tavus, clock)
        fake.fault(path="/files/*", times=EVERY, hang=True)

        with pytest.raises(APITimeoutError):
            await tavus.videos.download(video, tmp_path / "v.mp4")

    assert len(fake.file_requests) == 2
    assert keyless(fake)
    assert files_in(tmp_path) == []


async def test_random_file_faults_never_corrupt_a_download(
    fake: FakeTavus, tavus: TavusClient, clock: FakeClock, tmp_path: Path
) -> None:
    """Under seeded random faults on the file host, each download is whole or fails cleanly."""
    videos = [await ready_video(tavus, clock) for _ in range(3)]
    wholes = [await served(video) for video in videos]
    fake.random_faults(0.4, seed=5, files=True)
    outcomes: list[str] = []

    for n in range(12):
        dest = tmp_path / f"{n}.mp4"
        try:
            await tavus.videos.download(videos[n % 3], dest)
        except APIConnectionError:
            outcomes.append("clean failure" if not dest.exists() else "left a file")
        else:
            outcomes.append("whole" if dest.read_bytes() == wholes[n % 3] else "corrupt")

    assert fake.faults.served > 0
    assert set(outcomes) <= {"whole", "clean failure"}
    assert outcomes.count("whole") >= 9
    assert keyless(fake)
    assert not [name for name in files_in(tmp_path) if name.endswith(".part")]


def progress_log() -> tuple[list[tuple[int, int | None]], Any]:
    """A list of on_progress calls, and the callback that fills it."""
    seen: list[tuple[int, int | None]] = []
    return seen, lambda done, total: seen.append((done, total))


def never_backwards(seen: list[tuple[int, int | None]], size: int) -> bool:
    """Counts rise from 0 to ``size`` and never fall; every total is the whole file's size."""
    dones = [done for done, _ in seen]
    return (
        dones[0] == 0
        and dones[-1] == size
        and dones == sorted(dones)
        and {total for _, total in seen} == {size}
    )


def resumed_from(fake: FakeTavus) -> list[int]:
    """Where each request to the file host that sent a Range asked to start."""
    return [int(r.range.removeprefix("bytes=").rstrip("-")) for r in fake.file_requests if r.range]


# aiohttp drops the bytes it holds unread when it learns of the cut, so how much an attempt
# kept varies with scheduling; what holds is checked: each resume starts past 0, later
# than the last, the bytes line up and the progress never falls.
@pytest.mark.parametrize(
    "faults",
    [
        [{"times": 5, "cut_after_bytes": 50_000}],
        [{"times": 3, "cut_after_bytes": 100_000}, {"drop": True}],
        [{"times": 4, "truncated": True}],
    ],
    ids=["cut-5-times", "cut-then-drop", "truncated-4-times"],
)
async def test_a_cut_download_resumes_from_the_bytes_written(
    fake: FakeTavus, clock: FakeClock, tmp_path: Path, faults: list[dict[str, Any]]
) -> None:
    """Retries after cuts and drops ask for the rest (Range) and append it: whole file, no fall."""
    async with fake.client(max_retries=8) as tavus:
        video = await ready_video(tavus, clock)
        for fault in faults:
            fake.fault(path=file_path(video), **fault)
        seen, on_progress = progress_log()

        path = await tavus.videos.download(video, tmp_path / "v.mp4", on_progress=on_progress)

    whole = await served(video)
    starts = resumed_from(fake)
    assert fake.file_requests[0].range is None
    assert starts == sorted(starts)
    assert starts, "no retry resumed"
    assert starts[0] > 0
    assert starts[-1] < len(whole)
    assert path.read_bytes() == whole
    assert never_backwards(seen, len(whole))
    assert not any("range" in {h.lower() for h in r.headers} for r in fake.requests)
    assert files_in(tmp_path) == ["v.mp4"]
