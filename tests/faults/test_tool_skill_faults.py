"""Tools and skills under faults: a tool's create and a PAL's tool attach are never sent
twice once they may have acted; the PUTs and PATCHes, the same when sent twice, are."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tavus_async import APIConnectionError, ResponseValidationError, ServerError, TavusClient
from tavus_async.testing import FakeTavus

from _support.pals import a_pal

#: Faults after which the POST may have acted: it is never sent again.
MAY_HAVE_ACTED: list[dict[str, Any]] = [
    {"drop": True},
    {"drop_after": True},
    {"status": 503},
    {"malformed": True},
]


def _sent(fake: FakeTavus, method: str, path: str) -> int:
    return sum(1 for r in fake.requests if r.method == method and r.path == path)


@pytest.mark.parametrize(
    "fault", MAY_HAVE_ACTED, ids=lambda f: next(iter(f)) + str(f.get("status", ""))
)
@pytest.mark.parametrize("call", ["create", "attach"])
async def test_a_post_that_may_have_acted_is_sent_once(
    fake: FakeTavus, tavus: TavusClient, call: str, fault: dict[str, Any]
) -> None:
    """After a lost, failed or unreadable answer, a tool's create or attach is not resent."""
    pal_id = a_pal(fake)
    tool = await tavus.tools.create(name="seeded")
    calls: dict[str, tuple[str, Callable[[], Awaitable[Any]]]] = {
        "create": ("/v2/tools", lambda: tavus.tools.create(name="w")),
        "attach": (
            f"/v2/pals/{pal_id}/tools",
            lambda: tavus.pal_tools.attach(pal_id, tool_ids=[tool.tool_id]),
        ),
    }
    path, make = calls[call]
    before = _sent(fake, "POST", path)
    fake.fault(method="POST", path=path, **fault)

    if call == "attach" and "malformed" in fault:  # attach reads no answer: it succeeded
        await make()
    else:
        with pytest.raises((APIConnectionError, ServerError, ResponseValidationError)):
            await make()

    assert _sent(fake, "POST", path) - before == 1


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
async def test_a_pal_skill_put_or_patch_is_retried_after_a_503(
    fake: FakeTavus, tavus: TavusClient, method: str
) -> None:
    """Attaching (PUT) and merging a config (PATCH) mean the same twice: a 503 is retried."""
    pal_id = a_pal(fake)
    await tavus.pal_skills.attach(pal_id, "presentation", config={"prompt": "x"})
    path = f"/v2/pals/{pal_id}/skills/presentation"
    before = _sent(fake, method, path)
    fake.fault(method=method, path=path, status=503)

    if method == "PUT":
        skill = await tavus.pal_skills.attach(pal_id, "presentation", config={"prompt": "y"})
    else:
        skill = await tavus.pal_skills.update(pal_id, "presentation", config={"prompt": "y"})

    assert skill is not None
    assert skill.config == {"prompt": "y"}
    assert _sent(fake, method, path) - before == 2
