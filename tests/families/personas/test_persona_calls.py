"""personas calls against mocks of Tavus's documented answers: bodies sent, answers read."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import (
    BadRequestError,
    LLMLayer,
    PatchOperation,
    PersonaLayers,
    ResponseValidationError,
    TavusClient,
    UnprocessableEntityError,
)

from _support.http import BASE, sent, total_requests

PERSONAS = f"{BASE}/v2/personas"

# Tavus's List Personas example item (its api keys are the docs' placeholders).
DOCS_PERSONA: dict[str, Any] = {
    "persona_id": "pcb7a34da5fe",
    "persona_name": "Life Coach",
    "system_prompt": "As a Life Coach, you are a dedicated professional...",
    "default_replica_id": "r90bbd427f71",
    "document_ids": ["d1234567890", "d2468101214"],
    "document_tags": ["product_info", "company_policies"],
    "layers": {
        "llm": {"model": "tavus-gpt-oss", "base_url": "https://llm.example.com/v1",
                "api_key": "your-api-key", "tools": [{"type": "function", "function": {
                    "name": "get_current_weather", "description": "Weather",
                    "parameters": {"type": "object", "properties": {}, "required": []}}}]},
        "tts": {"api_key": "your-api-key", "tts_engine": "cartesia",
                "voice_settings": {"speed": 0.5, "emotion": ["positivity:high"]},
                "tts_emotion_control": True, "tts_model_name": "sonic-3"},
        "perception": {"perception_model": "raven-1",
                       "visual_awareness_queries": ["Is the user showing an ID card?"]},
    },
    "created_at": "2025-07-11T06:45:47.472000Z",
    "updated_at": "2025-07-11T06:45:47.472000Z",
}  # fmt: skip


async def test_create_sends_exactly_the_fields_given(client: TavusClient, http: Any) -> None:
    """create posts only the fields given and reads Tavus's short answer."""
    http.post(
        PERSONAS,
        payload={"persona_id": "pcb7a34da5fe", "persona_name": "Coach", "created_at": "<string>"},
    )

    persona = await client.personas.create(persona_name="Coach", system_prompt="Be kind.")

    (call,) = sent(http, "POST", PERSONAS)
    assert call.kwargs["json"] == {"persona_name": "Coach", "system_prompt": "Be kind."}
    assert (persona.persona_id, persona.persona_name) == ("pcb7a34da5fe", "Coach")
    assert persona.created_at is None  # Tavus's placeholder is no timestamp


async def test_create_sends_every_documented_field(client: TavusClient, http: Any) -> None:
    """Every documented field goes out under Tavus's name; typed layers as their JSON."""
    http.post(PERSONAS, payload={"persona_id": "p1"})

    await client.personas.create(
        persona_name="Interviewer",
        system_prompt="Interview the user.",
        context="A hiring panel.",
        pipeline_mode="full",
        default_replica_id="r90bbd427f71",
        layers=PersonaLayers(llm=LLMLayer(model="tavus-gpt-oss", extra={"new_knob": 1})),
        document_ids=["d1"],
        document_tags=["faq"],
        guardrails_id="g12345",
        guardrail_ids=["g1", "g2"],
        guardrail_tags=["safety"],
        objectives_id="o12345",
    )

    (call,) = sent(http, "POST", PERSONAS)
    assert call.kwargs["json"] == {
        "persona_name": "Interviewer",
        "system_prompt": "Interview the user.",
        "context": "A hiring panel.",
        "pipeline_mode": "full",
        "default_replica_id": "r90bbd427f71",
        "layers": {"llm": {"model": "tavus-gpt-oss", "new_knob": 1}},
        "document_ids": ["d1"],
        "document_tags": ["faq"],
        "guardrails_id": "g12345",
        "guardrail_ids": ["g1", "g2"],
        "guardrail_tags": ["safety"],
        "objectives_id": "o12345",
    }


async def test_create_takes_unknown_words_and_layers_as_mappings(
    client: TavusClient, http: Any
) -> None:
    """Unknown words, layers and keys go as given; so do layer models in a mapping."""
    http.post(PERSONAS, payload={"persona_id": "p1"})

    await client.personas.create(
        pipeline_mode="custom-2027",
        layers={"llm": LLMLayer(model="my-llm"), "transport": {"transport_type": "livekit"}},
    )

    (call,) = sent(http, "POST", PERSONAS)
    assert call.kwargs["json"] == {
        "pipeline_mode": "custom-2027",
        "layers": {"llm": {"model": "my-llm"}, "transport": {"transport_type": "livekit"}},
    }


@pytest.mark.parametrize(
    ("arguments", "error", "named"),
    [
        ({"document_ids": "d1"}, TypeError, "document_ids"),
        ({"guardrail_tags": "safety"}, TypeError, "guardrail_tags"),
        ({"document_ids": ["d1", "../x"]}, ValueError, r"document_ids\[1\]"),
        ({"default_replica_id": "r1/../x"}, ValueError, "default_replica_id"),
        ({"objectives_id": "o 1"}, ValueError, "objectives_id"),
        ({"pipeline_mode": ""}, ValueError, "pipeline_mode"),
        ({"persona_name": 5}, TypeError, "persona_name"),
        ({"layers": "llm"}, TypeError, "layers"),
        ({"layers": {"llm": "tavus-gpt-oss"}}, TypeError, r"layers\.llm"),
        ({"layers": {"llm": {"base_url": "llm.example.com"}}}, ValueError, "base_url"),
    ],
)
async def test_bad_input_fails_before_any_request(
    client: TavusClient, http: Any, arguments: dict[str, Any], error: type, named: str
) -> None:
    """A malformed argument is refused before any request, naming it."""
    with pytest.raises(error, match=named):
        await client.personas.create(system_prompt="x", **arguments)

    assert total_requests(http) == 0


async def test_list_sends_persona_type_and_reads_the_page(client: TavusClient, http: Any) -> None:
    """list sends limit, page and persona_type, and reads data and total_count."""
    url = f"{PERSONAS}?limit=5&page=2&persona_type=system"
    http.get(url, payload={"data": [DOCS_PERSONA], "total_count": 123})

    page = await client.personas.list(limit=5, page=2, persona_type="system")

    assert len(sent(http, "GET", url)) == 1
    assert page.total_count == 123
    assert [p.persona_id for p in page] == ["pcb7a34da5fe"]


async def test_iter_walks_pages_with_the_filter(client: TavusClient, http: Any) -> None:
    """iter sends persona_type with every page and yields each persona once."""
    http.get(
        f"{PERSONAS}?persona_type=user&limit=2&page=0",
        payload={"data": [{"persona_id": "p1"}, {"persona_id": "p2"}], "total_count": 3},
    )
    http.get(
        f"{PERSONAS}?persona_type=user&limit=2&page=1",
        payload={"data": [{"persona_id": "p3"}], "total_count": 3},
    )

    ids = [p.persona_id async for p in client.personas.iter(page_size=2, persona_type="user")]

    assert ids == ["p1", "p2", "p3"]


async def test_get_unwraps_tavus_list_of_one(client: TavusClient, http: Any) -> None:
    """get reads Tavus's {"data": [persona]} as the persona, its layers typed, in one request."""
    http.get(f"{PERSONAS}/pcb7a34da5fe", payload={"data": [DOCS_PERSONA]})

    persona = await client.personas.get("pcb7a34da5fe")

    assert persona.persona_id == "pcb7a34da5fe"
    assert persona.document_ids == ("d1234567890", "d2468101214")
    assert persona.layers is not None
    assert persona.layers.llm is not None
    assert persona.layers.llm.base_url == "https://llm.example.com/v1"
    assert persona.layers.tts is not None
    assert persona.layers.tts.tts_emotion_control is True
    assert persona.to_dict() == DOCS_PERSONA
    assert total_requests(http) == 1


# Flags as Tavus's own examples send them (strings), and hotwords as a list.
STRING_FLAGS: dict[str, Any] = {
    "persona_id": "p0f1a2",
    "layers": {
        "llm": {"model": "tavus-gpt-oss", "speculative_inference": "true"},
        "stt": {"smart_turn_detection": "false", "hotwords": ["Tavus", "Roey"]},
        "tts": {"tts_emotion_control": "false"},
    },
}


async def test_get_and_list_keep_layer_flags_sent_as_strings(
    client: TavusClient, http: Any
) -> None:
    """A persona whose layer flags are "true"/"false" strings (or hotwords a list) parses."""
    http.get(f"{PERSONAS}/p0f1a2", payload={"data": [STRING_FLAGS]})
    http.get(f"{PERSONAS}?limit=10&page=0", payload={"data": [DOCS_PERSONA, STRING_FLAGS]})

    persona = await client.personas.get("p0f1a2")
    page = await client.personas.list(limit=10, page=0)

    assert persona.layers is not None
    assert persona.layers.llm is not None
    assert persona.layers.stt is not None
    assert persona.layers.llm.speculative_inference == "true"
    assert persona.layers.stt.smart_turn_detection == "false"
    assert persona.layers.stt.hotwords == ["Tavus", "Roey"]
    assert persona.to_dict() == STRING_FLAGS
    assert [p.persona_id for p in page] == ["pcb7a34da5fe", "p0f1a2"]


async def test_get_with_raw_response_parses_to_the_persona(client: TavusClient, http: Any) -> None:
    """with_raw_response.get's parse() is the persona, as the plain call returns."""
    http.get(f"{PERSONAS}/p1", payload={"data": [{"persona_id": "p1"}]})

    raw = await client.personas.with_raw_response.get("p1")

    assert raw.status_code == 200
    assert raw.parse().persona_id == "p1"


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ({"data": []}, "data is an empty list"),
        ({"data": {"persona_id": "p1"}}, "data is a JSON object"),
        ({"data": "p1"}, "data is a JSON string"),
    ],
)
async def test_get_of_an_answer_with_no_persona_is_a_validation_error(
    client: TavusClient, http: Any, answer: dict[str, Any], says: str
) -> None:
    """A data that is empty or not a list is ResponseValidationError naming the call."""
    http.get(f"{PERSONAS}/p1", payload=answer)

    with pytest.raises(ResponseValidationError, match=says) as caught:
        await client.personas.get("p1")

    assert "GET /v2/personas/p1" in str(caught.value)


async def test_get_of_an_unknown_id_is_tavus_bad_request(client: TavusClient, http: Any) -> None:
    """Tavus answers 400 Invalid persona_id for an unknown id: BadRequestError."""
    http.get(f"{PERSONAS}/p404", status=400, payload={"error": "Invalid persona_id"})

    with pytest.raises(BadRequestError, match="Invalid persona_id"):
        await client.personas.get("p404")


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 200},
        {"status": 304, "payload": {"message": "No changes were made to the persona"}},
    ],
)
async def test_update_sends_the_patch_and_takes_200_or_304(
    client: TavusClient, http: Any, answer: dict[str, Any]
) -> None:
    """update PATCHes the operations as a JSON array; 200 and 304 are both success."""
    http.patch(f"{PERSONAS}/p1", **answer)

    result = await client.personas.update(
        "p1",
        [
            {"op": "replace", "path": "/persona_name", "value": "Wellness Advisor"},
            PatchOperation(op="remove", path="/layers/stt/hotwords"),
        ],
    )

    assert result is None
    (call,) = sent(http, "PATCH", f"{PERSONAS}/p1")
    assert call.kwargs["json"] == [
        {"op": "replace", "path": "/persona_name", "value": "Wellness Advisor"},
        {"op": "remove", "path": "/layers/stt/hotwords"},
    ]


async def test_update_of_a_patch_tavus_cannot_read_is_unprocessable(
    client: TavusClient, http: Any
) -> None:
    """Tavus's 422 Invalid JSON patch format is UnprocessableEntityError."""
    http.patch(f"{PERSONAS}/p1", status=422, payload={"message": "Invalid JSON patch format"})

    with pytest.raises(UnprocessableEntityError, match="Invalid JSON patch format"):
        await client.personas.update("p1", [{"op": "replace", "path": "/x", "value": 1}])


@pytest.mark.parametrize(
    ("operations", "named"),
    [
        ({"op": "replace", "path": "/x", "value": 1}, "operations"),
        ([{"op": "rename", "path": "/x"}], r"operations\[0\]"),
        ([{"op": "replace", "path": "x", "value": 1}], r"operations\[0\]"),
        ([{"op": "add", "path": "/x"}], r"operations\[0\]"),
        ([{"op": "move", "path": "/x"}], r"operations\[0\]"),
    ],
)
async def test_update_refuses_malformed_operations_before_any_request(
    client: TavusClient, http: Any, operations: Any, named: str
) -> None:
    """An operation of the wrong shape is refused before any request, naming its place."""
    with pytest.raises((TypeError, ValueError), match=named):
        await client.personas.update("p1", operations)

    assert total_requests(http) == 0


async def test_delete_takes_tavus_204(client: TavusClient, http: Any) -> None:
    """delete sends DELETE (no hard flag: Tavus has none for personas) and takes a 204."""
    http.delete(f"{PERSONAS}/p1", status=204)

    assert await client.personas.delete("p1") is None

    assert len(sent(http, "DELETE", f"{PERSONAS}/p1")) == 1
