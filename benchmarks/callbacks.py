"""Callbacks vs polling only: requests per job and how late ``wait()`` learns a job ended.

N videos are created on FakeTavus (real time, creations spread a little so that jobs end
at different moments) and awaited at once, first with a CallbackReceiver, then by
polling alone with the SDK's default policy. For each video it measures the GETs made
after its create, and the delay from the moment the job ended (known exactly: FakeTavus
works it out from its clock) to ``wait()`` returning.

Target: with callbacks, p95 delay under 50 ms and at most 2 GETs per job.

    python benchmarks/callbacks.py            # 50 videos; exit 1 if the target is missed
    python benchmarks/callbacks.py --smoke    # a few videos, seconds: it still works
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time

import attrs

from tavus_async import CallbackReceiver, PollPolicy
from tavus_async.testing import FakeTavus, Timing

QUEUE, RENDERING, SPREAD = 0.1, 1.5, 0.02


@attrs.frozen
class Result:
    mode: str
    videos: int
    gets: list[int]
    delays_ms: list[float]

    def row(self) -> str:
        cut = statistics.quantiles(self.delays_ms, n=20, method="inclusive")
        return (
            f"| {self.mode} | {self.videos} | {statistics.mean(self.gets):.2f} | "
            f"{max(self.gets)} | {statistics.median(self.delays_ms):.1f} | {cut[18]:.1f} |"
        )


async def measure(mode: str, videos: int, poll: PollPolicy | None) -> Result:
    timing = Timing(video_queue=QUEUE, video_rendering=RENDERING)
    async with (
        FakeTavus(timing=timing, callback_interval=0.001) as fake,
        fake.client() as tavus,
        CallbackReceiver() as receiver,
    ):
        stock = next(iter(fake.jobs.replicas))
        callbacks = receiver if mode == "callbacks" else None
        ends: dict[str, float] = {}

        async def one(n: int) -> tuple[str, float]:
            await asyncio.sleep(n * SPREAD)
            video = await tavus.videos.create(
                replica_id=stock,
                script=f"Video {n}",
                callback_url=receiver.url if callbacks else None,
            )
            ends[video.video_id] = fake.jobs.videos[video.video_id].started + QUEUE + RENDERING
            await tavus.videos.wait(video.video_id, policy=poll, callbacks=callbacks)
            return video.video_id, time.monotonic()

        finished = await asyncio.gather(*(one(n) for n in range(videos)))
        gets = [
            sum(1 for r in fake.requests if r.method == "GET" and r.path.endswith(video_id))
            for video_id, _ in finished
        ]
        delays = [1000 * (returned - ends[video_id]) for video_id, returned in finished]
    return Result(mode, videos, gets, delays)


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=50)
    parser.add_argument("--smoke", action="store_true", help="a few videos, quick polling")
    args = parser.parse_args(argv)
    videos = 4 if args.smoke else args.videos
    # Polling at the default policy takes seconds per video; the smoke run polls faster.
    polling = PollPolicy(initial=0.2, maximum=0.5, timeout=60) if args.smoke else None

    with_callbacks = await measure("callbacks", videos, None)
    polling_only = await measure("polling only", videos, polling)

    print("| waiting | videos | GETs per job (mean) | GETs (max) | delay median ms | p95 ms |")
    print("|---|---|---|---|---|---|")
    print(with_callbacks.row())
    print(polling_only.row())
    p95 = statistics.quantiles(with_callbacks.delays_ms, n=20, method="inclusive")[18]
    met = p95 < 50 and max(with_callbacks.gets) <= 2
    print(f"\ntarget (callbacks: p95 < 50 ms, <= 2 GETs per job): {'met' if met else 'MISSED'}")
    return 0 if met or args.smoke else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
