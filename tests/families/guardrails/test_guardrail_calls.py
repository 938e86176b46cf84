"""guardrails calls against mocks of Tavus's documented answers: bodies sent, answers read."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from tavus_async import (
    BadRequestError,
    Guardrail,
    GuardrailSet,
    GuardrailSetItem,
    NotFoundError,
    PatchOperation,
    TavusClient,
)

from _support.http import BASE, sent, total_requests

GUARDRAILS = f"{BASE}/v2/guardrails"

# Tavus's Create Guardrails example answer.
DOCS_GUARDRAIL: dict[str, Any] = {
    "uuid": "g1234567890ab",
    "guardrail_name": "healthcare_compliance_guardrail",
    "guardrail_prompt": "Never share sensitive medical information or provide medical advice "
    "outside approved guidelines.",
    "modality": "verbal",
    "callback_url": "https://your-server.com/guardrails-webhook",
    "tags": ["compliance", "healthcare"],
    "app_message": True,
    "created_at": "2024-01-15T10:30:00Z",
    "updated_at": "2024-01-15T10:30:00Z",
}


async def test_create_sends_every_documented_field_and_reads_the_guardrail(
    client: TavusClient, http: Any
) -> None:
    """create posts each field under Tavus's name and returns the guardrail, uuid its id."""
    http.post(GUARDRAILS, payload=DOCS_GUARDRAIL)

    guardrail = await client.guardrails.create(
        guardrail_name="healthcare_compliance_guardrail",
        guardrail_prompt="Never share sensitive medical information.",
        modality="verbal",
        callback_url="https://your-server.com/guardrails-webhook",
        tags=["compliance", "healthcare"],
        app_message=False,
    )

    (call,) = sent(http, "POST", GUARDRAILS)
    assert call.kwargs["json"] == {
        "guardrail_name": "healthcare_compliance_guardrail",
        "guardrail_prompt": "Never share sensitive medical information.",
        "modality": "verbal",
        "callback_url": "https://your-server.com/guardrails-webhook",
        "tags": ["compliance", "healthcare"],
        "app_message": False,
    }
    assert guardrail.uuid == "g1234567890ab"
    assert guardrail.tags == ("compliance", "healthcare")
    assert guardrail.created_at == datetime(2024, 1, 15, 10, 30, tzinfo=timezone.utc)
    assert guardrail.to_dict() == DOCS_GUARDRAIL


async def test_create_sends_only_what_is_given(client: TavusClient, http: Any) -> None:
    """Without the optional fields only the name and prompt go; unknown words pass."""
    http.post(GUARDRAILS, payload={"uuid": "g1"})

    await client.guardrails.create(
        guardrail_name="any name Tavus may judge", guardrail_prompt="x", modality="olfactory"
    )

    (call,) = sent(http, "POST", GUARDRAILS)
    assert call.kwargs["json"] == {
        "guardrail_name": "any name Tavus may judge",
        "guardrail_prompt": "x",
        "modality": "olfactory",
    }


@pytest.mark.parametrize(
    ("arguments", "error", "named"),
    [
        ({"guardrail_name": ""}, ValueError, "guardrail_name"),
        ({"guardrail_prompt": "  "}, ValueError, "guardrail_prompt"),
        ({"guardrail_prompt": 5}, TypeError, "guardrail_prompt"),
        ({"tags": "safety"}, TypeError, "tags"),
        ({"tags": ["ok", 3]}, TypeError, r"tags\[1\]"),
        ({"callback_url": "example.com/hook"}, ValueError, "callback_url"),
        ({"app_message": "yes"}, TypeError, "app_message"),
        ({"modality": ""}, ValueError, "modality"),
    ],
)
async def test_bad_input_fails_before_any_request(
    client: TavusClient, http: Any, arguments: dict[str, Any], error: type, named: str
) -> None:
    """A malformed argument is refused before any request, naming it."""
    given = {"guardrail_name": "g", "guardrail_prompt": "p", **arguments}

    with pytest.raises(error, match=named):
        await client.guardrails.create(**given)

    assert total_requests(http) == 0


async def test_a_long_name_is_left_for_tavus_to_judge(client: TavusClient, http: Any) -> None:
    """Tavus's length limits are its own: a 101-character name is sent, and its 400 raised."""
    http.post(GUARDRAILS, status=400, payload={"message": "guardrail_name is too long"})

    with pytest.raises(BadRequestError, match="too long"):
        await client.guardrails.create(guardrail_name="g" * 101, guardrail_prompt="p")

    assert len(sent(http, "POST", GUARDRAILS)) == 1


async def test_list_asks_for_individual_guardrails_with_the_filters(
    client: TavusClient, http: Any
) -> None:
    """list sends legacy=false, sort, name_or_uuid and tags comma-separated, and reads the page."""
    url = (  # in sorted order, as the mock records it
        f"{GUARDRAILS}?legacy=false&limit=10&name_or_uuid=health&page=0"
        "&sort=descending&tags=compliance,healthcare"
    )
    http.get(url, payload={"data": [DOCS_GUARDRAIL], "total_count": 15, "page": 0, "limit": 10})

    page = await client.guardrails.list(
        limit=10,
        page=0,
        sort="descending",
        name_or_uuid="health",
        tags=["compliance", "healthcare"],
    )

    assert len(sent(http, "GET", url)) == 1
    assert page.total_count == 15
    assert [g.uuid for g in page] == ["g1234567890ab"]
    assert isinstance(page.data[0], Guardrail)


async def test_iter_walks_tavus_zero_based_pages(client: TavusClient, http: Any) -> None:
    """iter sends legacy=false and the filters with every page, from page 0, each item once."""
    base = f"{GUARDRAILS}?legacy=false&tags=safety&limit=2"
    http.get(f"{base}&page=0", payload={"data": [{"uuid": "g1"}, {"uuid": "g2"}], "total_count": 3})
    http.get(f"{base}&page=1", payload={"data": [{"uuid": "g3"}], "total_count": 3})

    uuids = [g.uuid async for g in client.guardrails.iter(page_size=2, tags=["safety"])]

    assert uuids == ["g1", "g2", "g3"]


async def test_get_reads_the_guardrail(client: TavusClient, http: Any) -> None:
    """get reads Tavus's guardrail object in one request."""
    http.get(f"{GUARDRAILS}/g1234567890ab", payload=DOCS_GUARDRAIL)

    guardrail = await client.guardrails.get("g1234567890ab")

    assert guardrail.guardrail_name == "healthcare_compliance_guardrail"
    assert guardrail.app_message is True
    assert total_requests(http) == 1


async def test_update_returns_the_guardrail_tavus_sends_back(
    client: TavusClient, http: Any
) -> None:
    """update PATCHes the operations as a JSON array and returns Tavus's updated guardrail."""
    answer = {**DOCS_GUARDRAIL, "tags": ["compliance"], "updated_at": "2024-01-16T08:00:00Z"}
    http.patch(f"{GUARDRAILS}/g1234567890ab", payload=answer)

    updated = await client.guardrails.update(
        "g1234567890ab",
        [
            {"op": "replace", "path": "/guardrail_prompt", "value": "Never diagnose."},
            PatchOperation(op="remove", path="/tags/1"),
        ],
    )

    (call,) = sent(http, "PATCH", f"{GUARDRAILS}/g1234567890ab")
    assert call.kwargs["json"] == [
        {"op": "replace", "path": "/guardrail_prompt", "value": "Never diagnose."},
        {"op": "remove", "path": "/tags/1"},
    ]
    assert isinstance(updated, Guardrail)
    assert updated.tags == ("compliance",)
    assert updated.updated_at == datetime(2024, 1, 16, 8, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 304},
        {"status": 200, "body": ""},
        {"status": 200, "payload": {"message": "Guardrails updated successfully"}},
    ],
    ids=["304", "empty", "legacy message"],
)
async def test_update_without_a_guardrail_in_the_answer_returns_none(
    client: TavusClient, http: Any, answer: dict[str, Any]
) -> None:
    """A 304 (nothing changed), an empty body or a legacy set's message are success: None."""
    http.patch(f"{GUARDRAILS}/g12345", **answer)

    result = await client.guardrails.update(
        "g12345", [{"op": "replace", "path": "/data/0/guardrail_prompt", "value": "x"}]
    )

    assert result is None


async def test_raw_update_parses_to_what_the_call_returns(client: TavusClient, http: Any) -> None:
    """with_raw_response.update's parse() is the guardrail; after a 304 it is None."""
    http.patch(f"{GUARDRAILS}/g1", payload={**DOCS_GUARDRAIL, "uuid": "g1"})
    http.patch(f"{GUARDRAILS}/g1", status=304)
    replace = [{"op": "replace", "path": "/modality", "value": "visual"}]

    echoed = await client.guardrails.with_raw_response.update("g1", replace)
    unchanged = await client.guardrails.with_raw_response.update("g1", replace)

    assert echoed.parse().uuid == "g1"
    assert (unchanged.status_code, unchanged.parse()) == (304, None)


@pytest.mark.parametrize(
    ("operations", "named"),
    [
        ({"op": "replace", "path": "/x", "value": 1}, "operations"),
        ([{"op": "rename", "path": "/x"}], r"operations\[0\]"),
        ([{"op": "replace", "path": "x", "value": 1}], r"operations\[0\]"),
    ],
)
async def test_update_refuses_malformed_operations_before_any_request(
    client: TavusClient, http: Any, operations: Any, named: str
) -> None:
    """An operation of the wrong shape is refused before any request, naming its place."""
    with pytest.raises((TypeError, ValueError), match=named):
        await client.guardrails.update("g1", operations)

    assert total_requests(http) == 0


async def test_delete_takes_tavus_204_and_its_404(client: TavusClient, http: Any) -> None:
    """delete sends DELETE and takes a 204; Tavus's 404 is NotFoundError."""
    http.delete(f"{GUARDRAILS}/g1", status=204)
    http.delete(f"{GUARDRAILS}/g404", status=404, payload={"error": "Guardrail not found"})

    assert await client.guardrails.delete("g1") is None
    with pytest.raises(NotFoundError, match="Guardrail not found"):
        await client.guardrails.delete("g404")


async def test_create_legacy_set_sends_name_and_items(client: TavusClient, http: Any) -> None:
    """A legacy set is posted as {name, data}, typed items as their JSON; Tavus's answer read."""
    http.post(
        GUARDRAILS,
        payload={
            "guardrails_id": "g12345",
            "guardrails_name": "Healthcare Compliance Guardrails",
            "status": "active",
            "created_at": "2024-01-15T10:30:00Z",
        },
    )

    created = await client.guardrails.create_legacy_set(
        name="Healthcare Compliance Guardrails",
        data=[
            GuardrailSetItem(guardrail_name="no_advice", guardrail_prompt="No advice."),
            {"guardrail_name": "no_names", "guardrail_prompt": "No names.", "modality": "visual"},
        ],
    )

    (call,) = sent(http, "POST", GUARDRAILS)
    assert call.kwargs["json"] == {
        "name": "Healthcare Compliance Guardrails",
        "data": [
            {"guardrail_name": "no_advice", "guardrail_prompt": "No advice."},
            {"guardrail_name": "no_names", "guardrail_prompt": "No names.", "modality": "visual"},
        ],
    }
    assert isinstance(created, GuardrailSet)
    assert (created.guardrails_id, created.status) == ("g12345", "active")
    assert created.guardrails_name == "Healthcare Compliance Guardrails"


@pytest.mark.parametrize(
    ("arguments", "error", "named"),
    [
        ({"name": ""}, ValueError, "name"),
        ({"data": []}, ValueError, "data"),
        ({"data": {"guardrail_name": "a"}}, TypeError, "data"),
        ({"data": ["a"]}, TypeError, r"data\[0\]"),
    ],
)
async def test_a_bad_legacy_set_fails_before_any_request(
    client: TavusClient, http: Any, arguments: dict[str, Any], error: type, named: str
) -> None:
    """A blank name, or data that is not a non-empty list of items, is refused first."""
    given = {"name": "Set", "data": [{"guardrail_name": "a", "guardrail_prompt": "A"}]}

    with pytest.raises(error, match=named):
        await client.guardrails.create_legacy_set(**{**given, **arguments})

    assert total_requests(http) == 0


async def test_list_legacy_sets_asks_for_them(client: TavusClient, http: Any) -> None:
    """list_legacy_sets sends legacy=true and reads each set with its items."""
    url = f"{GUARDRAILS}?legacy=true&limit=5&page=1"
    item = {"uuid": "g0a", "guardrail_name": "a", "guardrail_prompt": "A", "modality": "verbal"}
    http.get(
        url,
        payload={
            "data": [{"guardrails_id": "g12345", "name": "Set", "data": [item]}],
            "total_count": 15,
        },
    )

    page = await client.guardrails.list_legacy_sets(limit=5, page=1)

    assert len(sent(http, "GET", url)) == 1
    (found,) = page.data
    assert found.data == (GuardrailSetItem.from_dict(item),)
    assert page.total_count == 15


@pytest.mark.parametrize(
    "answer",
    [
        {"guardrails_id": "g12345", "name": "Set", "data": [{"guardrail_name": "a"}]},
        {"data": {"guardrails_name": "Set", "guardrails_prompt": "Old", "modality": "verbal"}},
    ],
    ids=["set shape", "older wrapped shape"],
)
async def test_get_legacy_set_reads_either_shape(
    client: TavusClient, http: Any, answer: dict[str, Any]
) -> None:
    """A set is read as it is, or from an older {"data": {...}} answer without its id."""
    http.get(f"{GUARDRAILS}/g12345", payload=answer)

    found = await client.guardrails.get_legacy_set("g12345")

    assert found.guardrails_id == "g12345"
    assert "Set" in (found.name, found.guardrails_name)
