"""canvas_interactions calls against mocks of Tavus's documented answers."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from tavus_async import CanvasInteraction, TavusClient

from _support.http import BASE, sent, total_requests

INTERACTIONS = f"{BASE}/v2/conversations/c123456/canvas/interactions"
# The list answer's item, with every field the reference names.
DOCS_ITEM: dict[str, Any] = {
    "conversation_id": "c123456",
    "interaction_id": "i-1",
    "tool_call_id": "call_9",
    "component": "canvas.question",
    "component_version": "v1",
    "type": "submit",
    "value": {"choice": "B"},
    "metadata": {"latency_ms": 812},
    "created_at": "2026-06-10T14:30:45.123456+00:00",
}


async def test_record_posts_exactly_the_given_fields(client: TavusClient, http: Any) -> None:
    """record posts the interaction's fields, and only those given."""
    http.post(INTERACTIONS, payload={"success": True})
    http.post(INTERACTIONS, payload={"success": True})

    await client.canvas_interactions.record(
        "c123456",
        interaction_id="i-1",
        tool_call_id="call_9",
        component="canvas.question",
        component_version="v1",
        type="submit",
        value={"choice": "B"},
        metadata={"latency_ms": 812},
    )
    await client.canvas_interactions.record(
        "c123456", interaction_id="i-2", tool_call_id="call_9", component="canvas.x", type="skip"
    )

    first, second = sent(http, "POST", INTERACTIONS)
    assert first.kwargs["json"] == {k: v for k, v in DOCS_ITEM.items()
                                    if k not in ("conversation_id", "created_at")}  # fmt: skip
    assert second.kwargs["json"] == {
        "interaction_id": "i-2",
        "tool_call_id": "call_9",
        "component": "canvas.x",
        "type": "skip",
    }


async def test_list_reads_every_documented_field(client: TavusClient, http: Any) -> None:
    """list GETs the interactions and reads them typed; unknown keys land in extra."""
    http.get(INTERACTIONS, payload={"data": [{**DOCS_ITEM, "origin": "embed"}]})

    page = await client.canvas_interactions.list("c123456")

    (item,) = page
    assert isinstance(item, CanvasInteraction)
    assert (item.interaction_id, item.type, item.value) == ("i-1", "submit", {"choice": "B"})
    assert item.metadata == {"latency_ms": 812}
    assert item.extra == {"origin": "embed"}
    assert item.created_at == datetime(2026, 6, 10, 14, 30, 45, 123456, tzinfo=timezone.utc)


async def test_record_is_retried_after_a_server_error(client: TavusClient, http: Any) -> None:
    """Tavus records an interaction once per id, so a 503 is answered by sending it again."""
    http.post(INTERACTIONS, status=503, payload={"error": "busy"})
    http.post(INTERACTIONS, payload={"success": True})

    await client.canvas_interactions.record(
        "c123456", interaction_id="i-1", tool_call_id="t", component="canvas.q", type="submit"
    )

    assert len(sent(http, "POST", INTERACTIONS)) == 2


GOOD = {"interaction_id": "i-1", "tool_call_id": "t", "component": "canvas.q", "type": "submit"}


@pytest.mark.parametrize(
    ("conversation_id", "changes", "error", "named"),
    [
        ("c/1", {}, ValueError, "conversation_id"),
        ("c1", {"interaction_id": ""}, ValueError, "interaction_id"),
        ("c1", {"interaction_id": "i" * 129}, ValueError, "interaction_id"),
        ("c1", {"tool_call_id": 5}, TypeError, "tool_call_id"),
        ("c1", {"component": " "}, ValueError, "component"),
        ("c1", {"type": None}, TypeError, "type"),
        ("c1", {"value": {1, 2}}, TypeError, "value"),
        ("c1", {"metadata": ["x"]}, TypeError, "metadata"),
        ("c1", {"metadata": {"x": float("nan")}}, TypeError, "metadata"),
    ],
)
async def test_bad_input_fails_before_any_request(
    client: TavusClient,
    http: Any,
    conversation_id: str,
    changes: dict[str, Any],
    error: type,
    named: str,
) -> None:
    """A malformed argument is refused before any request, naming it."""
    with pytest.raises(error, match=named):
        await client.canvas_interactions.record(conversation_id, **{**GOOD, **changes})
    with pytest.raises(ValueError, match="conversation_id"):
        await client.canvas_interactions.list("c 1")

    assert total_requests(http) == 0
