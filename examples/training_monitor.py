"""A replica training monitor: start a training (or follow one) and print each change.

Run it from the repository root:

    python examples/training_monitor.py              # train a new replica and watch it
    python examples/training_monitor.py r783537ef5   # watch an existing replica

With TAVUS_API_KEY set it talks to Tavus, where training takes hours (set
TAVUS_TRAIN_VIDEO_URL to a public link to your training video); without it, it runs
against FakeTavus, the in-process emulator, where training takes a few seconds.
The exit code is 1 if the training failed.
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime

from tavus_async import PollPolicy, Replica, ReplicaStatus, TavusClient
from tavus_async.testing import real_or_fake

TRAIN_VIDEO_URL = os.environ.get(
    "TAVUS_TRAIN_VIDEO_URL", "https://example.com/training/two-minutes-of-me.mp4"
)
# FakeTavus trains in 6 s, so poll it every second; Tavus gets the default (minutes apart).
EMULATOR_POLICY = PollPolicy(initial=1, maximum=1, timeout=120)


async def main(
    tavus: TavusClient,
    replica_id: str | None = None,
    *,
    train_video_url: str = TRAIN_VIDEO_URL,
    policy: PollPolicy | None = None,
) -> int:
    """Watch ``replica_id`` (or a new training) to its end; 0 when trained, 1 when failed."""
    if replica_id is None:
        started = await tavus.replicas.create(
            train_video_url=train_video_url, replica_name="Training monitor example"
        )
        replica_id = started.replica_id
        print("started training", replica_id)
    replica: Replica | None = None
    async for replica in tavus.replicas.watch(replica_id, policy=policy):
        progress = "-" if replica.progress is None else f"{replica.progress:.0%}"
        print(f"{datetime.now():%H:%M:%S}  {replica.status}  {progress}", flush=True)
    if replica is not None and replica.status == ReplicaStatus.ERROR:
        print("training failed:", replica.error_message)
        return 1
    return 0


async def run(replica_id: str | None) -> int:
    async with real_or_fake() as tavus:
        policy = None if os.environ.get("TAVUS_API_KEY") else EMULATOR_POLICY
        return await main(tavus, replica_id, policy=policy)


if __name__ == "__main__":
    sys.exit(asyncio.run(run(sys.argv[1] if len(sys.argv) > 1 else None)))
