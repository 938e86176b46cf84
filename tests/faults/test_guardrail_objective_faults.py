"""Guardrails and objectives under faults: a create is never sent twice once it may have
acted; a JSON Patch is sent again only when applying it twice does no more than once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tavus_async import APIConnectionError, ResponseValidationError, ServerError, TavusClient
from tavus_async.testing import FakeTavus

#: Faults after which the create may have made the object: it is never sent again.
MAY_HAVE_ACTED: list[dict[str, Any]] = [
    {"drop": True},
    {"drop_after": True},
    {"status": 503},
    {"malformed": True},
    {"truncated": True},
]

ITEM = {"guardrail_name": "no_advice", "guardrail_prompt": "No advice."}
OBJECTIVE = {"objective_name": "greet", "objective_prompt": "Greet."}

#: Each create, by its path: one call that makes one object (and bills one).
CREATES: dict[str, tuple[str, Callable[[TavusClient], Awaitable[Any]]]] = {
    "guardrail": ("/v2/guardrails", lambda t: t.guardrails.create(**ITEM)),
    "legacy set": (
        "/v2/guardrails",
        lambda t: t.guardrails.create_legacy_set(name="Set", data=[ITEM]),
    ),
    "objectives": ("/v2/objectives", lambda t: t.objectives.create(data=[OBJECTIVE])),
}


def _posts(fake: FakeTavus, path: str) -> int:
    return sum(1 for r in fake.requests if r.method == "POST" and r.path == path)


@pytest.mark.parametrize("create", CREATES, ids=str)
@pytest.mark.parametrize(
    "fault", MAY_HAVE_ACTED, ids=lambda f: next(iter(f)) + str(f.get("status", ""))
)
async def test_a_create_that_may_have_acted_is_sent_once(
    fake: FakeTavus, tavus: TavusClient, create: str, fault: dict[str, Any]
) -> None:
    """After a lost, failed or unreadable answer the create is not sent again."""
    path, call = CREATES[create]
    fake.fault(method="POST", path=path, **fault)

    with pytest.raises((APIConnectionError, ServerError, ResponseValidationError)):
        await call(tavus)

    assert _posts(fake, path) == 1


@pytest.mark.parametrize("create", CREATES, ids=str)
async def test_a_create_refused_429_is_retried_into_one_object(
    fake: FakeTavus, tavus: TavusClient, create: str
) -> None:
    """A 429 did nothing: the create is sent again, and makes one object."""
    path, call = CREATES[create]
    fake.fault(method="POST", path=path, status=429)

    await call(tavus)

    made = [r.created for r in fake.requests if r.method == "POST" and r.created]
    assert (_posts(fake, path), len(made)) == (2, 1)


async def test_a_replace_is_retried_and_returns_the_guardrail(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """A replace does the same however often applied: after a 503 it is sent again."""
    guardrail = await tavus.guardrails.create(**ITEM)
    fake.fault(method="PATCH", path="/v2/guardrails/*", status=503)

    updated = await tavus.guardrails.update(
        guardrail.uuid, [{"op": "replace", "path": "/guardrail_prompt", "value": "Never."}]
    )

    assert len([r for r in fake.requests if r.method == "PATCH"]) == 2
    assert updated is not None
    assert updated.guardrail_prompt == "Never."


async def test_an_appending_patch_to_objectives_is_not_sent_twice(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """An add at /data/-, applied twice, would add two objectives: after a 503, not resent."""
    created = await tavus.objectives.create(data=[OBJECTIVE])
    fake.fault(method="PATCH", path="/v2/objectives/*", status=503)

    with pytest.raises(ServerError):
        await tavus.objectives.update(
            created.objectives_id,
            [{"op": "add", "path": "/data/-", "value": {**OBJECTIVE, "objective_name": "bye"}}],
        )

    assert len([r for r in fake.requests if r.method == "PATCH"]) == 1
