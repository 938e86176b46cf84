"""transcriptions: calls against mocks of openapi.yaml's answers, and on FakeTavus."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from tavus_async import NotFoundError, TavusClient, Transcription

from _support.http import BASE, sent, total_requests

TRANSCRIPTIONS = f"{BASE}/v2/transcriptions"
# openapi.yaml's list item (the create answer has id, status and callback_url only).
DOCS_ITEM: dict[str, Any] = {
    "transcription_id": "t0108f2d24k2a",
    "file_url": "https://example.com/talk.mp4",
    "text": "Hello there.",
    "status": "completed",
    "created_at": "2024-01-01T12:00:00Z",
}


async def test_create_sends_both_urls_and_reads_the_answer(client: TavusClient, http: Any) -> None:
    """create posts file_url and callback_url; Tavus's status word is kept as sent."""
    answer = {"transcription_id": "t0108f2d24k2a", "status": "queued-2027",
              "callback_url": "https://example.com/cb"}  # fmt: skip
    http.post(TRANSCRIPTIONS, payload=answer)

    created = await client.transcriptions.create(
        file_url="https://example.com/talk.mp4", callback_url="https://example.com/cb"
    )

    (call,) = sent(http, "POST", TRANSCRIPTIONS)
    assert call.kwargs["json"] == {
        "file_url": "https://example.com/talk.mp4",
        "callback_url": "https://example.com/cb",
    }
    assert (created.transcription_id, created.status) == ("t0108f2d24k2a", "queued-2027")


async def test_list_get_and_delete_read_the_documented_shapes(
    client: TavusClient, http: Any
) -> None:
    """list reads data and total_count, get the item, delete answers 204."""
    http.get(f"{TRANSCRIPTIONS}?limit=10&page=1", payload={"data": [DOCS_ITEM], "total_count": 1})
    http.get(f"{TRANSCRIPTIONS}/t0108f2d24k2a", payload=DOCS_ITEM)
    http.delete(f"{TRANSCRIPTIONS}/t0108f2d24k2a", status=204)

    page = await client.transcriptions.list(limit=10, page=1)
    got = await client.transcriptions.get("t0108f2d24k2a")
    await client.transcriptions.delete("t0108f2d24k2a")

    assert page.total_count == 1
    assert page.data == (got,)
    assert got.text == "Hello there."
    assert got.created_at == datetime(2024, 1, 1, 12, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"file_url": "talk.mp4", "callback_url": "https://example.com/cb"}, "file_url"),
        ({"file_url": "https://example.com/t.mp4", "callback_url": "ftp://x/cb"}, "callback_url"),
        ({"file_url": 3, "callback_url": "https://example.com/cb"}, "file_url"),
    ],
)
async def test_bad_urls_fail_before_any_request(
    client: TavusClient, http: Any, arguments: dict[str, Any], named: str
) -> None:
    """A url that is not http(s) is refused before any request, naming it."""
    with pytest.raises((TypeError, ValueError), match=named):
        await client.transcriptions.create(**arguments)

    assert total_requests(http) == 0


async def test_a_transcription_is_created_listed_and_deleted_on_fake(tavus: TavusClient) -> None:
    """FakeTavus keeps it (no text, no callback: undocumented) until it is deleted."""
    created = await tavus.transcriptions.create(
        file_url="https://example.com/talk.mp4", callback_url="https://example.com/cb"
    )

    listed = [t async for t in tavus.transcriptions.iter()]
    got = await tavus.transcriptions.get(created.transcription_id)
    await tavus.transcriptions.delete(created.transcription_id)

    assert [t.transcription_id for t in listed] == [created.transcription_id]
    assert isinstance(got, Transcription)
    assert got.file_url == "https://example.com/talk.mp4"
    with pytest.raises(NotFoundError):
        await tavus.transcriptions.get(created.transcription_id)
