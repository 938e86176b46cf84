"""JSON Patch updates and deletes whose answer is lost, on FakeTavus: never applied twice,
said plainly, and a delete that did its work ends well."""

from __future__ import annotations

import math

import pytest

from tavus_async import APIConnectionError, BadRequestError, TavusClient, json_patch
from tavus_async.testing import FakeTavus


def patches(fake: FakeTavus) -> int:
    return len([r for r in fake.requests if r.method == "PATCH"])


async def test_an_appending_patch_whose_answer_is_lost_says_it_may_have_been_applied(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """A lost answer to an append is not retried, and its error says to look first."""
    persona = await tavus.personas.create(system_prompt="x", document_tags=["faq"])
    fake.fault(method="PATCH", path="/v2/personas/*", drop_after=True)

    with pytest.raises(APIConnectionError, match="may have been applied") as caught:
        await tavus.personas.update(
            persona.persona_id, [{"op": "add", "path": "/document_tags/-", "value": "pricing"}]
        )

    assert "created a job" not in str(caught.value)
    assert patches(fake) == 1
    assert fake.jobs.of("personas")[persona.persona_id].body["document_tags"] == ["faq", "pricing"]


async def test_a_test_beside_a_change_is_not_sent_twice(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """test + replace applied once would fail its test the second time: it is sent once."""
    persona = await tavus.personas.create(system_prompt="old")
    fake.fault(method="PATCH", path="/v2/personas/*", drop_after=True)

    with pytest.raises(APIConnectionError, match="may have been applied"):
        await tavus.personas.update(
            persona.persona_id,
            [
                {"op": "test", "path": "/system_prompt", "value": "old"},
                {"op": "replace", "path": "/system_prompt", "value": "new"},
            ],
        )

    assert patches(fake) == 1
    assert (await tavus.personas.get(persona.persona_id)).system_prompt == "new"


async def test_a_replace_whose_answer_is_lost_is_sent_again_and_succeeds(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """A replace does the same twice: after a lost answer it is sent again, and succeeds."""
    persona = await tavus.personas.create(system_prompt="old")
    fake.fault(method="PATCH", path="/v2/personas/*", drop_after=True)

    await tavus.personas.update(
        persona.persona_id, [{"op": "replace", "path": "/system_prompt", "value": "new"}]
    )

    assert patches(fake) == 2
    assert (await tavus.personas.get(persona.persona_id)).system_prompt == "new"


async def test_the_patch_of_an_unchanged_persona_sends_nothing(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """update(id, json_patch(x, x)) is an empty patch: nothing to change, no request."""
    persona = await tavus.personas.get("p9a95912")
    before = persona.to_dict()

    assert await tavus.personas.update("p9a95912", json_patch(before, dict(before))) is None
    assert patches(fake) == 0
    with pytest.raises(ValueError, match="made no request"):
        await tavus.personas.with_raw_response.update("p9a95912", [])


@pytest.mark.parametrize("family", ["personas", "conversations"])
async def test_a_delete_whose_answer_is_lost_ends_well_though_tavus_answers_400(
    fake: FakeTavus, tavus: TavusClient, family: str
) -> None:
    """Sent again, the DELETE of a gone persona or conversation gets Tavus's 400
    "Invalid <x>_id": the first attempt deleted it, and the call succeeds."""
    if family == "personas":
        obj_id = (await tavus.personas.create(system_prompt="x")).persona_id
    else:
        obj_id = (await tavus.conversations.create(replica_id="r783537ef5")).conversation_id
    fake.fault(method="DELETE", path=f"/v2/{family}/*", drop_after=True)

    await getattr(tavus, family).delete(obj_id)

    deletes = [r for r in fake.requests if r.method == "DELETE"]
    assert len(deletes) == 2
    assert obj_id not in fake.jobs.of(family) or getattr(
        fake.jobs.of(family)[obj_id], "deleted", False
    )


async def test_a_first_delete_of_an_unknown_persona_still_fails(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """Only a DELETE sent again reads 400 "Invalid persona_id" as done; a first one raises."""
    with pytest.raises(BadRequestError, match="Invalid persona_id"):
        await tavus.personas.delete("p0000000000")


async def test_nan_in_settings_is_refused_before_any_request(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """NaN is not JSON: a setting holding it is refused, naming the argument, unsent."""
    with pytest.raises(TypeError, match="properties must hold only JSON values"):
        await tavus.conversations.create(
            replica_id="r783537ef5", properties={"max_call_duration": math.nan}
        )
    with pytest.raises(TypeError, match=r"operations must hold only JSON values"):
        await tavus.personas.update(
            "p9a95912", [{"op": "replace", "path": "/context", "value": math.inf}]
        )
    assert [r for r in fake.requests if r.method in ("POST", "PATCH")] == []
