"""skills calls against mocks of the answers inferred from Tavus's reference, and on FakeTavus."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import NotFoundError, Skill, TavusClient

from _support.http import BASE, total_requests

SKILLS = f"{BASE}/v2/skills"


async def test_list_sends_paging_and_reads_the_skills(client: TavusClient, http: Any) -> None:
    """list sends limit and page and reads each skill, keeping unknown keys in extra."""
    item = {"skill_id": "presentation", "name": "Presentation", "beta": True}
    http.get(f"{SKILLS}?limit=2&page=1", payload={"data": [item], "total_count": 3})

    page = await client.skills.list(limit=2, page=1)

    assert page.total_count == 3
    assert list(page) == [Skill(skill_id="presentation", name="Presentation", extra={"beta": True})]


async def test_get_reads_one_skill(client: TavusClient, http: Any) -> None:
    """get reads GET /v2/skills/{skill_id}; an unsafe id is refused before any request."""
    http.get(f"{SKILLS}/internet_search", payload={"skill_id": "internet_search"})

    assert (await client.skills.get("internet_search")).skill_id == "internet_search"
    with pytest.raises(ValueError, match="skill_id"):
        await client.skills.get("a b")
    assert total_requests(http) == 1


async def test_the_stock_skills_are_listed_and_read_on_faketavus(tavus: TavusClient) -> None:
    """FakeTavus offers Tavus's skills; an unknown one is not found."""
    ids = [skill.skill_id async for skill in tavus.skills.iter(page_size=2)]

    assert ids == ["internet_search", "presentation", "magic_canvas"]
    assert (await tavus.skills.get("presentation")).name == "Presentation"
    with pytest.raises(NotFoundError):
        await tavus.skills.get("juggling")
