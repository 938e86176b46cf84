"""A batch of videos from a CSV: create them all, wait for each, download the ready ones.

Run it from the repository root, with a CSV of ``video_name,script`` rows:

    python examples/batch_from_csv.py [videos.csv]

The default CSV is examples/videos.csv. With TAVUS_API_KEY set it talks to Tavus (and
bills every row); without it, it runs against FakeTavus, the in-process emulator.
TAVUS_REPLICA_ID picks the replica; otherwise the first stock (``system``) replica is used.
Each ready video is saved as ./out/<video_name>.mp4. The exit code is 1 if any row failed.
"""

from __future__ import annotations

import asyncio
import csv
import os
import sys
from pathlib import Path

from tavus_async import TavusClient, TavusError
from tavus_async.testing import real_or_fake

DEFAULT_CSV = Path(__file__).with_name("videos.csv")


async def pick_replica(tavus: TavusClient) -> str:
    """TAVUS_REPLICA_ID, or the first stock replica of the account."""
    if replica_id := os.environ.get("TAVUS_REPLICA_ID"):
        return replica_id
    async for replica in tavus.replicas.iter(replica_type="system"):
        return replica.replica_id
    raise SystemExit("no stock replica found: set TAVUS_REPLICA_ID")


def read_rows(csv_path: Path) -> list[dict[str, str]]:
    with open(csv_path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


async def main(tavus: TavusClient, csv_path: Path = DEFAULT_CSV, concurrency: int = 8) -> int:
    """Render every row of ``csv_path``; 0 when all were saved, 1 when any failed."""
    rows = await asyncio.to_thread(read_rows, csv_path)
    replica_id = await pick_replica(tavus)
    names: dict[str, str] = {}  # video_id -> video_name
    failed = 0
    for row in rows:
        name = row["video_name"]
        try:
            video = await tavus.videos.create(
                replica_id=replica_id, script=row["script"], video_name=name
            )
        except TavusError as error:
            print(f"failed  {name}: {error}")
            failed += 1
            continue
        names[video.video_id] = name
    async for outcome in tavus.videos.wait_many(names, concurrency=concurrency):
        name, problem = names[outcome.id], outcome.error
        if outcome.ok and outcome.result is not None:
            try:
                path = await tavus.videos.download(outcome.result, Path("out") / f"{name}.mp4")
                print(f"saved   {name}: {path}")
                continue
            except TavusError as exc:
                problem = exc
        print(f"failed  {name}: {problem}")
        failed += 1
    print(f"{len(rows) - failed} of {len(rows)} videos saved")
    return 1 if failed else 0


async def run(csv_path: Path) -> int:
    async with real_or_fake() as tavus:
        return await main(tavus, csv_path)


if __name__ == "__main__":
    sys.exit(asyncio.run(run(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CSV)))
