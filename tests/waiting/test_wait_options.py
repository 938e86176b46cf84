"""Per-call options on waits: every poll carries them, and the deadline stays the policy's.

Parametrized over the job families of the registry, with each family's own status words.
"""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import PollPolicy, TavusClient, WaitTimeoutError
from tavus_async.resources._spec import FamilySpec
from tavus_async.waiting.jobs import JobState

from _support.clocks import FakeClock
from _support.families import JOB_FAMILIES, family_ids
from _support.http import BASE, sent, total_requests

POLICY = PollPolicy(initial=10, maximum=10, timeout=100)


def word(spec: FamilySpec[Any], state: JobState) -> str:
    """A status word the family's table reads as ``state``."""
    assert spec.job is not None
    return next(w for w, s in spec.job.states.items() if s is state)


@pytest.mark.parametrize("spec", JOB_FAMILIES, ids=family_ids)
async def test_every_poll_carries_the_calls_options(
    timed_client: TavusClient, http: Any, spec: FamilySpec[Any]
) -> None:
    """extra_query, extra_headers and timeout reach each poll of a wait."""
    # A family whose waits poll the verbose object asks for it on every poll too.
    url = f"{BASE}{spec.path}/abc?trace=1" + ("&verbose=true" if spec.poll_verbose else "")
    pending, done = word(spec, JobState.PENDING), word(spec, JobState.DONE)
    http.get(url, payload={spec.id_field: "abc", "status": pending})
    http.get(url, payload={spec.id_field: "abc", "status": pending})
    http.get(url, payload={spec.id_field: "abc", "status": done})

    job = await getattr(timed_client, spec.name).wait(
        "abc",
        policy=POLICY,
        extra_query={"trace": 1},
        extra_headers={"X-Trace": "w1"},
        timeout=4,
    )

    assert str(job.status) == done
    polls = sent(http, "GET", url)
    assert len(polls) == 3
    assert all(p.kwargs["headers"]["X-Trace"] == "w1" for p in polls)
    assert all(p.kwargs["timeout"].total == 4 for p in polls)


@pytest.mark.parametrize("spec", JOB_FAMILIES, ids=family_ids)
async def test_a_requests_timeout_does_not_move_the_waits_deadline(
    timed_client: TavusClient, clock: FakeClock, http: Any, spec: FamilySpec[Any]
) -> None:
    """timeout= bounds each poll; the wait still ends at policy.timeout."""
    url = f"{BASE}{spec.path}/abc" + ("?verbose=true" if spec.poll_verbose else "")
    http.get(
        url, payload={spec.id_field: "abc", "status": word(spec, JobState.PENDING)}, repeat=True
    )

    with pytest.raises(WaitTimeoutError) as caught:
        await getattr(timed_client, spec.name).wait("abc", policy=POLICY, timeout=1)

    assert caught.value.elapsed == pytest.approx(POLICY.timeout)
    assert clock() == pytest.approx(POLICY.timeout)


@pytest.mark.parametrize("spec", JOB_FAMILIES, ids=family_ids)
async def test_a_wait_refuses_extra_body_before_any_request(
    timed_client: TavusClient, http: Any, spec: FamilySpec[Any]
) -> None:
    """A wait only GETs: extra_body there is a ValueError and nothing is sent."""
    with pytest.raises(ValueError, match="extra_body"):
        await getattr(timed_client, spec.name).wait("abc", policy=POLICY, extra_body={"a": 1})

    assert total_requests(http) == 0
