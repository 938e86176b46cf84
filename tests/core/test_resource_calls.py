"""What every family's calls share: get, rename, delete, the ids they take, the headers sent."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import (
    Replica,
    TavusClient,
    Video,
)

from _support.http import BASE, sent, total_requests


@pytest.mark.parametrize(
    ("resource", "obj_id", "model"),
    [("replicas", "r783537ef5", Replica), ("videos", "v1a2b3", Video)],
)
@pytest.mark.parametrize(("verbose", "query"), [(False, ""), (True, "?verbose=true")])
async def test_get(
    client: TavusClient,
    http: Any,
    resource: str,
    obj_id: str,
    model: type,
    verbose: bool,
    query: str,
) -> None:
    """get reads one object by id; verbose=True adds ?verbose=true, False sends no query."""
    id_field = "replica_id" if resource == "replicas" else "video_id"
    http.get(f"{BASE}/v2/{resource}/{obj_id}{query}", payload={id_field: obj_id, "status": "x"})

    obj = await getattr(client, resource).get(obj_id, verbose=verbose)

    assert isinstance(obj, model)
    assert getattr(obj, id_field) == obj_id
    assert len(sent(http, "GET", f"{BASE}/v2/{resource}/{obj_id}{query}")) == 1
    assert total_requests(http) == 1


@pytest.mark.parametrize(
    ("resource", "obj_id", "name_field"),
    [("replicas", "r1", "replica_name"), ("videos", "v1", "video_name")],
)
@pytest.mark.parametrize(
    "answer", [{"status": 200}, {"status": 204}, {"status": 200, "body": "OK"}]
)
async def test_rename(
    client: TavusClient,
    http: Any,
    resource: str,
    obj_id: str,
    name_field: str,
    answer: dict[str, Any],
) -> None:
    """rename PATCHes {name_field: name} to /name and takes any 2xx, with or without a body."""
    url = f"{BASE}/v2/{resource}/{obj_id}/name"
    http.patch(url, **answer)

    result = await getattr(client, resource).rename(obj_id, "New name")

    assert result is None
    (call,) = sent(http, "PATCH", url)
    assert call.kwargs["json"] == {name_field: "New name"}


@pytest.mark.parametrize("resource", ["replicas", "videos"])
@pytest.mark.parametrize(("hard", "query"), [(False, ""), (True, "?hard=true")])
async def test_delete(
    client: TavusClient, http: Any, resource: str, hard: bool, query: str
) -> None:
    """delete sends DELETE, with ?hard=true only for a hard delete, and takes a 204."""
    url = f"{BASE}/v2/{resource}/abc123{query}"
    http.delete(url, status=204)

    assert await getattr(client, resource).delete("abc123", hard=hard) is None

    assert len(sent(http, "DELETE", url)) == 1
    assert total_requests(http) == 1


async def test_requests_carry_key_and_user_agent(client: TavusClient, http: Any) -> None:
    """Every request sends x-api-key and a User-Agent naming tavus-async and its version."""
    http.get(f"{BASE}/v2/videos/v1", payload={"video_id": "v1"})

    await client.videos.get("v1")

    (call,) = sent(http, "GET", f"{BASE}/v2/videos/v1")
    headers = call.kwargs["headers"]
    assert headers["x-api-key"] == "tvs-test-key-0123456789abcdef"
    from tavus_async import __version__

    assert headers["User-Agent"].startswith(f"tavus-async/{__version__} ")
    assert call.kwargs["allow_redirects"] is False


BAD_IDS = ["", "a/b", "a?b", "a#b", "a b", " r1", "..", "r1\n", "a%2Fb", "ré"]


@pytest.mark.parametrize("bad_id", BAD_IDS)
@pytest.mark.parametrize("resource", ["replicas", "videos"])
async def test_bad_ids_fail_before_any_request(
    client: TavusClient, http: Any, resource: str, bad_id: str
) -> None:
    """An empty or unsafe id raises ValueError naming the id argument and sends nothing."""
    api = getattr(client, resource)
    id_name = "replica_id" if resource == "replicas" else "video_id"

    for call in (api.get(bad_id), api.rename(bad_id, "x"), api.delete(bad_id)):
        with pytest.raises(ValueError, match=id_name):
            await call

    assert total_requests(http) == 0


@pytest.mark.parametrize("resource", ["replicas", "videos"])
async def test_bad_flags_and_names_fail_before_any_request(
    client: TavusClient, http: Any, resource: str
) -> None:
    """A non-boolean verbose or hard, or an empty new name, is refused before any request."""
    api = getattr(client, resource)

    with pytest.raises(TypeError, match="verbose"):
        await api.get("abc", verbose="yes")
    with pytest.raises(TypeError, match="hard"):
        await api.delete("abc", hard=1)
    with pytest.raises(ValueError, match="name"):
        await api.rename("abc", "")

    assert total_requests(http) == 0
