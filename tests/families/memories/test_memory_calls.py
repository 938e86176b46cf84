"""memories.delete: the path it sends, the store names it takes and refuses, and FakeTavus."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import NotFoundError, TavusClient
from tavus_async.testing import FakeTavus
from tavus_async.testing._routes.memories import STOCK_MEMORY, FakeMemory

from _support.http import BASE, sent, total_requests

MEMORIES = f"{BASE}/v2/memories"


@pytest.mark.parametrize("answer", [{"status": 204}, {"status": 200, "payload": {"ok": True}}])
async def test_delete_sends_the_store_and_id_in_the_path(
    client: TavusClient, http: Any, answer: dict[str, Any]
) -> None:
    """delete sends DELETE /v2/memories/{store}/{id}, no body, and takes any 2xx as done."""
    url = f"{MEMORIES}/anna_p123/m1a2b3"
    http.delete(url, **answer)

    assert await client.memories.delete("anna_p123", "m1a2b3") is None

    (call,) = sent(http, "DELETE", url)
    assert call.kwargs.get("json") is None
    assert total_requests(http) == 1


@pytest.mark.parametrize(
    ("store", "in_path"),
    [
        ("anna", "anna"),
        ("user-42_notes", "user-42_notes"),
        ("Änne", "%C3%84nne"),
        ("日本語", "%E6%97%A5%E6%9C%AC%E8%AA%9E"),
        ("o'brien", "o'brien"),
        ("a;b=c+d", "a;b=c%2Bd"),
        ("v1.2", "v1.2"),
    ],
)
async def test_a_store_is_the_callers_word_percent_encoded(
    client: TavusClient, http: Any, store: str, in_path: str
) -> None:
    """Any word safe in one path segment is a store, sent percent-encoded where it must be
    (a '+' too, which some servers read as a space; ';', '=' and "'" mean themselves)."""
    url = f"{MEMORIES}/{in_path}/m1"
    http.delete(url, status=204)

    await client.memories.delete(store, "m1")

    assert total_requests(http) == 1
    ((method, sent_url),) = http.requests
    assert (method, sent_url.raw_path) == ("DELETE", f"/v2/memories/{in_path}/m1")


@pytest.mark.parametrize(
    ("store", "error"),
    [
        ("", ValueError),
        ("a/b", ValueError),
        ("a?b", ValueError),
        ("a#b", ValueError),
        ("a%2Fb", ValueError),
        ("a\\b", ValueError),
        ("..", ValueError),
        ("a..b", ValueError),
        (".", ValueError),
        ("alice's notes", ValueError),
        (" anna", ValueError),
        ("anna\n", ValueError),
        ("an\tna", ValueError),
        ("an\x00na", ValueError),
        (None, TypeError),
        (42, TypeError),
    ],
)
async def test_unsafe_store_names_fail_before_any_request(
    client: TavusClient, http: Any, store: Any, error: type[Exception]
) -> None:
    """A store that could change the url's path is refused at once, naming memory_store."""
    with pytest.raises(error, match="memory_store"):
        await client.memories.delete(store, "m1")

    assert total_requests(http) == 0


@pytest.mark.parametrize("memory_id", ["", "m/1", "..", "m 1", "m%2F1", "mé"])
async def test_unsafe_memory_ids_fail_before_any_request(
    client: TavusClient, http: Any, memory_id: str
) -> None:
    """The memory id is a Tavus id: an unsafe one is refused at once, naming memory_id."""
    with pytest.raises(ValueError, match="memory_id"):
        await client.memories.delete("anna", memory_id)

    assert total_requests(http) == 0


async def test_delete_takes_the_call_options(client: TavusClient, http: Any) -> None:
    """extra_headers, extra_query and timeout reach the request; extra_body is refused."""
    url = f"{MEMORIES}/anna/m1?trace=1"
    http.delete(url, status=204)

    await client.memories.delete(
        "anna", "m1", extra_query={"trace": 1}, extra_headers={"X-Trace": "t"}, timeout=3
    )
    with pytest.raises(ValueError, match="extra_body"):
        await client.memories.delete("anna", "m1", extra_body={"x": 1})

    (call,) = sent(http, "DELETE", url)
    assert call.kwargs["headers"]["X-Trace"] == "t"
    assert call.kwargs["timeout"].total == 3


async def test_an_unknown_memory_is_not_found(client: TavusClient, http: Any) -> None:
    """Tavus's 404 is NotFoundError carrying its message."""
    http.delete(f"{MEMORIES}/anna/m1", status=404, payload={"error": "Memory not found"})

    with pytest.raises(NotFoundError, match="Memory not found"):
        await client.memories.delete("anna", "m1")


async def test_a_raw_delete_describes_the_answer(client: TavusClient, http: Any) -> None:
    """with_raw_response.delete gives the status, and parse() is None."""
    http.delete(f"{MEMORIES}/anna/m1", status=204)

    raw = await client.memories.with_raw_response.delete("anna", "m1")

    assert (raw.status_code, raw.method, raw.parse()) == (204, "DELETE", None)


async def test_faketavus_deletes_a_memory_once(tavus: TavusClient, fake: FakeTavus) -> None:
    """On FakeTavus, the stock memory and one of a unicode store are deleted, then unknown."""
    mine = FakeMemory(memory_store="Änne's", memory_id="m42", text="Likes tea.")
    fake.jobs.memories[mine.key] = mine

    await tavus.memories.delete(STOCK_MEMORY.memory_store, STOCK_MEMORY.memory_id)
    await tavus.memories.delete("Änne's", "m42")

    assert fake.jobs.memories == {}
    assert [r.path for r in fake.requests] == [
        "/v2/memories/anna_p9a95912/m5c1e0a7f42",
        "/v2/memories/Änne's/m42",
    ]
    with pytest.raises(NotFoundError, match="Memory not found"):
        await tavus.memories.delete("Änne's", "m42")
