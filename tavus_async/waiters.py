"""Poll policies and the outcome of ``wait_many``: the public face of the waiting engine.

A waiter polls a job with ``get`` on a ``PollPolicy`` (exponential backoff with jitter,
an overall deadline), tells each observed change to the caller, and ends with the
finished object, a typed failure, or ``WaitTimeoutError`` carrying the last object seen.
Transient trouble while polling (connection errors, timeouts, 408, 429, 5xx, a body that
does not parse) never ends a wait before its deadline; any other API error ends it at once.

Each job family's defaults are also on the family itself (``tavus.videos.default_policy``);
the ``*_FALLBACK_POLICY`` ones are what a wait with ``callbacks=`` polls on.
"""

from .resources.replicas import REPLICA_FALLBACK_POLICY, REPLICA_POLICY
from .resources.videos import VIDEO_FALLBACK_POLICY, VIDEO_POLICY
from .waiting.engine import WaitOutcome
from .waiting.policy import PollPolicy

__all__ = [
    "REPLICA_FALLBACK_POLICY",
    "REPLICA_POLICY",
    "VIDEO_FALLBACK_POLICY",
    "VIDEO_POLICY",
    "PollPolicy",
    "WaitOutcome",
]
