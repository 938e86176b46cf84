"""Listing one page, and walking every page whether the server counts from 0 or from 1."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aioresponses import CallbackResult

from tavus_async import (
    BadRequestError,
    Page,
    ResponseValidationError,
    TavusClient,
    Video,
    VideoStatus,
)
from tavus_async.testing import FakeTavus, ManualClock

from _support.emulator import stock_replica
from _support.http import BASE, sent, total_requests
from _support.paging import FakeServer, from_table

VIDEOS = re.compile(r"https://tavusapi\.com/v2/videos\?.*")


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


@pytest.mark.parametrize("first_page", [0, 1])
async def test_iter_yields_every_video_once(clock: ManualClock, first_page: int) -> None:
    """videos.iter(page_size=10) yields all 25 videos once whether pages count from 0 or 1."""
    async with FakeTavus(clock=clock, first_page=first_page) as fake, fake.client() as tavus:
        replica_id = await stock_replica(tavus)
        ids = [
            (await tavus.videos.create(replica_id=replica_id, script=f"n{n}")).video_id
            for n in range(25)
        ]
        walked = [v.video_id async for v in tavus.videos.iter(page_size=10)]
        last = await tavus.videos.list(limit=10, page=first_page + 2)
        beyond = await tavus.videos.list(limit=10, page=first_page + 3)
    assert (len(walked), sorted(walked)) == (25, sorted(ids))
    assert (len(last.data), last.total_count) == (5, 25)
    assert (beyond.data, beyond.total_count) == ((), 25)
