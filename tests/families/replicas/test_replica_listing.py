"""replicas.list and replicas.iter: the filters they send on every page, and those they refuse."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tavus_async import Replica, TavusClient

from _support.http import BASE, sent, total_requests
from _support.paging import FakeServer, from_table

REPLICAS = re.compile(r"https://tavusapi\.com/v2/replicas\?.*")


async def test_replica_list_sends_filters(client: TavusClient, http: Any) -> None:
    """replicas.list sends verbose=true, replica_type and comma-joined replica_ids."""
    http.get(REPLICAS, payload={"data": [{"replica_id": "r1"}], "total_count": 1})

    page = await client.replicas.list(verbose=True, replica_type="user", replica_ids=["r1", "r2"])

    ((method, url),) = http.requests
    assert len(http.requests[(method, url)]) == 1
    expected = {"verbose": "true", "replica_type": "user", "replica_ids": "r1,r2"}
    assert method == "GET"
    assert url.path == "/v2/replicas"
    assert dict(url.query) == expected
    assert len(url.query) == 3
    assert isinstance(page.data[0], Replica)


async def test_replica_list_leaves_out_verbose_false(client: TavusClient, http: Any) -> None:
    """replicas.list(verbose=False, limit=3) sends only limit."""
    http.get(REPLICAS, payload={"data": []})

    await client.replicas.list(verbose=False, limit=3)

    ((_, url),) = http.requests
    assert dict(url.query) == {"limit": "3"}


async def test_replica_iter_sends_filters_on_every_page(client: TavusClient, http: Any) -> None:
    """replicas.iter sends its filters, limit and page with each page it asks for."""
    server = FakeServer(
        from_table({0: ["r1", "r2", "r3"], 1: ["r4"]}), id_field="replica_id", total_count=4
    )
    http.get(REPLICAS, callback=server, repeat=True)

    ids = [r.replica_id async for r in client.replicas.iter(page_size=3, replica_type="system")]

    assert ids == ["r1", "r2", "r3", "r4"]
    assert server.requested == [0, 1]
    for page in (0, 1):
        url = f"{BASE}/v2/replicas?limit=3&page={page}&replica_type=system"
        assert len(sent(http, "GET", url)) == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"replica_type": ""}, ValueError, "replica_type"),
        ({"model_name": 4}, TypeError, "model_name"),
        ({"replica_ids": "r1"}, TypeError, "replica_ids"),
        ({"replica_ids": []}, ValueError, "replica_ids"),
        ({"replica_ids": ["bad/id"]}, ValueError, "replica_ids"),
        ({"replica_ids": ["r1", "../x"]}, ValueError, "replica_ids"),
        ({"verbose": "yes"}, TypeError, "verbose"),
    ],
)
async def test_replica_filters_are_checked_before_any_request(
    client: TavusClient, http: Any, kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    """replicas.list and replicas.iter refuse bad filters, naming them, with no request sent."""
    with pytest.raises(error, match=name):
        await client.replicas.list(**kwargs)
    with pytest.raises(error, match=name):
        client.replicas.iter(**kwargs)

    assert total_requests(http) == 0
