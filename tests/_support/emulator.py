"""FakeTavus in tests on a manual clock: job lengths, a quick policy, a stock replica."""

from __future__ import annotations

from tavus_async import PollPolicy, TavusClient
from tavus_async.testing import Timing

#: Emulator job lengths for tests on a manual clock: long enough to see every phase.
EMULATOR_TIMING = Timing(replica_training=10.0, video_queue=1.0, video_rendering=4.0)
#: A training video the emulator accepts (a url with ``tavus-fail`` in it fails training).
MP4 = "https://example.com/train.mp4"
#: Pauses of half a second to two seconds of manual clock; an hour before the deadline.
QUICK = PollPolicy(initial=0.5, maximum=2, timeout=3600)


async def stock_replica(tavus: TavusClient) -> str:
    """The id of one of the emulator's stock (system) replicas."""
    page = await tavus.replicas.list(replica_type="system", limit=1)
    return page.data[0].replica_id
