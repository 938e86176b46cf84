"""FakeTavus in tests on a manual clock: job lengths long enough to see every phase."""

from __future__ import annotations

from tavus_async.testing import Timing

#: Emulator job lengths for tests on a manual clock: long enough to see every phase.
EMULATOR_TIMING = Timing(replica_training=10.0, video_queue=1.0, video_rendering=4.0)
