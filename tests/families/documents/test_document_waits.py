"""Waiting for documents on mocked Tavus: ready, DocumentProcessingError, trouble, the policy."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from tavus_async import (
    Document,
    DocumentProcessingError,
    DocumentStatus,
    JobFailedError,
    NotFoundError,
    PollPolicy,
    TavusClient,
    WaitTimeoutError,
)
from tavus_async.resources.documents import DOCUMENT_FALLBACK_POLICY, DOCUMENT_POLICY

from _support.clocks import FakeClock
from _support.http import BASE, sent
from _support.waits import POLICY, collect

URL = f"{BASE}/v2/documents/d1"
FAST = PollPolicy(initial=10, maximum=40, multiplier=2, jitter=0, timeout=1000)


def document(status: str, progress: int | None = None, **fields: Any) -> dict[str, Any]:
    """A document as GET /v2/documents/d1 answers it."""
    return {"document_id": "d1", "status": status, "progress": progress, **fields}


def serve(http: Any, payloads: list[dict[str, Any]], url: str = URL) -> None:
    for payload in payloads:
        http.get(url, payload=payload)


async def test_wait_follows_processing_to_ready(timed_client: TavusClient, http: Any) -> None:
    """wait polls through started, processing and its progress, and returns the ready document."""
    serve(
        http,
        [
            document("started"),
            document("processing", 10),
            document("processing", 70),
            document("ready"),
        ],
    )
    seen: list[Document] = []

    ready = await timed_client.documents.wait("d1", policy=FAST, on_update=seen.append)

    assert ready.status is DocumentStatus.READY
    assert [(str(d.status), d.progress) for d in seen] == [
        ("started", None),
        ("processing", 10),
        ("processing", 70),
        ("ready", None),
    ]
    assert len(sent(http, "GET", URL)) == 4


async def test_a_failed_document_raises_with_tavus_error_message(
    timed_client: TavusClient, http: Any
) -> None:
    """An error ends the wait with DocumentProcessingError naming Tavus's error_message."""
    serve(http, [document("processing", 50), document("error", error_message="file_empty")])

    with pytest.raises(DocumentProcessingError, match="file_empty") as failed:
        await timed_client.documents.wait("d1", policy=FAST)

    assert isinstance(failed.value, JobFailedError)
    assert failed.value.job.error_message == "file_empty"
    assert "document d1 ended with status error" in str(failed.value)


async def test_a_recrawl_is_waited_for_like_a_first_processing(
    timed_client: TavusClient, http: Any
) -> None:
    """recrawling is pending: wait returns once the recrawl is ready, with its new count."""
    serve(http, [document("recrawling", 5, crawl_count=1), document("ready", crawl_count=2)])

    ready = await timed_client.documents.wait("d1", policy=FAST)

    assert (ready.status, ready.crawl_count) == (DocumentStatus.READY, 2)


async def test_an_old_answer_naming_the_id_uuid_is_waited_on(
    timed_client: TavusClient, http: Any
) -> None:
    """A body with uuid instead of document_id still parses, and the wait ends on it."""
    serve(http, [{"uuid": "d1", "status": "processing"}, {"uuid": "d1", "status": "ready"}])

    ready = await timed_client.documents.wait("d1", policy=FAST)

    assert ready.document_id == "d1"


async def test_transient_trouble_does_not_end_the_wait(
    timed_client: TavusClient, http: Any
) -> None:
    """A 503, a 429, a lost connection and a malformed body are polled past, to ready."""
    http.get(URL, status=503, payload={"error": "unavailable"})
    http.get(URL, status=429, payload={"error": "slow down"})
    http.get(URL, exception=aiohttp.ServerDisconnectedError())
    http.get(URL, payload={"document_id": ["not", "an", "id"]})
    serve(http, [document("ready")])

    ready = await timed_client.documents.wait("d1", policy=FAST)

    assert ready.status is DocumentStatus.READY
    assert len(sent(http, "GET", URL)) == 5


async def test_an_unknown_document_ends_the_wait_at_once(
    timed_client: TavusClient, http: Any
) -> None:
    """A 404 is not trouble to wait out: NotFoundError after one GET."""
    http.get(URL, status=404, payload={"message": "Document not found"})

    with pytest.raises(NotFoundError, match="Document not found"):
        await timed_client.documents.wait("d1", policy=FAST)

    assert len(sent(http, "GET", URL)) == 1


async def test_the_deadline_ends_the_wait_with_the_last_document(
    timed_client: TavusClient, http: Any
) -> None:
    """A document that stays processing ends the wait at the deadline, the last one seen kept."""
    for _ in range(20):
        http.get(URL, payload=document("processing", 30))

    with pytest.raises(WaitTimeoutError) as late:
        await timed_client.documents.wait("d1", policy=POLICY)

    assert late.value.last is not None
    assert late.value.last.progress == 30


async def test_watch_yields_a_failed_document_rather_than_raising(
    timed_client: TavusClient, http: Any
) -> None:
    """watch yields each change and the failed document last, without raising."""
    serve(http, [document("started"), document("error", error_message="invalid_file_url")])

    seen = [d async for d in timed_client.documents.watch("d1", policy=FAST)]

    assert [str(d.status) for d in seen] == ["started", "error"]
    assert seen[-1].error_message == "invalid_file_url"


async def test_wait_many_gives_each_document_its_outcome(
    timed_client: TavusClient, http: Any
) -> None:
    """wait_many: a ready document is ok, a failed one carries DocumentProcessingError."""
    http.get(f"{BASE}/v2/documents/d1", payload=document("ready"))
    http.get(
        f"{BASE}/v2/documents/d2",
        payload={"document_id": "d2", "status": "error", "error_message": "embedding_failed"},
    )

    outcomes = await collect(timed_client.documents.wait_many(["d1", "d2"], policy=POLICY))

    by_id = {o.id: o for o in outcomes}
    assert by_id["d1"].ok
    assert isinstance(by_id["d2"].error, DocumentProcessingError)
    assert by_id["d2"].result is not None
    assert by_id["d2"].result.error_message == "embedding_failed"


async def test_default_policy_fits_processing_of_minutes(
    timed_client: TavusClient, http: Any, clock: FakeClock
) -> None:
    """The first pause is 3-5 s, later ones about a minute, the deadline an hour."""
    serve(http, [document("processing"), document("ready")])

    await timed_client.documents.wait("d1")

    (pause,) = clock.delays
    assert 3 <= pause <= 5
    assert timed_client.documents.default_policy is DOCUMENT_POLICY
    assert DOCUMENT_POLICY.timeout == 3600
    assert all(58 <= DOCUMENT_POLICY.delay(n) <= 60 for n in range(30, 60))
    assert DOCUMENT_FALLBACK_POLICY.initial >= 300
