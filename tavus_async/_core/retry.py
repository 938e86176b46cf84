"""When an HTTP call is tried again, and how long to wait first (on tenacity).

Idempotent calls (GET, PATCH, DELETE) are retried after a connection error, a timeout,
408, 429 or a 5xx other than 501. A POST creates a billed job and Tavus has no
idempotency key, so it is retried only when the server cannot have acted on it: a 429,
or a connection that was never established. A ``Retry-After`` (seconds or an HTTP date)
is honoured up to ``max_retry_wait``; past that the error is raised at once, carrying
``retry_after``, for the caller to decide.
"""

from __future__ import annotations

import email.utils
import logging
import math
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone

import tenacity

from .._exceptions import APIConnectionError, APIError, path_of
from .responses import may_have_acted

__all__ = [
    "IDEMPOTENT_METHODS",
    "RETRYABLE_STATUSES",
    "build_retrying",
    "parse_retry_after",
    "should_retry",
]

logger = logging.getLogger("tavus_async")

RETRYABLE_STATUSES = frozenset({408, 429, *range(500, 600)} - {501})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})

# Backoff between attempts when the server names no delay: 0.5 s, 1 s, 2 s, ... up to
# 8 s, each plus up to 0.5 s of jitter so that many clients do not retry in step.
_BACKOFF = tenacity.wait_exponential(multiplier=0.5, max=8.0) + tenacity.wait_random(0, 0.5)

Sleep = Callable[[float], Awaitable[None]]

_DELAY_SECONDS = re.compile(r"\d+(\.\d+)?")


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if _DELAY_SECONDS.fullmatch(value):
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - (now or datetime.now(timezone.utc))).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)


def should_retry(exc: BaseException, *, idempotent: bool, max_retry_wait: float) -> bool:
    """Whether ``exc`` is worth another attempt of the same request.

    A request that is not idempotent is tried again only when it cannot have acted
    (``may_have_acted``): a second create is a second bill.
    """
    if not idempotent and may_have_acted(exc):
        return False
    if isinstance(exc, APIConnectionError):
        return True
    if isinstance(exc, APIError):
        if exc.status not in RETRYABLE_STATUSES:
            return False
        return exc.retry_after is None or exc.retry_after <= max_retry_wait
    return False


class _wait_for_server(tenacity.wait.wait_base):
    """Wait as long as the server asked (Retry-After), else back off with jitter."""

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, APIError) and exc.retry_after is not None:
            return exc.retry_after
        return _BACKOFF(retry_state)


def _log_retry(retry_state: tenacity.RetryCallState) -> None:
    outcome = retry_state.outcome
    exc = outcome.exception() if outcome is not None else None
    delay = retry_state.upcoming_sleep
    if isinstance(exc, APIError):
        what = f"{exc.method} {path_of(exc.url)} answered {exc.status}"
    elif isinstance(exc, APIConnectionError):
        what = f"{exc.method} {path_of(exc.url)} failed: {exc.message}"
    else:
        what = repr(exc)
    logger.info(
        "%s; attempt %d failed, retrying in %.2f s", what, retry_state.attempt_number, delay
    )


def build_retrying(
    *, idempotent: bool, max_retries: int, max_retry_wait: float, sleep: Sleep
) -> tenacity.AsyncRetrying:
    """A fresh tenacity controller for one request, ``idempotent`` or not."""
    return tenacity.AsyncRetrying(
        stop=tenacity.stop_after_attempt(max_retries + 1),
        wait=_wait_for_server(),
        retry=tenacity.retry_if_exception(
            lambda exc: should_retry(exc, idempotent=idempotent, max_retry_wait=max_retry_wait)
        ),
        sleep=sleep,
        before_sleep=_log_retry,
        reraise=True,
    )
