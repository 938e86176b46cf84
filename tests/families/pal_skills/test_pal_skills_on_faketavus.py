"""pal_skills against FakeTavus over real sockets: a PAL's skills through their life."""

from __future__ import annotations

import pytest

from tavus_async import BadRequestError, NotFoundError, TavusClient
from tavus_async.testing import FakeTavus

from _support.pals import a_pal


async def test_skills_are_attached_merged_replaced_and_detached(
    tavus: TavusClient, fake: FakeTavus
) -> None:
    """attach sets a config, update merges into it (null removes), replace sets them all,
    detach removes one; each change reaches list and get."""
    api, pal_id = tavus.pal_skills, a_pal(fake)
    config = {"document_ids": ["d1"], "slides_trigger": "on_demand", "prompt": "Be brief."}

    await api.attach(pal_id, "presentation", config=config)
    merged = await api.update(
        pal_id, "presentation", config={"prompt": None, "slides_trigger": "walk_the_deck"}
    )

    assert merged is not None
    assert merged.config == {"document_ids": ["d1"], "slides_trigger": "walk_the_deck"}
    assert await api.get(pal_id, "presentation") == merged

    replaced = await api.replace(pal_id, {"internet_search": None, "magic_canvas": {"x": 1}})
    await api.detach(pal_id, "internet_search")

    assert list(replaced) == ["internet_search", "magic_canvas"]
    assert list(await api.list(pal_id)) == ["magic_canvas"]
    with pytest.raises(NotFoundError):
        await api.get(pal_id, "internet_search")


async def test_an_unknown_skill_is_refused(tavus: TavusClient, fake: FakeTavus) -> None:
    """A skill FakeTavus does not offer is Tavus's "Unknown skill" 400, also in a replace."""
    pal_id = a_pal(fake)

    with pytest.raises(BadRequestError, match="Unknown skill 'my_skill'"):
        await tavus.pal_skills.attach(pal_id, "my_skill")
    with pytest.raises(BadRequestError, match="Unknown skill"):
        await tavus.pal_skills.replace(pal_id, {"my_skill": {}})
    assert await tavus.pal_skills.list(pal_id) == {}
