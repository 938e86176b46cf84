"""tools calls against mocks of Tavus's documented answers."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from tavus_async import TavusClient, Tool, ToolApi, ToolDelivery

from _support.http import BASE, sent, total_requests

TOOLS = f"{BASE}/v2/tools"
# The tool object as Tavus's reference shows it (secrets come back masked).
DOCS_TOOL: dict[str, Any] = {
    "tool_id": "tabc123def456",
    "owner_id": 42,
    "name": "get_weather",
    "description": "Get the weather for a city.",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    "delivery": {
        "api": {
            "url": "https://api.example.com/weather",
            "method": "POST",
            "timeout": 10,
            "headers": {"X-Api-Key": "********"},
            "auth": {"type": "bearer", "token": "********"},
        }
    },
    "is_system_tool": False,
    "trigger_type": "in_call",
    "origin": "llm",
    "on_call": "generate_filler",
    "on_resolve": "generate_response",
    "static_filler": None,
    "created_at": "2026-05-15T10:30:00",
    "updated_at": "2026-05-15T10:30:00",
}


async def test_create_sends_only_the_fields_given_and_reads_the_tool(
    client: TavusClient, http: Any
) -> None:
    """create posts exactly the given fields (a typed delivery as JSON) and reads the tool."""
    http.post(TOOLS, payload=DOCS_TOOL)

    tool = await client.tools.create(
        name="get_weather",
        parameters={"type": "object", "properties": {"city": {"type": "string"}}},
        delivery=ToolDelivery(
            api=ToolApi(url="https://api.example.com/weather", headers={"X-Api-Key": "k-1"})
        ),
        on_resolve="generate_response",
    )

    (call,) = sent(http, "POST", TOOLS)
    assert call.kwargs["json"] == {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        "delivery": {
            "api": {"url": "https://api.example.com/weather", "headers": {"X-Api-Key": "k-1"}}
        },
        "on_resolve": "generate_response",
    }
    assert tool.tool_id == "tabc123def456"
    assert tool.delivery is not None
    assert tool.delivery.api is not None
    assert (tool.delivery.api.method, tool.delivery.api.timeout) == ("POST", 10)
    assert tool.created_at == datetime(2026, 5, 15, 10, 30, tzinfo=timezone.utc)


def test_a_tools_repr_masks_its_headers_and_auth_secrets() -> None:
    """Header values and auth secrets never show in a repr; how the auth goes does."""
    api = ToolApi(
        url="https://x.example",
        headers={"X-Custom": "hunter2"},
        auth={"type": "basic", "username": "me", "password": "hunter2"},
    )
    shown = repr(Tool(tool_id="t1", delivery=ToolDelivery(api=api)))

    assert "hunter2" not in shown
    assert "'username': 'me'" in shown
    assert "X-Custom" in shown


async def test_unknown_words_and_keys_are_sent_and_read_back(
    client: TavusClient, http: Any
) -> None:
    """Words Tavus adds later are sent as given and read back as plain strings or extra."""
    http.post(TOOLS, payload={**DOCS_TOOL, "origin": "screen", "priority": 3})

    tool = await client.tools.create(name="look", origin="screen", trigger_type="on_idle")

    (call,) = sent(http, "POST", TOOLS)
    assert call.kwargs["json"] == {"name": "look", "origin": "screen", "trigger_type": "on_idle"}
    assert (tool.origin, tool.extra) == ("screen", {"priority": 3})


@pytest.mark.parametrize(
    ("arguments", "error", "named"),
    [
        ({"name": 5}, TypeError, "name"),
        ({"name": ""}, ValueError, "name"),
        ({"name": "x", "parameters": "{}"}, TypeError, "parameters"),
        ({"name": "x", "parameters": {"a": float("nan")}}, TypeError, "parameters"),
        ({"name": "x", "delivery": ["api"]}, TypeError, "delivery"),
        ({"name": "x", "origin": 3}, TypeError, "origin"),
    ],
)
async def test_bad_input_fails_before_any_request(
    client: TavusClient, http: Any, arguments: dict[str, Any], error: type, named: str
) -> None:
    """A malformed field is refused before any request, naming it."""
    with pytest.raises(error, match=named):
        await client.tools.create(**arguments)

    assert total_requests(http) == 0


async def test_list_sends_paging_and_filters_and_reads_the_page(
    client: TavusClient, http: Any
) -> None:
    """list sends limit, page (from 1), sort and type, and reads data and total_count."""
    http.get(
        f"{TOOLS}?limit=5&page=1&sort=desc&type=all",
        payload={"data": [DOCS_TOOL], "total_count": 12},
    )

    page = await client.tools.list(limit=5, page=1, sort="desc", type="all")

    assert ([t.tool_id for t in page], page.total_count) == (["tabc123def456"], 12)


async def test_get_reads_a_system_tool_by_its_name(client: TavusClient, http: Any) -> None:
    """A system tool's id is its name; owner_id is null for it."""
    system = {**DOCS_TOOL, "tool_id": "end_call", "owner_id": None, "is_system_tool": True}
    http.get(f"{TOOLS}/end_call", payload=system)

    tool = await client.tools.get("end_call")

    assert (tool.tool_id, tool.owner_id, tool.is_system_tool) == ("end_call", None, True)


async def test_update_sends_a_partial_body_and_reads_the_tool(
    client: TavusClient, http: Any
) -> None:
    """update PATCHes only the fields given, as a plain object (not a JSON Patch)."""
    http.patch(f"{TOOLS}/tabc123def456", payload={**DOCS_TOOL, "description": "New."})

    tool = await client.tools.update(
        "tabc123def456", description="New.", delivery={"app_message": True}
    )

    (call,) = sent(http, "PATCH", f"{TOOLS}/tabc123def456")
    assert call.kwargs["json"] == {"description": "New.", "delivery": {"app_message": True}}
    assert tool is not None
    assert tool.description == "New."


async def test_update_without_the_tool_in_the_answer_returns_none(
    client: TavusClient, http: Any
) -> None:
    """An answer that holds no tool (a message) is None: get it to see it."""
    http.patch(f"{TOOLS}/t1", payload={"message": "Tool updated"})

    assert await client.tools.update("t1", name="renamed") is None


@pytest.mark.parametrize("call", ["get", "update", "delete"])
async def test_bad_ids_fail_before_any_request(client: TavusClient, http: Any, call: str) -> None:
    """An unsafe tool_id is refused before any request, naming tool_id."""
    with pytest.raises(ValueError, match="tool_id"):
        await getattr(client.tools, call)("../x")

    assert total_requests(http) == 0


async def test_delete_sends_a_delete(client: TavusClient, http: Any) -> None:
    """delete sends DELETE /v2/tools/{tool_id} and reads Tavus's empty answer."""
    http.delete(f"{TOOLS}/tabc123def456", status=204)

    assert await client.tools.delete("tabc123def456") is None
    assert len(sent(http, "DELETE", f"{TOOLS}/tabc123def456")) == 1
