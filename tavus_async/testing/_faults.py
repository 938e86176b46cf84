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
#: Of those, the kinds a file can show: a video has no format the client checks.
_FILE_KINDS = frozenset(RANDOM_FAULT_KINDS) - {"malformed"}


def _byte_count(instance: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ValueError(f"{attribute.name} must be a whole number, 0 or more, got {value!r}")


@attrs.frozen(kw_only=True)
class Fault:
    """One bad answer: a status, a delay, a hold, a dropped connection or a spoiled body.

    ``status`` answers with that status (``body`` and ``headers`` as given; the body is
    Tavus-like JSON by default). ``delay`` waits that many real seconds first.
    ``hang`` holds the request unanswered, and never acts on it, until the client gives
    up (closes its connection) or the fake closes (which drops it).
    ``drop`` closes the connection without answering, before the request is handled;
    ``drop_after`` lets the request act (a create makes its job) and then drops it.
    ``cut_after_bytes=N`` lets it act, sends the headers with the whole body's
    ``Content-Length``, then the body's first N bytes (all of it, if it is no longer),
    and closes the connection.
    ``malformed`` answers 200 with a body that is not what it says: HTML labelled as
    JSON, or as the file's type on the file host. ``truncated`` answers JSON cut short,
    with a length to match; on the file host, where a short file with its own length
    would pass for a whole one, it cuts the body at half as ``cut_after_bytes`` does.
    Spoiling faults (``cut_after_bytes``, ``malformed``, ``truncated``) leave an error
    answer (a 404, say) as it is.
    """

    status: int | None = None
    body: Any = None
    headers: Mapping[str, str] = attrs.field(factory=dict)
    delay: float = 0.0
    drop: bool = False
    drop_after: bool = False
    malformed: bool = False
    truncated: bool = False
    hang: bool = False
    cut_after_bytes: int | None = attrs.field(default=None, validator=_byte_count)


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
    """Which requests get a fault: scheduled ones first, then random ones, then the rate.

    File requests get scheduled faults whose path matches, random ones when
    ``random_files`` says so, and no rate limit: the file host is not Tavus's API.
    """

    scheduled: list[_Scheduled] = attrs.Factory(list)
    random_rate: float = 0.0
    random_kinds: tuple[str, ...] = RANDOM_FAULT_KINDS
    random_files: bool = False
    rng: random.Random = attrs.Factory(random.Random)
    per_second: int | None = None
    recent: deque[float] = attrs.Factory(deque)
    served: int = 0

    def add(self, method: str, path: str, times: int, fault: Fault) -> None:
        if times < 1:
            raise ValueError(f"times must be 1 or more, got {times}")
        self.scheduled.append(_Scheduled(method, path, times, fault))

    def pick(self, method: str, path: str, now: float, *, files: bool = False) -> Fault | None:
        """The fault for this request, if any (and count it as served).

        ``files`` says that the request is for the file host, not the API.
        """
        fault = self._pick(method, path, now, files=files)
        if fault is not None:
            self.served += 1
        return fault

    def _pick(self, method: str, path: str, now: float, *, files: bool) -> Fault | None:
        for entry in self.scheduled:
            if entry.remaining > 0 and entry.matches(method, path):
                entry.remaining -= 1
                return entry.fault
        if files:
            return self._random_file_fault()
        if self.random_rate and self.rng.random() < self.random_rate:
            return random_fault(self.rng.choice(self.random_kinds))
        return self._rate_limited(now)

    def _random_file_fault(self) -> Fault | None:
        kinds = [kind for kind in self.random_kinds if kind in _FILE_KINDS]
        if not (self.random_files and kinds and self.random_rate):
            return None
        if self.rng.random() < self.random_rate:
            return random_fault(self.rng.choice(kinds))
        return None

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
