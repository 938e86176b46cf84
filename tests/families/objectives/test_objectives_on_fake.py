"""objectives against FakeTavus over real sockets: create, list, get, update, delete."""

from __future__ import annotations

import pytest

from tavus_async import BadRequestError, NotFoundError, ObjectiveItem, TavusClient

GREET = ObjectiveItem(
    objective_name="greet",
    objective_prompt="Greet the user and ask their name.",
    output_variables=["name"],
    next_required_objectives=["offer"],
)
OFFER = {
    "objective_name": "offer",
    "objective_prompt": "Offer a demo.",
    "confirmation_mode": "manual",
}


async def test_a_set_is_created_read_edited_and_deleted(tavus: TavusClient) -> None:
    """A set reads back as created; a /data patch edits one objective; delete removes it."""
    created = await tavus.objectives.create(data=[GREET, OFFER])
    assert created.objectives_id.startswith("o")
    assert created.status == "active"

    found = await tavus.objectives.get(created.objectives_id)
    await tavus.objectives.update(
        created.objectives_id,
        [{"op": "replace", "path": "/data/1/objective_prompt", "value": "Offer a trial."}],
    )
    edited = await tavus.objectives.get(created.objectives_id)

    assert found.data is not None
    assert found.data[0] == GREET
    assert found.data[1].confirmation_mode == "manual"
    assert edited.data is not None
    assert edited.data[1].objective_prompt == "Offer a trial."
    await tavus.objectives.delete(created.objectives_id)
    with pytest.raises(NotFoundError, match="Objective not found"):
        await tavus.objectives.get(created.objectives_id)


async def test_a_set_of_one_reads_as_tavus_documents_it(tavus: TavusClient) -> None:
    """A set of one is Tavus's {"data": {objective}}: its fields on the set itself."""
    created = await tavus.objectives.create(data=[GREET])

    found = await tavus.objectives.get(created.objectives_id)
    await tavus.objectives.update(
        created.objectives_id, [{"op": "replace", "path": "/objective_prompt", "value": "Hi!"}]
    )

    assert (found.objectives_id, found.objective_name) == (created.objectives_id, "greet")
    assert found.output_variables == ("name",)
    assert (await tavus.objectives.get(created.objectives_id)).objective_prompt == "Hi!"


async def test_iter_yields_every_objective_of_every_set(tavus: TavusClient) -> None:
    """The list shows objectives one by one; iter yields each once, page after page."""
    first = await tavus.objectives.create(data=[GREET, OFFER])
    second = await tavus.objectives.create(data=[GREET])

    listed = [(o.objectives_id, o.objective_name) async for o in tavus.objectives.iter(page_size=2)]

    assert listed == [
        (first.objectives_id, "greet"),
        (first.objectives_id, "offer"),
        (second.objectives_id, "greet"),
    ]


async def test_a_patch_that_changes_nothing_succeeds(tavus: TavusClient) -> None:
    """A patch leaving the set as it is (Tavus's 304) returns like any other."""
    created = await tavus.objectives.create(data=[GREET])

    await tavus.objectives.update(
        created.objectives_id, [{"op": "replace", "path": "/objective_name", "value": "greet"}]
    )

    assert (await tavus.objectives.get(created.objectives_id)).objective_name == "greet"


async def test_tavus_judges_what_the_items_hold(tavus: TavusClient) -> None:
    """A name with spaces is Tavus's to refuse: its 400 message comes back."""
    with pytest.raises(BadRequestError, match="objective_name must not contain spaces"):
        await tavus.objectives.create(data=[{"objective_name": "say hi", "objective_prompt": "x"}])


async def test_deleting_a_set_leaves_the_personas_that_named_it(tavus: TavusClient) -> None:
    """A persona's objectives_id goes when its set is deleted, as Tavus scrubs it."""
    created = await tavus.objectives.create(data=[GREET])
    persona = await tavus.personas.create(pipeline_mode="echo", objectives_id=created.objectives_id)

    await tavus.objectives.delete(created.objectives_id)

    assert (await tavus.personas.get(persona.persona_id)).objectives_id is None
