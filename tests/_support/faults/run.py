"""A seeded, randomized fault suite: the SDK against FakeTavus's faults, over real sockets.

Each test plays a few hundred operations drawn from ``random.Random(seed)``: which call,
on which replica or video, and which faults the emulator serves to the requests it
makes (connections dropped before or after the server acted, timeouts, 429 with and
without Retry-After, 500/502/503/504, HTML error pages, truncated and malformed JSON,
slow answers). After each operation the suite checks what must hold: the right result,
or the documented TavusError those faults call for, an emulator state that agrees with
it, and no task left running. A failure names the seed and prints the operation log,
with the pytest command that replays it.

Everything runs on the emulator's ManualClock except timeouts: FakeTavus's ``delay``
holds an answer for real seconds, so a "timeout" is a short delay served to a client
whose own timeout is shorter still.

This module holds what every run shares: the ``Guard`` and ``Stage`` the fixtures of
faults/conftest.py give, and the ``Run`` base class (fault planning, playing a call and
checking how it ended, the emulator's truth, the end of a run). ``model`` says how calls
must end; ``call_run.CallRun`` and ``wait_run.WaitRun`` add the operations;
faults/test_calls.py and faults/test_waits.py play them.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import logging
import random
import warnings
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from tavus_async import APIConnectionError, APIError, TavusClient, TavusError
from tavus_async.testing import FakeTavus

from _support.clocks import FakeClock
from _support.faults.model import (
    DELAY,
    DROPS,
    ENDING,
    KINDS,
    RETRIES,
    TRANSIENT,
    UNKNOWN_REPLICA,
    UNKNOWN_VIDEO,
    WEIGHTS,
    Expect,
    Planned,
    describe,
    ending_of,
    has_timeout,
)

T = TypeVar("T")

#: The emulator's own key, which its clients send (``fake.client()``).
FAKE_KEY = FakeTavus.__init__.__kwdefaults__["api_key"]  # type: ignore[index]

#: Tasks that may outlive an operation: the emulator's own (its server and callback loop).
SERVER_TASKS = frozenset(
    {"RequestHandler.start", "RequestHandler._handle_request", "FakeTavus._send_callbacks_forever"}
)


# -- what the fixtures give (faults/conftest.py) -----------------------------------------


@dataclasses.dataclass
class Guard:
    """What went wrong outside any call: warnings, event-loop errors, and every log line."""

    warnings: list[warnings.WarningMessage]
    loop_errors: list[dict[str, Any]]
    log: list[str]


class EveryLogLine(logging.Handler):
    """Keeps each log record as it would be written, traceback and chained causes included."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.lines = lines
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@dataclasses.dataclass(frozen=True)
class Stage:
    """What a run plays on: this test's emulator, its clients, clock and folder."""

    fake: FakeTavus
    tavus: TavusClient
    hasty: TavusClient  # gives up on an answer after TIMEOUT seconds of wall clock
    clock: FakeClock
    files: Path
    test: str  # the test's node id, to replay it


# -- helpers -----------------------------------------------------------------------------


@contextlib.contextmanager
def seeded_global_random(seed: int) -> Iterator[None]:
    """Seed ``random`` (poll jitter, retry jitter, wait_many's spread) for this run only."""
    state = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(state)


async def settled(call: Awaitable[T]) -> tuple[T | None, TavusError | None]:
    """The call's result, or the TavusError it raised (anything else propagates)."""
    try:
        return await call, None
    except TavusError as exc:
        return None, exc


def qualname(task: asyncio.Task[Any]) -> str | None:
    return getattr(task.get_coro(), "__qualname__", None)


def stray_tasks() -> list[asyncio.Task[Any]]:
    """Tasks still pending that are neither the current one nor the emulator's own."""
    current = asyncio.current_task()
    return [t for t in asyncio.all_tasks() if t is not current and qualname(t) not in SERVER_TASKS]


@dataclasses.dataclass
class Call:
    """How one call ended, and where its requests start in ``fake.requests``."""

    result: Any
    error: TavusError | None
    first_request: int


# -- the run -----------------------------------------------------------------------------


class Run:
    """One seeded run: draws operations and faults, plays them, checks each outcome.

    Subclasses add the operations a menu names (``"op kind"`` calls ``self.op(kind)``).
    """

    def __init__(self, seed: int, stage: Stage) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.fake = stage.fake
        self.tavus = stage.tavus
        self.hasty = stage.hasty
        self.clock = stage.clock
        self.files = stage.files
        self.test = stage.test
        self.log: list[str] = []
        self.step = 0
        self.armed: list[Planned] = []
        self.kinds_served: Counter[str] = Counter()
        self.ops_played: Counter[str] = Counter()
        self.endings: Counter[str] = Counter()
        self.purged: dict[str, list[str]] = {"video": [], "replica": []}
        self.stock = list(self.fake.jobs.replicas)

    # -- playing -------------------------------------------------------------------------

    async def play(self, menu: dict[str, int], count: int) -> None:
        """Play ``count`` operations drawn from ``menu`` (``"op kind"`` -> weight)."""
        names, weights = list(menu), list(menu.values())
        for self.step in range(count):
            name = self.rng.choices(names, weights)[0]
            self.ops_played[name] += 1
            op, _, kind = name.partition(" ")
            try:
                await getattr(self, op)(*([kind] if kind else []))
                await asyncio.sleep(0)  # a task the call left behind is scheduled by now
                stray = stray_tasks()
                assert not stray, f"tasks left running after the call: {stray}"
            except Exception as exc:
                raise AssertionError(self.report(name, exc)) from exc

    def report(self, name: str, exc: BaseException) -> str:
        trail = "\n".join(self.log)
        return (
            f"seed {self.seed}: operation #{self.step} ({name}) broke an invariant: "
            f"{type(exc).__name__}: {exc}\n"
            f"--- operation log (replay: pytest '{self.test}') ---\n"
            f"{trail}"
        )

    def note(self, text: str) -> None:
        self.log.append(f"#{self.step} t={self.clock():.3f} {text}")

    def plan(self, *, most: int = 4, chained: bool = False) -> list[Planned]:
        """Up to ``most`` faults for one call's requests, in the order they are served.

        ``chained``: the faults are shared by several requests (the pages of ``iter``),
        so a fault that ends the call comes last, after transient ones only.
        """
        count = self.rng.choices(range(5), weights=(30, 35, 20, 10, 5))[0]
        kinds = self.rng.choices(KINDS, weights=list(WEIGHTS.values()), k=min(count, most))
        if kinds.count("timeout") > 1:  # one is enough, and two could let a late answer win
            kinds = [k for k in kinds if k != "timeout"] + ["timeout"]
        if sum(k in TRANSIENT for k in kinds) > RETRIES:
            # aiohttp resends a dropped GET or DELETE once on its own: with every retry
            # used up, whether it did would decide the outcome.
            kinds = ["503" if k in DROPS else k for k in kinds]
        if chained:
            ending = next((n for n, k in enumerate(kinds) if k in ENDING), None)
            if ending is not None:
                kinds = [k for k in kinds[:ending] if k in TRANSIENT] + [kinds[ending]]
            while sum(k in TRANSIENT for k in kinds) > RETRIES:
                kinds.remove(next(k for k in kinds if k in TRANSIENT))
        return [self.planned(k) for k in kinds]

    def planned(self, kind: str) -> Planned:
        return Planned(kind, self.rng.choice((500, 502, 503, 504)) if kind == "html" else None)

    def arm(self, method: str, path: str, plan: Sequence[Planned]) -> None:
        for fault in plan:
            self.fake.fault(method=method, path=path, **fault.options())
            self.armed.append(fault)

    def disarm(self) -> None:
        """Withdraw every fault, counting the scheduled ones that were served."""
        for entry, fault in zip(self.fake.faults.scheduled, self.armed, strict=True):
            self.kinds_served[fault.kind] += entry.remaining == 0
        self.armed.clear()
        self.fake.faults.scheduled.clear()
        self.fake.random_faults(0.0)
        self.fake.rate_limit(None)

    def client_for(self, faults: Iterable[Planned]) -> TavusClient:
        """The client to meet ``faults`` with: the hasty one when a "timeout" is among them."""
        return self.hasty if has_timeout(faults) else self.tavus

    async def call(
        self,
        label: str,
        method: str,
        path: str,
        plan: Sequence[Planned],
        expect: Expect | Callable[[], Expect],
        make: Callable[[TavusClient], Awaitable[T]],
    ) -> Call:
        """Serve ``plan`` to the call's requests, make it, log it, check how it ended."""
        self.arm(method, path, plan)
        first = len(self.fake.requests)
        started = asyncio.get_running_loop().time()
        faults = ",".join(map(str, plan)) or "-"
        try:
            result, error = await settled(make(self.client_for(plan)))
        except BaseException as exc:
            self.note(f"{label} faults=[{faults}] -> raised {exc!r}")
            raise
        finally:
            self.disarm()
        if has_timeout(plan) and method != "GET":
            await self.let_late_answers_land(started)
        wanted = expect() if callable(expect) else expect
        ending = ending_of(error)
        self.endings[ending] += 1
        self.note(f"{label} faults=[{faults}] -> {ending}{describe(error)} (due: {wanted})")
        self.check_ending(error, wanted)
        return Call(result, error, first)

    async def let_late_answers_land(self, started: float) -> None:
        """Wait (real time) until the requests held by "timeout" faults have been handled.

        Each handler acts after DELAY, when the client has moved on (a create makes its
        job then): waiting keeps every later check about one state of the emulator.
        """
        loop = asyncio.get_running_loop()
        await asyncio.sleep(max(0.0, started + DELAY - loop.time()))
        for _ in range(400):
            if not any(
                qualname(t) == "RequestHandler._handle_request" for t in asyncio.all_tasks()
            ):
                return
            await asyncio.sleep(0.005)
        raise AssertionError("a held request was still being handled 2 s after its delay")

    def check_ending(self, error: TavusError | None, expect: Expect) -> None:
        if error is None:
            assert expect.error is None or expect.or_ok, f"succeeded; {expect} was due"
            return
        assert expect.error is not None, f"raised {error!r}; success was due"
        assert type(error) is expect.error, f"raised {error!r}; {expect} was due"
        assert self.fake.api_key not in f"{error} {error!r}", "the API key leaked into an error"
        if isinstance(error, APIError):
            assert error.status == expect.status, f"status {error.status}; {expect} was due"
            if error.status >= 500:
                assert "<" not in error.message, f"HTML in the message: {error.message!r}"
        if isinstance(error, APIConnectionError):
            assert error.request_sent, f"request_sent=False for {error!r}"

    async def advance(self) -> None:
        seconds = round(self.rng.uniform(0, 6), 3)
        self.clock.advance(seconds)
        self.note(f"clock +{seconds}")

    # -- the emulator's truth ------------------------------------------------------------

    def jobs(self, kind: str) -> dict[str, Any]:
        return self.fake.jobs.videos if kind == "video" else self.fake.jobs.replicas

    def ids(self, kind: str) -> list[str]:
        """Ids to act on: the emulator's jobs (deleted ones too), purged and unknown ones."""
        unknown = UNKNOWN_VIDEO if kind == "video" else UNKNOWN_REPLICA
        return [*self.jobs(kind), *self.purged[kind], unknown]

    def pick(self, ids: Sequence[str], *, recent: int = 8) -> str:
        """An id, most often one of the ``recent`` newest, sometimes any (gone ones too)."""
        if self.rng.random() < 0.6 and len(ids) > 2:
            return self.rng.choice(ids[max(0, len(ids) - 2 - recent) : -2] or ids)
        return self.rng.choice(ids)

    def terminal(self, kind: str, job_id: str) -> str:
        """The emulator's answer for the job now: a status word, or "missing" for a 404."""
        job = self.jobs(kind).get(job_id)
        if job is None or (kind == "replica" and job.deleted):
            return "missing"
        return str(job.phase(self.clock(), self.fake.timing)[0])

    # -- the end -------------------------------------------------------------------------

    async def close_and_check(self, guard: Guard) -> None:
        """Close clients and emulator: nothing may be left running, unclosed or warned of."""
        await self.let_late_answers_land(asyncio.get_running_loop().time() - DELAY)
        for client in (self.hasty, self.tavus):
            await client.close()
            assert client.closed
        await self.fake.close()
        gc.collect()  # an unclosed session or connector warns when collected
        assert asyncio.all_tasks() == {asyncio.current_task()}
        assert [str(w.message) for w in guard.warnings] == []
        assert [c.get("message") for c in guard.loop_errors] == []
        assert guard.log, "nothing was logged: the guard's key check would prove nothing"
