"""guardrails against FakeTavus over real sockets: individual guardrails and legacy sets."""

from __future__ import annotations

import pytest

from tavus_async import BadRequestError, NotFoundError, TavusClient, json_patch
from tavus_async.testing import FakeTavus


async def test_a_guardrail_is_created_edited_as_data_and_deleted(
    tavus: TavusClient, fake: FakeTavus
) -> None:
    """An edited to_dict() sent as json_patch(before, after) comes back from update and get."""
    created = await tavus.guardrails.create(
        guardrail_name="no_medical_advice",
        guardrail_prompt="Never give medical advice.",
        tags=["health"],
    )
    assert created.uuid.startswith("g")
    assert (created.modality, created.app_message) == ("verbal", True)  # Tavus's defaults

    before = created.to_dict()
    after = {**before, "guardrail_prompt": "Never diagnose.", "tags": ["health", "safety"]}
    updated = await tavus.guardrails.update(created.uuid, json_patch(before, after))

    assert updated is not None
    assert updated.tags == ("health", "safety")
    assert await tavus.guardrails.get(created.uuid) == updated
    await tavus.guardrails.delete(created.uuid)
    with pytest.raises(NotFoundError, match="Guardrail not found"):
        await tavus.guardrails.get(created.uuid)


async def test_a_patch_that_changes_nothing_returns_none(tavus: TavusClient) -> None:
    """A patch that leaves the guardrail as it is (Tavus's 304) returns None, and succeeds."""
    created = await tavus.guardrails.create(guardrail_name="same", guardrail_prompt="Same.")

    result = await tavus.guardrails.update(
        created.uuid, [{"op": "replace", "path": "/guardrail_prompt", "value": "Same."}]
    )

    assert result is None


async def test_tavus_judges_the_name_the_sdk_lets_through(tavus: TavusClient) -> None:
    """A name with spaces is sent, and Tavus's refusal comes back as BadRequestError."""
    with pytest.raises(BadRequestError, match="letters, digits and underscores"):
        await tavus.guardrails.create(guardrail_name="no advice", guardrail_prompt="x")


async def test_iter_filters_by_tag_and_name_and_sorts(tavus: TavusClient) -> None:
    """iter's filters reach the fake: tags (any of), name_or_uuid, sort; pages counted from 0."""
    made = [
        await tavus.guardrails.create(
            guardrail_name=f"rule_{i}", guardrail_prompt="x", tags=["odd" if i % 2 else "even"]
        )
        for i in range(5)
    ]

    odd = [g.uuid async for g in tavus.guardrails.iter(page_size=1, tags=["odd"])]
    newest_first = [g.uuid async for g in tavus.guardrails.iter(page_size=2, sort="descending")]
    named = await tavus.guardrails.list(name_or_uuid="rule_3")

    assert odd == [made[1].uuid, made[3].uuid]
    assert newest_first == [g.uuid for g in reversed(made)]
    assert [g.uuid for g in named] == [made[3].uuid]


async def test_a_legacy_set_is_listed_apart_and_its_items_are_guardrails(
    tavus: TavusClient,
) -> None:
    """A set's items are guardrails of their own; a patch of the set reaches them."""
    created = await tavus.guardrails.create_legacy_set(
        name="Compliance",
        data=[
            {"guardrail_name": "no_advice", "guardrail_prompt": "No advice."},
            {"guardrail_name": "no_names", "guardrail_prompt": "No names."},
        ],
    )

    (listed,) = (await tavus.guardrails.list_legacy_sets()).data
    found = await tavus.guardrails.get_legacy_set(created.guardrails_id)
    items = found.data or ()
    individual = [g.guardrail_name async for g in tavus.guardrails.iter()]
    await tavus.guardrails.update(
        created.guardrails_id,
        [{"op": "replace", "path": "/data/1/guardrail_prompt", "value": "Never names."}],
    )
    second = await tavus.guardrails.get(str(items[1].uuid))

    assert (listed.guardrails_id, found.name) == (created.guardrails_id, "Compliance")
    assert individual == ["no_advice", "no_names"]
    assert second.guardrail_prompt == "Never names."


async def test_deleting_a_set_deletes_its_guardrails_and_scrubs_personas(
    tavus: TavusClient, fake: FakeTavus
) -> None:
    """A deleted set takes its guardrails with it, and leaves the personas that named it."""
    mine = await tavus.guardrails.create(guardrail_name="mine", guardrail_prompt="x")
    legacy = await tavus.guardrails.create_legacy_set(
        name="Set", data=[{"guardrail_name": "a", "guardrail_prompt": "A"}]
    )
    persona = await tavus.personas.create(
        pipeline_mode="echo", guardrails_id=legacy.guardrails_id, guardrail_ids=[mine.uuid]
    )

    await tavus.guardrails.delete(legacy.guardrails_id)
    await tavus.guardrails.delete(mine.uuid)

    assert [g async for g in tavus.guardrails.iter()] == []
    assert (await tavus.guardrails.list_legacy_sets()).total_count == 0
    kept = await tavus.personas.get(persona.persona_id)
    assert (kept.guardrails_id, kept.guardrail_ids) == (None, ())
