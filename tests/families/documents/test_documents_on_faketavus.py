"""Documents end to end on FakeTavus and its ManualClock: processing, failure, recrawl,
update, filters and pages, delete, and the callbacks that wake a wait."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator

import pytest

from tavus_async import (
    BadRequestError,
    ConflictError,
    DocumentCrawl,
    DocumentProcessingError,
    DocumentStatus,
    NotFoundError,
    PollPolicy,
    RateLimitError,
    TavusClient,
)
from tavus_async.callbacks import CallbackReceiver
from tavus_async.testing import FakeTavus, Timing

from _support.clocks import FakeClock
from _support.emulator import QUICK

SITE = "https://docs.example.com/"
PDF = "https://example.com/handbook.pdf"
# Pauses of 30 s: in the callback tests only a callback can end a wait quickly.
LONG = PollPolicy(initial=30, maximum=30, timeout=60)
BOUND = 10.0  # seconds of real time any callback test may take


async def test_a_document_is_processed_on_the_fakes_clock(tavus: TavusClient) -> None:
    """watch sees started, processing with rising progress, then ready, never twice the same."""
    created = await tavus.documents.create(document_url=PDF, tags=["hr"])
    assert created.status is DocumentStatus.STARTED

    seen = [
        (d.status, d.progress)
        async for d in tavus.documents.watch(created.document_id, policy=QUICK)
    ]

    assert (seen[0][0], seen[-1]) == (DocumentStatus.STARTED, (DocumentStatus.READY, None))
    progress = [p for s, p in seen if s is DocumentStatus.PROCESSING]
    assert progress
    assert progress == sorted(progress)
    assert all(a != b for a, b in itertools.pairwise(seen))
    assert created.document_name == "handbook.pdf"  # Tavus names it when no name is given


async def test_a_failing_document_raises_with_its_error_code(tavus: TavusClient) -> None:
    """The fail marker in the url or name fails processing: DocumentProcessingError, its code."""
    site = await tavus.documents.create(
        document_url="https://tavus-fail.example.com/", crawl={"depth": 1}
    )

    with pytest.raises(DocumentProcessingError, match="file_download_failed") as failed:
        await tavus.documents.create_and_wait(
            document_url=PDF, document_name="tavus-fail", policy=QUICK
        )
    with pytest.raises(DocumentProcessingError, match="website_processing_failed"):
        await tavus.documents.wait(site.document_id, policy=QUICK)

    assert failed.value.job.status is DocumentStatus.ERROR
    assert failed.value.job.error_message == "file_download_failed"


async def test_a_website_is_recrawled_once_ready_and_after_the_cooldown(
    tavus: TavusClient, clock: FakeClock
) -> None:
    """recrawl: 409 while processing, 429 in the cooldown, then recrawling -> ready, count + 1."""
    created = await tavus.documents.create(
        document_url=SITE, crawl=DocumentCrawl(depth=2, max_pages=10)
    )
    with pytest.raises(ConflictError, match="current status: started"):
        await tavus.documents.recrawl(created.document_id)
    first = await tavus.documents.wait(created.document_id, policy=QUICK)
    with pytest.raises(RateLimitError, match="Recrawl cooldown"):
        await tavus.documents.recrawl(created.document_id, max_retries=0)
    clock.advance(Timing().document_recrawl_cooldown)

    recrawling = await tavus.documents.recrawl(created.document_id, crawl={"max_pages": 3})
    again = await tavus.documents.wait(created.document_id, policy=QUICK)

    assert first.crawl_count == 1
    assert first.crawled_urls
    assert first.crawled_urls[0] == SITE
    assert (recrawling.status, recrawling.crawl_count) == (DocumentStatus.RECRAWLING, 1)
    assert (again.status, again.crawl_count) == (DocumentStatus.READY, 2)
    assert again.last_crawled_at is not None
    assert first.last_crawled_at is not None
    assert again.last_crawled_at >= first.last_crawled_at
    assert again.crawl_config == DocumentCrawl(depth=2, max_pages=10)  # the stored settings
    assert again.crawled_urls is not None
    assert len(again.crawled_urls) == 3


async def test_a_file_without_crawl_settings_cannot_be_recrawled(tavus: TavusClient) -> None:
    """A document created without crawl is refused a plain recrawl (Tavus's 400)."""
    created = await tavus.documents.create(document_url=PDF)
    await tavus.documents.wait(created.document_id, policy=QUICK)

    with pytest.raises(BadRequestError, match="not created with crawl"):
        await tavus.documents.recrawl(created.document_id)


async def test_update_renames_and_replaces_the_tags(tavus: TavusClient) -> None:
    """update returns the document with its new name and exactly the tags given."""
    created = await tavus.documents.create(document_url=PDF, tags=["hr", "2024"])

    renamed = await tavus.documents.update(created.document_id, document_name="Handbook")
    retagged = await tavus.documents.update(created.document_id, tags=["policies"])

    assert (renamed.document_name, renamed.tags) == ("Handbook", ("hr", "2024"))
    assert (retagged.document_name, retagged.tags) == ("Handbook", ("policies",))


async def test_list_filters_and_pages_from_zero(tavus: TavusClient, clock: FakeClock) -> None:
    """status, name_or_uuid, tags and sort filter the list; pages count from 0; iter sees all."""
    hr = await tavus.documents.create(document_url=PDF, document_name="HR Handbook", tags=["hr"])
    await tavus.documents.wait(hr.document_id, policy=QUICK)
    site = await tavus.documents.create(document_url=SITE, tags=["docs", "web"])
    notes = await tavus.documents.create(document_url=PDF, document_name="Notes", tags=["web"])

    ready = await tavus.documents.list(status=DocumentStatus.READY)
    named = await tavus.documents.list(name_or_uuid="handbook")
    by_id = await tavus.documents.list(name_or_uuid=site.document_id)
    tagged = await tavus.documents.list(tags=["web", "nothing"])
    newest_first = await tavus.documents.list(sort="descending", limit=2, page=0)
    second_page = await tavus.documents.list(sort="descending", limit=2, page=1)
    everything = [d.document_id async for d in tavus.documents.iter(page_size=1)]

    assert [d.document_id for d in ready] == [hr.document_id]
    assert [d.document_id for d in named] == [hr.document_id]
    assert [d.document_id for d in by_id] == [site.document_id]
    assert {d.document_id for d in tagged} == {site.document_id, notes.document_id}
    assert [d.document_id for d in newest_first] == [notes.document_id, site.document_id]
    assert [d.document_id for d in second_page] == [hr.document_id]
    assert newest_first.total_count == 3
    assert everything == [hr.document_id, site.document_id, notes.document_id]


async def test_a_deleted_document_is_gone(fake: FakeTavus, tavus: TavusClient) -> None:
    """delete removes it: get and a second delete are NotFoundError, the list is empty."""
    created = await tavus.documents.create(document_url=PDF)

    await tavus.documents.delete(created.document_id)

    with pytest.raises(NotFoundError, match="Document not found"):
        await tavus.documents.get(created.document_id)
    with pytest.raises(NotFoundError):
        await tavus.documents.delete(created.document_id)
    assert (await tavus.documents.list()).total_count == 0
    assert fake.jobs.documents == {}


# -- callbacks wake waits, end to end --------------------------------------------------


@pytest.fixture
async def stuck(clock: FakeClock) -> AsyncIterator[FakeTavus]:
    """FakeTavus whose documents end only when the test advances its manual clock."""
    timing = Timing(document_queue=0.0, document_processing=1000.0)
    async with FakeTavus(clock=clock, timing=timing, callback_interval=0.005) as fake:
        yield fake


@pytest.fixture
async def real_time(stuck: FakeTavus) -> AsyncIterator[TavusClient]:
    """A client of ``stuck`` waiting in real time: only a callback ends a 30 s pause soon."""
    async with stuck.client(clock=time.monotonic, sleep=asyncio.sleep) as client:
        yield client


async def test_a_callback_wakes_the_wait_for_a_document(
    stuck: FakeTavus, real_time: TavusClient, clock: FakeClock
) -> None:
    """The document's callback ends the wait's 30 s pause; one GET confirms it ready."""
    async with CallbackReceiver() as receiver:
        created = await real_time.documents.create(document_url=PDF, callback_url=receiver.url)
        waiting = asyncio.create_task(
            real_time.documents.wait(created.document_id, callbacks=receiver, policy=LONG)
        )
        await asyncio.sleep(0.05)  # the first poll has seen it processing
        clock.advance(1000.0)
        started = time.monotonic()
        ready = await asyncio.wait_for(waiting, BOUND)

    assert time.monotonic() - started < 5
    assert ready.status is DocumentStatus.READY
    assert [c.outcome for c in stuck.callbacks] == [200]
    assert receiver.received == 1


async def test_a_recrawls_end_calls_back_again_and_wakes_its_wait(
    stuck: FakeTavus, real_time: TavusClient, clock: FakeClock
) -> None:
    """create_and_wait sends the receiver's url; the recrawl's end calls back a second time."""
    async with CallbackReceiver() as receiver:
        url = receiver.url
        creating = asyncio.create_task(
            real_time.documents.create_and_wait(
                document_url=SITE, crawl={"depth": 1}, callbacks=receiver, policy=LONG
            )
        )
        await asyncio.sleep(0.05)
        clock.advance(1000.0)
        first = await asyncio.wait_for(creating, BOUND)
        clock.advance(Timing().document_recrawl_cooldown)
        await real_time.documents.recrawl(first.document_id)
        recrawl = asyncio.create_task(
            real_time.documents.wait(first.document_id, callbacks=receiver, policy=LONG)
        )
        await asyncio.sleep(0.05)
        clock.advance(1000.0)
        again = await asyncio.wait_for(recrawl, BOUND)

    (post,) = [r for r in stuck.requests if r.method == "POST" and r.path == "/v2/documents"]
    assert post.body["callback_url"] == url
    assert (first.crawl_count, again.crawl_count) == (1, 2)
    assert [c.outcome for c in stuck.callbacks] == [200, 200]
