"""documents' calls: the bodies and queries they send, the answers they read, what they refuse."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from tavus_async import (
    APIConnectionError,
    ConflictError,
    Document,
    DocumentCrawl,
    DocumentStatus,
    NotFoundError,
    RateLimitError,
    ServerError,
    TavusClient,
)

from _support.http import BASE, connector_error, sent, total_requests

DOCUMENTS = f"{BASE}/v2/documents"
#: Tavus's create answer, as its reference shows it.
CREATED = {
    "document_id": "d8-5c71baca86fc",
    "document_name": "Example Docs",
    "document_url": "https://docs.example.com/",
    "status": "started",
    "progress": None,
    "created_at": "2024-01-01T12:00:00Z",
    "updated_at": "2024-01-01T12:00:00Z",
    "callback_url": "https://your-server.com/webhook",
    "tags": ["docs", "website"],
    "crawl_config": {"depth": 2, "max_pages": 10},
    "crawled_urls": [
        "https://docs.example.com/",
        "https://docs.example.com/getting-started",
        "https://docs.example.com/api",
    ],
    "last_crawled_at": "2024-01-01T12:00:00Z",
    "crawl_count": 1,
}


async def test_create_sends_every_field_given_and_reads_the_answer(
    client: TavusClient, http: Any
) -> None:
    """create posts the url, name, tags, callback and crawl as given; the answer is typed."""
    http.post(DOCUMENTS, payload=CREATED)

    document = await client.documents.create(
        document_url="https://docs.example.com/",
        document_name="Example Docs",
        tags=["docs", "website"],
        callback_url="https://your-server.com/webhook",
        crawl=DocumentCrawl(depth=2, max_pages=10),
    )

    (call,) = sent(http, "POST", DOCUMENTS)
    assert call.kwargs["json"] == {
        "document_url": "https://docs.example.com/",
        "document_name": "Example Docs",
        "callback_url": "https://your-server.com/webhook",
        "tags": ["docs", "website"],
        "crawl": {"depth": 2, "max_pages": 10},
    }
    assert document.document_id == "d8-5c71baca86fc"
    assert document.status is DocumentStatus.STARTED
    assert document.crawl_config == DocumentCrawl(depth=2, max_pages=10)
    assert document.tags == ("docs", "website")
    assert document.crawl_count == 1
    assert document.crawled_urls is not None
    assert len(document.crawled_urls) == 3
    assert document.last_crawled_at is not None
    assert document.last_crawled_at.tzinfo is not None


async def test_create_sends_only_the_url_when_nothing_else_is_given(
    client: TavusClient, http: Any
) -> None:
    """A create with the url alone sends the url alone: no defaults, no nulls."""
    http.post(DOCUMENTS, payload={"document_id": "d1", "status": "started"})

    await client.documents.create(document_url="https://example.com/handbook.pdf")

    (call,) = sent(http, "POST", DOCUMENTS)
    assert call.kwargs["json"] == {"document_url": "https://example.com/handbook.pdf"}


async def test_create_takes_crawl_as_a_mapping_keeping_unknown_settings(
    client: TavusClient, http: Any
) -> None:
    """crawl may be a plain mapping; a setting Tavus adds later is sent as it is."""
    http.post(DOCUMENTS, payload={"document_id": "d1"})

    await client.documents.create(
        document_url="https://example.com/", crawl={"depth": 1, "same_domain": True}
    )

    (call,) = sent(http, "POST", DOCUMENTS)
    assert call.kwargs["json"]["crawl"] == {"depth": 1, "same_domain": True}


@pytest.mark.parametrize(
    ("arguments", "error", "named"),
    [
        ({"document_url": "docs.example.com"}, ValueError, "document_url"),
        ({"document_url": "ftp://example.com/a.pdf"}, ValueError, "document_url"),
        ({"document_url": ""}, ValueError, "document_url"),
        ({"document_url": None}, TypeError, "document_url"),
        ({"callback_url": "/hooks"}, ValueError, "callback_url"),
        ({"tags": "docs"}, TypeError, "tags"),
        ({"tags": ["docs", 3]}, TypeError, r"tags\[1\]"),
        ({"document_name": 7}, TypeError, "document_name"),
        ({"crawl": {"depth": 0}}, ValueError, "crawl.depth"),
        ({"crawl": DocumentCrawl(max_pages=-1)}, ValueError, "crawl.max_pages"),
        ({"crawl": {"max_pages": "10"}}, TypeError, "crawl.max_pages"),
        ({"crawl": {"depth": True}}, TypeError, "crawl.depth"),
        ({"crawl": [2, 10]}, TypeError, "crawl"),
    ],
)
async def test_create_refuses_bad_input_before_any_request(
    client: TavusClient, http: Any, arguments: dict[str, Any], error: type[Exception], named: str
) -> None:
    """A url that is not http(s), a bare string for tags, a crawl below 1: refused, unsent."""
    call: Any = client.documents.create
    fields = {"document_url": "https://example.com/a.pdf", **arguments}

    with pytest.raises(error, match=named):
        await call(**fields)

    assert total_requests(http) == 0


async def test_create_is_not_sent_twice_when_its_answer_is_lost(
    client: TavusClient, http: Any
) -> None:
    """A create whose connection was lost after sending is not retried: it may have acted."""
    http.post(DOCUMENTS, exception=aiohttp.ServerDisconnectedError())
    http.post(DOCUMENTS, payload={"document_id": "d1"})

    with pytest.raises(APIConnectionError, match="may have created"):
        await client.documents.create(document_url="https://example.com/a.pdf")

    assert len(sent(http, "POST", DOCUMENTS)) == 1


async def test_create_reports_the_crawl_limit(client: TavusClient, http: Any) -> None:
    """Tavus's 429 for an account at its crawl limit is a RateLimitError with its words."""
    message = "Crawl document limit reached (100). Contact support@tavus.io to increase your limit."
    http.post(DOCUMENTS, status=429, payload={"error": message})

    with pytest.raises(RateLimitError, match="Crawl document limit"):
        await client.documents.create(
            document_url="https://example.com/", crawl={"depth": 1}, max_retries=0
        )

    assert len(sent(http, "POST", DOCUMENTS)) == 1


async def test_list_sends_its_filters_with_tags_comma_separated(
    client: TavusClient, http: Any
) -> None:
    """list sends limit, page, sort, status, name_or_uuid and tags joined by commas."""
    query = "?limit=5&name_or_uuid=Handbook&page=0&sort=descending&status=ready&tags=docs,hr"
    http.get(
        DOCUMENTS + query,
        payload={"data": [CREATED], "total_count": 42, "page": 0, "limit": 5},
    )

    page = await client.documents.list(
        limit=5,
        page=0,
        sort="descending",
        status=DocumentStatus.READY,
        name_or_uuid="Handbook",
        tags=["docs", "hr"],
    )

    assert len(sent(http, "GET", DOCUMENTS + query)) == 1
    assert [d.document_id for d in page] == ["d8-5c71baca86fc"]
    assert page.total_count == 42


@pytest.mark.parametrize(
    ("filters", "error", "named"),
    [
        ({"tags": "docs"}, TypeError, "tags"),
        ({"tags": ["a,b"]}, ValueError, r"tags\[0\]"),
        ({"tags": [""]}, ValueError, r"tags\[0\]"),
        ({"status": 3}, TypeError, "status"),
        ({"sort": ""}, ValueError, "sort"),
        ({"limit": 0}, ValueError, "limit"),
    ],
)
async def test_list_refuses_bad_filters_before_any_request(
    client: TavusClient, http: Any, filters: dict[str, Any], error: type[Exception], named: str
) -> None:
    """A bare string for tags, a tag holding a comma, an empty sort: refused, unsent."""
    call: Any = client.documents.list

    with pytest.raises(error, match=named):
        await call(**filters)

    assert total_requests(http) == 0


async def test_iter_walks_pages_from_zero_with_the_filters(client: TavusClient, http: Any) -> None:
    """iter asks for page 0, then 1, with the filters on each, and yields every document once."""
    first = [{"document_id": f"d{n}"} for n in range(2)]
    http.get(
        DOCUMENTS + "?limit=2&page=0&tags=docs",
        payload={"data": first, "total_count": 3, "page": 0, "limit": 2},
    )
    http.get(
        DOCUMENTS + "?limit=2&page=1&tags=docs",
        payload={"data": [{"document_id": "d2"}], "total_count": 3, "page": 1, "limit": 2},
    )

    seen = [d.document_id async for d in client.documents.iter(page_size=2, tags=["docs"])]

    assert seen == ["d0", "d1", "d2"]


async def test_get_reads_a_failed_document_and_its_error_code(
    client: TavusClient, http: Any
) -> None:
    """get returns the document with its error_message code and progress as Tavus sends them."""
    http.get(
        f"{DOCUMENTS}/d1",
        payload={"document_id": "d1", "status": "error", "error_message": "file_empty"},
    )
    http.get(
        f"{DOCUMENTS}/d2", payload={"document_id": "d2", "status": "processing", "progress": 40}
    )

    failed = await client.documents.get("d1")
    working = await client.documents.get("d2")

    assert (failed.status, failed.error_message) == (DocumentStatus.ERROR, "file_empty")
    assert (working.status, working.progress) == (DocumentStatus.PROCESSING, 40)


async def test_get_of_an_unknown_document_is_not_found_with_tavus_message(
    client: TavusClient, http: Any
) -> None:
    """Tavus's 404 (its words under "message") is a NotFoundError that says them."""
    http.get(f"{DOCUMENTS}/d404", status=404, payload={"message": "Document not found"})

    with pytest.raises(NotFoundError, match="Document not found"):
        await client.documents.get("d404")


async def test_update_patches_a_plain_body_and_returns_the_document(
    client: TavusClient, http: Any
) -> None:
    """update PATCHes document_name and tags (not a JSON Patch) and returns Tavus's answer."""
    answer = {"uuid": "d290f1ee", "document_name": "Renamed", "tags": ["hr"], "status": "ready"}
    http.patch(f"{DOCUMENTS}/d290f1ee", payload=answer)

    document = await client.documents.update("d290f1ee", document_name="Renamed", tags=["hr"])

    (call,) = sent(http, "PATCH", f"{DOCUMENTS}/d290f1ee")
    assert call.kwargs["json"] == {"document_name": "Renamed", "tags": ["hr"]}
    assert (document.document_id, document.uuid) == ("d290f1ee", "d290f1ee")
    assert document.tags == ("hr",)


async def test_update_with_no_tags_clears_them(client: TavusClient, http: Any) -> None:
    """tags=[] is sent as an empty list (Tavus replaces the tags); the name is left out."""
    http.patch(f"{DOCUMENTS}/d1", payload={"document_id": "d1", "tags": []})

    await client.documents.update("d1", tags=[])

    (call,) = sent(http, "PATCH", f"{DOCUMENTS}/d1")
    assert call.kwargs["json"] == {"tags": []}


async def test_update_is_retried_after_a_server_error(
    client: TavusClient, http: Any, sleeps: Any
) -> None:
    """The same update twice does the same: a 503 is retried like any PATCH."""
    http.patch(f"{DOCUMENTS}/d1", status=503, payload={"error": "busy"})
    http.patch(f"{DOCUMENTS}/d1", payload={"document_id": "d1", "document_name": "New"})

    document = await client.documents.update("d1", document_name="New")

    assert document.document_name == "New"
    assert len(sent(http, "PATCH", f"{DOCUMENTS}/d1")) == 2


@pytest.mark.parametrize(
    ("document_id", "arguments", "error", "named"),
    [
        ("../d1", {}, ValueError, "document_id"),
        ("d1", {"tags": "hr"}, TypeError, "tags"),
        ("d1", {"document_name": 5}, TypeError, "document_name"),
    ],
)
async def test_update_refuses_bad_input_before_any_request(
    client: TavusClient,
    http: Any,
    document_id: str,
    arguments: dict[str, Any],
    error: type[Exception],
    named: str,
) -> None:
    """An unsafe id, a bare string for tags or a name that is not text: refused, unsent."""
    call: Any = client.documents.update

    with pytest.raises(error, match=named):
        await call(document_id, **arguments)

    assert total_requests(http) == 0


async def test_delete_sends_a_delete_and_takes_tavus_204(client: TavusClient, http: Any) -> None:
    """delete sends DELETE (no hard flag: Tavus has none for documents) and reads 204 as done."""
    http.delete(f"{DOCUMENTS}/d1", status=204)

    assert await client.documents.delete("d1") is None

    assert len(sent(http, "DELETE", f"{DOCUMENTS}/d1")) == 1


async def test_recrawl_without_crawl_sends_no_body_and_reads_the_202(
    client: TavusClient, http: Any
) -> None:
    """recrawl alone posts no body (the stored crawl is reused); Tavus's 202 is the document."""
    http.post(
        f"{DOCUMENTS}/d1/recrawl",
        status=202,
        payload={**CREATED, "document_id": "d1", "status": "recrawling"},
    )

    document = await client.documents.recrawl("d1")

    (call,) = sent(http, "POST", f"{DOCUMENTS}/d1/recrawl")
    assert call.kwargs.get("json") is None
    assert document.status is DocumentStatus.RECRAWLING


async def test_recrawl_sends_the_crawl_for_this_run(client: TavusClient, http: Any) -> None:
    """recrawl(crawl=...) posts {"crawl": {...}}."""
    http.post(f"{DOCUMENTS}/d1/recrawl", status=202, payload={"document_id": "d1"})

    await client.documents.recrawl("d1", crawl=DocumentCrawl(depth=3, max_pages=50))

    (call,) = sent(http, "POST", f"{DOCUMENTS}/d1/recrawl")
    assert call.kwargs["json"] == {"crawl": {"depth": 3, "max_pages": 50}}


async def test_recrawl_is_never_sent_twice(client: TavusClient, http: Any) -> None:
    """A recrawl starts work: after a 502 or a lost answer it is not sent again."""
    http.post(f"{DOCUMENTS}/d1/recrawl", status=502, payload={"error": "bad gateway"})
    http.post(f"{DOCUMENTS}/d2/recrawl", exception=aiohttp.ServerDisconnectedError())
    for document_id in ("d1", "d2"):
        http.post(f"{DOCUMENTS}/{document_id}/recrawl", status=202, payload={"document_id": "d"})

    with pytest.raises(ServerError, match="bad gateway"):
        await client.documents.recrawl("d1")
    with pytest.raises(APIConnectionError, match="not retried"):
        await client.documents.recrawl("d2")

    assert len(sent(http, "POST", f"{DOCUMENTS}/d1/recrawl")) == 1
    assert len(sent(http, "POST", f"{DOCUMENTS}/d2/recrawl")) == 1


async def test_recrawl_is_sent_again_when_it_cannot_have_reached_tavus(
    client: TavusClient, http: Any
) -> None:
    """A recrawl whose connection never opened is tried again: it cannot have acted."""
    http.post(f"{DOCUMENTS}/d1/recrawl", exception=connector_error())
    http.post(f"{DOCUMENTS}/d1/recrawl", status=202, payload={"document_id": "d1"})

    document = await client.documents.recrawl("d1")

    assert document.document_id == "d1"
    assert len(sent(http, "POST", f"{DOCUMENTS}/d1/recrawl")) == 2


async def test_recrawl_of_a_document_being_processed_is_a_conflict(
    client: TavusClient, http: Any
) -> None:
    """Tavus's 409 for a document not ready or failed is a ConflictError with its words."""
    message = "Document must be in 'ready' or 'error' state to recrawl, current status: processing"
    http.post(f"{DOCUMENTS}/d1/recrawl", status=409, payload={"error": message})

    with pytest.raises(ConflictError, match="current status: processing"):
        await client.documents.recrawl("d1")


@pytest.mark.parametrize(
    ("document_id", "crawl", "error", "named"),
    [
        ("d 1", None, ValueError, "document_id"),
        ("d1", {"depth": 0}, ValueError, "crawl.depth"),
        ("d1", "deep", TypeError, "crawl"),
    ],
)
async def test_recrawl_refuses_bad_input_before_any_request(
    client: TavusClient, http: Any, document_id: str, crawl: Any, error: type[Exception], named: str
) -> None:
    """An unsafe id or a crawl below 1: refused, unsent."""
    with pytest.raises(error, match=named):
        await client.documents.recrawl(document_id, crawl=crawl)

    assert total_requests(http) == 0


async def test_raw_response_of_recrawl_carries_the_202(client: TavusClient, http: Any) -> None:
    """with_raw_response.recrawl gives the 202 answer; parse() is the document."""
    http.post(f"{DOCUMENTS}/d1/recrawl", status=202, payload={"document_id": "d1"})

    raw = await client.documents.with_raw_response.recrawl("d1")

    assert raw.status_code == 202
    parsed = raw.parse()
    assert isinstance(parsed, Document)
    assert parsed.document_id == "d1"
