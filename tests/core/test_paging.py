"""Listing one page, and walking every page whether the server counts from 0 or from 1."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from aioresponses import CallbackResult

from tavus_async import (
    BadRequestError,
    Page,
    Replica,
    ResponseValidationError,
    TavusClient,
    Video,
    VideoStatus,
)

from _support.http import BASE, sent, total_requests

VIDEOS = re.compile(r"https://tavusapi\.com/v2/videos\?.*")
REPLICAS = re.compile(r"https://tavusapi\.com/v2/replicas\?.*")


class FakeServer:
    """Answers list calls from ``pages(page_number)`` and records each page asked for."""

    def __init__(
        self,
        pages: Callable[[int], list[str]],
        *,
        id_field: str = "video_id",
        total_count: int | None = None,
    ) -> None:
        self.pages = pages
        self.id_field = id_field
        self.total_count = total_count
        self.requested: list[int] = []
        self.limits: set[str] = set()

    def __call__(self, url: Any, **kwargs: Any) -> CallbackResult:
        self.requested.append(int(url.query["page"]))
        self.limits.add(url.query["limit"])
        # A runaway walk gets empty pages, so it ends and the assertions show it.
        ids = [] if len(self.requested) > 20 else self.pages(self.requested[-1])
        payload: dict[str, Any] = {"data": [{self.id_field: i} for i in ids]}
        if self.total_count is not None:
            payload["total_count"] = self.total_count
        return CallbackResult(payload=payload)


def from_table(table: dict[int, list[str]]) -> Callable[[int], list[str]]:
    return lambda page: table.get(page, [])


async def walk_videos(client: TavusClient, http: Any, server: FakeServer) -> list[str]:
    http.get(VIDEOS, callback=server, repeat=True)
    return [video.video_id async for video in client.videos.iter(page_size=2)]


async def test_list_sends_limit_and_page_and_returns_a_page(client: TavusClient, http: Any) -> None:
    """videos.list(limit, page) sends both and returns a Page of Videos with total_count."""
    http.get(
        f"{BASE}/v2/videos?limit=5&page=2",
        payload={
            "data": [{"video_id": "v1", "status": "ready"}, {"video_id": "v2"}],
            "total_count": 12,
        },
    )

    page = await client.videos.list(limit=5, page=2)

    assert len(sent(http, "GET", f"{BASE}/v2/videos?limit=5&page=2")) == 1
    assert isinstance(page, Page)
    assert page.total_count == 12
    assert len(page) == 2
    assert all(isinstance(video, Video) for video in page.data)
    assert [video.video_id for video in page] == ["v1", "v2"]
    assert page.data[0].status is VideoStatus.READY


async def test_list_without_arguments_sends_no_query(client: TavusClient, http: Any) -> None:
    """videos.list() sends no query parameters at all."""
    http.get(f"{BASE}/v2/videos", payload={"data": []})

    page = await client.videos.list()

    (key,) = http.requests
    assert key[1].query_string == ""
    assert len(page) == 0
    assert page.total_count is None


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


@pytest.mark.parametrize(
    ("table", "total_count", "expected_pages"),
    [
        pytest.param({0: ["a", "b"], 1: ["c", "d"], 2: ["e"]}, None, [0, 1, 2], id="from-0-short"),
        pytest.param({0: ["a", "b"], 1: ["c", "d"], 2: ["e"]}, 5, [0, 1, 2], id="from-0-total"),
        pytest.param(
            {0: ["a", "b"], 1: ["a", "b"], 2: ["c", "d"], 3: ["e"]},
            None,
            [0, 1, 2, 3],
            id="from-1-page-0-is-page-1",
        ),
        pytest.param(
            {0: ["a", "b"], 1: ["a", "b"], 2: ["c", "d"], 3: ["e"]},
            5,
            [0, 1, 2, 3],
            id="from-1-page-0-is-page-1-total",
        ),
        pytest.param(
            {1: ["a", "b"], 2: ["c", "d"], 3: ["e"]}, None, [0, 1, 2, 3], id="from-1-page-0-empty"
        ),
        pytest.param(
            {1: ["a", "b"], 2: ["c", "d"], 3: ["e"]},
            5,
            [0, 1, 2, 3],
            id="from-1-page-0-empty-total",
        ),
    ],
)
async def test_iter_yields_each_item_once_under_either_page_count(
    client: TavusClient,
    http: Any,
    table: dict[int, list[str]],
    total_count: int | None,
    expected_pages: list[int],
) -> None:
    """iter yields every item exactly once, in order, asking only for the pages it needs."""
    server = FakeServer(from_table(table), total_count=total_count)

    ids = await walk_videos(client, http, server)

    assert ids == ["a", "b", "c", "d", "e"]
    assert server.requested == expected_pages
    assert server.limits == {"2"}


@pytest.mark.parametrize(
    ("table", "total_count", "expected_pages"),
    [
        pytest.param({0: ["a", "b"], 1: ["c", "d"]}, None, [0, 1, 2], id="from-0-empty-page"),
        pytest.param({0: ["a", "b"], 1: ["c", "d"]}, 4, [0, 1], id="from-0-total-seen"),
        pytest.param(
            {0: ["a", "b"], 1: ["a", "b"], 2: ["c", "d"]}, 4, [0, 1, 2], id="from-1-total-seen"
        ),
        pytest.param(
            {1: ["a", "b"], 2: ["c", "d"]}, None, [0, 1, 2, 3], id="from-1-page-0-empty-then-empty"
        ),
    ],
)
async def test_iter_stops_on_empty_page_or_total_count_for_full_pages(
    client: TavusClient,
    http: Any,
    table: dict[int, list[str]],
    total_count: int | None,
    expected_pages: list[int],
) -> None:
    """With only full pages, iter stops at an empty page or once total_count items were seen."""
    server = FakeServer(from_table(table), total_count=total_count)

    ids = await walk_videos(client, http, server)

    assert ids == ["a", "b", "c", "d"]
    assert server.requested == expected_pages


@pytest.mark.parametrize(
    ("table", "total_count", "expected_ids", "expected_pages"),
    [
        pytest.param({0: ["a"]}, None, ["a"], [0], id="single-short-page"),
        pytest.param({0: ["a"], 1: ["a"]}, None, ["a"], [0], id="from-1-single-short-page"),
        pytest.param({0: ["a", "b"]}, 2, ["a", "b"], [0], id="total-on-first-page"),
        pytest.param({}, 0, [], [0], id="empty-with-total-0"),
        pytest.param({}, None, [], [0, 1], id="empty-either-count"),
    ],
)
async def test_iter_small_and_empty_lists(
    client: TavusClient,
    http: Any,
    table: dict[int, list[str]],
    total_count: int | None,
    expected_ids: list[str],
    expected_pages: list[int],
) -> None:
    """A list of one page or none ends without asking for more pages than it must."""
    server = FakeServer(from_table(table), total_count=total_count)

    ids = await walk_videos(client, http, server)

    assert ids == expected_ids
    assert server.requested == expected_pages


@pytest.mark.parametrize("total_count", [None, 10])
async def test_iter_ends_when_the_server_repeats_one_full_page(
    client: TavusClient, http: Any, total_count: int | None
) -> None:
    """A server answering the same full page for every number ends the walk, items once."""
    server = FakeServer(lambda page: ["a", "b"], total_count=total_count)

    ids = await walk_videos(client, http, server)

    assert ids == ["a", "b"]
    assert server.requested == [0, 1, 2]


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


@pytest.mark.parametrize("page_size", [0, 101, -1])
async def test_iter_refuses_page_size_out_of_range_at_call_time(
    client: TavusClient, http: Any, page_size: int
) -> None:
    """iter(page_size=...) outside 1..100 raises ValueError naming page_size, sending nothing."""
    with pytest.raises(ValueError, match="page_size"):
        client.videos.iter(page_size=page_size)
    with pytest.raises(ValueError, match="page_size"):
        client.replicas.iter(page_size=page_size)

    assert total_requests(http) == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"limit": 0}, ValueError, "limit"),
        ({"limit": 101}, ValueError, "limit"),
        ({"limit": True}, TypeError, "limit"),
        ({"limit": "5"}, TypeError, "limit"),
        ({"page": -1}, ValueError, "page"),
        ({"page": 1.0}, TypeError, "page"),
    ],
)
async def test_list_refuses_bad_paging_before_any_request(
    client: TavusClient, http: Any, kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    """list refuses a bad limit or page, naming it, before any request."""
    with pytest.raises(error, match=name):
        await client.videos.list(**kwargs)
    with pytest.raises(error, match=name):
        await client.replicas.list(**kwargs)

    assert total_requests(http) == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"replica_type": "robot"}, ValueError, "replica_type"),
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


@pytest.mark.parametrize(
    "payload",
    [
        {"data": {}},
        {"data": "v1"},
        {"data": [], "total_count": True},
        {"data": [], "total_count": 2.5},
    ],
)
async def test_malformed_page_is_a_validation_error(
    client: TavusClient, http: Any, payload: dict[str, Any]
) -> None:
    """A page whose data is not a list, or whose total_count is not a whole number, is refused."""
    http.get(f"{BASE}/v2/videos", payload=payload)

    with pytest.raises(ResponseValidationError):
        await client.videos.list()


@pytest.mark.parametrize("refusal", [400, 422])
async def test_iter_reads_a_server_that_refuses_page_zero(
    client: TavusClient, http: Any, refusal: int
) -> None:
    """A server counting from 1 that refuses page=0 is read from page 1, each item once."""
    requested: list[int] = []
    table = {1: ["v1", "v2"], 2: ["v3"]}

    def answer(url: Any, **kwargs: Any) -> CallbackResult:
        page = int(url.query["page"])
        requested.append(page)
        if page < 1:
            return CallbackResult(status=refusal, payload={"error": "page must be >= 1"})
        return CallbackResult(payload={"data": [{"video_id": i} for i in table.get(page, [])]})

    http.get(VIDEOS, callback=answer, repeat=True)

    ids = [video.video_id async for video in client.videos.iter(page_size=2)]

    assert ids == ["v1", "v2", "v3"]
    assert requested == [0, 1, 2]


async def test_iter_raises_when_later_pages_are_refused(client: TavusClient, http: Any) -> None:
    """A 400 on a page after the first is not a page-numbering quirk: it is raised."""
    http.get(f"{BASE}/v2/videos?limit=2&page=0", payload={"data": [{"video_id": "a"}] * 2})
    http.get(f"{BASE}/v2/videos?limit=2&page=1", status=400, payload={"error": "bad page"})

    with pytest.raises(BadRequestError, match="bad page"):
        _ = [video async for video in client.videos.iter(page_size=2)]
