"""personas against FakeTavus over real sockets: create, list, get, update by JSON Patch, delete."""

from __future__ import annotations

import aiohttp
import pytest

from tavus_async import (
    BadRequestError,
    LLMLayer,
    PersonaLayers,
    TavusClient,
    json_patch,
)
from tavus_async.testing import FakeTavus


async def test_a_persona_is_created_edited_as_data_and_deleted(
    tavus: TavusClient, fake: FakeTavus
) -> None:
    """An edited to_dict() sent as json_patch(before, after) is what get returns next."""
    created = await tavus.personas.create(
        persona_name="Coach",
        system_prompt="Be kind.",
        default_replica_id="r783537ef5",
        layers=PersonaLayers(llm=LLMLayer(model="tavus-gpt-oss", api_key="sk-llm-123")),
        document_tags=["faq"],
    )
    assert created.persona_id.startswith("p")
    assert len(created.persona_id) == 11
    assert created.persona_name == "Coach"

    before = (await tavus.personas.get(created.persona_id)).to_dict()
    after = {
        **before,
        "system_prompt": "Be brief.",
        "document_tags": ["faq", "pricing"],
        "layers": {**before["layers"], "stt": {"stt_engine": "tavus-auto"}},
    }
    await tavus.personas.update(created.persona_id, json_patch(before, after))
    edited = await tavus.personas.get(created.persona_id)

    assert edited.system_prompt == "Be brief."
    assert edited.document_tags == ("faq", "pricing")
    assert edited.layers is not None
    assert edited.layers.stt is not None
    assert edited.layers.llm is not None
    assert edited.layers.llm.api_key == "sk-llm-123"
    stored = fake.jobs.of("personas")[created.persona_id].body
    assert stored["default_replica_id"] == "r783537ef5"

    await tavus.personas.delete(created.persona_id)
    assert created.persona_id not in fake.jobs.of("personas")
    with pytest.raises(BadRequestError, match="Invalid persona_id"):
        await tavus.personas.get(created.persona_id)


async def test_list_filters_by_persona_type(tavus: TavusClient) -> None:
    """persona_type=system lists Tavus's stock personas, user the account's own."""
    mine = await tavus.personas.create(pipeline_mode="echo")

    system = [p async for p in tavus.personas.iter(persona_type="system")]
    user = await tavus.personas.list(persona_type="user")

    assert system
    assert all(p.persona_type == "system" for p in system)
    assert "p9a95912" in [p.persona_id for p in system]
    assert [p.persona_id for p in user] == [mine.persona_id]
    assert user.total_count == 1


async def test_a_patch_that_changes_nothing_succeeds(tavus: TavusClient) -> None:
    """A patch that leaves the persona as it is (Tavus's 304) returns like any other."""
    persona = await tavus.personas.create(system_prompt="Same.")

    await tavus.personas.update(
        persona.persona_id, [{"op": "replace", "path": "/system_prompt", "value": "Same."}]
    )

    assert (await tavus.personas.get(persona.persona_id)).system_prompt == "Same."


async def test_a_patch_that_cannot_apply_is_a_bad_request(tavus: TavusClient) -> None:
    """A path that is not in the persona, or a failed test, is Tavus's 400; nothing changes."""
    persona = await tavus.personas.create(system_prompt="Keep me.")

    with pytest.raises(BadRequestError):
        await tavus.personas.update(
            persona.persona_id, [{"op": "replace", "path": "/layers/llm/model", "value": "x"}]
        )
    with pytest.raises(BadRequestError):
        await tavus.personas.update(
            persona.persona_id,
            [
                {"op": "replace", "path": "/system_prompt", "value": "Changed."},
                {"op": "test", "path": "/persona_name", "value": "nobody"},
            ],
        )
    with pytest.raises(BadRequestError, match="persona_id"):
        await tavus.personas.update(
            persona.persona_id, [{"op": "replace", "path": "/persona_id", "value": "p0"}]
        )

    assert (await tavus.personas.get(persona.persona_id)).system_prompt == "Keep me."


@pytest.mark.parametrize(
    "patch", [b'{"op": "replace"}', b'[{"op": "rename", "path": "/x"}]', b"[1"]
)
async def test_a_body_that_is_no_json_patch_is_tavus_422(
    tavus: TavusClient, fake: FakeTavus, patch: bytes
) -> None:
    """FakeTavus answers what is not a JSON Patch (the SDK never sends it) as Tavus does."""
    persona = await tavus.personas.create(system_prompt="x")
    url = f"{fake.base_url}/v2/personas/{persona.persona_id}"

    headers = {"x-api-key": fake.api_key}
    async with (
        aiohttp.ClientSession() as session,
        session.patch(url, data=patch, headers=headers) as answer,
    ):
        status, body = answer.status, await answer.json()

    assert (status, body) == (422, {"message": "Invalid JSON patch format"})


async def test_an_unknown_persona_is_tavus_invalid_persona_id(tavus: TavusClient) -> None:
    """get, update and delete of an unknown id answer Tavus's 400 Invalid persona_id."""
    for call in (
        tavus.personas.get("pdeadbeef00"),
        tavus.personas.update("pdeadbeef00", [{"op": "remove", "path": "/context"}]),
        tavus.personas.delete("pdeadbeef00"),
    ):
        with pytest.raises(BadRequestError, match="Invalid persona_id"):
            await call


async def test_full_mode_without_a_system_prompt_is_refused_by_tavus(tavus: TavusClient) -> None:
    """The SDK leaves the system_prompt rule to Tavus, whose 400 comes back."""
    with pytest.raises(BadRequestError, match="system_prompt"):
        await tavus.personas.create(persona_name="Mute")


async def test_a_create_body_cannot_set_what_tavus_assigns(
    tavus: TavusClient, fake: FakeTavus
) -> None:
    """persona_id, persona_type and the timestamps of a create body are ignored, as by Tavus."""
    created = await tavus.personas.create(
        system_prompt="Mine.",
        extra_body={
            "persona_id": "p9a95912",
            "persona_type": "system",
            "created_at": "2001-01-01T00:00:00Z",
            "updated_at": "2001-01-01T00:00:00Z",
        },
    )

    stored = await tavus.personas.get(created.persona_id)
    stock = await tavus.personas.get("p9a95912")
    assert created.persona_id != "p9a95912"
    assert (stored.persona_id, stored.persona_type) == (created.persona_id, "user")
    assert stored.created_at is not None
    assert stored.created_at.year > 2001
    assert stored.updated_at == stored.created_at
    assert (stock.persona_type, stock.system_prompt) != ("user", "Mine.")
    assert fake.jobs.of("personas")[created.persona_id].body["persona_id"] == created.persona_id
