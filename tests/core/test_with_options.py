"""client.with_options: other defaults over the same connections."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import TavusClient

from _support.http import API_KEY, BASE, SleepRecorder, sent


async def test_a_derived_client_shares_the_pool_and_has_its_own_defaults(
    client: TavusClient, http: Any
) -> None:
    """Its requests go through the same session, with its timeout and headers."""
    url = f"{BASE}/v2/videos/v1"
    http.get(url, payload={"video_id": "v1"}, repeat=True)
    fast = client.with_options(timeout=3, headers={"X-Team": "render"})

    await fast.videos.get("v1")
    await client.videos.get("v1")

    derived, plain = sent(http, "GET", url)
    assert derived.kwargs["timeout"].total == 3
    assert derived.kwargs["headers"]["X-Team"] == "render"
    assert derived.kwargs["headers"]["x-api-key"] == API_KEY
    assert plain.kwargs["timeout"].total == 30
    assert "X-Team" not in plain.kwargs["headers"]
    assert fast._requester.open_session() is client._requester.open_session()


async def test_a_derived_client_has_its_own_retries(http: Any, sleeps: SleepRecorder) -> None:
    """max_retries and max_retry_wait of the derived client apply to its calls alone."""
    url = f"{BASE}/v2/videos/v1"
    http.get(url, status=503, repeat=True)
    async with TavusClient(API_KEY, sleep=sleeps, max_retries=3) as tavus:
        patient = tavus.with_options(max_retries=1)

        with pytest.raises(Exception, match="503"):
            await patient.videos.get("v1")
        assert len(sent(http, "GET", url)) == 2
        with pytest.raises(Exception, match="503"):
            await tavus.videos.get("v1")
        assert len(sent(http, "GET", url)) == 2 + 4


async def test_closing_a_derived_client_leaves_its_maker_open(
    client: TavusClient, http: Any
) -> None:
    """The derived client closes only itself; the one it came from goes on working."""
    http.get(f"{BASE}/v2/videos/v1", payload={"video_id": "v1"}, repeat=True)
    derived = client.with_options(timeout=5)
    await derived.videos.get("v1")

    await derived.close()

    assert (derived.closed, client.closed) == (True, False)
    assert (await client.videos.get("v1")).video_id == "v1"
    with pytest.raises(RuntimeError, match="closed"):
        await derived.videos.get("v1")


async def test_closing_the_maker_ends_its_derived_clients(http: Any) -> None:
    """The pool is the maker's: once it is closed, a derived client refuses calls."""
    tavus = TavusClient(API_KEY)
    derived = tavus.with_options(max_retries=0)

    await tavus.close()

    assert derived.closed
    with pytest.raises(RuntimeError, match="closed"):
        await derived.videos.get("v1")


@pytest.mark.parametrize(
    ("options", "error", "name"),
    [
        ({"timeout": 0}, ValueError, "timeout"),
        ({"max_retries": -1}, ValueError, "max_retries"),
        ({"max_retry_wait": -1}, ValueError, "max_retry_wait"),
        ({"headers": {"x-api-key": "other"}}, ValueError, "x-api-key"),
        ({"headers": {"X-A": 1}}, TypeError, "headers"),
    ],
)
def test_bad_derived_options_are_refused(
    options: dict[str, Any], error: type[Exception], name: str
) -> None:
    """with_options checks each option like the constructor, naming it."""
    tavus = TavusClient(API_KEY)

    with pytest.raises(error, match=name):
        tavus.with_options(**options)


async def test_a_derived_header_replaces_one_of_another_case(
    client: TavusClient, http: Any
) -> None:
    """headers= replaces a default header by name, whatever its case: one User-Agent is sent."""
    url = f"{BASE}/v2/videos/v1"
    http.get(url, payload={"video_id": "v1"})
    branded = client.with_options(headers={"user-agent": "my-app/1.0"})

    await branded.videos.get("v1")

    (call,) = sent(http, "GET", url)
    assert call.kwargs["headers"].getall("User-Agent") == ["my-app/1.0"]
