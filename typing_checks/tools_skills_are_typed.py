"""Checked by ``mypy --strict`` in .ci/run, never run: what ``tavus.tools``,
``tavus.pal_tools``, ``tavus.skills`` and ``tavus.pal_skills`` promise a type checker."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from typing_extensions import assert_type

from tavus_async import (
    Page,
    PalSkill,
    PalTool,
    RawResponse,
    Skill,
    TavusClient,
    Tool,
    ToolApi,
    ToolDelivery,
)


async def tools(tavus: TavusClient) -> None:
    """Each tool call returns its tool, page, walk or None; delivery is typed or JSON."""
    api = tavus.tools
    delivery = ToolDelivery(api=ToolApi(url="https://x.example", headers={"X-Key": "k"}))
    created = await api.create(name="w", delivery=delivery, origin="vision", on_call="silent")
    assert_type(created, Tool)
    assert_type(created.delivery, ToolDelivery | None)
    assert_type(await api.create(name="w", delivery={"app_message": True}), Tool)
    assert_type(await api.list(page=1, sort="desc", type="all"), Page[Tool])
    assert_type(api.iter(type="system"), AsyncGenerator[Tool, None])
    assert_type(await api.get("end_call"), Tool)
    assert_type(await api.update("t1", description="New."), Tool | None)
    assert_type(await api.delete("t1"), None)
    assert_type(await api.with_raw_response.get("t1"), RawResponse[Any])
    await api.create(description="no name")  # type: ignore[call-arg]
    await api.update("t1", "New.")  # type: ignore[call-arg]


async def pal_tools(tavus: TavusClient) -> None:
    """Every PAL tool call names its PAL first; attach takes keyword tool_ids."""
    api = tavus.pal_tools
    assert_type(await api.attach("p1", tool_ids=["t1"]), None)
    assert_type(await api.list("p1"), tuple[PalTool, ...])
    assert_type(await api.detach("p1", "t1"), None)
    await api.attach("p1", ["t1"])  # type: ignore[call-arg]
    await api.get("p1", "t1")  # type: ignore[attr-defined]


async def skills(tavus: TavusClient) -> None:
    """Skills are listed, walked and read; there is nothing to create."""
    assert_type(await tavus.skills.list(limit=5), Page[Skill])
    assert_type(tavus.skills.iter(), AsyncGenerator[Skill, None])
    assert_type(await tavus.skills.get("presentation"), Skill)
    await tavus.skills.delete("presentation")  # type: ignore[attr-defined]


async def pal_skills(tavus: TavusClient) -> None:
    """A PAL's skills come as a dict by skill_id; a config is a mapping, None values included."""
    api = tavus.pal_skills
    assert_type(await api.list("p1"), dict[str, PalSkill])
    assert_type(
        await api.replace("p1", {"internet_search": None, "presentation": {}}), dict[str, PalSkill]
    )
    assert_type(await api.get("p1", "presentation"), PalSkill)
    assert_type(await api.attach("p1", "presentation", config={"prompt": "x"}), PalSkill | None)
    assert_type(await api.update("p1", "presentation", config={"prompt": None}), PalSkill | None)
    assert_type(await api.detach("p1", "presentation"), None)
    await api.update("p1", "presentation")  # type: ignore[call-arg]
