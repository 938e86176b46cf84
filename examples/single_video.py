"""One video end to end: pick a replica, render a script, wait for it, download it.

Run it from the repository root:

    python examples/single_video.py

With TAVUS_API_KEY set it talks to Tavus (and bills a video); without it, it runs against
FakeTavus, the in-process emulator, in a few seconds. TAVUS_REPLICA_ID picks the replica;
otherwise the first stock (``system``) replica is used. The file lands in ./out/.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from tavus_async import TavusClient, Video
from tavus_async.testing import real_or_fake

SCRIPT = "Hi there! Welcome aboard. This short video was made with the tavus-async SDK."


async def pick_replica(tavus: TavusClient) -> str:
    """TAVUS_REPLICA_ID, or the first stock replica of the account."""
    if replica_id := os.environ.get("TAVUS_REPLICA_ID"):
        return replica_id
    async for replica in tavus.replicas.iter(replica_type="system"):
        return replica.replica_id
    raise SystemExit("no stock replica found: set TAVUS_REPLICA_ID")


def show(video: Video) -> None:
    progress = "" if video.progress is None else f" {video.progress:.0%}"
    print(f"{video.video_id}: {video.status}{progress}", flush=True)


async def main(tavus: TavusClient, script: str = SCRIPT) -> Path:
    """Render ``script`` and save it as ./out/<video_id>.mp4; return the file's path."""
    replica_id = await pick_replica(tavus)
    video = await tavus.videos.create(replica_id=replica_id, script=script)
    video = await tavus.videos.wait(video.video_id, on_update=show)
    path = await tavus.videos.download(video, Path("out") / f"{video.video_id}.mp4")
    print("saved", path)
    return path


async def run() -> None:
    async with real_or_fake() as tavus:
        await main(tavus)


if __name__ == "__main__":
    asyncio.run(run())
