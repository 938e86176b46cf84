"""The fault suite's calls: create, get, rename, delete, list, iter, download, a read burst.

``CallRun`` plays each under a random plan of faults, checks it against the emulator,
and keeps the ``Ledger`` of every create() by which the run checks billing at its end.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from tavus_async import (
    APIConnectionError,
    BadRequestError,
    NotFoundError,
    ResponseValidationError,
    TavusClient,
    Video,
    VideoNotReadyError,
)

from _support.faults.model import (
    DONE,
    FAILING_MP4,
    FIELDS,
    MP4,
    NOT_FOUND,
    OK,
    TRANSIENT,
    Expect,
    Planned,
    as_listed,
    expect_create,
    expect_idempotent,
    expect_read,
    id_of,
    resource,
    word,
)
from _support.faults.run import Call, Run, Stage, settled


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


class CallRun(Run):
    """A run of single calls, each under its own faults; it checks every result and error."""

    def __init__(
        self, seed: int, stage: Stage, *, create_kinds: Sequence[str] | None = None
    ) -> None:
        super().__init__(seed, stage)
        self.ledger = Ledger()
        self.seen_videos: dict[str, Video] = {}
        #: When set, creates draw their faults from these kinds (the billing test).
        self.create_kinds = create_kinds

    # -- the emulator's truth ------------------------------------------------------------

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

    # -- creates -------------------------------------------------------------------------

    def create_plan(self) -> list[Planned]:
        """Faults for a create's POSTs: any kind, or ``create_kinds`` when set."""
        if self.create_kinds is None:
            return self.plan()
        count = self.rng.choices(range(4), weights=(3, 5, 2, 1))[0]
        kinds = self.rng.choices(self.create_kinds, k=count)
        if self.rng.random() < 0.02:
            kinds.insert(0, "timeout")
        return [self.planned(k) for k in kinds]

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
            got = (id_of(kind, call.result), word(call.result.status))
            assert got == (made, "started" if kind == "replica" else "queued")
            if kind == "video":
                assert call.result.video_name == name

    def video_source(self) -> tuple[str, Expect]:
        """A replica to render with, and whether Tavus takes it (400 unless trained)."""
        if self.rng.random() < 0.5:
            replica_id = self.rng.choice(self.stock)
        else:
            replica_id = self.pick(self.ids("replica"))
        replica = self.fake.jobs.replicas.get(replica_id)
        now, training = self.clock(), self.fake.timing.replica_training
        if (
            replica is not None
            and not replica.fails
            and replica.replica_type == "user"
            and 0 < replica.started + training - now <= 20
        ):
            # It would finish training while the create waits out 429s: either way.
            replica_id, replica = self.stock[0], self.fake.jobs.replicas[self.stock[0]]
        usable = (
            replica is not None
            and not replica.deleted
            and replica.phase(now, self.fake.timing)[0] == "completed"
        )
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

    # -- reads and changes ---------------------------------------------------------------

    async def read(
        self,
        label: str,
        path: str,
        make: Callable[[TavusClient], Awaitable[Any]],
        *,
        found: bool = True,
        chained: bool = False,
    ) -> Call:
        """A GET under a fresh plan of faults: ``found`` or a 404, or the error they call for."""
        plan = self.plan(chained=chained)
        return await self.call(label, "GET", path, plan, expect_read(plan, found=found), make)

    async def get(self, kind: str) -> None:
        job_id = self.pick(self.ids(kind))
        verbose = self.rng.random() < 0.3
        truth = self.jobs(kind).get(job_id)
        found = truth is not None and (kind == "video" or not truth.deleted)  # videos: soft
        call = await self.read(
            f"{kind}s.get({job_id}, verbose={verbose})",
            f"/v2/{kind}s/{job_id}",
            lambda c: resource(c, kind).get(job_id, verbose=verbose),
            found=found,
        )
        if call.result is None:
            return
        assert truth is not None, "an object of a job the emulator does not hold"
        job = call.result
        status, progress = truth.phase(self.clock(), self.fake.timing)
        assert as_listed(kind, job) == self.now(kind, truth), "the object is not the emulator's"
        assert getattr(job, FIELDS[kind][2]) == progress
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

        plan = self.plan()
        retried = any(fault.kind in TRANSIENT for fault in plan)

        def answer(acted: bool) -> Expect:
            # A retry's 404 is taken as done: the SDK cannot tell "deleted by the try whose
            # answer was lost" from "never there". aiohttp's own resend of a dropped DELETE
            # is not the SDK's retry, so its 404 may still raise.
            if acted or (retried and not live):
                return Expect(NotFoundError, 404, or_ok=True)
            return DONE if live else NOT_FOUND

        expect = expect_idempotent(plan, answer, reads_body=False)
        call = await self.call(
            f"{kind}s.delete({job_id}, hard={hard})",
            "DELETE",
            f"/v2/{kind}s/{job_id}",
            plan,
            expect,
            lambda c: resource(c, kind).delete(job_id, hard=hard),
        )
        deleted = expect.acted or (call.error is None and live)
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
        call = await self.read(
            f"{kind}s.list(limit={limit}, page={page}, {filters})",
            f"/v2/{kind}s",
            lambda c: resource(c, kind).list(limit=limit, page=page, **filters),
        )
        if call.result is not None:
            items = self.listed(kind, filters.get("replica_type"))
            want = [self.now(kind, job) for job in self.one_page(items, limit, page)]
            got = [as_listed(kind, job) for job in call.result.data]
            assert got == want, "the page is not the emulator's"
            assert call.result.total_count == len(items)

    async def iterate(self, kind: str) -> None:
        size = self.rng.choice((1, 2, 3, 5, 50))
        filters = self.filters(kind)

        async def walk(client: TavusClient) -> list[str]:
            every = resource(client, kind).iter(page_size=size, **filters)
            async with contextlib.aclosing(every) as each:
                return [id_of(kind, job) async for job in each]

        call = await self.read(
            f"{kind}s.iter(page_size={size}, {filters})", f"/v2/{kind}s", walk, chained=True
        )
        if call.result is not None:
            want = [id_of(kind, job) for job in self.listed(kind, filters.get("replica_type"))]
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
            looked_up = expect_read(plan, found=exists)
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
