"""Checked by ``mypy --strict`` in .ci/run, never run: what ``tavus.objectives`` promises a
type checker. Each ``assert_type`` fails the type check if the SDK's typing regresses."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from typing_extensions import assert_type

from tavus_async import (
    ObjectiveCompletedEvent,
    ObjectiveItem,
    Objectives,
    Page,
    RawResponse,
    TavusClient,
)


async def calls(tavus: TavusClient) -> None:
    """Each call returns its set, page, walk or None."""
    created = await tavus.objectives.create(
        data=[
            ObjectiveItem(
                objective_name="greet",
                objective_prompt="Greet the user by name.",
                output_variables=["name"],
                next_conditional_objectives={"offer": "the user is interested"},
            ),
            {"objective_name": "offer", "objective_prompt": "Offer a demo."},
        ]
    )
    assert_type(created, Objectives)
    assert_type(created.objectives_id, str)
    assert_type(await tavus.objectives.list(limit=5, page=1), Page[Objectives])
    assert_type(tavus.objectives.iter(page_size=10), AsyncGenerator[Objectives, None])
    found = await tavus.objectives.get(created.objectives_id)
    assert_type(found.data, tuple[ObjectiveItem, ...] | None)
    replace = {"op": "replace", "path": "/data/0/objective_prompt", "value": "Greet warmly."}
    assert_type(await tavus.objectives.update(created.objectives_id, [replace]), None)
    raw = await tavus.objectives.with_raw_response.get(created.objectives_id)
    assert_type(raw, RawResponse[Any])
    assert_type(await tavus.objectives.delete(created.objectives_id), None)


def item(objective: ObjectiveItem) -> tuple[str, ...]:
    """An objective's lists are tuples of names; its conditions a mapping."""
    assert_type(objective.next_required_objectives, tuple[str, ...] | None)
    assert_type(objective.next_conditional_objectives, dict[str, str] | None)
    return objective.next_objectives


def completed(event: ObjectiveCompletedEvent) -> dict[str, Any] | None:
    """A completed objective's callback carries what it collected."""
    assert_type(event.event_type, str)
    assert_type(event.objective_name, str | None)
    return event.output_variables
