"""pals: the bodies and queries each call sends, the answers it reads, the input it refuses."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tavus_async import (
    BadRequestError,
    LLMLayer,
    Pal,
    PersonaLayers,
    ResponseValidationError,
    TavusClient,
)

from _support.http import BASE, sent, total_requests

PALS = re.compile(r"https://tavusapi\.com/v2/pals\?.*")
CREATED = {
    "pal_id": "pcb7a34da5fe",
    "pal_name": "Life Coach",
    "conferencing_email": "life-coach@tavusinvite.com",
    "created_at": "2026-08-01T10:00:00Z",
}


async def test_create_sends_exactly_the_fields_given(client: TavusClient, http: Any) -> None:
    """pals.create posts the face and prompt given, nothing else, and reads Tavus's answer."""
    http.post(f"{BASE}/v2/pals", payload=CREATED)

    pal = await client.pals.create(default_face_id="r90bbd427f71", system_prompt="Be kind.")

    (call,) = sent(http, "POST", f"{BASE}/v2/pals")
    assert call.kwargs["json"] == {"default_face_id": "r90bbd427f71", "system_prompt": "Be kind."}
    assert pal.pal_id == "pcb7a34da5fe"
    assert pal.conferencing_email == "life-coach@tavusinvite.com"


async def test_create_sends_every_documented_field(client: TavusClient, http: Any) -> None:
    """Every documented field goes under Tavus's name; layer models are written as JSON."""
    http.post(f"{BASE}/v2/pals", payload=CREATED)

    await client.pals.create(
        pal_name="Life Coach",
        system_prompt="Be kind.",
        default_face_id="r90bbd427f71",
        pipeline_mode="full",
        layers={
            "llm": LLMLayer(model="tavus-glm-4.7"),
            "conferencing": {"google_meet": {"enabled": True}},
        },
        document_ids=["d1234567890"],
        document_tags=["faq"],
        guardrail_ids=["g12345678901"],
        guardrail_tags=["safety"],
        objectives_id="o12345",
    )

    (call,) = sent(http, "POST", f"{BASE}/v2/pals")
    assert call.kwargs["json"] == {
        "pal_name": "Life Coach",
        "system_prompt": "Be kind.",
        "pipeline_mode": "full",
        "default_face_id": "r90bbd427f71",
        "layers": {
            "llm": {"model": "tavus-glm-4.7"},
            "conferencing": {"google_meet": {"enabled": True}},
        },
        "document_ids": ["d1234567890"],
        "document_tags": ["faq"],
        "guardrail_ids": ["g12345678901"],
        "guardrail_tags": ["safety"],
        "objectives_id": "o12345",
    }


async def test_create_takes_a_layers_model_and_unknown_words(
    client: TavusClient, http: Any
) -> None:
    """A whole layers Model is written with to_dict(); a new pipeline word goes as it is."""
    http.post(f"{BASE}/v2/pals", payload=CREATED)

    await client.pals.create(
        default_face_id="r1",
        pipeline_mode="speech-to-speech",
        layers=PersonaLayers(llm=LLMLayer(model="tavus-gpt-oss")),
        document_tags=[],
    )

    (call,) = sent(http, "POST", f"{BASE}/v2/pals")
    assert call.kwargs["json"] == {
        "default_face_id": "r1",
        "pipeline_mode": "speech-to-speech",
        "layers": {"llm": {"model": "tavus-gpt-oss"}},
        "document_tags": [],
    }


BAD_PAL_ARGS: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"default_face_id": "r1/../x"}, ValueError, "default_face_id"),
    ({"default_face_id": "r1", "document_ids": "d1"}, TypeError, "document_ids"),
    ({"default_face_id": "r1", "guardrail_ids": ["g 1"]}, ValueError, r"guardrail_ids\[0\]"),
    ({"default_face_id": "r1", "document_tags": [1]}, TypeError, r"document_tags\[0\]"),
    ({"default_face_id": "r1", "layers": {"llm": "gpt"}}, TypeError, "layers.llm"),
    ({"default_face_id": "r1", "layers": ["llm"]}, TypeError, "layers"),
    (
        {"default_face_id": "r1", "layers": {"llm": {"base_url": "ftp://llm"}}},
        ValueError,
        "layers.llm.base_url",
    ),
    ({"default_face_id": "r1", "pipeline_mode": " "}, ValueError, "pipeline_mode"),
    ({"default_face_id": "r1", "pal_name": 3}, TypeError, "pal_name"),
    ({"default_face_id": "r1", "objectives_id": "o?1"}, ValueError, "objectives_id"),
    ({"system_prompt": "Hi"}, TypeError, "default_face_id"),
    ({"default_face_id": "r1", "persona_name": "x"}, TypeError, "persona_name"),
]


@pytest.mark.parametrize(("kwargs", "error", "names"), BAD_PAL_ARGS)
async def test_bad_input_fails_before_any_request(
    client: TavusClient, http: Any, kwargs: dict[str, Any], error: type[Exception], names: str
) -> None:
    """pals.create refuses bad arguments with an error naming the argument, sending nothing."""
    with pytest.raises(error, match=names):
        await client.pals.create(**kwargs)

    assert total_requests(http) == 0


async def test_list_sends_pal_type_and_reads_the_page(client: TavusClient, http: Any) -> None:
    """pals.list sends limit, page and pal_type; each item is a Pal."""
    http.get(PALS, payload={"data": [{"pal_id": "p1", "pal_type": "system"}], "total_count": 1})

    page = await client.pals.list(limit=5, page=1, pal_type="system")

    ((_, url),) = http.requests
    assert (url.path, dict(url.query)) == (
        "/v2/pals",
        {"limit": "5", "page": "1", "pal_type": "system"},
    )
    assert page.data == (Pal(pal_id="p1", pal_type="system"),)


async def test_iter_walks_pages_with_the_filter(client: TavusClient, http: Any) -> None:
    """pals.iter asks every page with the same pal_type."""
    http.get(PALS, payload={"data": [{"pal_id": "p1"}, {"pal_id": "p2"}], "total_count": 3})
    http.get(PALS, payload={"data": [{"pal_id": "p3"}], "total_count": 3})

    ids = [pal.pal_id async for pal in client.pals.iter(page_size=2, pal_type="user")]

    assert ids == ["p1", "p2", "p3"]
    assert {dict(url.query)["pal_type"] for _, url in http.requests} == {"user"}


async def test_get_unwraps_tavus_list_of_one(client: TavusClient, http: Any) -> None:
    """pals.get reads {"data": [pal]} as the PAL, every documented field parsed."""
    http.get(
        f"{BASE}/v2/pals/p1",
        payload={
            "data": [
                {
                    "pal_id": "p1",
                    "pal_name": "Coach",
                    "system_prompt": "Be kind.",
                    "default_face_id": "r1",
                    "pipeline_mode": "full",
                    "layers": {"llm": {"model": "tavus-glm-4.7", "api_key": "sk-secret-1"}},
                    "document_ids": ["d1"],
                    "document_tags": ["faq"],
                    "guardrail_ids": ["g1"],
                    "guardrail_tags": ["safe"],
                    "objectives_id": "o1",
                    "conferencing_email": "coach@tavusinvite.com",
                    "created_at": "2026-08-01T10:00:00Z",
                    "updated_at": "2026-08-02T10:00:00Z",
                    "publish_state": "draft",
                }
            ]
        },
    )

    pal = await client.pals.get("p1")

    assert (pal.pal_name, pal.default_face_id, pal.document_ids) == ("Coach", "r1", ("d1",))
    assert pal.layers == {"llm": {"model": "tavus-glm-4.7", "api_key": "sk-secret-1"}}
    assert pal.extra == {"publish_state": "draft"}
    assert pal.updated_at is not None
    assert "sk-secret-1" not in repr(pal)
    assert "'***'" in repr(pal)
    assert pal.to_dict()["layers"]["llm"]["api_key"] == "sk-secret-1"


async def test_get_of_an_answer_with_no_pal_is_a_validation_error(
    client: TavusClient, http: Any
) -> None:
    """An empty data list holds no PAL: ResponseValidationError, not an empty Pal."""
    http.get(f"{BASE}/v2/pals/p1", payload={"data": []})

    with pytest.raises(ResponseValidationError, match="no PAL"):
        await client.pals.get("p1")


async def test_update_sends_the_patch_and_takes_200_or_304(client: TavusClient, http: Any) -> None:
    """pals.update PATCHes the operations as sent; 200 and 304 both succeed."""
    http.patch(f"{BASE}/v2/pals/p1", status=200, payload={"publish_url": "https://x/p"})
    http.patch(f"{BASE}/v2/pals/p1", status=304)
    ops = [{"op": "replace", "path": "/pal_name", "value": "New"}]

    assert await client.pals.update("p1", ops) is None
    await client.pals.update("p1", ops)

    calls = sent(http, "PATCH", f"{BASE}/v2/pals/p1")
    assert [c.kwargs["json"] for c in calls] == [ops, ops]


async def test_update_refuses_malformed_operations_before_any_request(
    client: TavusClient, http: Any
) -> None:
    """An operation without a path is refused, naming operations[0]."""
    with pytest.raises((TypeError, ValueError), match=r"operations\[0\]"):
        await client.pals.update("p1", [{"op": "replace", "value": 1}])

    assert total_requests(http) == 0


async def test_publish_posts_to_publish(client: TavusClient, http: Any) -> None:
    """pals.publish POSTs no body to /v2/pals/{id}/publish; a refusal is BadRequestError."""
    http.post(f"{BASE}/v2/pals/p1/publish", status=200, payload={"message": "published"})
    http.post(f"{BASE}/v2/pals/p9/publish", status=400, payload={"error": "Invalid pal_id"})

    await client.pals.publish("p1")
    with pytest.raises(BadRequestError, match="Invalid pal_id"):
        await client.pals.publish("p9")

    (call,) = sent(http, "POST", f"{BASE}/v2/pals/p1/publish")
    assert call.kwargs.get("json") is None


async def test_publish_is_retried_after_a_503(client: TavusClient, http: Any) -> None:
    """Publishing the same draft twice does no more than once: a 503 is tried again."""
    http.post(f"{BASE}/v2/pals/p1/publish", status=503)
    http.post(f"{BASE}/v2/pals/p1/publish", status=200)

    await client.pals.publish("p1")

    assert len(sent(http, "POST", f"{BASE}/v2/pals/p1/publish")) == 2


async def test_delete_takes_tavus_204(client: TavusClient, http: Any) -> None:
    """pals.delete sends DELETE with no query and takes 204 No Content."""
    http.delete(f"{BASE}/v2/pals/p1", status=204)

    await client.pals.delete("p1")

    assert len(sent(http, "DELETE", f"{BASE}/v2/pals/p1")) == 1
