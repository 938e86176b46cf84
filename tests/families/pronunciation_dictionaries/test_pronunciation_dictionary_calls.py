"""pronunciation_dictionaries calls against mocks of Tavus's documented answers."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from tavus_async import (
    NotFoundError,
    PatchOperation,
    PronunciationDictionary,
    PronunciationRule,
    TavusClient,
)

from _support.http import BASE, sent, total_requests

DICTIONARIES = f"{BASE}/v2/pronunciation-dictionaries"
RULE = {"text": "Tavus", "pronunciation": "TAH-vus", "type": "alias",
        "case_sensitive": False, "word_boundaries": True}  # fmt: skip
# Tavus's Create / Get answer example.
DOCS_DICTIONARY: dict[str, Any] = {
    "pronunciation_dictionary_id": "pd_abc123def456gh",
    "name": "Brand Terms",
    "rules": [RULE],
    "rules_count": 1,
    "created_at": "2025-01-15T10:30:00Z",
    "updated_at": "2025-01-15T10:30:00Z",
}


async def test_create_sends_the_name_and_rules_and_reads_the_dictionary(
    client: TavusClient, http: Any
) -> None:
    """create posts name and rules (typed or mappings) and reads Tavus's full answer."""
    http.post(DICTIONARIES, payload=DOCS_DICTIONARY)

    created = await client.pronunciation_dictionaries.create(
        name="Brand Terms",
        rules=[
            PronunciationRule(text="Tavus", pronunciation="TAH-vus", type="alias"),
            {"text": "SQL", "pronunciation": "sikwəl", "type": "ipa", "case_sensitive": True},
        ],
    )

    (call,) = sent(http, "POST", DICTIONARIES)
    assert call.kwargs["json"] == {
        "name": "Brand Terms",
        "rules": [
            {"text": "Tavus", "pronunciation": "TAH-vus", "type": "alias"},
            {"text": "SQL", "pronunciation": "sikwəl", "type": "ipa", "case_sensitive": True},
        ],
    }
    assert created.pronunciation_dictionary_id == "pd_abc123def456gh"
    assert created.rules == (PronunciationRule(**RULE),)
    assert created.rules_count == 1
    assert created.created_at == datetime(2025, 1, 15, 10, 30, tzinfo=timezone.utc)


async def test_create_without_rules_sends_only_the_name(client: TavusClient, http: Any) -> None:
    """Rules may be added later: without them only the name is sent."""
    http.post(DICTIONARIES, payload={**DOCS_DICTIONARY, "rules": [], "rules_count": 0})

    created = await client.pronunciation_dictionaries.create(name="Empty")

    (call,) = sent(http, "POST", DICTIONARIES)
    assert call.kwargs["json"] == {"name": "Empty"}
    assert created.rules == ()


async def test_unknown_rule_words_and_keys_go_as_given(client: TavusClient, http: Any) -> None:
    """A type Tavus adds later, and a rule's unknown keys, are sent and read back."""
    rule = {**RULE, "type": "phoneme-2027", "locale": "en-GB"}
    http.post(DICTIONARIES, payload={**DOCS_DICTIONARY, "rules": [rule]})

    created = await client.pronunciation_dictionaries.create(
        name="x",
        rules=[PronunciationRule(text="Tavus", type="phoneme-2027", extra={"locale": "en-GB"})],
    )

    (call,) = sent(http, "POST", DICTIONARIES)
    assert call.kwargs["json"]["rules"] == [
        {"text": "Tavus", "type": "phoneme-2027", "locale": "en-GB"}
    ]
    assert created.rules is not None
    assert (created.rules[0].type, created.rules[0].extra) == ("phoneme-2027", {"locale": "en-GB"})


@pytest.mark.parametrize(
    ("arguments", "error", "named"),
    [
        ({"name": 5}, TypeError, "name"),
        ({"name": None}, TypeError, "name"),
        ({"name": "x", "rules": "Tavus=TAH-vus"}, TypeError, "rules"),
        ({"name": "x", "rules": {"text": "Tavus"}}, TypeError, "rules"),
        ({"name": "x", "rules": [RULE, "Tavus"]}, TypeError, r"rules\[1\]"),
        ({"name": "x", "rules": [{"text": object()}]}, TypeError, r"rules\[0\]"),
    ],
)
async def test_bad_input_fails_before_any_request(
    client: TavusClient, http: Any, arguments: dict[str, Any], error: type, named: str
) -> None:
    """A malformed name or rule is refused before any request, naming it."""
    with pytest.raises(error, match=named):
        await client.pronunciation_dictionaries.create(**arguments)

    assert total_requests(http) == 0


async def test_list_sends_paging_and_sort_and_reads_items_without_rules(
    client: TavusClient, http: Any
) -> None:
    """list sends limit, page (from 0) and sort; its items carry rules_count, not rules."""
    url = f"{DICTIONARIES}?limit=10&page=0&sort=asc"
    item = {k: v for k, v in DOCS_DICTIONARY.items() if k != "rules"}
    http.get(url, payload={"data": [item], "total_count": 2, "page": 0, "limit": 10})

    page = await client.pronunciation_dictionaries.list(limit=10, page=0, sort="asc")

    assert len(sent(http, "GET", url)) == 1
    assert page.total_count == 2
    (listed,) = page
    assert (listed.name, listed.rules, listed.rules_count) == ("Brand Terms", None, 1)


async def test_iter_walks_pages_from_zero(client: TavusClient, http: Any) -> None:
    """iter asks for page 0, then 1, with the sort, until total_count items are seen."""
    first = [{"pronunciation_dictionary_id": f"pd_{i}"} for i in range(2)]
    http.get(
        f"{DICTIONARIES}?limit=2&page=0&sort=desc",
        payload={"data": first, "total_count": 3, "page": 0, "limit": 2},
    )
    http.get(
        f"{DICTIONARIES}?limit=2&page=1&sort=desc",
        payload={"data": [{"pronunciation_dictionary_id": "pd_2"}], "total_count": 3},
    )

    walked = [d async for d in client.pronunciation_dictionaries.iter(page_size=2, sort="desc")]

    assert [d.pronunciation_dictionary_id for d in walked] == ["pd_0", "pd_1", "pd_2"]


async def test_get_reads_the_whole_dictionary(client: TavusClient, http: Any) -> None:
    """get reads the dictionary with its rules; an id like pd_… is a valid id."""
    http.get(f"{DICTIONARIES}/pd_abc123def456gh", payload=DOCS_DICTIONARY)

    got = await client.pronunciation_dictionaries.get("pd_abc123def456gh")

    assert got == PronunciationDictionary.from_dict(DOCS_DICTIONARY)
    assert got.to_dict() == DOCS_DICTIONARY


@pytest.mark.parametrize("answer", [{"status": 200, "payload": DOCS_DICTIONARY}, {"status": 304}])
async def test_update_sends_the_json_patch(
    client: TavusClient, http: Any, answer: dict[str, Any]
) -> None:
    """update PATCHes the operations, typed rules as JSON; 200 with the object or 304 is done."""
    url = f"{DICTIONARIES}/pd_abc123def456gh"
    http.patch(url, **answer)

    result = await client.pronunciation_dictionaries.update(
        "pd_abc123def456gh",
        [
            {"op": "replace", "path": "/name", "value": "Brand Terms v2"},
            PatchOperation(
                op="replace",
                path="/rules",
                value=[PronunciationRule(text="Tavus", pronunciation="TAV-us", type="alias")],
            ),
        ],
    )

    assert result is None
    (call,) = sent(http, "PATCH", url)
    assert call.kwargs["json"] == [
        {"op": "replace", "path": "/name", "value": "Brand Terms v2"},
        {
            "op": "replace",
            "path": "/rules",
            "value": [{"text": "Tavus", "pronunciation": "TAV-us", "type": "alias"}],
        },
    ]


@pytest.mark.parametrize(
    ("operations", "error", "named"),
    [
        ({"op": "replace", "path": "/name", "value": "x"}, TypeError, "operations"),
        ([{"op": "rename", "path": "/name"}], ValueError, r"operations\[0\]"),
        ([{"op": "replace", "path": "name", "value": "x"}], ValueError, r"operations\[0\]"),
        ([{"op": "replace", "path": "/rules", "value": [object()]}], TypeError, "operations"),
    ],
)
async def test_bad_patches_fail_before_any_request(
    client: TavusClient, http: Any, operations: Any, error: type, named: str
) -> None:
    """A malformed patch is refused before any request, naming the operation."""
    with pytest.raises(error, match=named):
        await client.pronunciation_dictionaries.update("pd_abc", operations)

    assert total_requests(http) == 0


async def test_delete_and_unknown_ids(client: TavusClient, http: Any) -> None:
    """delete takes Tavus's 204; an unknown id's 404 is NotFoundError with its message."""
    http.delete(f"{DICTIONARIES}/pd_abc", status=204)
    http.get(f"{DICTIONARIES}/pd_gone", status=404, payload={"error": "Dictionary not found"})

    assert await client.pronunciation_dictionaries.delete("pd_abc") is None
    with pytest.raises(NotFoundError, match="Dictionary not found"):
        await client.pronunciation_dictionaries.get("pd_gone")


async def test_bad_ids_and_words_fail_before_any_request(client: TavusClient, http: Any) -> None:
    """An unsafe id names pronunciation_dictionary_id; a blank sort is refused too."""
    api = client.pronunciation_dictionaries

    for call in (api.get("pd/1"), api.delete("../pd"), api.update("pd 1", [RULE])):
        with pytest.raises(ValueError, match="pronunciation_dictionary_id"):
            await call
    with pytest.raises(ValueError, match="sort"):
        await api.list(sort=" ")
    with pytest.raises(ValueError, match="page"):
        await api.list(page=-1)

    assert total_requests(http) == 0
