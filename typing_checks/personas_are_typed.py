"""Checked by ``mypy --strict`` in .ci/run, never run: what ``tavus.personas`` promises a type
checker. Each ``assert_type`` fails the type check if the SDK's typing regresses."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from typing_extensions import assert_type

from tavus_async import (
    LLMLayer,
    Page,
    PatchOperation,
    PerceptionLayer,
    Persona,
    PersonaLayers,
    RawResponse,
    TavusClient,
    json_patch,
)


async def calls(tavus: TavusClient) -> None:
    """Each call returns its persona, page, walk or None."""
    created = await tavus.personas.create(
        system_prompt="Be kind.",
        pipeline_mode="full",
        layers=PersonaLayers(llm=LLMLayer(model="tavus-gpt-oss")),
        document_ids=["d1"],
    )
    assert_type(created, Persona)
    assert_type(await tavus.personas.create(layers={"llm": {"model": "x"}}), Persona)
    assert_type(await tavus.personas.list(persona_type="system"), Page[Persona])
    assert_type(tavus.personas.iter(page_size=10), AsyncGenerator[Persona, None])
    persona = await tavus.personas.get(created.persona_id)
    assert_type(persona, Persona)
    raw = await tavus.personas.with_raw_response.get(created.persona_id)
    assert_type(raw, RawResponse[Any])
    before = persona.to_dict()
    operations = json_patch(before, {**before, "system_prompt": "Be brief."})
    assert_type(await tavus.personas.update(persona.persona_id, operations), None)
    replace = PatchOperation(op="replace", path="/persona_name", value="Coach")
    assert_type(await tavus.personas.update(persona.persona_id, [replace]), None)
    assert_type(await tavus.personas.delete(persona.persona_id), None)


def layers(persona: Persona) -> str | None:
    """A persona's layers are typed down to each setting."""
    assert_type(persona.layers, PersonaLayers | None)
    if persona.layers is None or persona.layers.llm is None:
        return None
    assert_type(persona.layers.llm, LLMLayer)
    assert_type(persona.layers.llm.headers, dict[str, str] | None)
    assert_type(persona.document_ids, tuple[str, ...] | None)
    return persona.layers.llm.model


def built() -> PerceptionLayer:
    """A layer's lists take any list of strings; they are kept as tuples."""
    layer = PerceptionLayer(visual_awareness_queries=["Is a badge shown?"])
    assert_type(layer.visual_awareness_queries, tuple[str, ...] | None)
    return layer
