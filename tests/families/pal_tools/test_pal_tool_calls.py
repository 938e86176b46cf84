"""pal_tools calls against mocks of Tavus's documented answers, and on FakeTavus."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import BadRequestError, PalTool, TavusClient
from tavus_async.testing import FakeTavus

from _support.http import BASE, sent, total_requests
from _support.pals import a_pal

PAL_TOOLS = f"{BASE}/v2/pals/p123/tools"
TOOL = {"tool_id": "tabc123def456", "owner_id": 42, "name": "get_weather",
        "delivery": {"api": {"url": "https://x.example", "headers": {"Authorization": "********"},
                             "auth": {"type": "bearer", "token": "t-secret"}}},
        "trigger_type": "in_call", "origin": "llm",
        "created_at": "2026-05-15T10:30:00"}  # fmt: skip


async def test_attach_posts_the_tool_ids(client: TavusClient, http: Any) -> None:
    """attach POSTs {"tool_ids": [...]} to the PAL's tools."""
    http.post(PAL_TOOLS, payload={"data": [TOOL]})

    assert await client.pal_tools.attach("p123", tool_ids=["tabc123def456", "end_call"]) is None

    (call,) = sent(http, "POST", PAL_TOOLS)
    assert call.kwargs["json"] == {"tool_ids": ["tabc123def456", "end_call"]}


async def test_list_reads_the_attached_tools(client: TavusClient, http: Any) -> None:
    """list reads {"data": [tool...]} as PalTools, their secrets masked in the repr."""
    http.get(PAL_TOOLS, payload={"data": [TOOL]})

    (tool,) = await client.pal_tools.list("p123")

    assert isinstance(tool, PalTool)
    assert (tool.tool_id, tool.name, tool.origin) == ("tabc123def456", "get_weather", "llm")
    assert "t-secret" not in repr(tool)
    assert "bearer" in repr(tool)


async def test_detach_sends_a_delete_of_the_one_tool(client: TavusClient, http: Any) -> None:
    """detach DELETEs /v2/pals/{pal_id}/tools/{tool_id}; Tavus's 400 for one not attached
    is a BadRequestError with its message."""
    http.delete(f"{PAL_TOOLS}/tabc123def456", status=204)
    http.delete(f"{PAL_TOOLS}/t2", status=400,
                payload={"error": "Bad Request. Tool not attached to this PAL"})  # fmt: skip

    await client.pal_tools.detach("p123", "tabc123def456")
    with pytest.raises(BadRequestError, match="not attached"):
        await client.pal_tools.detach("p123", "t2")

    assert len(sent(http, "DELETE", f"{PAL_TOOLS}/tabc123def456")) == 1


@pytest.mark.parametrize(
    ("call", "error", "named"),
    [
        (lambda t: t.pal_tools.attach("../p", tool_ids=["t1"]), ValueError, "pal_id"),
        (lambda t: t.pal_tools.attach("p1", tool_ids="t1"), TypeError, "tool_ids"),
        (lambda t: t.pal_tools.attach("p1", tool_ids=[]), ValueError, "tool_ids"),
        (lambda t: t.pal_tools.attach("p1", tool_ids=["t1", "a/b"]), ValueError, r"tool_ids\[1\]"),
        (lambda t: t.pal_tools.list("p?1"), ValueError, "pal_id"),
        (lambda t: t.pal_tools.detach("p1", ""), ValueError, "tool_id"),
        (lambda t: t.pal_tools.detach(5, "t1"), TypeError, "pal_id"),
    ],
)
async def test_bad_input_fails_before_any_request(
    client: TavusClient, http: Any, call: Any, error: type, named: str
) -> None:
    """Unsafe ids and a tool_ids that is not a list of ids are refused, naming them."""
    with pytest.raises(error, match=named):
        await call(client)

    assert total_requests(http) == 0


async def test_tools_are_attached_once_listed_and_detached_on_faketavus(
    tavus: TavusClient, fake: FakeTavus
) -> None:
    """Attaching twice keeps one; list shows the tools in order; detach removes one, and
    detaching it again or attaching an unknown tool is refused."""
    pal_id = a_pal(fake)
    one = await tavus.tools.create(name="one")
    two = await tavus.tools.create(name="two")

    await tavus.pal_tools.attach(pal_id, tool_ids=[one.tool_id])
    await tavus.pal_tools.attach(pal_id, tool_ids=[one.tool_id, two.tool_id, "end_call"])
    listed = await tavus.pal_tools.list(pal_id)
    await tavus.pal_tools.detach(pal_id, one.tool_id)

    assert [t.tool_id for t in listed] == [one.tool_id, two.tool_id, "end_call"]
    assert [t.tool_id for t in await tavus.pal_tools.list(pal_id)] == [two.tool_id, "end_call"]
    with pytest.raises(BadRequestError, match="not attached"):
        await tavus.pal_tools.detach(pal_id, one.tool_id)
    with pytest.raises(BadRequestError, match="Tool not found"):
        await tavus.pal_tools.attach(pal_id, tool_ids=["tnope"])
