"""Callbacks: the receiver's url and secret token, what it refuses, and parse_callback."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import yarl

from tavus_async import Replica, ReplicaStatus, Video, VideoStatus
from tavus_async.callbacks import MAX_CALLBACK_BYTES, CallbackReceiver, parse_callback

from _support.callbacks import URL_SAFE, VIDEO_BODY, post, token_of


def base_of(receiver: CallbackReceiver) -> str:
    return receiver.url.rsplit("/", 1)[0]


async def oversized_chunks() -> AsyncIterator[bytes]:
    """A chunked body (no Content-Length) of just over 1 MiB."""
    chunk = b"x" * 65536
    for _ in range(MAX_CALLBACK_BYTES // len(chunk)):
        yield chunk
    yield b"x"


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
