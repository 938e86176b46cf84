"""Deployments, canvas interactions and transcriptions under faults: a create or a start (a
billed conversation) is never sent twice once it may have acted; ending a conversation and
recording an interaction, harmless twice, are sent again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tavus_async import APIConnectionError, ResponseValidationError, ServerError, TavusClient
from tavus_async.testing import FakeTavus

#: Faults after which the request may have acted.
MAY_HAVE_ACTED: list[dict[str, Any]] = [
    {"drop": True},
    {"drop_after": True},
    {"status": 503},
    {"malformed": True},
    {"truncated": True},
]


def _count(fake: FakeTavus, method: str, suffix: str) -> int:
    return sum(1 for r in fake.requests if r.method == method and r.path.endswith(suffix))


async def _deployment(tavus: TavusClient) -> str:
    return (await tavus.deployments.create(pal_id="p1", channel="widget")).deployment_id


#: Each call that makes something billed or new: the path its POST ends with, the glob
#: of its fault, the call.
ONCE: dict[str, tuple[str, str, Callable[[TavusClient, str], Awaitable[Any]]]] = {
    "create": (
        "/v2/deployments",
        "/v2/deployments",
        lambda t, d: t.deployments.create(pal_id="p1", channel="embed"),
    ),
    "start": ("/start", "/v2/deployments/*", lambda t, d: t.deployments.start_conversation(d)),
    "transcription": (
        "/v2/transcriptions",
        "/v2/transcriptions",
        lambda t, d: t.transcriptions.create(
            file_url="https://example.com/a.mp4", callback_url="https://example.com/cb"
        ),
    ),
}


@pytest.mark.parametrize("call", ONCE, ids=str)
@pytest.mark.parametrize(
    "fault", MAY_HAVE_ACTED, ids=lambda f: next(iter(f)) + str(f.get("status", ""))
)
async def test_a_create_or_start_that_may_have_acted_is_sent_once(
    fake: FakeTavus, tavus: TavusClient, call: str, fault: dict[str, Any]
) -> None:
    """After a lost, failed or unreadable answer it is not sent again."""
    deployment_id = await _deployment(tavus)
    suffix, glob, make = ONCE[call]
    fake.fault(method="POST", path=glob, **fault)
    before = _count(fake, "POST", suffix)

    with pytest.raises((APIConnectionError, ServerError, ResponseValidationError)):
        await make(tavus, deployment_id)

    assert _count(fake, "POST", suffix) - before == 1


async def test_a_start_refused_429_is_retried_into_one_conversation(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """A 429 did nothing: the start is sent again, and starts one conversation."""
    deployment_id = await _deployment(tavus)
    fake.fault(method="POST", path="/v2/deployments/*", status=429)

    await tavus.deployments.start_conversation(deployment_id)

    made = [r.created for r in fake.requests if r.path.endswith("/start") and r.created]
    assert (_count(fake, "POST", "/start"), len(made)) == (2, 1)


async def test_end_conversation_is_retried_after_a_server_error(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """Ending twice does no harm: after a 503 the end is sent again and succeeds."""
    deployment_id = await _deployment(tavus)
    started = await tavus.deployments.start_conversation(deployment_id)
    fake.fault(method="POST", path="/v2/deployments/*", status=503)

    await tavus.deployments.end_conversation(deployment_id, started.conversation_id)

    assert _count(fake, "POST", "/end") == 2


async def test_record_is_retried_after_a_lost_answer_and_kept_once(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """Tavus keeps one interaction per id: a dropped answer is followed by a resend."""
    fake.fault(method="POST", path="/v2/conversations/*", drop_after=True)

    await tavus.canvas_interactions.record(
        "c9", interaction_id="i-1", tool_call_id="t", component="canvas.q", type="submit"
    )

    assert _count(fake, "POST", "/canvas/interactions") == 2
    assert len(await tavus.canvas_interactions.list("c9")) == 1
