"""FakeTavus itself, over real sockets: endpoints, auth, lifecycles, files, callbacks, hosts.

Its scheduled, random and rate-limit faults are in test_fake_scheduled_faults.py.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from yarl import URL

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus, ManualClock, Timing

from _support.emulator import EMULATOR_TIMING, MP4
from _support.fake_http import Raw, call, new_replica, new_video, session, stock_id

# Set here, not left to the defaults: the moments below are read against these durations.
TRAINED = EMULATOR_TIMING.replica_training
RENDERED = EMULATOR_TIMING.video_queue + EMULATOR_TIMING.video_rendering
FAILING_MP4 = "https://example.com/tavus-fail.mp4"


def box_types(data: bytes) -> list[str]:
    """The top-level ISO-BMFF box types of ``data``; AssertionError unless they tile it."""
    kinds, offset = [], 0
    while offset < len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        assert size >= 8, f"bad box size {size} at {offset}"
        kinds.append(kind.decode("ascii"))
        offset += size
    assert offset == len(data)
    return kinds


@pytest.mark.parametrize(("stock", "count"), [(True, 3), (False, 0)])
async def test_stock_system_replicas_exist_from_the_start(stock: bool, count: int) -> None:
    """A new emulator lists three completed system replicas (none with stock_replicas=False)."""
    async with FakeTavus(stock_replicas=stock) as fake, session(fake) as raw:
        status, page = await call(raw, "GET", "/v2/replicas", params={"verbose": "true"})
    kinds = [(r["replica_type"], r["status"]) for r in page["data"]]
    assert (status, page["total_count"], kinds) == (200, count, [("system", "completed")] * count)


@pytest.mark.parametrize("hard", ["false", "true"])
async def test_replica_create_get_rename_delete(raw: Raw, fake: FakeTavus, hard: str) -> None:
    """A replica is created started, read (verbose adds replica_type), renamed; deleted it 404s."""
    status, created = await call(raw, "POST", "/v2/replicas", json={"train_video_url": MP4})
    path = f"/v2/replicas/{created['replica_id']}"
    renamed, _ = await call(raw, "PATCH", path + "/name", json={"replica_name": "Zoe"})
    _, plain = await call(raw, "GET", path)
    _, verbose = await call(raw, "GET", path, params={"verbose": "true"})
    deleted, _ = await call(raw, "DELETE", path, params={"hard": hard})
    gone = [
        (await call(raw, m, path + s, json={"replica_name": "x"}))[0]
        for m, s in [("GET", ""), ("PATCH", "/name"), ("DELETE", "")]
    ]
    _, users = await call(raw, "GET", "/v2/replicas", params={"replica_type": "user"})
    assert (status, set(created), created["status"]) == (200, {"replica_id", "status"}, "started")
    assert (renamed, deleted, gone, users["total_count"]) == (200, 200, [404, 404, 404], 0)
    assert (plain["replica_name"], verbose["replica_type"]) == ("Zoe", "user")
    assert "replica_type" not in plain
    assert {"training_progress", "error_message", "created_at", "model_name"} <= set(plain)


async def test_video_create_get_rename_list(raw: Raw) -> None:
    """A video is created queued with Tavus's five fields, renamed, listed; verbose adds thumbs."""
    replica_id = await stock_id(raw)
    body = {"replica_id": replica_id, "script": "Hi"}
    status, created = await call(raw, "POST", "/v2/videos", json=body)
    path = f"/v2/videos/{created['video_id']}"
    renamed, _ = await call(raw, "PATCH", path + "/name", json={"video_name": "Greeting"})
    _, plain = await call(raw, "GET", path)
    _, verbose = await call(raw, "GET", path, params={"verbose": "true"})
    _, listed = await call(raw, "GET", "/v2/videos")
    assert (status, renamed, created["status"]) == (200, 200, "queued")
    assert set(created) == {"video_id", "video_name", "status", "hosted_url", "created_at"}
    assert (plain["video_name"], plain["data"]) == ("Greeting", {"script": "Hi"})
    assert plain["replica_id"] == replica_id
    assert (plain["download_url"], "gif_thumbnail_url" in plain) == (None, False)
    assert all(verbose[k] for k in ("gif_thumbnail_url", "still_image_thumbnail_url"))
    assert [v["video_id"] for v in listed["data"]] == [created["video_id"]]


async def test_video_soft_delete_reads_deleted_and_hard_delete_is_404(raw: Raw) -> None:
    """A soft-deleted video still reads, as deleted, but is unlisted; a hard-deleted one 404s."""
    soft, hard = await new_video(raw), await new_video(raw)
    await call(raw, "DELETE", f"/v2/videos/{soft}")
    await call(raw, "DELETE", f"/v2/videos/{hard}", params={"hard": "true"})
    _, soft_body = await call(raw, "GET", f"/v2/videos/{soft}")
    hard_status, _ = await call(raw, "GET", f"/v2/videos/{hard}")
    _, listed = await call(raw, "GET", "/v2/videos")
    assert (soft_body["status"], hard_status, listed["total_count"]) == ("deleted", 404, 0)


@pytest.mark.parametrize("first_page", [0, 1])
async def test_lists_page_from_first_page(first_page: int) -> None:
    """limit/page slice the list from first_page (the default page); total_count counts all."""
    async with FakeTavus(first_page=first_page) as fake, session(fake) as raw:
        ids = [await new_video(raw) for _ in range(5)]
        pages = [
            (await call(raw, "GET", "/v2/videos", params={"limit": "2", "page": str(n)}))[1]
            for n in range(first_page, first_page + 4)
        ]
        _, default = await call(raw, "GET", "/v2/videos", params={"limit": "2"})
    seen = [v["video_id"] for page in pages for v in page["data"]]
    assert [len(page["data"]) for page in pages] == [2, 2, 1, 0]
    assert (sorted(seen), {page["total_count"] for page in pages}) == (sorted(ids), {5})
    assert default["data"] == pages[0]["data"]


async def test_replica_list_filters_by_type_and_ids(raw: Raw) -> None:
    """replica_type keeps user or system replicas; replica_ids keeps the ids named."""
    mine = [await new_replica(raw), await new_replica(raw)]
    stock = await stock_id(raw)
    lists = [
        (await call(raw, "GET", "/v2/replicas", params=query))[1]["data"]
        for query in (
            {"replica_type": "user"},
            {"replica_type": "system"},
            {"replica_ids": f"{mine[0]},{stock}"},
        )
    ]
    users, system, named = ({r["replica_id"] for r in data} for data in lists)
    assert (users, len(system), stock in system, named) == (set(mine), 3, True, {mine[0], stock})


@pytest.mark.parametrize("headers", [{}, {"x-api-key": "wrong-key"}], ids=["missing", "wrong"])
@pytest.mark.parametrize(("method", "path"), [("GET", "/v2/videos"), ("POST", "/v2/replicas")])
async def test_bad_key_is_401(
    fake: FakeTavus, headers: dict[str, str], method: str, path: str
) -> None:
    """A missing or wrong key answers 401 with Tavus's message and creates nothing."""
    async with aiohttp.ClientSession(base_url=fake.base_url, headers=headers) as anonymous:
        answer = await call(anonymous, method, path, json={"train_video_url": MP4})
    assert (answer, len(fake.jobs.replicas)) == ((401, {"message": "Invalid access token"}), 3)


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", ["/v2/replicas/rnope", "/v2/videos/vnope"])
async def test_unknown_ids_are_404(raw: Raw, method: str, path: str) -> None:
    """Every call on an id that does not exist answers 404 with an error body."""
    body = {"replica_name": "x", "video_name": "x"}
    status, answer = await call(
        raw, method, path + ("/name" if method == "PATCH" else ""), json=body
    )
    assert (status, type(answer["error"])) == (404, str)


@pytest.mark.parametrize(
    "body",
    [
        {"script": "a", "audio_url": "https://x/a.mp3"},
        {},
        {"script": "a", "transparent_background": True},
        {"audio_url": "ftp://x/a.mp3"},
        {"script": "a", "replica_id": "rnope"},
        {"script": "a", "replica_id": "TRAINING"},
        ["not", "an", "object"],
        "not json",
    ],
    ids=["both", "neither", "transparent", "ftp", "unknown", "untrained", "array", "text"],
)
async def test_refused_video_bodies_are_400(raw: Raw, fake: FakeTavus, body: Any) -> None:
    """Bodies Tavus would refuse answer 400 with {"error": ...} and create no video."""
    training = await new_replica(raw)
    if isinstance(body, dict):
        body = {"replica_id": await stock_id(raw), **body}
        body["replica_id"] = training if body["replica_id"] == "TRAINING" else body["replica_id"]
    sent = {"data": body} if isinstance(body, str) else {"json": body}
    status, answer = await call(raw, "POST", "/v2/videos", **sent)
    assert (status, bool(answer["error"]), fake.jobs.videos) == (400, True, {})


@pytest.mark.parametrize("limit", ["0", "101", "ten"])
async def test_list_limit_out_of_range_is_400(raw: Raw, limit: str) -> None:
    """A list limit outside 1-100 (or not a number) answers 400 with an error."""
    status, body = await call(raw, "GET", "/v2/replicas", params={"limit": limit})
    assert (status, "error" in body) == (400, True)


async def test_replica_trains_started_training_completed(raw: Raw, clock: ManualClock) -> None:
    """A replica goes started -> training with rising n/100 -> completed at 100/100."""
    replica_id = await new_replica(raw)
    seen = []
    for fraction in (0.0, 0.3, 0.6, 1.0):
        clock.now = TRAINED * fraction
        _, body = await call(raw, "GET", f"/v2/replicas/{replica_id}")
        seen.append((body["status"], int(body["training_progress"].split("/")[0])))
    assert [s for s, _ in seen] == ["started", "training", "training", "completed"]
    assert seen[0][1] < seen[1][1] < seen[2][1] < seen[3][1] == 100


async def test_video_renders_queued_generating_ready(raw: Raw, clock: ManualClock) -> None:
    """A video goes queued -> generating with rising progress -> ready with its three urls."""
    video_id = await new_video(raw)
    seen = []
    for moment in (0.0, 2.0, 3.5, RENDERED):  # queued for 1 s, then 4 s of rendering
        clock.now = moment
        seen.append((await call(raw, "GET", f"/v2/videos/{video_id}"))[1])
    progress = [int((v["generation_progress"] or "-1/").split("/")[0]) for v in seen]
    assert [v["status"] for v in seen] == ["queued", "generating", "generating", "ready"]
    assert progress[1] < progress[2] < progress[3] == 100
    assert seen[2]["download_url"] is None
    assert all(seen[3][k] for k in ("download_url", "stream_url", "hosted_url"))


async def test_fast_video_has_no_stream_or_thumbnails(raw: Raw, clock: ManualClock) -> None:
    """A fast render ends ready with a download_url but no stream_url or thumbnails."""
    video_id = await new_video(raw, fast=True)
    clock.advance(RENDERED)
    _, video = await call(raw, "GET", f"/v2/videos/{video_id}", params={"verbose": "true"})
    assert (video["status"], bool(video["download_url"])) == ("ready", True)
    assert (video["stream_url"], video.get("gif_thumbnail_url")) == (None, None)


async def test_timing_sets_the_durations(clock: ManualClock) -> None:
    """Timing(...) moves the moments a replica and a video finish."""
    timing = Timing(replica_training=100, video_queue=10, video_rendering=20)
    async with FakeTavus(clock=clock, timing=timing) as fake, fake.client() as tavus:
        replica = await tavus.replicas.create(train_video_url=MP4)
        clock.advance(99)
        before = (await tavus.replicas.get(replica.replica_id)).status
        clock.advance(1)
        video = await tavus.videos.create(replica_id=replica.replica_id, script="Hi")
        clock.advance(29)
        rendering = (await tavus.videos.get(video.video_id)).status
        clock.advance(1)
        ready = (await tavus.videos.get(video.video_id)).status
    assert (before, rendering, ready) == ("training", "generating", "ready")


async def test_fail_marker_fails_jobs_with_tavus_texts(raw: Raw, clock: ManualClock) -> None:
    """fail_marker in a script fails the video; in a training url it fails the replica."""
    video_id = await new_video(raw, "please tavus-fail now")
    replica_id = await new_replica(raw, FAILING_MP4)
    clock.advance(TRAINED)
    _, video = await call(raw, "GET", f"/v2/videos/{video_id}")
    _, replica = await call(raw, "GET", f"/v2/replicas/{replica_id}")
    assert (video["status"], video["download_url"], replica["status"]) == ("error", None, "error")
    assert all(video[k] for k in ("status_details", "error_details"))
    assert "minimum duration" in replica["error_message"]


async def test_download_url_serves_an_mp4_from_another_host_without_a_key(
    raw: Raw, fake: FakeTavus, tavus: TavusClient, clock: ManualClock, tmp_path: Any
) -> None:
    """The file host is not the API's; it 404s before ready, then serves an MP4, keyless."""
    video_id = await new_video(raw)
    file_url = f"{fake.files_url}/files/{video_id}.mp4"
    early, _ = await call(raw, "GET", file_url)  # by hand, with the key
    clock.advance(RENDERED)
    video = await tavus.videos.get(video_id)
    kinds = box_types((await tavus.videos.download(video, tmp_path / "v.mp4")).read_bytes())
    async with raw.get(file_url) as response:  # by hand, with the key
        late = response.status
    assert (video.download_url, early, late) == (file_url, 404, 200)
    assert URL(file_url).host != URL(fake.base_url).host
    assert (kinds[0], {"moov", "mdat"} <= set(kinds)) == ("ftyp", True)
    assert [r.key_sent for r in fake.file_requests] == [True, False, True]  # SDK: no key


@pytest.mark.parametrize(
    ("asked", "status", "part", "content_range"),
    [
        ("bytes=1000-", 206, slice(1000, None), "bytes 1000-{last}/{size}"),
        ("bytes=10-19", 206, slice(10, 20), "bytes 10-19/{size}"),
        ("bytes=-100", 206, slice(-100, None), "bytes {tail}-{last}/{size}"),
        ("bytes={size}-", 416, slice(0, 0), "bytes */{size}"),
        ("bytes=0-9,20-29", 200, slice(None), None),
    ],
    ids=["from", "from-to", "last-n", "past-the-end", "several-ranges"],
)
async def test_file_host_answers_range_requests(
    raw: Raw,
    fake: FakeTavus,
    clock: ManualClock,
    asked: str,
    status: int,
    part: slice,
    content_range: str | None,
) -> None:
    """The file host serves one Range as a 206 with Content-Range, past the end 416, else 200."""
    video_id = await new_video(raw)
    clock.advance(RENDERED)
    file_url = f"{fake.files_url}/files/{video_id}.mp4"
    async with raw.get(file_url) as response:
        whole = await response.read()
    size = len(whole)
    fill = {"size": size, "last": size - 1, "tail": size - 100}

    async with raw.get(file_url, headers={"Range": asked.format(**fill)}) as response:
        got = (response.status, await response.read(), response.headers.get("Content-Range"))

    expected_range = None if content_range is None else content_range.format(**fill)
    assert got == (status, whole[part] if status != 416 else b"", expected_range)


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[dict[str, Any]], asyncio.Event]]:
    """A callback receiver on 127.0.0.1: its url, the bodies it got, an event set on each."""
    bodies: list[dict[str, Any]] = []
    arrived = asyncio.Event()

    async def handle(request: web.Request) -> web.Response:
        bodies.append(await request.json())
        arrived.set()
        return web.Response(status=202)

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook", bodies, arrived
    await runner.cleanup()


async def test_callbacks_carry_tavus_bodies_once(
    raw: Raw, fake: FakeTavus, clock: ManualClock, receiver: Any
) -> None:
    """Finished jobs post Tavus's callback bodies once each, recorded with the answer."""
    hook, bodies, _ = receiver
    good = await new_replica(raw, callback_url=hook)
    bad = await new_replica(raw, FAILING_MP4, callback_url=hook)
    ready = await new_video(raw, "fine", callback_url=hook)
    failed = await new_video(raw, "tavus-fail", callback_url=hook)
    clock.advance(TRAINED)
    await fake.deliver_callbacks()
    again = await fake.deliver_callbacks()
    by_id = {b.get("video_id", b["replica_id"]): b for b in bodies}
    _, ready_now = await call(raw, "GET", f"/v2/videos/{ready}")
    assert (len(bodies), again, by_id[good]) == (4, 0, {"replica_id": good, "status": "ready"})
    assert (by_id[bad]["replica_id"], by_id[bad]["status"]) == (bad, "error")
    assert set(by_id[bad]) == {"replica_id", "status", "error_message"}
    assert "minimum duration" in by_id[bad]["error_message"]
    assert by_id[ready] == ready_now
    assert (by_id[ready]["status"], by_id[failed]["status"]) == ("ready", "error")
    assert [(c.url, c.body, c.outcome) for c in fake.callbacks] == [(hook, b, 202) for b in bodies]


async def test_background_ticker_delivers_callbacks(receiver: Any) -> None:
    """On the real clock, a finished job's callback arrives with no explicit deliver call."""
    hook, bodies, arrived = receiver
    timing = Timing(replica_training=0.01, video_queue=0.01, video_rendering=0.01)
    async with FakeTavus(timing=timing, callback_interval=0.01) as fake, fake.client() as tavus:
        replica = await tavus.replicas.create(train_video_url=MP4, callback_url=hook)
        await asyncio.wait_for(arrived.wait(), 5)
    assert bodies == [{"replica_id": replica.replica_id, "status": "ready"}]


async def test_requests_are_recorded_with_the_key_masked(raw: Raw, fake: FakeTavus) -> None:
    """Each request is recorded with method, path, query, body, masked key and created id."""
    body = {"train_video_url": MP4, "replica_name": "Rec"}
    _, created = await call(raw, "POST", "/v2/replicas", json=body)
    await call(raw, "GET", "/v2/replicas", params={"limit": "5"})
    post, get = fake.requests
    assert (post.method, post.path, post.body) == ("POST", "/v2/replicas", body)
    assert post.created == created["replica_id"]
    assert (get.method, get.query, get.body, get.created) == ("GET", {"limit": "5"}, None, None)
    assert {k.lower(): v for k, v in post.headers.items()}["x-api-key"] == "***"
    assert fake.api_key not in repr(fake.requests)


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        # JSON bytes are read as UTF-8 whatever charset the header names.
        (b'{"train_video_url": "https://a.io/t.mp4"}', "application/json; charset=bogus", 200),
        (b"[" * 100_000, "application/json", 400),
        (b"\xff\xfe not json", "application/json", 400),
    ],
)
async def test_malformed_requests_never_make_it_fail(
    raw: Raw, body: bytes, content_type: str, expected: int
) -> None:
    """No request body, however broken, makes the emulator answer 500."""
    status, _ = await call(
        raw, "POST", "/v2/replicas", data=body, headers={"Content-Type": content_type}
    )

    assert status == expected


async def test_soft_deleted_video_can_still_be_purged(raw: Raw) -> None:
    """A video deleted softly can then be deleted hard, after which it is gone."""
    video_id = await new_video(raw)

    soft, _ = await call(raw, "DELETE", f"/v2/videos/{video_id}")
    hard, _ = await call(raw, "DELETE", f"/v2/videos/{video_id}", params={"hard": "true"})
    after, _ = await call(raw, "GET", f"/v2/videos/{video_id}")

    assert (soft, hard, after) == (200, 200, 404)


async def test_key_in_a_query_string_counts_as_sent(fake: FakeTavus, clock: ManualClock) -> None:
    """file_requests flags an API key sent in any header or in the query, not just x-api-key."""
    async with session(fake) as raw:
        video_id = await new_video(raw)
    clock.advance(RENDERED)

    async with aiohttp.ClientSession() as plain:
        url = f"{fake.files_url}/files/{video_id}.mp4"
        async with plain.get(url, params={"key": fake.api_key}) as leaked:
            await leaked.read()
        async with plain.get(url, headers={"Authorization": f"Bearer {fake.api_key}"}) as bearer:
            await bearer.read()
        async with plain.get(url) as clean:
            await clean.read()

    assert [r.key_sent for r in fake.file_requests] == [True, True, False]


@pytest.mark.parametrize(
    ("host", "files_host", "api", "files"),
    [
        ("127.0.0.1", None, "127.0.0.1", "localhost"),
        ("localhost", None, "localhost", "127.0.0.1"),
        ("0.0.0.0", None, "127.0.0.1", "localhost"),
        ("127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1"),
    ],
)
async def test_files_host_names(host: str, files_host: str | None, api: str, files: str) -> None:
    """The file host has another name than the API's, unless files_host says otherwise."""
    async with FakeTavus(host=host, files_host=files_host) as fake:
        assert fake.base_url == f"http://{api}:{fake.port}"
        assert fake.files_url == f"http://{files}:{fake.port}"


async def test_a_busy_port_leaves_nothing_running() -> None:
    """Starting on a port in use raises OSError and leaves no server or task behind."""
    async with FakeTavus() as first:
        second = FakeTavus(port=first.port)
        with pytest.raises(OSError, match="address"):
            await second.start()
        await second.close()

    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_the_emulator_filters_replicas_by_model(tavus: TavusClient) -> None:
    """list(model_name=...) keeps the replicas of that model; a new one gets Tavus's default."""
    mine = await tavus.replicas.create(train_video_url="https://example.com/t.mp4")
    older = await tavus.replicas.create(
        train_video_url="https://example.com/t.mp4", model_name="phoenix-3"
    )

    newest = await tavus.replicas.list(model_name="phoenix-4", replica_type="user")
    oldest = await tavus.replicas.list(model_name="phoenix-3")

    assert [r.replica_id for r in newest.data] == [mine.replica_id]
    assert [r.replica_id for r in oldest.data] == [older.replica_id]
