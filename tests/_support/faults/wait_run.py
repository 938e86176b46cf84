"""The fault suite's waits: wait, watch and wait_many on jobs that finish, fail or vanish.

``WaitRun`` makes and deletes jobs without faults, then waits on them with faults served
to the polls (scheduled per job, random, or a rate limit) and a deadline that is either
ample or short; every wait must end as its job did, or time out, and never run late.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncGenerator, Iterable, Sequence
from typing import Any, TypeVar

from tavus_async import (
    JobFailedError,
    NotFoundError,
    PollPolicy,
    ReplicaTrainingError,
    TavusError,
    VideoGenerationError,
    WaitOutcome,
    WaitTimeoutError,
)

from _support.faults.model import (
    EPS,
    FAILING_MP4,
    FIELDS,
    MP4,
    Planned,
    describe,
    ending_of,
    id_of,
    resource,
    state,
    word,
)
from _support.faults.run import Run, settled

T = TypeVar("T")


async def take(items: AsyncGenerator[T, None], into: list[T], *, first_only: bool) -> None:
    """Append what ``items`` yields to ``into`` (only the first with ``first_only``); close it."""
    async with contextlib.aclosing(items) as each:
        async for item in each:
            into.append(item)
            if first_only:
                break


def sure_to_end(regime: str, mode: str, faults: Iterable[Planned]) -> bool:
    """Whether a wait must see its job end: ample time and at most a few failed polls.

    Not so under random faults or a rate limit, nor after a 429 whose long Retry-After
    sleeps to the deadline.
    """
    calm = regime == "ample" and mode in ("none", "scheduled")
    return calm and all(fault.kind != "429-long" for fault in faults)


class WaitRun(Run):
    """A run of waits on jobs it makes and deletes: each ends right, and by its deadline."""

    # -- jobs to wait for ----------------------------------------------------------------

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

    # -- faults and deadlines ------------------------------------------------------------

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
            regime, timeout = "short", round(self.rng.uniform(0.001, remaining - 0.5), 3)
        else:
            regime, timeout = "ample", round(remaining + slack, 3)
        return regime, PollPolicy(
            initial=initial, maximum=maximum, multiplier=1.5, jitter=jitter, timeout=timeout
        )

    # -- waits ---------------------------------------------------------------------------

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
        jobs = resource(self.client_for(plan), kind)
        seen: list[Any] = []
        stop_early = watch and self.rng.random() < 0.15

        async def on_update(job: Any) -> None:
            seen.append(job)

        async def follow() -> Any:
            await take(jobs.watch(job_id, policy=policy), seen, first_only=stop_early)
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
        ending = ending_of(error)
        self.endings[f"wait {ending}"] += 1
        self.note(
            f"{'watch' if watch else 'wait'} {kind} {job_id} ({regime}, timeout="
            f"{policy.timeout:g}, {mode} [{','.join(map(str, plan))}]) -> "
            f"{ending}{describe(error)} after {elapsed:.3f} s, {len(seen)} changes"
        )
        # A long Retry-After sleeps to the deadline, where one poll is left: it may come last.
        guaranteed = sure_to_end(regime, mode, plan[:-1])
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
        every_fault = [fault for plan in plans for fault in plan]
        waits = resource(self.client_for(every_fault), kind).wait_many(
            chosen, policy=policy, concurrency=concurrency
        )
        outcomes: list[WaitOutcome[Any]] = []
        try:
            _, error = await settled(take(waits, outcomes, first_only=stop_early))
        finally:
            self.disarm()
        elapsed = self.clock() - start
        faults = "; ".join(",".join(map(str, plan)) or "-" for plan in plans)
        summary = ", ".join(f"{o.id}:{ending_of(o.error)}" for o in outcomes)
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
        guaranteed = sure_to_end(regime, mode, every_fault)
        for outcome in outcomes:
            self.endings[f"wait_many {ending_of(outcome.error)}"] += 1
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

    # -- checks --------------------------------------------------------------------------

    def check_changes(self, kind: str, job_id: str, seen: Sequence[Any]) -> None:
        """Each change names the job; none repeats the one before; only the last is final."""
        progress_field = FIELDS[kind][2]
        keys = [(word(job.status), getattr(job, progress_field)) for job in seen]
        assert all(id_of(kind, job) == job_id for job in seen), "a change of another job"
        assert all(a != b for a, b in itertools.pairwise(keys)), f"a change repeated: {keys}"
        assert all(state(kind, job) == "pending" for job in seen[:-1]), f"went past {keys}"

    def check_last(self, kind: str, job_id: str, last: Any) -> None:
        """The last object a wait that timed out saw: its job, still pending."""
        if last is not None:
            assert id_of(kind, last) == job_id
            assert state(kind, last) == "pending", f"timed out after seeing {last.status}"

    def check_final(self, kind: str, job_id: str, job: Any) -> str:
        """``job`` is final, and is the emulator's job as it ended; its state."""
        assert job is not None, "no final object"
        assert id_of(kind, job) == job_id
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
