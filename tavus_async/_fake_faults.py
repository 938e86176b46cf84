"""Faults that FakeTavus serves on demand: scheduled, random, and a rate limit."""

from __future__ import annotations

import fnmatch
import math
import random
from collections import deque
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["RANDOM_FAULT_KINDS", "Fault", "FaultPlan"]

#: What ``FakeTavus.random_faults`` may serve, by name.
RANDOM_FAULT_KINDS = ("500", "502", "503", "504", "429", "html", "drop", "malformed", "truncated")


@attrs.frozen(kw_only=True)
class Fault:
    """One bad answer: a status, a delay, a dropped connection or a malformed body.

    ``status`` answers with that status (``body`` and ``headers`` as given; the body is
    Tavus-like JSON by default). ``delay`` waits that many real seconds first.
    ``drop`` closes the connection without answering, before the request is handled;
    ``drop_after`` lets the request act (a create makes its job) and then drops it.
    ``malformed`` answers 200 with a body that is not JSON, ``truncated`` with JSON cut
    short.
    """

    status: int | None = None
    body: Any = None
    headers: Mapping[str, str] = attrs.field(factory=dict)
    delay: float = 0.0
    drop: bool = False
    drop_after: bool = False
    malformed: bool = False
    truncated: bool = False


@attrs.define
class _Scheduled:
    method: str
    path: str
    remaining: int
    fault: Fault

    def matches(self, method: str, path: str) -> bool:
        method_ok = self.method == "*" or self.method.upper() == method
        return method_ok and fnmatch.fnmatchcase(path, self.path)


def random_fault(kind: str) -> Fault:
    """The Fault a random-fault ``kind`` stands for."""
    if kind.isdigit():
        headers = {"Retry-After": "0"} if kind == "429" else {}
        return Fault(status=int(kind), headers=headers)
    if kind == "html":
        body = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
        return Fault(status=502, body=body, headers={"Content-Type": "text/html"})
    flags: dict[str, Any] = {kind: True}
    return Fault(**flags)


@attrs.define
class FaultPlan:
    """Which requests get a fault: scheduled ones first, then random ones, then the rate."""

    scheduled: list[_Scheduled] = attrs.Factory(list)
    random_rate: float = 0.0
    random_kinds: tuple[str, ...] = RANDOM_FAULT_KINDS
    rng: random.Random = attrs.Factory(random.Random)
    per_second: int | None = None
    recent: deque[float] = attrs.Factory(deque)
    served: int = 0

    def add(self, method: str, path: str, times: int, fault: Fault) -> None:
        if times < 1:
            raise ValueError(f"times must be 1 or more, got {times}")
        self.scheduled.append(_Scheduled(method, path, times, fault))

    def pick(self, method: str, path: str, now: float) -> Fault | None:
        """The fault for this request, if any (and count it as served)."""
        fault = self._pick(method, path, now)
        if fault is not None:
            self.served += 1
        return fault

    def _pick(self, method: str, path: str, now: float) -> Fault | None:
        for entry in self.scheduled:
            if entry.remaining > 0 and entry.matches(method, path):
                entry.remaining -= 1
                return entry.fault
        if self.random_rate and self.rng.random() < self.random_rate:
            return random_fault(self.rng.choice(self.random_kinds))
        return self._rate_limited(now)

    def _rate_limited(self, now: float) -> Fault | None:
        if self.per_second is None:
            return None
        while self.recent and self.recent[0] <= now - 1.0:
            self.recent.popleft()
        if len(self.recent) < self.per_second:
            self.recent.append(now)
            return None
        wait = max(0.0, self.recent[0] + 1.0 - now)
        return Fault(
            status=429,
            body={"message": "Rate limit exceeded"},
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )
