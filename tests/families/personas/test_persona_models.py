"""Persona models: layers round trip with what this version does not know; secrets stay hidden."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tavus_async import (
    ConversationalFlowLayer,
    LLMLayer,
    PerceptionLayer,
    Persona,
    PersonaLayers,
    ResponseValidationError,
    STTLayer,
    TavusClient,
    TTSLayer,
)

from _support.http import BASE

SECRETS = ("sk-llm-0123456789", "Bearer hdr-0123456789", "tts-key-0123456789", "vend-0123456789")

PERSONA: dict[str, Any] = {
    "persona_id": "p1",
    "pipeline_mode": "echo-2030",
    "future_field": {"nested": [1, 2]},
    "layers": {
        "perception": {"perception_model": "raven-2", "ambient_awareness_queries": ["a"],
                       "perception_tools": [{"type": "function"}],
                       "emotion_recognition": "limited"},
        "stt": {"stt_engine": "tavus-next", "hotwords": "Roey", "smart_turn_detection": False,
                "participant_pause_sensitivity": "superlow"},
        "conversational_flow": {"turn_detection_model": "timebased", "turn_taking_patience": "high",
                                "voice_isolation": "near"},
        "llm": {"model": "my-llm", "api_key": SECRETS[0], "headers": {"Authorization": SECRETS[1]},
                "speculative_inference": True, "extra_body": {"temperature": 0.2},
                "default_query": {"api-version": "2024-06-01"}},
        "tts": {"tts_engine": "elevenlabs", "api_key": SECRETS[2], "tts_emotion_control": "false",
                "voice_settings": {"stability": 0.4}, "vendor_api_key": SECRETS[3]},
        "conferencing": {"google_meet": {"enabled": True}},
    },
}  # fmt: skip


def test_layers_parse_every_documented_key() -> None:
    """Each layer is typed, with current and legacy names, unknown words kept as words."""
    persona = Persona.from_dict(PERSONA)

    layers = persona.layers
    assert isinstance(layers, PersonaLayers)
    assert isinstance(layers.perception, PerceptionLayer)
    assert layers.perception.perception_model == "raven-2"
    assert layers.perception.ambient_awareness_queries == ("a",)
    assert isinstance(layers.stt, STTLayer)
    assert layers.stt.smart_turn_detection is False
    assert isinstance(layers.conversational_flow, ConversationalFlowLayer)
    assert layers.conversational_flow.turn_detection_model == "timebased"
    assert isinstance(layers.llm, LLMLayer)
    assert layers.llm.headers == {"Authorization": SECRETS[1]}
    assert isinstance(layers.tts, TTSLayer)
    assert layers.tts.tts_emotion_control == "false"
    assert persona.pipeline_mode == "echo-2030"


def test_unknown_keys_and_layers_survive_a_round_trip() -> None:
    """to_dict gives back what was parsed: unknown keys, unknown layers, secrets and all."""
    persona = Persona.from_dict(PERSONA)

    assert persona.extra == {"future_field": {"nested": [1, 2]}}
    assert persona.layers is not None
    assert persona.layers.extra == {"conferencing": {"google_meet": {"enabled": True}}}
    assert persona.to_dict() == PERSONA
    assert Persona.from_dict(persona.to_dict()) == persona


def test_secrets_never_appear_in_reprs() -> None:
    """api_key, header values and secret-looking extra keys show as '***' in every repr."""
    persona = Persona.from_dict(PERSONA)
    assert persona.layers is not None

    shown = [repr(persona), str(persona), repr(persona.layers), repr(persona.layers.llm)]
    shown.append(repr(persona.layers.tts))

    for text in shown:
        assert not any(secret in text for secret in SECRETS), text
    assert "api_key='***'" in repr(persona.layers.llm)
    assert "{'Authorization': '***'}" in repr(persona.layers.llm)
    assert "'vendor_api_key': '***'" in repr(persona.layers.tts)


def test_list_fields_take_any_sequence_but_not_a_bare_string() -> None:
    """Query and id lists become tuples; a bare string is refused, not split into letters."""
    layer = PerceptionLayer(visual_awareness_queries=["Is there a badge?"])

    assert layer.visual_awareness_queries == ("Is there a badge?",)
    with pytest.raises(TypeError, match="list of strings"):
        Persona(persona_id="p1", document_ids="d1")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "layers",
    [
        {"llm": {"api_key": SECRETS[0], "speculative_inference": {"when": "sometimes"}}},
        {"llm": {"headers": {"Authorization": {"token": SECRETS[1]}}}},
        {"tts": {"api_key": SECRETS[2], "tts_emotion_control": [SECRETS[2]]}},
        {"stt": {"stt_engine": [SECRETS[0]]}},
    ],
)
async def test_a_body_that_does_not_fit_never_shows_its_secrets(
    client: TavusClient, http: Any, caplog: pytest.LogCaptureFixture, layers: dict[str, Any]
) -> None:
    """ResponseValidationError for a misfit persona: its str, repr and the logs hold no secret."""
    caplog.set_level(logging.DEBUG, logger="tavus_async")
    http.get(f"{BASE}/v2/personas/p1", payload={"data": [{"persona_id": "p1", "layers": layers}]})

    with pytest.raises(ResponseValidationError) as caught:
        await client.personas.get("p1")

    error = caught.value
    shown = [str(error), repr(error), caplog.text, str(error.__cause__), repr(error.__cause__)]
    for text in shown:
        assert not any(secret in text for secret in SECRETS), text
    assert "layers" in str(error)


async def test_a_persona_cut_short_is_quoted_without_its_secrets(
    client: TavusClient, http: Any
) -> None:
    """A persona body that is not JSON (cut short) is quoted in the error with its keys masked."""
    text = '{"data": [{"persona_id": "p1", "layers": {"llm": {"api_key": "sk-llm-0123456789", "h'
    http.get(f"{BASE}/v2/personas/p1", body=text, content_type="application/json")

    with pytest.raises(ResponseValidationError, match="not JSON") as caught:
        await client.personas.get("p1")

    assert SECRETS[0] not in str(caught.value)
    assert SECRETS[0] not in repr(caught.value)
    assert '"api_key": "***"' in str(caught.value)
