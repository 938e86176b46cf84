"""The fault suite's documents: a create and a recrawl are never sent twice, an update is
retried, and waits survive transient trouble, under seeded faults."""

from __future__ import annotations

import pytest

from tavus_async import (
    APIConnectionError,
    DocumentProcessingError,
    DocumentStatus,
    ResponseValidationError,
    TavusClient,
    TavusError,
)
from tavus_async.testing import FakeTavus

from _support.clocks import FakeClock
from _support.emulator import QUICK
from _support.faults.model import SEEDS
from _support.faults.run import Guard

SITE = "https://docs.example.com/"
#: Faults that leave a POST's outcome in doubt, or refuse it: none may start a second job.
POST_FAULTS: list[dict[str, object]] = [
    {"drop": True},
    {"drop_after": True},
    {"status": 503},
    {"status": 502, "body": "<html>Bad gateway", "headers": {"Content-Type": "text/html"}},
    {"malformed": True},
    {"truncated": True},
]


@pytest.mark.parametrize("fault", POST_FAULTS, ids=lambda f: next(iter(f)))
async def test_a_document_create_is_never_sent_twice(
    fake: FakeTavus, tavus: TavusClient, fault: dict[str, object], guard: Guard
) -> None:
    """Whatever happens to its answer, a create POSTs once; one that may have acted says so."""
    fake.fault(method="POST", path="/v2/documents", **fault)

    with pytest.raises(TavusError) as caught:
        await tavus.documents.create(document_url=SITE, crawl={"depth": 1})

    posts = [r for r in fake.requests if r.method == "POST"]
    assert len(posts) == 1
    assert len(fake.jobs.documents) <= 1
    if fake.jobs.documents or isinstance(caught.value, APIConnectionError):
        assert "list()" in str(caught.value), caught.value
    if isinstance(caught.value, ResponseValidationError):
        assert len(fake.jobs.documents) == 1


@pytest.mark.parametrize("fault", POST_FAULTS, ids=lambda f: next(iter(f)))
async def test_a_recrawl_is_never_sent_twice(
    fake: FakeTavus,
    tavus: TavusClient,
    clock: FakeClock,
    fault: dict[str, object],
    guard: Guard,
) -> None:
    """Whatever happens to its answer, a recrawl POSTs once and starts one crawl at most."""
    created = await tavus.documents.create(document_url=SITE, crawl={"depth": 1})
    await tavus.documents.wait(created.document_id, policy=QUICK)
    clock.advance(fake.timing.document_recrawl_cooldown)
    path = f"/v2/documents/{created.document_id}/recrawl"
    fake.fault(method="POST", path=path, **fault)

    with pytest.raises(TavusError):
        await tavus.documents.recrawl(created.document_id)

    assert [r.path for r in fake.requests].count(path) == 1
    assert len(fake.jobs.documents[created.document_id].runs) <= 2


@pytest.mark.parametrize(
    "fault", [{"drop_after": True}, {"status": 503}, {"status": 502}], ids=lambda f: next(iter(f))
)
async def test_an_update_is_retried_until_it_is_answered(
    fake: FakeTavus, tavus: TavusClient, fault: dict[str, object], guard: Guard
) -> None:
    """A lost or failed update is sent again (the same update twice does the same)."""
    created = await tavus.documents.create(document_url=SITE)
    path = f"/v2/documents/{created.document_id}"
    fake.fault(method="PATCH", path=path, times=2, **fault)

    updated = await tavus.documents.update(created.document_id, tags=["a"])

    assert [r.method for r in fake.requests if r.path == path].count("PATCH") == 3
    assert updated.tags == ("a",)


@pytest.mark.parametrize("seed", SEEDS)
async def test_waits_for_documents_survive_random_faults(
    fake: FakeTavus, tavus: TavusClient, seed: int, guard: Guard
) -> None:
    """Under seeded faults on a third of the polls, each wait ends as its document did."""
    good = await tavus.documents.create(document_url=SITE)
    bad = await tavus.documents.create(document_url="https://example.com/tavus-fail.pdf")
    fake.random_faults(0.35, seed=seed)

    ready = await tavus.documents.wait(good.document_id, policy=QUICK)
    with pytest.raises(DocumentProcessingError, match="file_download_failed"):
        await tavus.documents.wait(bad.document_id, policy=QUICK)
    outcomes = [o async for o in tavus.documents.wait_many([good.document_id], policy=QUICK)]

    fake.random_faults(0.0)
    assert ready.status is DocumentStatus.READY
    assert [o.ok for o in outcomes] == [True]
