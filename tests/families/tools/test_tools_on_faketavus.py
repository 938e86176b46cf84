"""tools against FakeTavus over real sockets: the whole life of one."""

from __future__ import annotations

import pytest

from tavus_async import BadRequestError, TavusClient, ToolDelivery
from tavus_async.testing import FakeTavus

from _support.pals import a_pal

API = {"api": {"url": "https://hooks.example.com/w", "method": "POST",
               "headers": {"Authorization": "Bearer s3cret"}}}  # fmt: skip


async def test_a_tool_is_created_listed_updated_and_deleted(tavus: TavusClient) -> None:
    """Each change reaches get and list; secrets come back masked; delete removes it."""
    created = await tavus.tools.create(name="get_weather", description="Weather.", delivery=API)
    tool_id = created.tool_id

    assert (created.origin, created.on_call, created.on_resolve) == (
        "llm", "generate_filler", "fire_and_forget",
    )  # fmt: skip
    assert created.delivery is not None
    assert created.delivery.api is not None
    assert created.delivery.api.headers == {"Authorization": "********"}
    assert [t.tool_id async for t in tavus.tools.iter()] == [tool_id]
    assert "end_call" in [t.tool_id async for t in tavus.tools.iter(type="system")]

    updated = await tavus.tools.update(
        tool_id, description="Now.", delivery=ToolDelivery(app_message=True)
    )
    got = await tavus.tools.get(tool_id)

    assert updated == got
    assert (got.description, got.name) == ("Now.", "get_weather")
    assert got.delivery == ToolDelivery(app_message=True)

    await tavus.tools.delete(tool_id)
    with pytest.raises(BadRequestError, match="Tool not found"):
        await tavus.tools.get(tool_id)


async def test_masked_secrets_and_system_tools_are_refused(tavus: TavusClient) -> None:
    """Sending ******** back is refused, as is changing or deleting a system tool."""
    created = await tavus.tools.create(name="w", delivery=API)
    masked = {"api": {**API["api"], "headers": {"Authorization": "********"}}}

    with pytest.raises(BadRequestError, match="Masked"):
        await tavus.tools.update(created.tool_id, delivery=masked)
    with pytest.raises(BadRequestError, match="System"):
        await tavus.tools.delete("end_call")


async def test_a_deleted_tool_leaves_every_pal(tavus: TavusClient, fake: FakeTavus) -> None:
    """Deleting a tool detaches it from the PALs it was attached to."""
    created = await tavus.tools.create(name="w")
    pal_id = a_pal(fake)
    await tavus.pal_tools.attach(pal_id, tool_ids=[created.tool_id])

    await tavus.tools.delete(created.tool_id)

    assert await tavus.pal_tools.list(pal_id) == ()
