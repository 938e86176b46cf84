"""Soak: 1,000 waits over 50,000 polls; resident memory must stay flat after warm-up.

The server (``_server.py``, in its own process on loopback) makes each video ready at its
50th poll. One ``TavusClient`` waits for 1,000 of them with ``wait_many`` at a concurrency
of 200, so waits keep ending and new ones starting: five generations of waiters, 50,000
polls in all, about 100 s. RSS (VmRSS) and the Python heap's block count
(``sys.getallocatedblocks()``) are sampled every second; the first 20 % of the run is
warm-up, and a least-squares line through the rest gives the slope.

Target (flat): RSS slope < 1 MB per minute, and RSS at the end of the measured part less
than 5 MB above its start.

    python benchmarks/soak.py            # ~100 s; exit 1 if the target is missed
    python benchmarks/soak.py --smoke    # 60 waits x 10 polls: a few seconds
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time

import attrs
from _server import running_server
from fleet import rss_bytes

from tavus_async import PollPolicy, TavusClient

WARM_UP = 0.2
MAX_SLOPE_MB_MIN, MAX_GROWTH_MB = 1.0, 5.0


@attrs.frozen
class Setup:
    waits: int
    concurrency: int
    polls_per_wait: int
    policy: PollPolicy
    every: float  # seconds between samples


FULL = Setup(1000, 200, 50, PollPolicy(initial=0.5, maximum=0.5, jitter=0.2, timeout=600), 1.0)
SMOKE = Setup(60, 20, 10, PollPolicy(initial=0.1, maximum=0.1, jitter=0.05, timeout=60), 0.1)


@attrs.frozen
class Soak:
    ok: int
    polls: int
    wall: float
    cpu: float
    samples: list[tuple[float, int, int]]  # (seconds since start, RSS bytes, heap blocks)
    full_gcs: list[float]  # when the cyclic GC collected its oldest generation
    kept_blocks: int  # heap blocks after a full collection, less those before the run


async def sample(samples: list[tuple[float, int, int]], start: float, every: float) -> None:
    while True:
        samples.append((time.monotonic() - start, rss_bytes(), sys.getallocatedblocks()))
        await asyncio.sleep(every)


async def run(setup: Setup) -> Soak:
    ids = [f"s{n:05d}" for n in range(setup.waits)]
    with running_server(ready_polls=setup.polls_per_wait) as server:
        async with TavusClient(api_key="bench", base_url=server.url, max_connections=100) as tavus:
            await tavus.videos.get("warmup")
            gc.collect()
            blocks = sys.getallocatedblocks()
            samples: list[tuple[float, int, int]] = []
            full_gcs: list[float] = []
            start, cpu = time.monotonic(), time.process_time()

            def on_gc(phase: str, info: dict[str, int]) -> None:
                if phase == "start" and info["generation"] == 2:
                    full_gcs.append(time.monotonic() - start)

            gc.callbacks.append(on_gc)
            sampler = asyncio.ensure_future(sample(samples, start, setup.every))
            ok = 0
            outcomes = tavus.videos.wait_many(
                ids, policy=setup.policy, concurrency=setup.concurrency
            )
            async for outcome in outcomes:
                ok += outcome.ok
            sampler.cancel()
            wall, cpu = time.monotonic() - start, time.process_time() - cpu
            samples.append((wall, rss_bytes(), sys.getallocatedblocks()))
            gc.callbacks.remove(on_gc)
            gc.collect()
            blocks = sys.getallocatedblocks() - blocks
        polls = len(server.stats().times) - 1  # less the warm-up get
    return Soak(ok, polls, wall, cpu, samples, full_gcs, blocks)


def slope_per_minute(points: list[tuple[float, float]]) -> float:
    if len(points) < 2:
        return 0.0
    xs, ys = zip(*points, strict=True)
    return statistics.linear_regression(xs, ys).slope * 60


def report(soak: Soak, setup: Setup) -> bool:
    measured = [s for s in soak.samples if s[0] >= WARM_UP * soak.wall]
    (t0, rss0, blocks0), (t1, rss1, blocks1) = measured[0], measured[-1]
    rss_slope = slope_per_minute([(t, rss / 2**20) for t, rss, _ in measured])
    blocks_slope = slope_per_minute([(t, float(blocks)) for t, _, blocks in measured])
    growth = (rss1 - rss0) / 2**20
    expected = setup.waits * setup.polls_per_wait
    rows: list[tuple[str, str, str, bool | None]] = [
        ("waits finished ok", f"{soak.ok} / {setup.waits}", "all", soak.ok == setup.waits),
        (
            "polls",
            f"{soak.polls:,} ({soak.polls / setup.waits:.1f} per wait)",
            f"{expected:,}",
            None,
        ),
        ("run / client CPU", f"{soak.wall:.1f} s / {soak.cpu:.1f} s", "-", None),
        ("CPU per poll", f"{1e6 * soak.cpu / max(soak.polls, 1):.0f} us", "-", None),
        (
            "RSS at start -> end of the measured part",
            f"{rss0 / 2**20:.1f} -> {rss1 / 2**20:.1f} MB ({growth:+.2f} MB)",
            f"< {MAX_GROWTH_MB:g} MB more",
            growth < MAX_GROWTH_MB,
        ),
        (
            "RSS slope (least squares)",
            f"{1024 * rss_slope:+.0f} KB/min",
            f"< {MAX_SLOPE_MB_MIN:g} MB/min",
            rss_slope < MAX_SLOPE_MB_MIN,
        ),
        (
            "Python heap blocks: start -> end, slope",
            f"{blocks0:,} -> {blocks1:,}, {blocks_slope:+,.0f} /min",
            "-",
            None,
        ),
        (
            "full GCs (gen 2) in the measured part / in all",
            f"{sum(t >= t0 for t in soak.full_gcs)} / {len(soak.full_gcs)}",
            "-",
            None,
        ),
        ("heap blocks kept after the run (full GC)", f"{soak.kept_blocks:+,}", "-", None),
        ("RSS samples (measured / all)", f"{len(measured)} / {len(soak.samples)}", "-", None),
    ]
    print(
        f"Soak: {setup.waits:,} waits, wait_many(concurrency={setup.concurrency}), each ready "
        f"at its {setup.polls_per_wait}th poll; policy {setup.policy!r}; RSS sampled every "
        f"{setup.every:g} s, measured from {t0:.1f} s (after {WARM_UP:.0%} warm-up) "
        f"to {t1:.1f} s\n"
    )
    print("| figure | value | target | |")
    print("|---|---|---|---|")
    for name, value, target, met in rows:
        verdict = "reported" if met is None else ("met" if met else "MISSED")
        print(f"| {name} | {value} | {target} | {verdict} |")
    return all(met is not False for *_, met in rows)


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waits", type=int, default=FULL.waits, help="more waits: a longer run")
    parser.add_argument("--smoke", action="store_true", help="60 waits x 10 polls, seconds")
    args = parser.parse_args(argv)
    setup = SMOKE if args.smoke else attrs.evolve(FULL, waits=args.waits)
    met = report(await run(setup), setup)
    return 0 if met or args.smoke else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
