"""objectives calls against mocks of Tavus's documented answers: bodies sent, answers read."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import (
    BadRequestError,
    NotFoundError,
    ObjectiveItem,
    Objectives,
    TavusClient,
)

from _support.http import BASE, sent, total_requests

OBJECTIVES = f"{BASE}/v2/objectives"

# The fields of an objective in Tavus's Get Objective and list examples.
DOCS_OBJECTIVE: dict[str, Any] = {
    "objective_name": "ask_if_new_patient",
    "objective_prompt": "Ask the patient if they are new or have been here before",
    "confirmation_mode": "auto",
    "output_variables": ["patient_status"],
    "modality": "verbal",
    "next_conditional_objectives": {
        "new_patient_intake_process": "If the patient has never been to the practice before",
        "existing_patient_intake_process": "If the patient has been to the practice before",
    },
    "next_required_objectives": ["get_patient_name"],
    "callback_url": "https://your-server.com/webhook",
    "created_at": "2024-01-15T10:30:00Z",
    "updated_at": "2024-01-15T10:30:00Z",
}


async def test_create_sends_the_items_and_reads_the_set(client: TavusClient, http: Any) -> None:
    """create posts {"data": [...]}, typed items as their JSON, and reads objectives_id."""
    http.post(
        OBJECTIVES,
        payload={
            "objectives_id": "o12345",
            "objective_name": "New Objectives",
            "status": "active",
            "created_at": "2024-01-15T10:30:00Z",
        },
    )

    created = await client.objectives.create(
        data=[
            ObjectiveItem(
                objective_name="ask_if_new_patient",
                objective_prompt="Ask the patient if they are new",
                confirmation_mode="manual",
                output_variables=["patient_status"],
                modality="verbal",
                next_conditional_objectives={"new_patient_intake": "If new"},
                callback_url="https://your-server.com/webhook",
            ),
            {
                "objective_name": "get_patient_name",
                "objective_prompt": "Ask for the name",
                "next_required_objectives": ["confirm"],
            },
        ]
    )

    (call,) = sent(http, "POST", OBJECTIVES)
    assert call.kwargs["json"] == {
        "data": [
            {
                "objective_name": "ask_if_new_patient",
                "objective_prompt": "Ask the patient if they are new",
                "confirmation_mode": "manual",
                "output_variables": ["patient_status"],
                "modality": "verbal",
                "next_conditional_objectives": {"new_patient_intake": "If new"},
                "callback_url": "https://your-server.com/webhook",
            },
            {
                "objective_name": "get_patient_name",
                "objective_prompt": "Ask for the name",
                "next_required_objectives": ["confirm"],
            },
        ]
    }
    assert isinstance(created, Objectives)
    assert (created.objectives_id, created.status) == ("o12345", "active")


@pytest.mark.parametrize(
    ("data", "error", "named"),
    [
        ([], ValueError, "data"),
        ({"objective_name": "a"}, TypeError, "data"),
        ("greet", TypeError, "data"),
        ([{"objective_name": "a"}, 7], TypeError, r"data\[1\]"),
        ([{1: "a"}], TypeError, r"data\[0\]"),
        ([{"next_conditional_objectives": ["b"]}], TypeError, "next_conditional_objectives"),
    ],
)
async def test_bad_items_fail_before_any_request(
    client: TavusClient, http: Any, data: Any, error: type, named: str
) -> None:
    """data that is not a non-empty list of items is refused before any request, naming it."""
    with pytest.raises(error, match=named):
        await client.objectives.create(data=data)

    assert total_requests(http) == 0


async def test_tavus_refusal_of_an_item_is_bad_request(client: TavusClient, http: Any) -> None:
    """What the items hold is Tavus's to judge: its 400 message comes back."""
    http.post(OBJECTIVES, status=400, payload={"message": "objective_name is required"})

    with pytest.raises(BadRequestError, match="objective_name is required"):
        await client.objectives.create(data=[{"objective_prompt": "x"}])


async def test_list_reads_the_page(client: TavusClient, http: Any) -> None:
    """list sends limit and page and reads each listed objective with its set's id."""
    url = f"{OBJECTIVES}?limit=10&page=1"
    http.get(url, payload={"data": [{"objectives_id": "o1", **DOCS_OBJECTIVE}], "total_count": 25})

    page = await client.objectives.list(limit=10, page=1)

    assert len(sent(http, "GET", url)) == 1
    (listed,) = page.data
    assert (listed.objectives_id, listed.objective_name) == ("o1", "ask_if_new_patient")
    assert listed.next_required_objectives == ("get_patient_name",)
    assert page.total_count == 25


async def test_iter_keeps_each_objective_of_a_set(client: TavusClient, http: Any) -> None:
    """Objectives listed one by one under their set's id are each yielded, once."""
    first = [
        {"objectives_id": "o1", "objective_name": "greet"},
        {"objectives_id": "o1", "objective_name": "ask"},
    ]
    http.get(f"{OBJECTIVES}?limit=2&page=0", payload={"data": first, "total_count": 3})
    http.get(f"{OBJECTIVES}?limit=2&page=1", payload={"data": first, "total_count": 3})
    http.get(
        f"{OBJECTIVES}?limit=2&page=2",
        payload={"data": [{"objectives_id": "o2", "objective_name": "greet"}], "total_count": 3},
    )

    listed = [
        (o.objectives_id, o.objective_name) async for o in client.objectives.iter(page_size=2)
    ]

    assert listed == [("o1", "greet"), ("o1", "ask"), ("o2", "greet")]


async def test_get_reads_tavus_wrapped_answer_with_the_id(client: TavusClient, http: Any) -> None:
    """Tavus's {"data": {objective}} (no id inside) is read as the set, its id the one asked."""
    http.get(f"{OBJECTIVES}/o12345", payload={"data": DOCS_OBJECTIVE})

    found = await client.objectives.get("o12345")

    assert found.objectives_id == "o12345"
    assert found.confirmation_mode == "auto"
    assert found.next_conditional_objectives == DOCS_OBJECTIVE["next_conditional_objectives"]
    assert found.to_dict() == {"objectives_id": "o12345", **DOCS_OBJECTIVE}
    assert total_requests(http) == 1


async def test_get_reads_a_list_of_objectives_as_the_sets_items(
    client: TavusClient, http: Any
) -> None:
    """A data list is read as the set's objectives; the guide's singular next name is kept."""
    items = [
        {"objective_name": "greet", "objective_prompt": "Hi", "next_required_objective": "ask"},
        {"objective_name": "ask", "objective_prompt": "Ask"},
    ]
    http.get(f"{OBJECTIVES}/o1", payload={"data": items})

    found = await client.objectives.get("o1")

    assert found.data is not None
    assert [item.objective_name for item in found.data] == ["greet", "ask"]
    assert found.data[0].next_objectives == ("ask",)
    assert found.data[0].to_dict() == items[0]


async def test_raw_get_parses_to_the_set(client: TavusClient, http: Any) -> None:
    """with_raw_response.get's parse() is the set, as the plain call returns."""
    http.get(f"{OBJECTIVES}/o1", payload={"data": DOCS_OBJECTIVE})

    raw = await client.objectives.with_raw_response.get("o1")

    assert raw.parse().objectives_id == "o1"


@pytest.mark.parametrize(
    ("status", "answer"),
    [
        (400, {"error": "Invalid objectives_id"}),
        (404, {"error": "Objective not found"}),
    ],
)
async def test_get_of_an_unknown_set_is_tavus_error(
    client: TavusClient, http: Any, status: int, answer: dict[str, Any]
) -> None:
    """Tavus's 400 and 404 for an unknown set are BadRequestError and NotFoundError."""
    http.get(f"{OBJECTIVES}/o404", status=status, payload=answer)

    with pytest.raises((BadRequestError, NotFoundError), match=answer["error"]):
        await client.objectives.get("o404")


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 200, "payload": {"message": "Objective updated successfully"}},
        {"status": 304},
    ],
)
async def test_update_sends_the_patch_and_takes_200_or_304(
    client: TavusClient, http: Any, answer: dict[str, Any]
) -> None:
    """update PATCHes the operations as a JSON array; Tavus's message and 304 both succeed."""
    http.patch(f"{OBJECTIVES}/o12345", **answer)
    operations = [{"op": "replace", "path": "/data/0/objective_name", "value": "updated"}]

    assert await client.objectives.update("o12345", operations) is None

    (call,) = sent(http, "PATCH", f"{OBJECTIVES}/o12345")
    assert call.kwargs["json"] == operations


async def test_update_tavus_cannot_apply_is_bad_request(client: TavusClient, http: Any) -> None:
    """Tavus's 400 Invalid patch operation is BadRequestError."""
    http.patch(f"{OBJECTIVES}/o1", status=400, payload={"error": "Invalid patch operation"})

    with pytest.raises(BadRequestError, match="Invalid patch operation"):
        await client.objectives.update("o1", [{"op": "remove", "path": "/nothing"}])


async def test_delete_takes_tavus_204(client: TavusClient, http: Any) -> None:
    """delete sends DELETE and takes a 204."""
    http.delete(f"{OBJECTIVES}/o1", status=204)

    assert await client.objectives.delete("o1") is None

    assert len(sent(http, "DELETE", f"{OBJECTIVES}/o1")) == 1
