"""Checked by ``mypy --strict`` in .ci/run, never run: what ``tavus.guardrails`` promises a
type checker. Each ``assert_type`` fails the type check if the SDK's typing regresses."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from typing_extensions import assert_type

from tavus_async import (
    Guardrail,
    GuardrailSet,
    GuardrailSetItem,
    GuardrailTriggeredEvent,
    Page,
    PatchOperation,
    RawResponse,
    TavusClient,
    json_patch,
)


async def calls(tavus: TavusClient) -> None:
    """Each call returns its guardrail, set, page, walk or None."""
    created = await tavus.guardrails.create(
        guardrail_name="no_medical_advice",
        guardrail_prompt="Never give medical advice.",
        modality="verbal",
        tags=["health"],
        app_message=False,
    )
    assert_type(created, Guardrail)
    assert_type(created.uuid, str)
    assert_type(created.tags, tuple[str, ...] | None)
    assert_type(await tavus.guardrails.list(sort="descending", tags=["health"]), Page[Guardrail])
    assert_type(tavus.guardrails.iter(name_or_uuid="medical"), AsyncGenerator[Guardrail, None])
    guardrail = await tavus.guardrails.get(created.uuid)
    assert_type(guardrail, Guardrail)
    before = guardrail.to_dict()
    operations = json_patch(before, {**before, "guardrail_prompt": "Never diagnose."})
    assert_type(await tavus.guardrails.update(created.uuid, operations), Guardrail | None)
    replace = PatchOperation(op="replace", path="/modality", value="visual")
    assert_type(await tavus.guardrails.update(created.uuid, [replace]), Guardrail | None)
    raw = await tavus.guardrails.with_raw_response.update(created.uuid, [replace])
    assert_type(raw, RawResponse[Any])
    assert_type(await tavus.guardrails.delete(created.uuid), None)


async def legacy_sets(tavus: TavusClient) -> None:
    """The legacy sets have calls of their own, typed as sets."""
    item = GuardrailSetItem(guardrail_name="a", guardrail_prompt="A")
    created = await tavus.guardrails.create_legacy_set(
        name="Compliance", data=[item, {"guardrail_name": "b", "guardrail_prompt": "B"}]
    )
    assert_type(created, GuardrailSet)
    assert_type(await tavus.guardrails.list_legacy_sets(limit=5), Page[GuardrailSet])
    found = await tavus.guardrails.get_legacy_set(created.guardrails_id)
    assert_type(found.data, tuple[GuardrailSetItem, ...] | None)


def triggered(event: GuardrailTriggeredEvent) -> str | None:
    """A triggered guardrail's callback names the guardrail and the conversation."""
    assert_type(event.event_type, str)
    assert_type(event.conversation_id, str | None)
    assert_type(event.guardrail_name, str | None)
    return event.guardrail_uuid
