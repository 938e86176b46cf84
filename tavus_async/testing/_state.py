"""FakeTavus's state, known to no family: Timing, the job store, and what jobs share.

A job stores when it was created and whether it will fail; its status and progress are
worked out from the clock whenever it is read, so the emulator needs no background task
to move jobs along, and a test that owns the clock decides when things happen.

The families themselves (their jobs, their phases, their stock objects) live in
``_routes/<family>.py``; this module only holds them by name.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, ClassVar, Protocol, final, runtime_checkable

import attrs

__all__ = ["EventJob", "FakeJob", "JobStore", "Timing", "iso", "progress"]


@final
class Timing:
    """How long each phase of a job lasts on the fake's clock, in seconds.

    The phases are the families' own: each route module declares its phases with their
    defaults, and ``Timing(**phases)`` takes any of them by keyword (``repr(Timing())``
    lists them all). It is frozen, compares and hashes by its values, and reads like its
    constructor call.
    """

    #: Every declared phase and its default, in the families' order (set by ``declare``).
    _defaults: ClassVar[dict[str, float]] = {}

    def __init__(self, **phases: float) -> None:
        """Set the phases given; every other phase keeps its default.

        Args:
            **phases: Seconds by phase name (``video_rendering=12``, ...).

        Raises:
            TypeError: An unknown phase (the message lists them all), or seconds that are not
                a number.
            ValueError: Seconds that are negative or not finite.
        """
        known = Timing._defaults
        for name, seconds in phases.items():
            if name not in known:
                raise TypeError(
                    f"Timing() got an unknown phase {name!r}; the phases are {_names()}"
                )
            _check(name, seconds)
        self.__dict__["_given"] = dict(phases)

    @classmethod
    def declare(cls, phases: Mapping[str, float]) -> None:
        """Make ``phases`` (name -> default seconds) every phase there is, in this order."""
        for name, seconds in phases.items():
            _check(name, seconds)
        cls._defaults = dict(phases)

    def _values(self) -> dict[str, float]:
        given: dict[str, float] = self.__dict__["_given"]
        return {**Timing._defaults, **given}

    def __getattr__(self, name: str) -> float:
        # Only called when normal lookup fails: the phases are not instance attributes.
        values = self._values() if "_given" in self.__dict__ else {}
        if name in values:
            return values[name]
        raise AttributeError(f"Timing has no phase {name!r}; the phases are {_names()}")

    def __setattr__(self, name: str, value: object) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Timing):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(tuple(self._values().items()))

    def __repr__(self) -> str:
        phases = ", ".join(f"{name}={seconds!r}" for name, seconds in self._values().items())
        return f"Timing({phases})"


def _names() -> str:
    return ", ".join(Timing._defaults) or "(none)"


def _check(name: str, seconds: float) -> None:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"Timing phase {name} must be a number of seconds, got {seconds!r}")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"Timing phase {name} must be finite and 0 or more, got {seconds!r}")


class FakeJob(Protocol):
    """What every family's job offers the emulator, so that callbacks need no family."""

    callback_url: str | None
    callback_sent: bool

    def finished(self, now: float, timing: Timing) -> bool:
        """Whether the job has ended (done or failed) at ``now``."""
        ...

    def callback_body(self, now: float, timing: Timing, *, files_url: str) -> dict[str, Any]:
        """What Tavus posts to ``callback_url`` once the job has ended."""
        ...


@runtime_checkable
class EventJob(Protocol):
    """A job that calls back several times as it goes (a conversation's events), not once."""

    callback_url: str | None

    def due_callbacks(self, now: float, timing: Timing, *, files_url: str) -> list[dict[str, Any]]:
        """The callbacks due by ``now`` and not sent yet, in order; they count as sent."""
        ...


class JobStore:
    """Every job of one emulator: a dict of id -> job per family (``jobs.<family>``).

    Ids are seeded, unique across all families, and drawn from one sequence, so that
    the same seed makes the same ids.
    """

    def __init__(self, rng: random.Random, *, families: tuple[str, ...]) -> None:
        self.rng = rng
        self._families: dict[str, dict[str, Any]] = {name: {} for name in families}

    def of(self, family: str) -> dict[str, Any]:
        """The jobs of ``family`` by id (the same dict as ``jobs.<family>``)."""
        return self._families[family]

    def __getattr__(self, name: str) -> dict[str, Any]:
        families: dict[str, dict[str, Any]] = self.__dict__.get("_families", {})
        if name in families:
            return families[name]
        raise AttributeError(f"FakeTavus has no family {name!r}; it has {', '.join(families)}")

    def __iter__(self) -> Iterator[FakeJob]:
        """Every job of every family, family by family, oldest first."""
        for jobs in self._families.values():
            yield from list(jobs.values())

    def new_id(self, prefix: str) -> str:
        """A fresh id: ``prefix`` and ten hex digits, used by no job of any family."""
        while True:
            candidate = prefix + "".join(self.rng.choices("0123456789abcdef", k=10))
            if not any(candidate in jobs for jobs in self._families.values()):
                return candidate


def progress(elapsed: float, duration: float) -> str:
    """Tavus's ``"n/100"`` for ``elapsed`` seconds of a ``duration``-second phase."""
    done = 100 if duration <= 0 else min(99, max(0, int(100 * elapsed / duration)))
    return f"{done}/100"


def iso(moment: datetime) -> str:
    """``moment`` as Tavus's ISO 8601 text, to the millisecond, ``Z`` for UTC."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
