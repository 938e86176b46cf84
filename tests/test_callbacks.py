"""Callbacks: the receiver's url and refusals, attach, parse_callback, and waits woken by Tavus."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import socket
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
import yarl
from aiohttp import web
from conftest import FakeClock

from tavus_async import (
    PollPolicy,
    Replica,
    ReplicaStatus,
    TavusClient,
    Video,
    VideoGenerationError,
    VideoStatus,
    waiters,
)
from tavus_async.callbacks import MAX_CALLBACK_BYTES, CallbackReceiver, parse_callback
from tavus_async.testing import FakeTavus, Timing

# Pauses of 30 s: in these tests only a callback can end a wait quickly.
LONG = PollPolicy(initial=30, maximum=30, timeout=60)
# Jobs that end in a fraction of a second of real time.
TINY = Timing(replica_training=0.3, video_queue=0.05, video_rendering=0.3)
# Jobs that never end unless a test moves the fake's manual clock.
ENDLESS = Timing(replica_training=1000.0, video_queue=0.0, video_rendering=1000.0)
TRAIN_MP4 = "https://example.com/train.mp4"
BOUND = 10.0  # seconds: the most any wait here may take (the fast path takes well under 1 s)
URL_SAFE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
KINDS = ["videos", "replicas"]
VIDEO_BODY = {
    "video_id": "v0123456789",
    "video_name": "Hello",
    "status": "ready",
    "replica_id": "r0123456789",
    "data": {"script": "Hello"},
    "generation_progress": "100/100",
    "download_url": "https://cdn.example.com/v0123456789.mp4",
    "hosted_url": "https://videos.tavus.io/video/v0123456789",
    "created_at": "2024-01-24T07:14:03.327Z",
    "updated_at": "Mon, 14 Jul 2025 09:14:24 GMT",
    "finetune_status": "new-field",
}


# -- fixtures and helpers -----------------------------------------------------------


@pytest.fixture
async def receiver() -> AsyncIterator[CallbackReceiver]:
    async with CallbackReceiver() as started:
        yield started


@pytest.fixture
async def raw() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain HTTP client, for what a caller (not Tavus) might send."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=BOUND)) as session:
        yield session


@pytest.fixture
async def fast() -> AsyncIterator[FakeTavus]:
    """FakeTavus in real time: tiny jobs, callbacks sent within 5 ms of a job's end."""
    async with FakeTavus(timing=TINY, callback_interval=0.005) as fake:
        yield fake


@pytest.fixture
async def tavus(fast: FakeTavus) -> AsyncIterator[TavusClient]:
    async with fast.client() as client:
        yield client


@pytest.fixture
async def stuck(clock: FakeClock) -> AsyncIterator[FakeTavus]:
    """FakeTavus on a manual clock: its jobs end only when the test advances ``clock``."""
    async with FakeTavus(clock=clock, timing=ENDLESS, callback_interval=0.005) as fake:
        yield fake


@pytest.fixture
async def stuck_tavus(stuck: FakeTavus) -> AsyncIterator[TavusClient]:
    """A client of ``stuck`` that waits in real time (the fake's clock is not its clock)."""
    async with stuck.client(clock=time.monotonic, sleep=asyncio.sleep) as client:
        yield client


def token_of(receiver: CallbackReceiver) -> str:
    return receiver.url.rsplit("/", 1)[1]


def base_of(receiver: CallbackReceiver) -> str:
    return receiver.url.rsplit("/", 1)[0]


def stock_replica(fake: FakeTavus) -> str:
    return next(r.replica_id for r in fake.jobs.replicas.values() if r.replica_type == "system")


async def create(
    tavus: TavusClient,
    fake: FakeTavus,
    kind: str,
    callback_url: str | None,
    script: str = "Hello",
) -> str:
    """A new video or replica on ``fake`` that will call back ``callback_url`` (if given)."""
    if kind == "videos":
        video = await tavus.videos.create(
            replica_id=stock_replica(fake), script=script, callback_url=callback_url
        )
        return video.video_id
    replica = await tavus.replicas.create(train_video_url=TRAIN_MP4, callback_url=callback_url)
    return replica.replica_id


def gets(fake: FakeTavus, kind: str, job_id: str) -> int:
    """How many GETs of this one job the fake has received."""
    path = f"/v2/{kind}/{job_id}"
    return sum(1 for r in fake.requests if r.method == "GET" and r.path == path)


async def until(condition: Callable[[], bool], what: str) -> None:
    """Wait (briefly, in real time) until ``condition()`` holds."""
    deadline = time.monotonic() + BOUND
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


async def post(session: aiohttp.ClientSession, url: str | yarl.URL, **kwargs: Any) -> int:
    async with session.post(url, **kwargs) as response:
        await response.read()
        return response.status


async def oversized_chunks() -> AsyncIterator[bytes]:
    """A chunked body (no Content-Length) of just over 1 MiB."""
    chunk = b"x" * 65536
    for _ in range(MAX_CALLBACK_BYTES // len(chunk)):
        yield chunk
    yield b"x"


def statuses(jobs: list[Any]) -> list[str]:
    return [str(job.status) for job in jobs]


# -- the url and its secret token ---------------------------------------------------


async def test_url_is_host_port_plus_a_secret_token(receiver: CallbackReceiver) -> None:
    """A running receiver's url is http://host:port/ followed by a long url-safe token."""
    assert receiver.port != 0
    assert base_of(receiver) == f"http://127.0.0.1:{receiver.port}"
    token = token_of(receiver)
    assert len(token) >= 32
    assert set(token) <= URL_SAFE


def test_url_is_public_url_plus_the_token() -> None:
    """With public_url the url is that address (one slash) plus the token, even before start."""
    hook = CallbackReceiver(public_url="https://hooks.example.com/tavus/")
    assert hook.url.startswith("https://hooks.example.com/tavus/")
    token = hook.url.removeprefix("https://hooks.example.com/tavus/")
    assert "/" not in token
    assert len(token) >= 32
    assert set(token) <= URL_SAFE


def test_two_receivers_get_different_tokens() -> None:
    """Each receiver makes its own random token."""
    urls = {CallbackReceiver(public_url="https://h.example.com").url for _ in range(2)}
    assert len(urls) == 2


async def test_path_token_fixes_the_token(raw: aiohttp.ClientSession) -> None:
    """path_token is the url's last segment, and the one the server accepts."""
    token = "Fixed-token_0123456789"
    async with CallbackReceiver(path_token=token) as hook:
        assert hook.url == f"http://127.0.0.1:{hook.port}/{token}"
        assert await post(raw, hook.url, json={"video_id": "v1", "status": "ready"}) == 200
    assert CallbackReceiver(public_url="https://h.example.com", path_token=token).url == (
        f"https://h.example.com/{token}"
    )


@pytest.mark.parametrize(
    "token",
    [
        "",
        "short",
        "a" * 15,
        "abcdefgh/ijklmnop",
        "abcdefgh ijklmnop",
        "abcdefgh?ijklmnop",
        "abcdefgh%2Fijklmnop",
        "abcdefgh.ijklmnop",
        "é" * 16,
    ],
)
def test_short_or_unsafe_path_tokens_are_refused(token: str) -> None:
    """A path_token under 16 characters or with other than letters, digits, - and _ is refused."""
    with pytest.raises(ValueError, match="path_token"):
        CallbackReceiver(path_token=token)


@pytest.mark.parametrize("public_url", ["ftp://h.example.com", "h.example.com/hook", "", "/hook"])
def test_public_url_must_be_http(public_url: str) -> None:
    """A public_url that is not an http(s) url is refused."""
    with pytest.raises(ValueError, match="public_url"):
        CallbackReceiver(public_url=public_url)


async def test_url_without_public_url_needs_a_running_receiver() -> None:
    """url raises before start and after stop when there is no public_url."""
    hook = CallbackReceiver()
    with pytest.raises(RuntimeError, match="start"):
        _ = hook.url
    async with hook:
        assert hook.url.startswith("http://127.0.0.1:")
    with pytest.raises(RuntimeError, match="start"):
        _ = hook.url


async def test_the_token_never_appears_in_repr() -> None:
    """repr and str show where the receiver is, never its token."""
    token = "Secret-token_0123456789"
    for hook in (
        CallbackReceiver(path_token=token),
        CallbackReceiver(public_url="https://h.example.com/x", path_token=token),
    ):
        for text in (repr(hook), str(hook)):
            assert token not in text
            assert "<token>" in text
        async with hook:
            assert hook.url.endswith(token)
            assert token not in repr(hook)
            assert token not in str(hook)
    async with CallbackReceiver() as random_token:
        assert token_of(random_token) not in repr(random_token)
        assert str(random_token.port) in repr(random_token)


# -- refusals over real sockets -----------------------------------------------------


async def test_a_wrong_token_is_404(receiver: CallbackReceiver, raw: aiohttp.ClientSession) -> None:
    """Any other token, even a near miss, gets 404 and wakes nobody."""
    token = token_of(receiver)
    wrong = [
        "x" * len(token),
        token[:-1],
        token + "a",
        token.upper() if token.upper() != token else token.lower(),
    ]
    body = {"video_id": "v1", "status": "ready"}
    with receiver.subscribe("v1") as woken:
        for other in wrong:
            assert await post(raw, f"{base_of(receiver)}/{other}", json=body) == 404
        assert not woken.is_set()
    assert receiver.refused == len(wrong)
    assert receiver.received == 0


@pytest.mark.parametrize(
    "segment",
    ["%C3%A9" + "a" * 30, "%FF%FE" + "a" * 30, "%00" + "a" * 31, "%F0%9F%94%91" * 8],
    ids=["non-ascii", "not-utf8", "nul", "emoji"],
)
async def test_a_wrong_token_of_any_characters_is_404(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession, segment: str
) -> None:
    """A wrong token with non-ASCII, invalid UTF-8 or NUL characters gets 404, not 500."""
    url = yarl.URL(f"{base_of(receiver)}/{segment}", encoded=True)
    assert await post(raw, url, json={"video_id": "v1", "status": "ready"}) == 404
    assert receiver.refused == 1
    assert await post(raw, receiver.url, json={"video_id": "v1", "status": "ready"}) == 200


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
async def test_a_body_over_1_mib_is_413(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession, framing: str
) -> None:
    """A body over 1 MiB gets 413, whether it announces its length or is chunked."""
    oversized = MAX_CALLBACK_BYTES + 1
    data: Any = io.BytesIO(b"x" * oversized) if framing == "content-length" else oversized_chunks()
    assert await post(raw, receiver.url, data=data) == 413
    assert receiver.refused == 1


async def test_a_body_of_exactly_1_mib_is_read(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession
) -> None:
    """The limit is over 1 MiB: a 1 MiB callback (padded with spaces) is accepted."""
    text = json.dumps({"video_id": "v1", "status": "ready"})
    padded = text.encode() + b" " * (MAX_CALLBACK_BYTES - len(text))
    assert len(padded) == MAX_CALLBACK_BYTES
    assert await post(raw, receiver.url, data=io.BytesIO(padded)) == 200
    assert receiver.received == 1


@pytest.mark.parametrize(
    "data",
    [b"", b"not json", b"{'video_id': 'v1'}", b"\xff\xfe\x00", b"[" * 100_000],
    ids=["empty", "text", "python-dict", "not-utf8", "too-deep"],
)
async def test_a_body_that_is_not_json_is_400(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession, data: bytes
) -> None:
    """A body that does not parse as JSON gets 400."""
    assert await post(raw, receiver.url, data=data) == 400
    assert receiver.refused == 1
    assert receiver.received == 0


@pytest.mark.parametrize(
    "payload",
    [
        [{"video_id": "v1", "status": "ready"}],
        {},
        {"status": "ready"},
        {"video_id": "", "status": "ready"},
        {"video_id": 5, "status": "ready"},
        {"replica_id": ["r1"], "status": "ready"},
        {"video_id": "v1", "status": ["ready"]},
        None,
        42,
        "v1",
    ],
    ids=repr,
)
async def test_json_that_is_not_a_tavus_callback_is_400(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession, payload: Any
) -> None:
    """JSON that is not an object naming a video_id or replica_id gets 400 and wakes nobody."""
    with receiver.subscribe("v1") as woken, receiver.subscribe("r1") as woken_replica:
        assert await post(raw, receiver.url, data=json.dumps(payload)) == 400
        assert not woken.is_set()
        assert not woken_replica.is_set()
    assert receiver.refused == 1


async def test_a_callback_nobody_waits_for_is_acknowledged_and_ignored(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession
) -> None:
    """A valid callback for an id nobody waits for gets 2xx, wakes no one and keeps nothing."""
    with receiver.subscribe("v-awaited") as woken:
        async with raw.post(receiver.url, json={"video_id": "v-other", "status": "ready"}) as sent:
            assert 200 <= sent.status < 300
        assert not woken.is_set()
    assert receiver._waiting == {}
    assert receiver.received == 1
    assert receiver.refused == 0


async def test_get_is_405(receiver: CallbackReceiver, raw: aiohttp.ClientSession) -> None:
    """Only POST is served: GET gets 405."""
    async with raw.get(receiver.url) as response:
        assert response.status == 405
    assert (receiver.received, receiver.refused) == (0, 0)


async def test_nothing_a_caller_sends_breaks_the_server(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession
) -> None:
    """After every kind of refusal, a valid callback still wakes its waiter; counters add up."""
    url, wrong = receiver.url, f"{base_of(receiver)}/{'w' * 32}"
    refused: list[tuple[str, dict[str, Any], int]] = [
        (wrong, {"json": {"video_id": "v1", "status": "ready"}}, 404),
        (url, {"data": io.BytesIO(b"x" * (MAX_CALLBACK_BYTES + 1))}, 413),
        (url, {"data": oversized_chunks()}, 413),
        (url, {"data": b"not json"}, 400),
        (url, {"data": b"[" * 100_000}, 400),
        (url, {"json": [1, 2, 3]}, 400),
        (url, {"json": {"status": "ready"}}, 400),
    ]
    with receiver.subscribe("v1") as woken:
        for target, kwargs, status in refused:
            assert await post(raw, target, **kwargs) == status
        assert await post(raw, url, json={"video_id": "v-nobody", "status": "ready"}) == 200
        async with raw.get(url) as response:
            assert response.status == 405
        assert not woken.is_set()
        assert await post(raw, url, json={"video_id": "v1", "status": "ready"}) == 200
        assert woken.is_set()
    assert receiver.refused == len(refused)
    assert receiver.received == 2


# -- mounted into the user's own aiohttp application --------------------------------


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


# -- parse_callback -----------------------------------------------------------------


def test_parse_a_replica_callback() -> None:
    """A replica callback is a Replica with its status."""
    replica = parse_callback({"replica_id": "r1", "status": "ready"})
    assert isinstance(replica, Replica)
    assert replica.replica_id == "r1"
    assert replica.status == ReplicaStatus.READY
    assert replica.error_message is None


def test_parse_a_failed_replica_callback() -> None:
    """A failed replica callback keeps Tavus's error_message."""
    message = "The training video is shorter than the minimum duration of one minute"
    replica = parse_callback({"replica_id": "r1", "status": "error", "error_message": message})
    assert isinstance(replica, Replica)
    assert replica.status == ReplicaStatus.ERROR
    assert replica.error_message == message


def test_parse_a_video_callback() -> None:
    """A video callback (the whole video object) is a Video; unknown fields survive."""
    video = parse_callback(VIDEO_BODY)
    assert isinstance(video, Video)
    assert video.video_id == "v0123456789"
    assert video.status == VideoStatus.READY
    assert video.download_url == VIDEO_BODY["download_url"]
    assert video.extra["finetune_status"] == "new-field"


@pytest.mark.parametrize("form", ["bytes", "str", "dict"])
def test_parse_takes_bytes_str_or_a_mapping(form: str) -> None:
    """The body may be bytes, str or an already decoded dict: the same model comes out."""
    text = json.dumps(VIDEO_BODY)
    body: Any = {"bytes": text.encode(), "str": text, "dict": dict(VIDEO_BODY)}[form]
    assert parse_callback(body) == parse_callback(VIDEO_BODY)
    replica_text = '{"replica_id": "r1", "status": "ready"}'
    replica_body: Any = {
        "bytes": replica_text.encode(),
        "str": replica_text,
        "dict": json.loads(replica_text),
    }[form]
    assert parse_callback(replica_body) == Replica(replica_id="r1", status=ReplicaStatus.READY)


@pytest.mark.parametrize(
    "body",
    [
        b"garbage",
        "",
        b"\xff\xfe",
        "[" * 100_000,
        "[]",
        "null",
        '"v1"',
        "{}",
        {},
        {"status": "ready"},
        {"video_id": 5},
        {"video_id": ""},
        {"video_id": "v1", "status": {"nested": True}},
    ],
    ids=repr,
)
def test_parse_refuses_garbage_with_value_error(body: Any) -> None:
    """Anything that is not a Tavus callback raises ValueError (never another error)."""
    with pytest.raises(ValueError, match="callback"):
        parse_callback(body)


# -- callbacks wake waiters, end to end ---------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_wait_is_woken_by_the_callback(
    fast: FakeTavus, tavus: TavusClient, receiver: CallbackReceiver, kind: str
) -> None:
    """A callback ends a 30 s pause at once; one GET confirms; 2 GETs after create in all."""
    job_id = await create(tavus, fast, kind, receiver.url)
    resource = getattr(tavus, kind)
    started = time.monotonic()
    job = await asyncio.wait_for(resource.wait(job_id, callbacks=receiver, policy=LONG), BOUND)
    assert time.monotonic() - started < 5  # the first pause alone would take 30 s
    assert str(job.status) in ("ready", "completed")  # GET says completed for a replica
    assert gets(fast, kind, job_id) == 2
    assert [c.outcome for c in fast.callbacks] == [200]
    assert receiver.received == 1
    assert receiver._waiting == {}


async def test_a_failure_callback_ends_the_wait_with_the_apis_error(
    fast: FakeTavus, tavus: TavusClient, receiver: CallbackReceiver
) -> None:
    """A failed job's callback wakes the wait, which raises what the confirming GET says."""
    video_id = await create(tavus, fast, "videos", receiver.url, script="tavus-fail please")
    with pytest.raises(VideoGenerationError) as failed:
        await asyncio.wait_for(tavus.videos.wait(video_id, callbacks=receiver, policy=LONG), BOUND)
    assert failed.value.job.status == VideoStatus.ERROR
    assert gets(fast, "videos", video_id) == 2


@pytest.mark.parametrize("kind", KINDS)
async def test_watch_is_woken_by_the_callback(
    fast: FakeTavus, tavus: TavusClient, receiver: CallbackReceiver, kind: str
) -> None:
    """watch with callbacks yields the first state, then the last one right after the callback."""
    job_id = await create(tavus, fast, kind, receiver.url)

    async def collect() -> list[Any]:
        watched = getattr(tavus, kind).watch(job_id, callbacks=receiver, policy=LONG)
        return [job async for job in watched]

    seen = await asyncio.wait_for(collect(), BOUND)
    assert statuses(seen)[-1] in ("ready", "completed")
    assert len(seen) == 2
    assert gets(fast, kind, job_id) == 2
    assert receiver._waiting == {}


@pytest.mark.parametrize("kind", KINDS)
async def test_wait_many_is_woken_for_every_job(
    fast: FakeTavus, tavus: TavusClient, receiver: CallbackReceiver, kind: str
) -> None:
    """wait_many with callbacks ends every wait on its callback: 2 GETs per job after create."""
    ids = [await create(tavus, fast, kind, receiver.url) for _ in range(4)]

    async def collect() -> list[Any]:
        outcomes = getattr(tavus, kind).wait_many(ids, callbacks=receiver, policy=LONG)
        return [outcome async for outcome in outcomes]

    started = time.monotonic()
    outcomes = await asyncio.wait_for(collect(), BOUND)
    assert time.monotonic() - started < 5
    assert sorted(o.id for o in outcomes) == sorted(ids)
    assert all(o.ok for o in outcomes)
    assert {job_id: gets(fast, kind, job_id) for job_id in ids} == dict.fromkeys(ids, 2)
    assert receiver.received == len(ids)
    assert receiver._waiting == {}


# -- a forged callback is only a hint -----------------------------------------------


@pytest.mark.parametrize("forged_status", ["ready", "error"])
async def test_a_forged_callback_does_not_end_the_wait(
    stuck: FakeTavus,
    stuck_tavus: TavusClient,
    clock: FakeClock,
    receiver: CallbackReceiver,
    raw: aiohttp.ClientSession,
    forged_status: str,
) -> None:
    """A callback saying ready while the API says generating costs one GET; the wait goes on."""
    video_id = await create(stuck_tavus, stuck, "videos", receiver.url)
    waiting = asyncio.create_task(
        stuck_tavus.videos.wait(video_id, callbacks=receiver, policy=LONG)
    )
    try:
        await until(lambda: gets(stuck, "videos", video_id) == 1, "the first poll")
        forged = {**VIDEO_BODY, "video_id": video_id, "status": forged_status}
        assert await post(raw, receiver.url, json=forged) == 200
        await until(lambda: gets(stuck, "videos", video_id) == 2, "the confirming poll")
        await asyncio.sleep(0.2)  # time for the waiter to read that answer and pause again
        assert not waiting.done()
        assert gets(stuck, "videos", video_id) == 2
        assert receiver._waiting.keys() == {video_id}

        clock.advance(ENDLESS.video_queue + ENDLESS.video_rendering)  # now it really is ready
        video = await asyncio.wait_for(waiting, BOUND)  # FakeTavus's own callback wakes it
    finally:
        if not waiting.done():
            waiting.cancel()
            await asyncio.gather(waiting, return_exceptions=True)
    assert video.status == VideoStatus.READY
    assert gets(stuck, "videos", video_id) == 3
    assert [c.outcome for c in stuck.callbacks] == [200]
    assert receiver.received == 2


# -- the policy with callbacks, and what callbacks may be ---------------------------


@pytest.mark.parametrize("method", ["wait", "watch", "wait_many"])
@pytest.mark.parametrize(
    ("kind", "default", "fallback"),
    [
        ("videos", waiters.VIDEO_POLICY, waiters.VIDEO_FALLBACK_POLICY),
        ("replicas", waiters.REPLICA_POLICY, waiters.REPLICA_FALLBACK_POLICY),
    ],
)
async def test_callbacks_without_a_policy_poll_on_the_fallback_policy(
    clock: FakeClock,
    receiver: CallbackReceiver,
    method: str,
    kind: str,
    default: PollPolicy,
    fallback: PollPolicy,
) -> None:
    """With callbacks and no policy the first pause is the fallback's; without, the default's."""
    assert fallback.initial > default.initial  # the fallback polls less often

    async def first_pause(tavus: TavusClient, fake: FakeTavus, **callbacks: Any) -> float:
        job_id = await create(tavus, fake, kind, None)
        clock.delays.clear()
        resource = getattr(tavus, kind)
        if method == "wait":
            await resource.wait(job_id, **callbacks)
        elif method == "watch":
            _ = [job async for job in resource.watch(job_id, **callbacks)]
        else:
            outcomes = [o async for o in resource.wait_many([job_id], **callbacks)]
            assert outcomes[0].ok
        # With callbacks a pause is slept in two parts: the firm second, then the wakeable rest.
        return sum(clock.delays[:2]) if callbacks else clock.delays[0]

    async with FakeTavus(clock=clock, callback_interval=3600) as fake, fake.client() as tavus:
        assert getattr(tavus, kind).default_policy == default
        with_callbacks = await first_pause(tavus, fake, callbacks=receiver)
        without = await first_pause(tavus, fake)
    assert fallback.initial - fallback.jitter <= with_callbacks <= fallback.initial
    assert default.initial - default.jitter <= without <= default.initial


@pytest.mark.parametrize("method", ["wait", "watch", "wait_many"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bad", ["nope", 42, object()], ids=["str", "int", "object"])
async def test_callbacks_must_be_a_receiver(
    stuck: FakeTavus, stuck_tavus: TavusClient, method: str, kind: str, bad: object
) -> None:
    """callbacks that is not a CallbackReceiver raises TypeError before any request."""
    resource = getattr(stuck_tavus, kind)
    job_id = "v0123456789" if kind == "videos" else "r0123456789"
    before = len(stuck.requests)
    if method == "wait":
        with pytest.raises(TypeError, match="callbacks"):
            await resource.wait(job_id, callbacks=bad)
    else:  # watch and wait_many refuse it when called, before they are iterated
        with pytest.raises(TypeError, match="callbacks"):
            getattr(resource, method)(job_id if method == "watch" else [job_id], callbacks=bad)
    assert len(stuck.requests) == before


# -- cancelling or leaving a wait ----------------------------------------------------


def new_tasks(before: set[asyncio.Task[Any]]) -> list[asyncio.Task[Any]]:
    """Tasks started since ``before`` and still running, less the servers' connection handlers."""
    current = asyncio.current_task()
    return [
        task
        for task in asyncio.all_tasks() - before
        if task is not current
        and not task.done()
        and getattr(task.get_coro(), "__qualname__", "") != "RequestHandler.start"
    ]


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_cancelling_a_wait_leaves_no_task_and_unsubscribes(
    stuck: FakeTavus,
    stuck_tavus: TavusClient,
    receiver: CallbackReceiver,
    raw: aiohttp.ClientSession,
) -> None:
    """A wait cancelled in its pause ends its sleeper and waker tasks and its subscription."""
    video_id = await create(stuck_tavus, stuck, "videos", receiver.url)
    await stuck_tavus.videos.get(video_id)  # the connection to the fake exists before the snapshot
    await post(raw, receiver.url, json={"video_id": "v-warm-up", "status": "ready"})
    before = asyncio.all_tasks()
    waiting = asyncio.create_task(
        stuck_tavus.videos.wait(video_id, callbacks=receiver, policy=LONG)
    )
    await until(lambda: gets(stuck, "videos", video_id) == 2, "the first poll")
    await until(lambda: len(new_tasks(before)) >= 3, "the wait to pause (itself, sleeper, waker)")
    assert receiver._waiting.keys() == {video_id}

    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await settle()
    assert new_tasks(before) == []
    assert receiver._waiting == {}
    # A callback for the abandoned wait is acknowledged and harms nothing.
    assert await post(raw, receiver.url, json={"video_id": video_id, "status": "ready"}) == 200


async def test_leaving_a_watch_early_unsubscribes(
    stuck: FakeTavus, stuck_tavus: TavusClient, receiver: CallbackReceiver
) -> None:
    """Closing a watch after its first state ends its subscription."""
    video_id = await create(stuck_tavus, stuck, "videos", receiver.url)
    watched = stuck_tavus.videos.watch(video_id, callbacks=receiver, policy=LONG)
    first = await asyncio.wait_for(watched.__anext__(), BOUND)
    assert first.status == VideoStatus.GENERATING
    assert receiver._waiting.keys() == {video_id}
    await watched.aclose()
    assert receiver._waiting == {}


async def test_leaving_wait_many_early_cancels_and_unsubscribes_every_wait(
    stuck: FakeTavus,
    stuck_tavus: TavusClient,
    receiver: CallbackReceiver,
) -> None:
    """Leaving wait_many after the first outcome leaves no waits and no subscriptions behind."""
    ids = [await create(stuck_tavus, stuck, "videos", receiver.url) for _ in range(3)]
    before = asyncio.all_tasks()
    outcomes = stuck_tavus.videos.wait_many(ids, callbacks=receiver, policy=LONG)

    async def first_outcome() -> Any:
        return await outcomes.__anext__()

    nexts = asyncio.create_task(first_outcome())
    await until(lambda: all(gets(stuck, "videos", i) == 1 for i in ids), "every first poll")
    # One video ends: its callback wakes its wait, which confirms and hands the outcome over.
    stuck.jobs.videos[ids[0]].started -= ENDLESS.video_rendering
    first = await asyncio.wait_for(nexts, BOUND)
    assert first.id == ids[0]
    assert first.ok
    assert receiver._waiting.keys() == set(ids[1:])
    await outcomes.aclose()
    await settle()
    assert receiver._waiting == {}
    assert new_tasks(before) == []


async def test_waiters_of_one_receiver_are_woken_only_by_their_own_ids(
    receiver: CallbackReceiver, raw: aiohttp.ClientSession
) -> None:
    """A callback sets the events of every waiter of its id and of no other id."""
    with (
        receiver.subscribe("v1") as first,
        receiver.subscribe("v1") as second,
        receiver.subscribe("v2") as other,
    ):
        assert await post(raw, receiver.url, json={"video_id": "v1", "status": "ready"}) == 200
        assert first.is_set()
        assert second.is_set()
        assert not other.is_set()
    assert receiver._waiting == {}


async def test_a_flood_of_callbacks_costs_at_most_a_get_a_second(
    stuck: FakeTavus,
    stuck_tavus: TavusClient,
    receiver: CallbackReceiver,
    raw: aiohttp.ClientSession,
) -> None:
    """Callbacks posted as fast as possible wake a wait at most about once a second."""
    video = await stuck_tavus.videos.create(
        replica_id=next(iter(stuck.jobs.replicas)), script="Hi", callback_url=receiver.url
    )
    waiting = asyncio.create_task(
        stuck_tavus.videos.wait(
            video.video_id,
            callbacks=receiver,
            policy=PollPolicy(initial=60, maximum=60, timeout=600),
        )
    )
    forged = {"video_id": video.video_id, "status": "ready"}
    try:
        flood_ends = time.monotonic() + 1.5
        while time.monotonic() < flood_ends:
            async with raw.post(receiver.url, json=forged) as answer:
                assert answer.status == 200
    finally:
        waiting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiting

    gets = [r for r in stuck.requests if r.method == "GET" and r.path.endswith(video.video_id)]
    assert receiver.received > 20  # it was a flood
    assert len(gets) <= 3  # the first poll, then at most one a second
