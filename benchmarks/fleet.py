"""Fleets: 10,000 and 100,000 videos awaited at once by one process, with ``wait_many``.

The server (``_server.py``, in its own process on loopback) makes each video ready some
seconds after it first sees its id. One ``TavusClient`` first fetches videos with
``videos.get`` at concurrency 64 (the cost of a get, for comparison, measured again after
the fleet and averaged), then waits for all of the fleet with
``wait_many(ids, concurrency=len(ids))``. Measured in the one run, for each fleet:

- every wait finishes ``ok``;
- resident memory growth: VmRSS just before the waits start vs its peak during the run,
  in MB and bytes per wait;
- poll spread: the busiest 100 ms window of arrivals at the server vs the mean per 100 ms
  over the polling period; the same for re-polls alone (each id's first poll left out);
- CPU time per poll (``time.process_time()`` over the polls) vs CPU time per
  ``videos.get`` at concurrency 64 against the same server, and vs a get sent at the
  fleet's own pace, a few every 2 ms, each its own task (what pacing alone costs);
- the cyclic garbage collector: its time, its collections, its longest pause
  (``gc.callbacks``); and the longest gap between ticks of a 10 ms heartbeat task
  running beside the fleet: how long a web service sharing the loop would stall.

Targets: 10,000 waits (ready 3 s after the first poll, a 1 s policy rising to 2 s): growth
<= 100 MB, busiest window <= 3 x the mean. 100,000 waits (ready 20 s after the first poll,
``PollPolicy(initial=15, maximum=30, jitter=5, timeout=900)``): growth <= 300 MB (3 KB a
wait), busiest window <= 3 x the mean, a poll <= 1.5 x a get in CPU, no GC pause over 50 ms
and no heartbeat gap over 100 ms.

    python benchmarks/fleet.py                   # both fleets, ~2 min; exit 1 on a miss
    python benchmarks/fleet.py --only 100000     # one of them
    python benchmarks/fleet.py --smoke           # 300 and 2,000 waits: seconds; never fails
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import sys
import time
from pathlib import Path

import attrs
from _server import running_server

from tavus_async import PollPolicy, TavusClient

WINDOW = 0.1
GETS, GET_CONCURRENCY = 20_000, 64


@attrs.frozen
class Spec:
    """One fleet and its targets (None: reported, not judged)."""

    waiters: int
    ready_after: float
    policy: PollPolicy
    max_growth_mb: float
    max_spread: float = 3.0
    max_poll_vs_get: float | None = None
    max_gc_pause_ms: float | None = None
    max_heartbeat_gap_ms: float | None = None


FLEETS = {
    10_000: Spec(
        10_000,
        3.0,
        PollPolicy(initial=1, maximum=2, multiplier=1.5, jitter=1, timeout=120),
        max_growth_mb=100,
    ),
    100_000: Spec(
        100_000,
        20.0,
        PollPolicy(initial=15, maximum=30, jitter=5, timeout=900),
        max_growth_mb=300,
        max_poll_vs_get=1.5,
        max_gc_pause_ms=50,
        max_heartbeat_gap_ms=100,
    ),
}
# Smoke sizes: seconds each, the same shapes (the large fleet's policy a tenth as long).
SMOKE = {
    10_000: attrs.evolve(FLEETS[10_000], waiters=300, ready_after=1.0),
    100_000: attrs.evolve(
        FLEETS[100_000],
        waiters=2_000,
        ready_after=2.0,
        policy=PollPolicy(initial=1.5, maximum=3, jitter=0.5, timeout=90),
    ),
}


def rss_bytes(field: str = "VmRSS") -> int:
    """The process's resident memory (or its peak, ``VmHWM``) from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status (Linux only)")


def reset_peak() -> None:
    """Reset VmHWM to the current RSS (Linux >= 4.0); harmless when refused."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def busiest(times: list[float], width: float = WINDOW) -> int:
    """The most arrivals in any window ``[t, t + width)``; ``times`` sorted."""
    best = start = 0
    for end, t in enumerate(times):
        while t - times[start] >= width:
            start += 1
        best = max(best, end - start + 1)
    return best


def spread(times: list[float]) -> tuple[int, float]:
    """(busiest window, mean per window over the first-to-last arrival span)."""
    if len(times) < 2:
        return len(times), float(len(times))
    span = max(times[-1] - times[0], WINDOW)
    return busiest(times), len(times) * WINDOW / span


class GcClock:
    """Time spent in the cyclic garbage collector (a ``gc.callbacks`` entry), longest pause."""

    def __init__(self) -> None:
        self.total = self.longest = self._started = 0.0
        self.collections = self.full = 0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        pause = time.perf_counter() - self._started
        self.total += pause
        self.longest = max(self.longest, pause)
        self.collections += 1
        self.full += info["generation"] == 2


class Heartbeat:
    """A task ticking every 10 ms beside the fleet; the longest gap between two ticks."""

    def __init__(self) -> None:
        self.worst = 0.0

    async def run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            self.worst = max(self.worst, now - last)
            last = now


@attrs.frozen
class Run:
    ok: int
    growth: int
    wall: float
    cpu: float
    get_cpu: tuple[float, float]  # before the fleet, after it
    gc: GcClock
    heartbeat: float
    started: float
    ended: float


async def sample_peak(peak: list[int]) -> None:
    while True:
        peak[0] = max(peak[0], rss_bytes())
        await asyncio.sleep(0.05)


async def cpu_per_get(tavus: TavusClient, count: int) -> float:
    """Client CPU seconds per ``videos.get`` at concurrency 64."""
    ids = iter(range(count))

    async def worker() -> None:
        for n in ids:
            await tavus.videos.get(f"g{n:06d}")

    cpu = time.process_time()
    await asyncio.gather(*(worker() for _ in range(GET_CONCURRENCY)))
    return (time.process_time() - cpu) / count


async def cpu_per_paced_get(url: str, rate: float, seconds: float) -> float:
    """Client CPU seconds per ``videos.get`` sent at ``rate`` a second, a few every 2 ms,
    each its own task: gets paced as a fleet's polls are, with no waiting engine."""
    tick, owed, sent = 0.002, 0.0, 0
    running: set[asyncio.Future[object]] = set()
    async with TavusClient(api_key="bench", base_url=url, max_connections=100) as tavus:
        await cpu_per_get(tavus, 2_000)  # warm-up
        cpu, end = time.process_time(), time.monotonic() + seconds
        while time.monotonic() < end:
            owed += rate * tick
            while owed >= 1:
                owed, sent = owed - 1, sent + 1
                get = asyncio.ensure_future(tavus.videos.get(f"p{sent:07d}"))
                running.add(get)
                get.add_done_callback(running.discard)
            await asyncio.sleep(tick)
        await asyncio.gather(*running)
        return (time.process_time() - cpu) / max(sent, 1)


async def run(url: str, spec: Spec, gets: int) -> Run:
    ids = [f"v{n:06d}" for n in range(spec.waiters)]
    async with TavusClient(api_key="bench", base_url=url, max_connections=100) as tavus:
        await cpu_per_get(tavus, gets // 10)  # warm-up: session, converters, code paths
        get_before = await cpu_per_get(tavus, gets)
        gc.collect()
        reset_peak()
        before = rss_bytes()
        peak = [before]
        sampler = asyncio.ensure_future(sample_peak(peak))
        heartbeat = Heartbeat()
        beating = asyncio.ensure_future(heartbeat.run())
        clock = GcClock()
        gc.callbacks.append(clock)
        started = time.monotonic()
        cpu, wall = time.process_time(), time.monotonic()
        ok = 0
        try:
            waits = tavus.videos.wait_many(ids, policy=spec.policy, concurrency=spec.waiters)
            async for outcome in waits:
                ok += outcome.ok
        finally:
            cpu, wall = time.process_time() - cpu, time.monotonic() - wall
            ended = time.monotonic()
            gc.callbacks.remove(clock)
            sampler.cancel()
            beating.cancel()
        peak[0] = max(peak[0], rss_bytes(), rss_bytes("VmHWM"))
        # Gets again after the fleet: the machine's state drifts over a minute's run.
        get_after = await cpu_per_get(tavus, gets)
    return Run(
        ok,
        peak[0] - before,
        wall,
        cpu,
        (get_before, get_after),
        clock,
        heartbeat.worst,
        started,
        ended,
    )


def verdict(met: bool | None) -> str:
    return "reported" if met is None else ("met" if met else "MISSED")


def judged(value: float, limit: float | None) -> bool | None:
    return None if limit is None else value <= limit


async def measure(spec: Spec, gets: int) -> bool:
    with running_server(ready_after=spec.ready_after) as server:
        done = await run(server.url, spec, gets)
        stats = server.stats()
        fleet_polls = sum(done.started <= t <= done.ended for t in stats.times)
        paced = await cpu_per_paced_get(server.url, fleet_polls / done.wall, min(10.0, done.wall))
    # Arrivals while the fleet ran are its polls (the gets came before and after).
    pairs = sorted(
        (t, f)
        for t, f in zip(stats.times, stats.first, strict=True)
        if done.started <= t <= done.ended
    )
    times = [t for t, _ in pairs]
    repolls = [t for t, f in pairs if not f]
    polls = len(times)
    growth_mb = done.growth / 2**20
    peak, mean = spread(times)
    re_peak, re_mean = spread(repolls)
    ratio, re_ratio = peak / mean, re_peak / re_mean if re_mean else 0.0
    per_poll = done.cpu / max(polls, 1)
    get_cpu = sum(done.get_cpu) / 2
    poll_vs_get = per_poll / get_cpu
    gc_ms, beat_ms = 1000 * done.gc.longest, 1000 * done.heartbeat
    limit = spec.max_growth_mb
    rows: list[tuple[str, str, str, bool | None]] = [
        ("waits finished ok", f"{done.ok:,} / {spec.waiters:,}", "all", done.ok == spec.waiters),
        (
            "RSS growth (before the waits -> peak)",
            f"{growth_mb:.1f} MB ({done.growth // spec.waiters:,} B per wait)",
            f"<= {limit:g} MB",
            growth_mb <= limit,
        ),
        (
            "busiest 100 ms vs mean, all polls",
            f"{peak} vs {mean:.1f} = {ratio:.2f} x",
            f"<= {spec.max_spread:g} x",
            ratio <= spec.max_spread,
        ),
        (
            "busiest 100 ms vs mean, re-polls",
            f"{re_peak} vs {re_mean:.1f} = {re_ratio:.2f} x",
            "-",
            None,
        ),
        (
            "client CPU per poll vs per get (c=64)",
            f"{1e6 * per_poll:.0f} us vs {1e6 * get_cpu:.0f} us (before "
            f"{1e6 * done.get_cpu[0]:.0f}, after {1e6 * done.get_cpu[1]:.0f}) "
            f"= {poll_vs_get:.2f} x",
            "-" if spec.max_poll_vs_get is None else f"<= {spec.max_poll_vs_get:g} x",
            judged(poll_vs_get, spec.max_poll_vs_get),
        ),
        (
            "client CPU per poll vs per get sent at the same pace (no engine)",
            f"{1e6 * per_poll:.0f} us vs {1e6 * paced:.0f} us = {per_poll / paced:.2f} x",
            "-",
            None,
        ),
        (
            "polls (GETs at the server)",
            f"{polls:,} ({polls / spec.waiters:.1f} per wait)",
            "-",
            None,
        ),
        ("wall time / client CPU", f"{done.wall:.1f} s / {done.cpu:.1f} s", "-", None),
        (
            "cyclic GC: time, collections (full), longest pause",
            f"{done.gc.total:.2f} s, {done.gc.collections:,} ({done.gc.full}), {gc_ms:.0f} ms",
            "-" if spec.max_gc_pause_ms is None else f"pause <= {spec.max_gc_pause_ms:g} ms",
            judged(gc_ms, spec.max_gc_pause_ms),
        ),
        (
            "longest gap between 10 ms heartbeats",
            f"{beat_ms:.0f} ms",
            "-" if spec.max_heartbeat_gap_ms is None else f"<= {spec.max_heartbeat_gap_ms:g} ms",
            judged(beat_ms, spec.max_heartbeat_gap_ms),
        ),
        ("poll rate", f"{polls / done.wall:,.0f} /s", "-", None),
    ]
    print(
        f"Fleet: {spec.waiters:,} waits, wait_many(concurrency={spec.waiters:,}), "
        f"max_connections=100, ready {spec.ready_after:g} s after the first poll; "
        f"policy {spec.policy!r}\n"
    )
    print("| figure | value | target | |")
    print("|---|---|---|---|")
    for name, value, target, met in rows:
        print(f"| {name} | {value} | {target} | {verdict(met)} |")
    if times:
        per_second = [0] * (int(times[-1] - times[0]) + 1)
        for t in times:
            per_second[int(t - times[0])] += 1
        print(f"\npolls per second of the run: {per_second}\n")
    return all(met is not False for *_, met in rows)


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=int, choices=sorted(FLEETS), help="one fleet")
    parser.add_argument("--smoke", action="store_true", help="300 and 2,000 waits")
    args = parser.parse_args(argv)
    specs = SMOKE if args.smoke else FLEETS
    chosen = [specs[args.only]] if args.only else list(specs.values())
    gets = GETS // 10 if args.smoke else GETS
    met = [await measure(spec, gets) for spec in chosen]
    return 0 if all(met) or args.smoke else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
