"""FakeTavus: an in-process emulator of the Tavus API, for tests and demos.

``async with FakeTavus() as fake:`` runs a real aiohttp server on 127.0.0.1 with Tavus's
endpoints, shapes and error bodies, job lifecycles on a clock you control (``ManualClock``,
``Timing``), downloadable files on a second host name, callbacks, faults on demand
(``Fault``), and a record of every request. ``fake.client()`` is a TavusClient bound to it.

Each API family is one module of ``_routes/``; the rest of this package knows none of them.
"""

from ._clock import ManualClock
from ._faults import Fault
from ._records import CallbackRecord, FileRequest, RecordedRequest
from ._server import FakeTavus, real_or_fake
from ._state import Timing

__all__ = [
    "CallbackRecord",
    "FakeTavus",
    "Fault",
    "FileRequest",
    "ManualClock",
    "RecordedRequest",
    "Timing",
    "real_or_fake",
]
