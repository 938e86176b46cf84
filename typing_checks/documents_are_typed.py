"""Checked by ``mypy --strict`` in .ci/run, never run: what the documents family promises
a type checker. Each ``assert_type`` fails the type check if the SDK's typing regresses."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any

from typing_extensions import assert_type

from tavus_async import (
    Document,
    DocumentCrawl,
    DocumentProcessingError,
    DocumentStatus,
    JobFailedError,
    Page,
    PollPolicy,
    RawResponse,
    TavusClient,
    WaitOutcome,
)


async def calls(tavus: TavusClient) -> None:
    """Each call of the family returns its documented type."""
    document = await tavus.documents.create(
        document_url="https://docs.example.com/",
        document_name="Docs",
        tags=["docs"],
        crawl=DocumentCrawl(depth=2, max_pages=10),
        timeout=10.0,
    )
    assert_type(document, Document)
    assert_type(document.document_id, str)
    assert_type(document.progress, int | None)
    assert_type(document.crawl_config, DocumentCrawl | None)
    assert_type(document.crawled_urls, tuple[str, ...] | None)
    assert_type(document.last_crawled_at, datetime | None)
    assert_type(document.status, DocumentStatus | str | None)
    page = await tavus.documents.list(
        limit=5, page=0, sort="descending", status=DocumentStatus.READY, tags=["docs"]
    )
    assert_type(page, Page[Document])
    assert_type(tavus.documents.iter(name_or_uuid="Docs"), AsyncGenerator[Document, None])
    assert_type(await tavus.documents.get("d1"), Document)
    assert_type(await tavus.documents.update("d1", document_name="New", tags=[]), Document)
    assert_type(await tavus.documents.recrawl("d1", crawl={"max_pages": 3}), Document)
    assert_type(await tavus.documents.delete("d1"), None)
    raw = await tavus.documents.with_raw_response.recrawl("d1")
    assert_type(raw, RawResponse[Any])  # with_raw_response is typed generically


async def waits(tavus: TavusClient) -> None:
    """The waits return the ready document and typed outcomes."""
    policy = PollPolicy(initial=5, maximum=60, timeout=3600)
    assert_type(await tavus.documents.wait("d1", policy=policy, max_retries=0), Document)
    assert_type(await tavus.documents.create_and_wait(document_url="https://e.com/a.pdf"), Document)
    async for outcome in tavus.documents.wait_many(["d1", "d2"]):
        assert_type(outcome, WaitOutcome[Document])
    async for update in tavus.documents.watch("d1"):
        assert_type(update, Document)


def failure(error: DocumentProcessingError) -> JobFailedError[Document]:
    """DocumentProcessingError is a JobFailedError whose job is a Document."""
    assert_type(error.job, Document)
    return error
