"""Fleet: 10,000 videos awaited at once by one process, with ``wait_many``.

The server (``_server.py``, in its own process on loopback) makes each video ready a few
seconds after it first sees its id. One ``TavusClient`` waits for all of them with
``wait_many(ids, concurrency=N)`` and the policy below. Measured in the one run:

- every wait finishes ``ok``;
- resident memory growth: VmRSS just before the waiters are created vs its peak during
  the run, in MB and bytes per waiter (target <= 100 MB for 10,000);
- poll spread: the busiest 100 ms window of arrivals at the server vs the mean per 100 ms
  over the polling period (target <= 3 x); the same for re-polls alone (each id's first
  poll left out), which only the jitter spreads;
- CPU time per poll: the process's CPU time (``time.process_time()``) over the polls, and
  how much of it the cyclic garbage collector took (its pauses stall every waiter).

    python benchmarks/fleet.py              # 10,000 waiters; exit 1 if a target is missed
    python benchmarks/fleet.py --smoke      # 300 waiters, ready after 1 s: a few seconds
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

POLICY = PollPolicy(initial=1, maximum=2, multiplier=1.5, jitter=1, timeout=120)
WINDOW = 0.1
MAX_GROWTH_MB, MAX_SPREAD = 100.0, 3.0


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
        self.full = 0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        pause = time.perf_counter() - self._started
        self.total += pause
        self.longest = max(self.longest, pause)
        self.full += info["generation"] == 2


@attrs.frozen
class Run:
    ok: int
    growth: int
    wall: float
    cpu: float
    gc: GcClock


@attrs.frozen
class Fleet:
    waiters: int
    run: Run
    times: list[float]
    repolls: list[float]


async def sample_peak(peak: list[int]) -> None:
    while True:
        peak[0] = max(peak[0], rss_bytes())
        await asyncio.sleep(0.05)


async def run(url: str, waiters: int, connections: int) -> Run:
    ids = [f"v{n:05d}" for n in range(waiters)]
    async with TavusClient(api_key="bench", base_url=url, max_connections=connections) as tavus:
        await tavus.videos.get("warmup")  # lazy set-up (session, converters) is not growth
        gc.collect()
        reset_peak()
        before = rss_bytes()
        peak = [before]
        sampler = asyncio.ensure_future(sample_peak(peak))
        clock = GcClock()
        gc.callbacks.append(clock)
        cpu, wall = time.process_time(), time.monotonic()
        ok = 0
        try:
            async for outcome in tavus.videos.wait_many(ids, policy=POLICY, concurrency=waiters):
                ok += outcome.ok
        finally:
            cpu, wall = time.process_time() - cpu, time.monotonic() - wall
            gc.callbacks.remove(clock)
            sampler.cancel()
        peak[0] = max(peak[0], rss_bytes(), rss_bytes("VmHWM"))
    return Run(ok, peak[0] - before, wall, cpu, clock)


async def measure(waiters: int, connections: int, ready_after: float) -> Fleet:
    with running_server(ready_after=ready_after) as server:
        done = await run(server.url, waiters, connections)
        stats = server.stats()
    # The warm-up get arrived before the fleet started; every later arrival is a poll.
    warm = stats.times[0]
    pairs = sorted((t, f) for t, f in zip(stats.times, stats.first, strict=True) if t > warm)
    times = [t for t, _ in pairs]
    repolls = [t for t, f in pairs if not f]
    return Fleet(waiters, done, times, repolls)


def verdict(met: bool | None) -> str:
    return "reported" if met is None else ("met" if met else "MISSED")


def report(fleet: Fleet, connections: int, ready_after: float) -> bool:
    done, polls = fleet.run, len(fleet.times)
    growth_mb = done.growth / 2**20
    peak, mean = spread(fleet.times)
    re_peak, re_mean = spread(fleet.repolls)
    ratio, re_ratio = peak / mean, re_peak / re_mean if re_mean else 0.0
    limit_mb = MAX_GROWTH_MB * fleet.waiters / 10_000
    rows: list[tuple[str, str, str, bool | None]] = [
        ("waits finished ok", f"{done.ok} / {fleet.waiters}", "all", done.ok == fleet.waiters),
        (
            "RSS growth (before waiters -> peak)",
            f"{growth_mb:.1f} MB ({done.growth // max(fleet.waiters, 1):,} B per waiter)",
            f"<= {limit_mb:g} MB (100 per 10,000)",
            growth_mb <= limit_mb,
        ),
        (
            "busiest 100 ms vs mean, all polls",
            f"{peak} vs {mean:.1f} = {ratio:.2f} x",
            f"<= {MAX_SPREAD:g} x",
            ratio <= MAX_SPREAD,
        ),
        (
            "busiest 100 ms vs mean, re-polls only",
            f"{re_peak} vs {re_mean:.1f} = {re_ratio:.2f} x",
            "-",
            None,
        ),
        ("CPU per poll (client process)", f"{1e6 * done.cpu / max(polls, 1):.0f} us", "-", None),
        (
            "polls (GETs at the server)",
            f"{polls:,} ({polls / fleet.waiters:.1f} per wait)",
            "-",
            None,
        ),
        ("wall time / client CPU", f"{done.wall:.1f} s / {done.cpu:.1f} s", "-", None),
        (
            "client CPU in the cyclic GC",
            f"{done.gc.total:.1f} s, {done.gc.full} full collections, "
            f"longest pause {1000 * done.gc.longest:.0f} ms",
            "-",
            None,
        ),
        ("poll rate", f"{polls / done.wall:,.0f} /s", "-", None),
    ]
    print(
        f"Fleet: {fleet.waiters:,} waiters, wait_many(concurrency={fleet.waiters:,}), "
        f"max_connections={connections}, ready {ready_after:g} s after the first poll; "
        f"policy {POLICY!r}\n"
    )
    print("| figure | value | target | |")
    print("|---|---|---|---|")
    for name, value, target, met in rows:
        print(f"| {name} | {value} | {target} | {verdict(met)} |")
    if fleet.times:
        start = fleet.times[0]
        per_second = [0] * (int(fleet.times[-1] - start) + 1)
        for t in fleet.times:
            per_second[int(t - start)] += 1
        print(f"\npolls per second of the run: {per_second}")
    return all(met is not False for *_, met in rows)


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waiters", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=100, help="max_connections")
    parser.add_argument("--ready-after", type=float, default=3.0, help="seconds")
    parser.add_argument("--smoke", action="store_true", help="300 waiters, ready after 1 s")
    args = parser.parse_args(argv)
    waiters, ready_after = (300, 1.0) if args.smoke else (args.waiters, args.ready_after)
    fleet = await measure(waiters, args.connections, ready_after)
    met = report(fleet, args.connections, ready_after)
    return 0 if met or args.smoke else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
