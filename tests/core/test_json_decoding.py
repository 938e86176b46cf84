"""Response bodies decode the same with orjson (the ``[orjson]`` extra) as with json.loads.

``_core.decode.json_decoder()`` uses orjson when it is installed (the test extra installs
it) and hands every body orjson would read otherwise to ``json.loads``. Hypothesis draws
JSON texts of every shape, and bytes that are not JSON, and both decoders must give the
same values of the same types, or the same error. The client is then run on each path.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tavus_async import ResponseValidationError, TavusClient
from tavus_async._core import answers
from tavus_async._core.decode import Decode, json_decoder

from _support.http import API_KEY, BASE
from _support.json_strategies import FIXED, any_json

pytest.importorskip("orjson", reason="the [orjson] extra (in the test extra) is not installed")

FAST = json_decoder()
URL = BASE + "/v2/videos/v1"
BIG = 123456789012345678901234567890


def same(left: Any, right: Any) -> bool:
    """Equal values of the same types all the way down (NaN equal to NaN; 1 is not 1.0)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, dict):
        return list(left) == list(right) and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same, left, right))
    return bool(left == right)


def outcome(decode: Decode, raw: bytes) -> tuple[str, Any]:
    try:
        return "value", decode(raw)
    except (ValueError, RecursionError) as exc:
        return "error", (type(exc), str(exc))


def assert_decoded_alike(raw: bytes) -> None:
    mine, theirs = outcome(FAST, raw), outcome(json.loads, raw)
    assert mine[0] == theirs[0], raw[:200]
    assert same(mine[1], theirs[1]) if mine[0] == "value" else mine == theirs


def test_orjson_is_used_when_installed() -> None:
    """The decoder is orjson's when it is installed, json.loads when told not to prefer it."""
    assert FAST is not json.loads
    assert json_decoder(prefer_orjson=False) is json.loads


def test_without_orjson_the_decoder_is_json_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    """With orjson not importable, bodies are decoded by json.loads."""
    monkeypatch.setitem(sys.modules, "orjson", None)

    assert json_decoder() is json.loads


@FIXED
@given(value=any_json)
@example(value=BIG)
@example(value=-BIG)
@example(value={"n": 2**63, "m": -(2**63) - 1, "u": 2**64 - 1, "o": 2**64})
@example(value=[float("nan"), float("inf"), -float("inf"), 1e308, 5e-324, -0.0])
@example(value={"text": "\ud800 lone surrogate", "emoji": "\U0001f600"})
@example(value={"signed_url": "https://cdn.example/v.mp4?X-Amz-Date=20240124123456789012"})
def test_any_json_text_decodes_to_the_same_values(value: Any) -> None:
    """Any text json.dumps writes (NaN, huge ints, surrogates) decodes as json.loads reads it."""
    text = json.dumps(value)

    assert_decoded_alike(text.encode())
    assert_decoded_alike(text.encode("utf-16"))
    assert_decoded_alike(b"\xef\xbb\xbf" + text.encode())  # a UTF-8 byte-order mark


@FIXED
@given(raw=st.binary(max_size=64))
@example(raw=b"")
@example(raw=b'{"a": 1, "a": 2}')
@example(raw=b"[1e400, -1e400]")
@example(raw=b'{"a": "\xff"}')
@example(raw=b'{"a": "\x01"}')
@example(raw=b"[01]")
@example(raw=b'{"video_id": "v1"} trailing')
@example(raw=b"[" * 2_000 + b"]" * 2_000)
@example(raw=b"[" * 100_000)
def test_any_bytes_decode_alike_or_fail_with_the_same_error(raw: bytes) -> None:
    """Any bytes give json.loads's value, or json.loads's own error and message."""
    assert_decoded_alike(raw)


@pytest.fixture(params=["orjson", "json.loads"])
async def tavus(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[TavusClient]:
    """A client decoding bodies with orjson, or with json.loads as without the extra."""
    decoder = FAST if request.param == "orjson" else json.loads
    monkeypatch.setattr(answers, "_decoder", lambda: decoder)
    async with TavusClient(API_KEY, max_retries=0) as client:
        yield client


async def test_a_big_integer_in_a_body_keeps_every_digit(tavus, http) -> None:
    """An integer past 64 bits in a body is that int in the model, on either path."""
    http.get(URL, body=json.dumps({"video_id": "v1", "seq": BIG, "ratio": 0.5}))

    video = await tavus.videos.get("v1")

    assert video.extra == {"seq": BIG, "ratio": 0.5}
    assert type(video.extra["seq"]) is int


async def test_nan_and_infinity_in_a_body_are_read_as_json_loads_reads_them(tavus, http) -> None:
    """NaN and Infinity, which json.loads accepts, are floats in the model on either path."""
    http.get(URL, body='{"video_id": "v1", "score": NaN, "limit": Infinity}')

    video = await tavus.videos.get("v1")

    assert math.isnan(video.extra["score"])
    assert video.extra["limit"] == math.inf


async def test_duplicate_keys_keep_the_last_value(tavus, http) -> None:
    """A key given twice keeps its last value, on either path."""
    http.get(URL, body='{"video_id": "v1", "status": "queued", "status": "ready"}')

    video = await tavus.videos.get("v1")

    assert video.status == "ready"


async def test_a_body_that_is_not_json_gives_the_same_error(tavus, http) -> None:
    """A 200 that is not JSON is ResponseValidationError with the same message either way."""
    http.get(URL, body='{"video_id": "v1", "status": ', content_type="application/json")

    with pytest.raises(ResponseValidationError) as caught:
        await tavus.videos.get("v1")

    assert str(caught.value) == (
        'GET /v2/videos/v1: response is not JSON: \'{"video_id": "v1", "status": \''
    )
