"""A seeded, randomized fault suite: the SDK against FakeTavus's faults, over real sockets.

Each test plays a few hundred operations drawn from ``random.Random(seed)``: which call,
on which replica or video, and which faults the emulator serves to the requests it
makes (connections dropped before or after the server acted, timeouts, 429 with and
without Retry-After, 500/502/503/504, HTML error pages, truncated and malformed JSON,
slow answers). After each operation the suite checks what must hold: the right result,
or the documented TavusError those faults call for, an emulator state that agrees with
it, and no task left running. A failure names the seed and prints the operation log;
``pytest tests/test_fault_suite.py -k <seed>`` replays it.

Everything runs on the emulator's ManualClock except timeouts: FakeTavus's ``delay``
holds an answer for real seconds, so a "timeout" is a short delay served to a client
whose own timeout is shorter still.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import http
import itertools
import random
import warnings
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from conftest import FakeClock

from tavus_async import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    BadRequestError,
    JobFailedError,
    NotFoundError,
    PollPolicy,
    RateLimitError,
    ReplicaTrainingError,
    ResponseValidationError,
    ServerError,
    TavusClient,
    TavusError,
    Video,
    VideoGenerationError,
    VideoNotReadyError,
    WaitOutcome,
    WaitTimeoutError,
)
from tavus_async.testing import FakeTavus

T = TypeVar("T")

SEEDS = (7, 1234, 31337, 271828, 999331)

TIMEOUT = 0.05  # wall-clock seconds: the request timeout of the client that meets "timeout"
DELAY = 0.12  # a "timeout" fault holds its answer this long, well past TIMEOUT
SLOW = 0.005  # a "slow" fault: late, but within any timeout
RETRIES = 3  # fake.client()'s max_retries
EPS = 1e-6  # float slack when comparing moments of the manual clock

MP4 = "https://example.com/train.mp4"
FAILING_MP4 = "https://example.com/tavus-fail.mp4"
UNKNOWN_VIDEO, UNKNOWN_REPLICA = "v0000000000", "r0000000000"

DROPS = ("drop", "drop_after")
THROTTLES = ("429", "429-bare", "429-date")  # a 429 that the client may wait out
STATUSES = ("500", "502", "503", "504", "html")
SPOILERS = ("malformed", "truncated")  # a 200 whose body is not JSON
# GET, PATCH and DELETE are tried again after these, up to RETRIES times; a create
# only after a THROTTLE (a second create would be a second bill).
TRANSIENT = frozenset({*DROPS, "timeout", *THROTTLES, *STATUSES})
ENDING = frozenset({"429-long", *SPOILERS})  # these end an idempotent call at once
WEIGHTS = {
    "drop": 8,
    "drop_after": 8,
    "timeout": 1,  # each costs real time: TIMEOUT, or DELAY for a call that changes things
    "slow": 3,
    "429": 6,
    "429-bare": 6,
    "429-date": 4,
    "429-long": 4,
    "500": 5,
    "502": 5,
    "503": 5,
    "504": 5,
    "html": 8,
    "malformed": 6,
    "truncated": 6,
}
KINDS = tuple(WEIGHTS)

#: Tasks that may outlive an operation: the emulator's own (its server and callback loop).
SERVER_TASKS = frozenset(
    {"RequestHandler.start", "RequestHandler._handle_request", "FakeTavus._send_callbacks_forever"}
)


# -- faults ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Planned:
    """One fault to serve: its kind, and the status it answers with (for an HTML page)."""

    kind: str
    status: int | None = None

    def options(self) -> dict[str, Any]:
        """The keywords of ``fake.fault`` that serve it."""
        kind = self.kind
        if kind in ("drop", "drop_after", "malformed", "truncated"):
            return {kind: True}
        if kind in ("timeout", "slow"):
            return {"delay": DELAY if kind == "timeout" else SLOW}
        if kind == "429":
            return {"status": 429, "headers": {"Retry-After": "1"}}
        if kind == "429-bare":
            return {"status": 429, "body": {"message": "Too many requests"}}
        if kind == "429-date":
            when = datetime.now(timezone.utc) + timedelta(seconds=2)
            return {"status": 429, "headers": {"Retry-After": format_datetime(when, usegmt=True)}}
        if kind == "429-long":
            return {"status": 429, "headers": {"Retry-After": "3600"}}
        if kind == "html":
            assert self.status is not None
            return {"status": self.status, "body": html_page(self.status), "headers": HTML}
        return {"status": int(kind)}

    def __str__(self) -> str:
        return f"html{self.status}" if self.kind == "html" else self.kind


HTML = {"Content-Type": "text/html"}


def html_page(status: int) -> str:
    phrase = http.HTTPStatus(status).phrase
    return (
        f"<!DOCTYPE html><html><head><title>{status} {phrase}</title></head>"
        f"<body><center><h1>{status} {phrase}</h1></center><hr><center>nginx</center>"
        "</body></html>"
    )


@dataclasses.dataclass(frozen=True)
class Expect:
    """How a call must end: success, or ``error`` (with ``status`` for an APIError)."""

    error: type[TavusError] | None = None
    status: int | None = None
    acted: bool = False  # the server did what was asked (made, renamed or deleted)
    or_ok: bool = False  # success does as well (a retried DELETE whose first try landed)
    posts: int = 0  # for a create: how many POSTs it sends

    def __str__(self) -> str:
        if self.error is None:
            return "ok"
        text = self.error.__name__ + (f" {self.status}" if self.status else "")
        return text + (" or ok" if self.or_ok else "")


OK = Expect()
DONE = Expect(acted=True)
NOT_FOUND = Expect(NotFoundError, 404)


def error_of(fault: Planned) -> Expect:
    """What a transient fault raises once the call may not try again."""
    if fault.kind in DROPS:
        return Expect(APIConnectionError)
    if fault.kind == "timeout":
        return Expect(APITimeoutError)
    if fault.kind in THROTTLES:
        return Expect(RateLimitError, 429)
    return Expect(ServerError, fault.status or int(fault.kind))


def expect_idempotent(
    plan: Sequence[Planned], answer: Callable[[bool], Expect], *, reads_body: bool
) -> Expect:
    """How a GET, PATCH or DELETE ends when ``plan`` is served to its tries, in order.

    ``answer(acted)`` is the emulator's own answer, given whether an earlier try acted.
    A ``drop_after`` lets its try act, then loses the answer; a ``timeout`` lets it act
    late, after the tries that follow (they come at once: retries sleep on the clock).
    """
    acted, late, tries = False, False, 0

    def ending(expect: Expect) -> Expect:
        landed = acted or expect.acted
        return dataclasses.replace(expect, acted=landed or (late and answer(landed).acted))

    for fault in plan:
        if fault.kind in TRANSIENT:
            if fault.kind == "drop_after":
                acted = acted or answer(acted).acted
            late = late or fault.kind == "timeout"
            tries += 1
            if tries > RETRIES:
                return ending(error_of(fault))
            continue
        if fault.kind == "429-long":  # past max_retry_wait: raised at once
            return ending(Expect(RateLimitError, 429))
        if fault.kind in SPOILERS:
            final = answer(acted)
            if final.error is None and reads_body:
                return ending(Expect(ResponseValidationError, acted=final.acted))
            return ending(final)
        break  # slow: the answer comes, late
    return ending(answer(acted))


def expect_create(plan: Sequence[Planned], answer: Expect) -> Expect:
    """How a create ends when ``plan`` is served to its POSTs: retried only after a 429."""
    for posts, fault in enumerate([*plan, None], start=1):
        kind = "none" if fault is None else fault.kind
        if fault is not None and kind in THROTTLES:
            if posts > RETRIES:
                return Expect(RateLimitError, 429, posts=posts)
            continue
        if kind == "429-long":
            return Expect(RateLimitError, 429, posts=posts)
        if fault is not None and kind in STATUSES:
            return dataclasses.replace(error_of(fault), posts=posts)
        if kind == "drop":
            return Expect(APIConnectionError, posts=posts)
        if kind in ("drop_after", "timeout"):  # the server acts; the answer is lost
            error = APIConnectionError if kind == "drop_after" else APITimeoutError
            return Expect(error, acted=answer.acted, posts=posts)
        if kind in SPOILERS and answer.error is None:
            return Expect(ResponseValidationError, acted=True, posts=posts)
        return dataclasses.replace(answer, posts=posts)
    raise AssertionError("unreachable: the last item is the emulator's own answer")


# -- fixtures ----------------------------------------------------------------------------


@dataclasses.dataclass
class Guard:
    """What went wrong outside any call: warnings and errors reported to the event loop."""

    warnings: list[warnings.WarningMessage]
    loop_errors: list[dict[str, Any]]


@pytest.fixture(autouse=True)
async def guard() -> AsyncIterator[Guard]:
    """Record every warning and every error the event loop is told of, for the test to check."""
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()
    loop_errors: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _, context: loop_errors.append(context))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield Guard(caught, loop_errors)
    loop.set_exception_handler(previous)


@pytest.fixture
async def hasty(fake: FakeTavus) -> AsyncIterator[TavusClient]:
    """A client of ``fake`` that gives up on an answer after TIMEOUT seconds of wall clock."""
    async with fake.client(timeout=TIMEOUT) as client:
        yield client


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


def word(status: object) -> str | None:
    return None if status is None else str(status)


def describe(error: TavusError | None) -> str:
    if isinstance(error, APIError):
        return f" {error.status}"
    if isinstance(error, APIConnectionError):
        return f" sent={error.request_sent}"
    return ""


#: Per kind of job: its id, name and progress fields.
FIELDS = {
    "video": ("video_id", "video_name", "generation_progress"),
    "replica": ("replica_id", "replica_name", "training_progress"),
}
DONE_WORDS = {"video": ("ready",), "replica": ("completed", "ready")}
FAILED_WORDS = {"video": ("error", "deleted"), "replica": ("error",)}


def resource(client: TavusClient, kind: str) -> Any:
    return client.videos if kind == "video" else client.replicas


def state(kind: str, job: Any) -> str:
    """Where a job stands as a waiter reads it: done, failed or pending."""
    status = word(job.status)
    if status in DONE_WORDS[kind]:
        return "done"
    return "failed" if status in FAILED_WORDS[kind] else "pending"


# -- the run -----------------------------------------------------------------------------


@dataclasses.dataclass
class Ledger:
    """Every create() call of a run: how it ended and which jobs its POSTs made."""

    calls: int = 0
    succeeded: int = 0
    sent_unknown: int = 0  # raised APIConnectionError with request_sent=True
    unreadable: int = 0  # raised ResponseValidationError: a 2xx whose body did not parse
    refused: int = 0  # any other error
    made: list[str] = dataclasses.field(default_factory=list)
    #: (kind, name, id of the job made or None) of each create whose outcome was in doubt
    uncertain: list[tuple[str, str, str | None]] = dataclasses.field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.calls} creates: {self.succeeded} ok, {self.sent_unknown} sent-unknown, "
            f"{self.unreadable} unreadable, {self.refused} refused; {len(self.made)} jobs made"
        )


@dataclasses.dataclass
class Call:
    """How one call ended, and where its requests start in ``fake.requests``."""

    result: Any
    error: TavusError | None
    first_request: int


class Run:
    """One seeded run: draws operations and faults, plays them, checks each outcome."""

    def __init__(
        self,
        seed: int,
        fake: FakeTavus,
        tavus: TavusClient,
        hasty: TavusClient,
        clock: FakeClock,
        files: Path,
    ) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.fake = fake
        self.tavus = tavus
        self.hasty = hasty
        self.clock = clock
        self.files = files
        self.log: list[str] = []
        self.step = 0
        self.ledger = Ledger()
        self.armed: list[Planned] = []
        self.kinds_served: Counter[str] = Counter()
        self.ops_played: Counter[str] = Counter()
        self.endings: Counter[str] = Counter()
        self.purged: dict[str, list[str]] = {"video": [], "replica": []}
        self.seen_videos: dict[str, Video] = {}
        self.stock = list(fake.jobs.replicas)
        #: When set, creates draw their faults from these kinds (the billing test).
        self.create_kinds: Sequence[str] | None = None

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
            f"--- operation log (replay: pytest tests/test_fault_suite.py -k {self.seed}) ---\n"
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

    def create_plan(self) -> list[Planned]:
        """Faults for a create's POSTs: any kind, or ``create_kinds`` when set."""
        if self.create_kinds is None:
            return self.plan()
        count = self.rng.choices(range(4), weights=(3, 5, 2, 1))[0]
        kinds = self.rng.choices(self.create_kinds, k=count)
        if self.rng.random() < 0.02:
            kinds.insert(0, "timeout")
        return [self.planned(k) for k in kinds]

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
        timed = any(f.kind == "timeout" for f in plan)
        first = len(self.fake.requests)
        started = asyncio.get_running_loop().time()
        faults = ",".join(map(str, plan)) or "-"
        try:
            result, error = await settled(make(self.hasty if timed else self.tavus))
        except BaseException as exc:
            self.note(f"{label} faults=[{faults}] -> raised {exc!r}")
            raise
        finally:
            self.disarm()
        if timed and method != "GET":
            await self.let_late_answers_land(started)
        wanted = expect() if callable(expect) else expect
        ending = "ok" if error is None else type(error).__name__
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

    def name(self, prefix: str) -> str:
        return f"{prefix}-{self.seed}-{self.step}"

    def now(self, kind: str, job: Any) -> tuple[str, str | None, str]:
        """(id, name, status) of an emulator job at this moment of the clock."""
        id_field, name_field, _ = FIELDS[kind]
        status = job.phase(self.clock(), self.fake.timing)[0]
        return getattr(job, id_field), getattr(job, name_field), status

    def listed(self, kind: str, replica_type: str | None = None) -> list[Any]:
        """What the emulator lists, newest first: undeleted jobs (of ``replica_type``)."""
        return [
            job
            for job in reversed(self.jobs(kind).values())
            if not job.deleted and replica_type in (None, getattr(job, "replica_type", None))
        ]

    def terminal(self, kind: str, job_id: str) -> str:
        """The emulator's answer for the job now: a status word, or "missing" for a 404."""
        job = self.jobs(kind).get(job_id)
        if job is None or (kind == "replica" and job.deleted):
            return "missing"
        return str(job.phase(self.clock(), self.fake.timing)[0])

    # -- calls ---------------------------------------------------------------------------

    async def create(self, kind: str) -> None:
        """replicas.create or videos.create: at most one job, and an honest ending."""
        plan = self.create_plan()
        name = self.name(kind[0].upper())
        if kind == "replica":
            url = FAILING_MP4 if self.rng.random() < 0.15 else MP4
            label = f"replicas.create({name}, {url.rsplit('/', 1)[1]})"
            answer = DONE

            def make(c: TavusClient) -> Awaitable[Any]:
                return c.replicas.create(train_video_url=url, replica_name=name)

        else:
            replica_id, answer = self.video_source()
            script = "Hi, tavus-fail here" if self.rng.random() < 0.15 else "Hi there"
            fast = self.rng.random() < 0.3
            label = f"videos.create({name}, {replica_id}, {script!r}, fast={fast})"

            def make(c: TavusClient) -> Awaitable[Any]:
                return c.videos.create(
                    replica_id=replica_id, script=script, video_name=name, fast=fast
                )

        expect = expect_create(plan, answer)
        call = await self.call(label, "POST", f"/v2/{kind}s", plan, expect, make)
        made = self.check_create(call, expect, kind, name)
        if call.result is not None:
            id_field, name_field, _ = FIELDS[kind]
            got = (getattr(call.result, id_field), word(call.result.status))
            assert got == (made, "started" if kind == "replica" else "queued")
            if kind == "video":
                assert getattr(call.result, name_field) == name

    def video_source(self) -> tuple[str, Expect]:
        """A replica to render with, and whether Tavus takes it (400 unless trained)."""
        if self.rng.random() < 0.5:
            replica_id = self.rng.choice(self.stock)
        else:
            replica_id = self.pick(self.ids("replica"))
        replica = self.fake.jobs.replicas.get(replica_id)
        now, training = self.clock(), self.fake.timing.replica_training
        trainable = replica is not None and not replica.fails and replica.replica_type == "user"
        if trainable and 0 < replica.started + training - now <= 20:
            # It would finish training while the create waits out 429s: either way.
            replica_id, replica = self.stock[0], self.fake.jobs.replicas[self.stock[0]]
        usable = replica is not None and not replica.deleted
        usable = usable and replica.phase(now, self.fake.timing)[0] == "completed"
        return replica_id, DONE if usable else Expect(BadRequestError, 400)

    def check_create(self, call: Call, expect: Expect, kind: str, name: str) -> str | None:
        """Each create() makes at most one job, sends the POSTs due, and says what it did."""
        posts = [r for r in self.fake.requests[call.first_request :] if r.method == "POST"]
        made = [r.created for r in posts if r.created is not None]
        assert len(posts) == expect.posts, f"{len(posts)} POSTs sent; {expect.posts} were due"
        assert len(made) == int(expect.acted), f"jobs made: {made}; due: {int(expect.acted)}"
        ledger, error = self.ledger, call.error
        ledger.calls += 1
        ledger.made += made
        if error is None:
            ledger.succeeded += 1
        elif isinstance(error, APIConnectionError):
            ledger.sent_unknown += 1
            # The caller must learn that the job may exist, and how to look for it.
            assert "may have created" in str(error), f"unhelpful: {error}"
            assert "list()" in str(error), f"unhelpful: {error}"
        elif isinstance(error, ResponseValidationError):
            ledger.unreadable += 1
            # A 2xx that did not parse: the job exists, and the error must say how to find it.
            assert "list()" in str(error), f"unhelpful: {error}"
        else:
            ledger.refused += 1
        if isinstance(error, (APIConnectionError, ResponseValidationError)):
            ledger.uncertain.append((kind, name, made[0] if made else None))
        return made[0] if made else None

    async def get(self, kind: str) -> None:
        job_id = self.pick(self.ids(kind))
        verbose = self.rng.random() < 0.3
        truth = self.jobs(kind).get(job_id)
        found = truth is not None and (kind == "video" or not truth.deleted)  # videos: soft
        plan = self.plan()
        call = await self.call(
            f"{kind}s.get({job_id}, verbose={verbose})",
            "GET",
            f"/v2/{kind}s/{job_id}",
            plan,
            expect_idempotent(plan, lambda _: OK if found else NOT_FOUND, reads_body=True),
            lambda c: resource(c, kind).get(job_id, verbose=verbose),
        )
        if call.result is None:
            return
        job = call.result
        id_field, name_field, progress_field = FIELDS[kind]
        status, progress = truth.phase(self.clock(), self.fake.timing)
        got = (getattr(job, id_field), getattr(job, name_field), word(job.status))
        assert got == self.now(kind, truth), "the object is not the emulator's"
        assert getattr(job, progress_field) == progress
        if kind == "video":
            assert bool(job.download_url) == (status == "ready")
            self.seen_videos[job_id] = job
        else:
            assert job.replica_type == (truth.replica_type if verbose else None)

    async def rename(self, kind: str) -> None:
        job_id = self.pick(self.ids(kind))
        truth = self.jobs(kind).get(job_id)
        name_field = FIELDS[kind][1]
        old = getattr(truth, name_field, None)
        live = truth is not None and not truth.deleted
        name = self.name("renamed")
        plan = self.plan()
        expect = expect_idempotent(plan, lambda _: DONE if live else NOT_FOUND, reads_body=False)
        call = await self.call(
            f"{kind}s.rename({job_id}, {name})",
            "PATCH",
            f"/v2/{kind}s/{job_id}/name",
            plan,
            expect,
            lambda c: resource(c, kind).rename(job_id, name),
        )
        if truth is not None:
            renamed = call.error is None or expect.acted
            assert getattr(truth, name_field) == (name if renamed else old), "names disagree"

    async def delete(self, kind: str) -> None:
        """A delete that raised may or may not have landed: the emulator says which, exactly."""
        job_id = self.pick([i for i in self.ids(kind) if i != self.stock[0]])  # keep a stock
        hard = self.rng.random() < 0.4
        truth = self.jobs(kind).get(job_id)
        was_deleted = truth is not None and truth.deleted
        live = truth is not None and (not truth.deleted or (hard and kind == "video"))

        def answer(acted: bool) -> Expect:
            if acted:  # a retry of a delete that already landed
                return Expect(NotFoundError, 404, or_ok=True)
            return DONE if live else NOT_FOUND

        plan = self.plan()
        expect = expect_idempotent(plan, answer, reads_body=False)
        call = await self.call(
            f"{kind}s.delete({job_id}, hard={hard})",
            "DELETE",
            f"/v2/{kind}s/{job_id}",
            plan,
            expect,
            lambda c: resource(c, kind).delete(job_id, hard=hard),
        )
        deleted = call.error is None or expect.acted
        after = self.jobs(kind).get(job_id)
        if truth is None or (deleted and hard):
            assert after is None, "a hard delete that landed left the job"
            self.purged[kind] += [job_id] if truth is not None else []
        else:
            assert after is truth, "the job was purged by a soft delete"
            assert truth.deleted == (deleted or was_deleted), "deleted or not, wrongly"

    def one_page(self, items: list[Any], limit: int | None, page: int | None) -> list[Any]:
        size = 10 if limit is None else limit
        number = self.fake.first_page if page is None else page
        start = max(number - self.fake.first_page, 0) * size
        return items[start : start + size]

    def filters(self, kind: str) -> dict[str, Any]:
        if kind == "video":
            return {}
        return {"replica_type": self.rng.choice((None, None, "user", "system"))}

    async def list_page(self, kind: str) -> None:
        limit = self.rng.choice((None, 1, 2, 5, 100))
        page = self.rng.choice((None, 0, 1, 2, 3))
        filters = self.filters(kind)
        plan = self.plan()
        call = await self.call(
            f"{kind}s.list(limit={limit}, page={page}, {filters})",
            "GET",
            f"/v2/{kind}s",
            plan,
            expect_idempotent(plan, lambda _: OK, reads_body=True),
            lambda c: resource(c, kind).list(limit=limit, page=page, **filters),
        )
        if call.result is not None:
            items = self.listed(kind, filters.get("replica_type"))
            want = [self.now(kind, job) for job in self.one_page(items, limit, page)]
            id_field, name_field, _ = FIELDS[kind]
            got = [
                (getattr(job, id_field), getattr(job, name_field), word(job.status))
                for job in call.result.data
            ]
            assert got == want, "the page is not the emulator's"
            assert call.result.total_count == len(items)

    async def iterate(self, kind: str) -> None:
        size = self.rng.choice((1, 2, 3, 5, 50))
        filters = self.filters(kind)
        plan = self.plan(chained=True)
        id_field = FIELDS[kind][0]

        async def walk(client: TavusClient) -> list[str]:
            every = resource(client, kind).iter(page_size=size, **filters)
            async with contextlib.aclosing(every) as each:
                return [getattr(job, id_field) async for job in each]

        call = await self.call(
            f"{kind}s.iter(page_size={size}, {filters})",
            "GET",
            f"/v2/{kind}s",
            plan,
            expect_idempotent(plan, lambda _: OK, reads_body=True),
            walk,
        )
        if call.result is not None:
            want = [
                getattr(job, id_field) for job in self.listed(kind, filters.get("replica_type"))
            ]
            assert call.result == want, "iter did not yield each listed job once, in order"

    async def download(self) -> None:
        """videos.download by id or object: a whole file, or nothing and a typed error."""
        timing = self.fake.timing
        ready = [
            v.video_id
            for v in self.fake.jobs.videos.values()
            if v.phase(self.clock(), timing)[0] == "ready"
        ]
        video_id = self.rng.choice(ready) if ready and self.rng.random() < 0.7 else None
        video_id = video_id or self.pick(self.ids("video"))
        known = self.seen_videos.get(video_id)
        target: Video | str = known if known is not None and self.rng.random() < 0.5 else video_id
        direct = isinstance(target, Video) and word(target.status) == "ready"
        plan = [] if direct else self.plan()  # faults reach the API, not the file host
        dest = self.files / f"{self.step}.mp4"
        progress: list[tuple[int, int | None]] = []
        exists = video_id in self.fake.jobs.videos

        def expect() -> Expect:
            # Worked out after the call: its last GET was made at this moment of the clock.
            status = self.terminal("video", video_id)
            if direct:
                return OK if status == "ready" else NOT_FOUND  # the file host's answer
            looked_up = expect_idempotent(
                plan, lambda _: OK if exists else NOT_FOUND, reads_body=True
            )
            if looked_up.error is None and status != "ready":
                return Expect(VideoNotReadyError)
            return looked_up

        call = await self.call(
            f"videos.download({'object' if isinstance(target, Video) else 'id'} {video_id})",
            "GET",
            f"/v2/videos/{video_id}",
            plan,
            expect,
            lambda c: c.videos.download(
                target, dest, on_progress=lambda done, total: progress.append((done, total))
            ),
        )
        leftovers = [p.name for p in self.files.iterdir() if p.name.endswith(".part")]
        assert not leftovers, f"partial files left behind: {leftovers}"
        if call.result is None:
            assert not dest.exists(), "a failed download left a file"
            return
        body = dest.read_bytes()
        assert (call.result, body[4:8]) == (dest, b"ftyp")
        assert progress[-1] == (len(body), len(body)), f"progress ended at {progress[-1]}"

    async def advance(self) -> None:
        seconds = round(self.rng.uniform(0, 6), 3)
        self.clock.advance(seconds)
        self.note(f"clock +{seconds}")

    async def burst(self) -> None:
        """A burst of reads under a 2-per-second rate limit: Retry-After gets them through."""
        count = self.rng.randint(3, 6)
        together = self.rng.random() < 0.5
        target = self.rng.choice(list(self.fake.jobs.videos) or [None])
        served = self.fake.faults.served

        def read(n: int) -> Awaitable[Any]:
            return self.tavus.videos.get(target) if target and n % 2 else self.tavus.replicas.list()

        self.fake.rate_limit(per_second=2)
        try:
            if together:
                results = await asyncio.gather(*(settled(read(n)) for n in range(count)))
            else:
                results = [await settled(read(n)) for n in range(count)]
        finally:
            self.disarm()
        errors = [e for _, e in results if e is not None]
        throttled = self.fake.faults.served - served
        self.note(f"burst of {count} (together={together}): {throttled} x 429 -> {errors or 'ok'}")
        assert not errors, f"a rate-limited read failed: {errors}"
        assert throttled > 0, "the rate limit never answered 429"

    # -- waits ---------------------------------------------------------------------------

    async def new_job(self, kind: str) -> str:
        """A job made without faults (one in five fails): something to wait for."""
        if kind == "video":
            script = "Bye, tavus-fail" if self.rng.random() < 0.2 else "Hello"
            job: Any = await self.tavus.videos.create(
                replica_id=self.rng.choice(self.stock), script=script
            )
            self.note(f"made video {job.video_id} ({script!r})")
            return str(job.video_id)
        url = FAILING_MP4 if self.rng.random() < 0.2 else MP4
        job = await self.tavus.replicas.create(train_video_url=url)
        self.note(f"made replica {job.replica_id} ({url.rsplit('/', 1)[1]})")
        return str(job.replica_id)

    async def drop_job(self, kind: str) -> None:
        """Delete a job without faults, softly or hard: waits on it must end at once."""
        candidates = [i for i in self.jobs(kind) if i not in self.stock]
        if not candidates:
            return
        job_id, hard = self.pick(candidates), self.rng.random() < 0.5
        _, error = await settled(resource(self.tavus, kind).delete(job_id, hard=hard))
        self.purged[kind] += [job_id] if error is None and hard else []
        self.note(f"deleted {kind} {job_id} hard={hard}: {error or 'ok'}")

    async def wait_target(self, kind: str) -> str:
        """A job to wait for: half the time a new one, else any (ended, deleted, unknown)."""
        if self.rng.random() < 0.5:
            return await self.new_job(kind)
        return self.pick(self.ids(kind), recent=4)

    def job_end(self, kind: str, job_id: str) -> float | None:
        """When the job ends on the clock; None when a poll sees its end at once."""
        job = self.jobs(kind).get(job_id)
        if job is None or job.deleted or getattr(job, "replica_type", None) == "system":
            return None
        timing = self.fake.timing
        if kind == "video":
            return float(job.started + timing.video_queue + timing.video_rendering)
        return float(job.started + timing.replica_training)

    def arm_wait(self, paths: Sequence[str], most: int) -> tuple[str, list[list[Planned]]]:
        """Faults for a wait's polls: scheduled on each path, random, or a rate limit."""
        mode = self.rng.choices(("none", "scheduled", "random", "rate"), (2, 5, 2, 1))[0]
        plans: list[list[Planned]] = [[] for _ in paths]
        if mode == "scheduled":
            plans = [self.plan(most=most) for _ in paths]
            for path, plan in zip(paths, plans, strict=True):
                self.arm("GET", path, plan)
        elif mode == "random":
            rate = self.rng.choice((0.2, 0.35, 0.5))
            self.fake.random_faults(rate, seed=self.rng.randrange(2**31))
            mode = f"random {rate}"
        elif mode == "rate":
            per_second = self.rng.choice((1, 2))
            self.fake.rate_limit(per_second)
            mode = f"rate {per_second}/s"
        return mode, plans

    def policy(self, kind: str, remaining: float, *, slack: float) -> tuple[str, PollPolicy]:
        """A PollPolicy whose deadline is ample (the jobs end well before) or short."""
        initial, maximum = (0.5, 2.0) if kind == "video" else (1.0, 3.0)
        jitter = self.rng.choice((0.0, 0.0, 0.3))
        if remaining > 1 and self.rng.random() < 0.3:
            regime, timeout = "short", round(self.rng.uniform(0, remaining - 0.5), 3)
        else:
            regime, timeout = "ample", round(remaining + slack, 3)
        return regime, PollPolicy(
            initial=initial, maximum=maximum, multiplier=1.5, jitter=jitter, timeout=timeout
        )

    async def wait(self, kind: str) -> None:
        await self.wait_or_watch(kind, watch=False)

    async def watch(self, kind: str) -> None:
        await self.wait_or_watch(kind, watch=True)

    async def wait_or_watch(self, kind: str, *, watch: bool) -> None:
        """wait() or watch() on one job under faults: it ends right, and by its deadline."""
        job_id = await self.wait_target(kind)
        start = self.clock()
        end = self.job_end(kind, job_id)
        remaining = 0.0 if end is None else max(0.0, end - start)
        regime, policy = self.policy(kind, remaining, slack=40.0 if kind == "video" else 60.0)
        mode, (plan,) = self.arm_wait([f"/v2/{kind}s/{job_id}"], most=5)
        timed = any(f.kind == "timeout" for f in plan)
        jobs = resource(self.hasty if timed else self.tavus, kind)
        seen: list[Any] = []
        stop_early = watch and self.rng.random() < 0.15

        async def on_update(job: Any) -> None:
            seen.append(job)

        async def follow() -> Any:
            async with contextlib.aclosing(jobs.watch(job_id, policy=policy)) as changes:
                async for job in changes:
                    seen.append(job)
                    if stop_early:
                        break
            return seen[-1] if seen else None

        hook = on_update if self.rng.random() < 0.5 else seen.append
        try:
            if watch:
                result, error = await settled(follow())
            else:
                result, error = await settled(jobs.wait(job_id, policy=policy, on_update=hook))
        finally:
            self.disarm()
        elapsed = self.clock() - start
        ending = "ok" if error is None else type(error).__name__
        self.endings[f"wait {ending}"] += 1
        self.note(
            f"{'watch' if watch else 'wait'} {kind} {job_id} ({regime}, timeout="
            f"{policy.timeout:g}, {mode} [{','.join(map(str, plan))}]) -> "
            f"{ending}{describe(error)} after {elapsed:.3f} s, {len(seen)} changes"
        )
        # Ample time and at most a few failed polls: the wait must see the end. (A 429
        # with a long Retry-After sleeps to the deadline: after it, one poll is left.)
        guaranteed = regime == "ample" and mode in ("none", "scheduled")
        guaranteed = guaranteed and "429-long" not in [f.kind for f in plan[:-1]]
        assert elapsed <= policy.timeout + EPS, f"ran {elapsed} s past a {policy.timeout} s limit"
        self.check_changes(kind, job_id, seen)
        if stop_early and error is None:
            assert len(seen) == 1
            return
        if regime == "short" and end is not None and end > start + policy.timeout + EPS:
            assert isinstance(error, WaitTimeoutError), "the job was pending past the deadline"
        if isinstance(error, WaitTimeoutError):
            assert not guaranteed, "timed out, though the job ended well before the deadline"
            assert elapsed >= policy.timeout - EPS, f"gave up after {elapsed} s"
            assert abs(error.elapsed - elapsed) <= EPS
            self.check_last(kind, job_id, error.last)
        elif watch and error is None:
            self.check_final(kind, job_id, result)  # a failed job is yielded, not raised
        else:
            assert not (watch and isinstance(error, JobFailedError)), f"watch raised {error!r}"
            self.check_ended(kind, job_id, result, error)
            if error is None:
                assert seen, "on_update was never called"
                assert seen[-1] == result, "on_update did not see the result last"

    async def wait_many(self, kind: str) -> None:
        """wait_many under faults: one outcome per id, each right, all by their deadlines."""
        chosen: list[str] = []
        for _ in range(self.rng.randint(2, 5)):
            job_id = await self.wait_target(kind)
            chosen += [] if job_id in chosen else [job_id]
        concurrency = self.rng.randint(1, 3)
        stop_early = self.rng.random() < 0.15
        start = self.clock()
        ends = [self.job_end(kind, job_id) for job_id in chosen]
        remaining = max([0.0] + [end - start for end in ends if end is not None])
        regime, policy = self.policy(kind, remaining, slack=60.0 if kind == "video" else 80.0)
        mode, plans = self.arm_wait([f"/v2/{kind}s/{job_id}" for job_id in chosen], most=3)
        timed = any(f.kind == "timeout" for plan in plans for f in plan)
        waits = resource(self.hasty if timed else self.tavus, kind).wait_many(
            chosen, policy=policy, concurrency=concurrency
        )
        outcomes: list[WaitOutcome[Any]] = []

        async def collect() -> None:
            async with contextlib.aclosing(waits) as each:
                async for outcome in each:
                    outcomes.append(outcome)
                    if stop_early:
                        break

        try:
            _, error = await settled(collect())
        finally:
            self.disarm()
        elapsed = self.clock() - start
        faults = "; ".join(",".join(map(str, plan)) or "-" for plan in plans)
        summary = ", ".join(f"{o.id}:{'ok' if o.ok else type(o.error).__name__}" for o in outcomes)
        self.note(
            f"wait_many {kind} x{len(chosen)} c={concurrency} ({regime}, timeout="
            f"{policy.timeout:g}, {mode} [{faults}]) -> {summary or error} after {elapsed:.3f} s"
        )
        assert error is None, f"wait_many itself raised {error!r}"
        # Each wait sleeps at most its spread of first polls and its own timeout.
        bound = len(chosen) * (min(policy.maximum, 5.0) + policy.timeout) + EPS
        assert elapsed <= bound, f"ran {elapsed} s, past {bound} s"
        if stop_early:
            assert [o.id in chosen for o in outcomes] == [True]
        else:
            assert sorted(o.id for o in outcomes) == sorted(chosen), "an id lost or repeated"
        guaranteed = regime == "ample" and mode in ("none", "scheduled")
        guaranteed = guaranteed and all(f.kind != "429-long" for plan in plans for f in plan)
        for outcome in outcomes:
            ending = "ok" if outcome.error is None else type(outcome.error).__name__
            self.endings[f"wait_many {ending}"] += 1
            assert outcome.ok == (outcome.error is None)
            if isinstance(outcome.error, WaitTimeoutError):
                assert not guaranteed, f"{outcome.id} timed out, though its job ended in time"
                assert outcome.error.elapsed >= policy.timeout - EPS
                if concurrency == 1:  # else the other waits' pauses move the shared clock too
                    assert outcome.error.elapsed <= policy.timeout + EPS
                self.check_last(kind, outcome.id, outcome.error.last)
                continue
            assert outcome.error is None or isinstance(outcome.error, TavusError), outcome
            self.check_ended(kind, outcome.id, outcome.result, outcome.error)
            if isinstance(outcome.error, JobFailedError):
                assert outcome.result is outcome.error.job

    def check_changes(self, kind: str, job_id: str, seen: Sequence[Any]) -> None:
        """Each change names the job; none repeats the one before; only the last is final."""
        id_field, _, progress_field = FIELDS[kind]
        keys = [(word(job.status), getattr(job, progress_field)) for job in seen]
        assert all(getattr(job, id_field) == job_id for job in seen), "a change of another job"
        assert all(a != b for a, b in itertools.pairwise(keys)), f"a change repeated: {keys}"
        assert all(state(kind, job) == "pending" for job in seen[:-1]), f"went past {keys}"

    def check_last(self, kind: str, job_id: str, last: Any) -> None:
        if last is not None:
            assert getattr(last, FIELDS[kind][0]) == job_id
            assert state(kind, last) == "pending", f"timed out after seeing {last.status}"

    def check_final(self, kind: str, job_id: str, job: Any) -> str:
        """``job`` is final, and is the emulator's job as it ended; its state."""
        assert job is not None, "no final object"
        assert getattr(job, FIELDS[kind][0]) == job_id
        truth = self.terminal(kind, job_id)
        assert state(kind, job) != "pending", f"ended on {job.status}"
        assert word(job.status) == truth, f"ended on {job.status}; the job is {truth}"
        return state(kind, job)

    def check_ended(self, kind: str, job_id: str, result: Any, error: TavusError | None) -> None:
        """A wait that did not time out ended as the emulator's job did."""
        if error is None:
            assert self.check_final(kind, job_id, result) == "done"
        elif isinstance(error, JobFailedError):
            failure = VideoGenerationError if kind == "video" else ReplicaTrainingError
            assert type(error) is failure, f"{error!r} is not a {failure.__name__}"
            assert self.check_final(kind, job_id, error.job) == "failed"
        else:
            assert isinstance(error, NotFoundError), f"a wait ended with {error!r}"
            truth = self.terminal(kind, job_id)
            assert truth == "missing", f"404 for a job that is {truth}"

    # -- the end -------------------------------------------------------------------------

    async def look_for_uncertain_creates(self) -> None:
        """Do what the error said: list, and find the job exactly when one was made."""
        listed = {
            "video": {v.video_id: v.video_name async for v in self.tavus.videos.iter()},
            "replica": {r.replica_id: r.replica_name async for r in self.tavus.replicas.iter()},
        }
        for kind, name, made in self.ledger.uncertain:
            if made is None:
                assert name not in listed[kind].values(), f"{kind} {name} was made after all"
                continue
            job = self.jobs(kind).get(made)
            if job is not None and not job.deleted:  # unless a later operation deleted it
                assert made in listed[kind], f"{kind} {name} ({made}) was made but is not listed"

    def check_billing(self) -> None:
        """No create() made two jobs, and no job came from anything but a create()."""
        ledger = self.ledger
        posted = [r.created for r in self.fake.requests if r.method == "POST" and r.created]
        assert sorted(posted) == sorted(ledger.made), "a job was made outside a create() call"
        assert len(set(posted)) == len(posted)
        held = {*self.fake.jobs.replicas, *self.fake.jobs.videos, *self.purged["replica"]}
        held |= set(self.purged["video"])
        assert held - set(self.stock) == set(posted), "the emulator holds jobs no create() made"
        # The rule, with the one more case where the server surely acted: a 2xx
        # whose body did not parse (test_an_unreadable_create_answer_says_the_job_exists).
        assert len(posted) <= ledger.succeeded + ledger.sent_unknown + ledger.unreadable, ledger

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


CALLS = {
    "create replica": 5,
    "create video": 10,
    "get replica": 7,
    "get video": 10,
    "rename replica": 5,
    "rename video": 6,
    "delete replica": 3,
    "delete video": 5,
    "list_page replica": 5,
    "list_page video": 5,
    "iterate replica": 3,
    "iterate video": 4,
    "download": 7,
    "advance": 5,
    "burst": 2,
}
WAITS = {
    "new_job video": 3,
    "new_job replica": 1,
    "drop_job video": 1,
    "drop_job replica": 1,
    "advance": 3,
    "wait video": 6,
    "wait replica": 2,
    "watch video": 4,
    "watch replica": 1,
    "wait_many video": 3,
    "wait_many replica": 2,
}
CREATES = {"create video": 6, "create replica": 3, "advance": 1}
#: What a create meets in the billing test: mostly what leaves its outcome in doubt.
POST_FAULTS = (
    *("drop", "drop_after", "drop_after"),
    *("429", "429-bare", "429-date", "503", "html"),
    *("malformed", "truncated"),
)


@pytest.fixture
def new_run(
    fake: FakeTavus, tavus: TavusClient, hasty: TavusClient, clock: FakeClock, tmp_path: Path
) -> Callable[[int], Run]:
    """A Run of the given seed on this test's emulator, clients and clock."""

    def start(seed: int) -> Run:
        return Run(seed, fake, tavus, hasty, clock, tmp_path)

    return start


@pytest.mark.parametrize("seed", SEEDS)
async def test_every_call_ends_right_or_with_its_documented_error(
    seed: int, new_run: Callable[[int], Run], guard: Guard
) -> None:
    """Under random faults each call returns what the emulator holds, or the TavusError due."""
    run = new_run(seed)
    with seeded_global_random(seed):
        await run.play(CALLS, count=250)
        await run.look_for_uncertain_creates()
    run.check_billing()
    assert set(run.kinds_served) == set(KINDS), f"not every kind was served: {run.kinds_served}"
    assert set(run.ops_played) == set(CALLS)
    await run.close_and_check(guard)


@pytest.mark.parametrize("seed", SEEDS)
async def test_every_wait_ends_right_by_its_deadline(
    seed: int, new_run: Callable[[int], Run], guard: Guard
) -> None:
    """Under faults every wait, watch and wait_many ends as its job did, or times out in time."""
    run = new_run(seed)
    with seeded_global_random(seed):
        await run.play(WAITS, count=120)
    assert {"wait ok", "wait WaitTimeoutError"} <= set(run.endings), run.endings
    await run.close_and_check(guard)


@pytest.mark.parametrize("seed", SEEDS)
async def test_no_create_is_billed_twice(
    seed: int, new_run: Callable[[int], Run], guard: Guard
) -> None:
    """Each create() makes at most one job; one that may have made it says so and how to look."""
    run = new_run(seed)
    run.create_kinds = POST_FAULTS
    with seeded_global_random(seed):
        await run.play(CREATES, count=150)
        await run.look_for_uncertain_creates()
    run.check_billing()
    assert run.ledger.sent_unknown > 0, run.ledger
    assert run.ledger.made, run.ledger
    await run.close_and_check(guard)


# -- what the random runs found, pinned ---------------------------------------------------


@pytest.mark.parametrize("spoil", SPOILERS)
@pytest.mark.parametrize("kind", ["replicas", "videos"])
async def test_an_unreadable_create_answer_says_the_job_exists(
    fake: FakeTavus, tavus: TavusClient, kind: str, spoil: str
) -> None:
    """A create answered 2xx with a body that does not parse made a job: the error says so."""
    fake.fault(method="POST", path=f"/v2/{kind}", **{spoil: True})
    if kind == "videos":
        create = tavus.videos.create(replica_id=next(iter(fake.jobs.replicas)), script="Hi")
    else:
        create = tavus.replicas.create(train_video_url=MP4)
    with pytest.raises(ResponseValidationError) as caught:
        await create
    made = [r.created for r in fake.requests if r.method == "POST"]
    assert [bool(job_id) for job_id in made] == [True]  # one POST, and it made a job
    assert "list()" in str(caught.value), f"nothing says how to find the job: {caught.value}"


async def test_a_finished_wait_leaves_no_task(fake: FakeTavus, tavus: TavusClient) -> None:
    """wait() closes what it started: no task is left for asyncio to run after it returns."""
    video = await tavus.videos.create(replica_id=next(iter(fake.jobs.replicas)), script="Hi")
    await tavus.videos.wait(video.video_id, policy=PollPolicy(initial=0.5, maximum=2, timeout=60))
    await asyncio.sleep(0)  # asyncio schedules the aclose() of a dropped generator here
    assert stray_tasks() == []
