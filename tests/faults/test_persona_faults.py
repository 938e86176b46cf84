"""Personas under faults: a create is never sent twice once it may have acted; a JSON Patch
is sent again only when applying it twice does no more than once."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import APIConnectionError, ResponseValidationError, ServerError, TavusClient
from tavus_async.testing import FakeTavus

#: Faults after which the create may have made the persona: it is never sent again.
MAY_HAVE_ACTED: list[dict[str, Any]] = [
    {"drop": True},
    {"drop_after": True},
    {"status": 503},
    {"status": 502},
    {"malformed": True},
    {"truncated": True},
]


def _posts(fake: FakeTavus) -> list[str | None]:
    return [r.created for r in fake.requests if r.method == "POST" and r.path == "/v2/personas"]


@pytest.mark.parametrize(
    "fault", MAY_HAVE_ACTED, ids=lambda f: next(iter(f)) + str(f.get("status", ""))
)
async def test_a_persona_create_that_may_have_acted_is_sent_once(
    fake: FakeTavus, tavus: TavusClient, fault: dict[str, Any]
) -> None:
    """After a lost, failed or unreadable answer the create is not sent again."""
    fake.fault(method="POST", path="/v2/personas", **fault)

    with pytest.raises((APIConnectionError, ServerError, ResponseValidationError)) as caught:
        await tavus.personas.create(system_prompt="Be kind.")

    assert len(_posts(fake)) == 1
    if not isinstance(caught.value, ServerError):  # a lost answer says how to look
        assert "list()" in str(caught.value)
    assert len([p for p in fake.jobs.of("personas").values() if p.persona_type == "user"]) <= 1


async def test_a_persona_create_refused_429_is_retried_into_one_persona(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """A 429 did nothing: the create is sent again, and makes one persona."""
    fake.fault(method="POST", path="/v2/personas", status=429)

    persona = await tavus.personas.create(system_prompt="Be kind.")

    assert [job_id for job_id in _posts(fake) if job_id] == [persona.persona_id]


async def test_a_replace_patch_is_retried_after_a_503(fake: FakeTavus, tavus: TavusClient) -> None:
    """A replace does the same however often it is applied: a 503 is tried again."""
    persona = await tavus.personas.create(system_prompt="Old.")
    fake.fault(method="PATCH", path="/v2/personas/*", status=503)

    await tavus.personas.update(
        persona.persona_id, [{"op": "replace", "path": "/system_prompt", "value": "New."}]
    )

    patches = [r for r in fake.requests if r.method == "PATCH"]
    assert len(patches) == 2
    assert (await tavus.personas.get(persona.persona_id)).system_prompt == "New."


async def test_an_appending_patch_is_not_sent_twice(fake: FakeTavus, tavus: TavusClient) -> None:
    """An add at /-, applied twice, would append twice: after a 503 it is not sent again."""
    persona = await tavus.personas.create(system_prompt="x", document_tags=["faq"])
    fake.fault(method="PATCH", path="/v2/personas/*", status=503)

    with pytest.raises(ServerError):
        await tavus.personas.update(
            persona.persona_id, [{"op": "add", "path": "/document_tags/-", "value": "pricing"}]
        )

    assert len([r for r in fake.requests if r.method == "PATCH"]) == 1
    assert fake.jobs.of("personas")[persona.persona_id].body["document_tags"] == ["faq"]
