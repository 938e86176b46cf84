"""deployments against FakeTavus over real sockets: publish, read, patch, start, end, delete."""

from __future__ import annotations

import pytest

from tavus_async import (
    APIError,
    AuthenticationError,
    Deployment,
    DeploymentLimits,
    NotFoundError,
    TavusClient,
)
from tavus_async.testing import FakeTavus


async def test_a_deployment_is_created_listed_patched_and_deleted(tavus: TavusClient) -> None:
    """Each change reaches get and the list; a patch echoes the deployment; a no-op is None."""
    api = tavus.deployments
    created = await api.create(
        pal_id="pcb7a34da5fe",
        channel="widget",
        name="Support",
        limits=DeploymentLimits(max_call_duration=600),
        allowed_origins=["https://example.com"],
    )
    assert (created.channel, created.name, created.has_password) == ("widget", "Support", False)
    assert created.limits == DeploymentLimits(max_call_duration=600)
    assert created.allowed_origins == ("https://example.com",)

    changed = await api.update(
        created.deployment_id,
        [
            {"op": "replace", "path": "/name", "value": "Help desk"},
            {"op": "add", "path": "/customization/theme", "value": "dark"},
        ],
    )
    unchanged = await api.update(
        created.deployment_id, [{"op": "replace", "path": "/name", "value": "Help desk"}]
    )
    got = await api.get(created.deployment_id)

    assert isinstance(changed, Deployment)
    assert unchanged is None
    assert (got.name, got.customization) == ("Help desk", {"theme": "dark"})
    assert [d.deployment_id async for d in api.iter()] == [created.deployment_id]

    await api.delete(created.deployment_id)
    with pytest.raises(NotFoundError):
        await api.get(created.deployment_id)


async def test_if_match_refuses_a_patch_of_a_changed_deployment(tavus: TavusClient) -> None:
    """The ETag of a get makes a later patch conditional: stale, it is refused."""
    api = tavus.deployments
    created = await api.create(pal_id="p1", channel="embed")
    raw = await api.with_raw_response.get(created.deployment_id)
    etag = raw.headers["ETag"]

    await api.update(
        created.deployment_id, [{"op": "replace", "path": "/name", "value": "A"}], if_match=etag
    )
    with pytest.raises(APIError) as caught:
        await api.update(
            created.deployment_id,
            [{"op": "replace", "path": "/name", "value": "B"}],
            if_match=etag,
        )

    assert caught.value.status == 412
    assert (await api.get(created.deployment_id)).name == "A"


async def test_the_public_calls_start_and_end_a_conversation(
    tavus: TavusClient, fake: FakeTavus
) -> None:
    """init shows the password need; start needs it, counts the use; end is harmless twice."""
    api = tavus.deployments
    created = await api.create(pal_id="p1", channel="landing-page", password="s3cret")

    init = await api.init(created.deployment_id)
    assert (init.deployment_id, init.channel, init.has_password) == (
        created.deployment_id,
        "landing-page",
        True,
    )
    assert init.is_available is True

    with pytest.raises(AuthenticationError):
        await api.start_conversation(created.deployment_id, password="wrong")
    started = await api.start_conversation(
        created.deployment_id,
        password="s3cret",
        conversational_context="The visitor is on the pricing page.",
        memory_stores=["visitor_42"],
    )
    assert started.status == "active"
    assert started.conversation_url is not None
    assert (await api.get(created.deployment_id)).usage_total == 1

    await api.end_conversation(created.deployment_id, started.conversation_id)
    await api.end_conversation(created.deployment_id, started.conversation_id)
    start = next(r for r in fake.requests if r.path.endswith("/start") and r.created)
    assert start.created == started.conversation_id


async def test_a_bad_create_is_refused_as_tavus_would(tavus: TavusClient) -> None:
    """An unknown channel reaches FakeTavus (the SDK accepts new words) and is refused there."""
    with pytest.raises(APIError) as caught:
        await tavus.deployments.create(pal_id="p1", channel="billboard")

    assert caught.value.status == 400
