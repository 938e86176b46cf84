"""Plain HTTP to FakeTavus, without the SDK: a session sending its key, one request decoded."""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from tavus_async.testing import FakeTavus

from _support.emulator import MP4

Raw = aiohttp.ClientSession


def session(fake: FakeTavus, **headers: str) -> Raw:
    """A plain aiohttp session to ``fake`` sending its key (or the ``headers`` given)."""
    return aiohttp.ClientSession(
        base_url=fake.base_url, headers=headers or {"x-api-key": fake.api_key}
    )


async def call(raw: Raw, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
    """(status, decoded JSON, or the text when it is not JSON) of one raw request."""
    async with raw.request(method, path, **kwargs) as response:
        text = await response.text()
    try:
        return response.status, json.loads(text) if text else None
    except ValueError:
        return response.status, text


async def stock_id(raw: Raw) -> str:
    """The id of one of the emulator's stock (system) replicas."""
    _, page = await call(raw, "GET", "/v2/replicas", params={"replica_type": "system"})
    return str(page["data"][0]["replica_id"])


async def new_replica(raw: Raw, url: str = MP4, **fields: str) -> str:
    """The id of a new replica, training on ``url``."""
    _, body = await call(raw, "POST", "/v2/replicas", json={"train_video_url": url, **fields})
    return str(body["replica_id"])


async def new_video(raw: Raw, script: str = "Hello there", **fields: object) -> str:
    """The id of a new video of a stock replica saying ``script``."""
    body = {"replica_id": await stock_id(raw), "script": script, **fields}
    _, created = await call(raw, "POST", "/v2/videos", json=body)
    return str(created["video_id"])
