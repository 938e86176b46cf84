"""canvas_interactions against FakeTavus over real sockets."""

from __future__ import annotations

import pytest

from tavus_async import BadRequestError, TavusClient


async def test_interactions_are_recorded_once_per_id_and_listed(tavus: TavusClient) -> None:
    """Recording the same interaction twice keeps one; each conversation lists its own."""
    api = tavus.canvas_interactions
    for interaction_id, kind in (("i-1", "submit"), ("i-1", "submit"), ("i-2", "dismiss")):
        await api.record(
            "c111",
            interaction_id=interaction_id,
            tool_call_id="call_1",
            component="canvas.question",
            type=kind,
            value={"choice": "A"},
        )

    listed = await api.list("c111")

    assert [(i.interaction_id, i.type) for i in listed] == [("i-1", "submit"), ("i-2", "dismiss")]
    assert {i.conversation_id for i in listed} == {"c111"}
    assert len(await api.list("c222")) == 0


async def test_an_unknown_type_reaches_tavus_and_is_refused_there(tavus: TavusClient) -> None:
    """The SDK accepts words Tavus may add; the fake, as Tavus today, refuses them."""
    with pytest.raises(BadRequestError, match="type"):
        await tavus.canvas_interactions.record(
            "c111", interaction_id="i", tool_call_id="t", component="canvas.q", type="hover"
        )
