"""wait_many on mocked Tavus: a policy whose deadline comes quickly, and its outcomes gathered."""

from __future__ import annotations

from typing import Any

from tavus_async import PollPolicy, WaitOutcome

# One-second pauses on the fake clock: a job that never ends meets the deadline quickly.
POLICY = PollPolicy(initial=1, maximum=1, timeout=10)


async def collect(outcomes: Any) -> list[WaitOutcome[Any]]:
    """Every outcome wait_many yields, in the order it yields them."""
    return [outcome async for outcome in outcomes]
