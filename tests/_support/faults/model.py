"""The fault suite's model: the faults FakeTavus serves, and how each call must end under them.

Nothing here plays a request. ``Planned`` is one fault and the ``fake.fault`` keywords that
serve it; ``Expect`` is an ending (success, or which TavusError); ``expect_idempotent`` and
``expect_create`` work out the ending due when a plan of faults meets a call's tries; the
job tables say how a job's status reads to a waiter. Used by ``run`` and its Run classes.
"""

from __future__ import annotations

import dataclasses
import http
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

from tavus_async import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    NotFoundError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    TavusClient,
    TavusError,
)

SEEDS = (7, 1234, 31337, 271828, 999331)

TIMEOUT = 0.05  # wall-clock seconds: the request timeout of the client that meets "timeout"
DELAY = 0.12  # a "timeout" fault holds its answer this long, well past TIMEOUT
SLOW = 0.005  # a "slow" fault: late, but within any timeout
RETRIES = 3  # fake.client()'s max_retries
EPS = 1e-6  # float slack when comparing moments of the manual clock

MP4 = "https://example.com/train.mp4"
FAILING_MP4 = "https://example.com/tavus-fail.mp4"
UNKNOWN_VIDEO, UNKNOWN_REPLICA = "v0000000000", "r0000000000"

DROPS = ("drop", "drop_after")
THROTTLES = ("429", "429-bare", "429-date")  # a 429 that the client may wait out
STATUSES = ("500", "502", "503", "504", "html")
SPOILERS = ("malformed", "truncated")  # a 200 whose body is not JSON
# GET, PATCH and DELETE are tried again after these, up to RETRIES times; a create
# only after a THROTTLE (a second create would be a second bill).
TRANSIENT = frozenset({*DROPS, "timeout", *THROTTLES, *STATUSES})
ENDING = frozenset({"429-long", *SPOILERS})  # these end an idempotent call at once
WEIGHTS = {
    "drop": 8,
    "drop_after": 8,
    "timeout": 1,  # each costs real time: TIMEOUT, or DELAY for a call that changes things
    "slow": 3,
    "429": 6,
    "429-bare": 6,
    "429-date": 4,
    "429-long": 4,
    "500": 5,
    "502": 5,
    "503": 5,
    "504": 5,
    "html": 8,
    "malformed": 6,
    "truncated": 6,
}
KINDS = tuple(WEIGHTS)


# -- faults ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Planned:
    """One fault to serve: its kind, and the status it answers with (for an HTML page)."""

    kind: str
    status: int | None = None

    def options(self) -> dict[str, Any]:
        """The keywords of ``fake.fault`` that serve it."""
        kind = self.kind
        if kind in ("drop", "drop_after", "malformed", "truncated"):
            return {kind: True}
        if kind in ("timeout", "slow"):
            return {"delay": DELAY if kind == "timeout" else SLOW}
        if kind == "429":
            return {"status": 429, "headers": {"Retry-After": "1"}}
        if kind == "429-bare":
            return {"status": 429, "body": {"message": "Too many requests"}}
        if kind == "429-date":
            when = datetime.now(timezone.utc) + timedelta(seconds=2)
            return {"status": 429, "headers": {"Retry-After": format_datetime(when, usegmt=True)}}
        if kind == "429-long":
            return {"status": 429, "headers": {"Retry-After": "3600"}}
        if kind == "html":
            assert self.status is not None
            return {"status": self.status, "body": html_page(self.status), "headers": HTML}
        return {"status": int(kind)}

    def __str__(self) -> str:
        return f"html{self.status}" if self.kind == "html" else self.kind


HTML = {"Content-Type": "text/html"}


def html_page(status: int) -> str:
    """The error page a proxy in front of Tavus answers with."""
    phrase = http.HTTPStatus(status).phrase
    return (
        f"<!DOCTYPE html><html><head><title>{status} {phrase}</title></head>"
        f"<body><center><h1>{status} {phrase}</h1></center><hr><center>nginx</center>"
        "</body></html>"
    )


def has_timeout(faults: Iterable[Planned]) -> bool:
    """Whether a "timeout" is among ``faults``: the call needs the client that gives up."""
    return any(fault.kind == "timeout" for fault in faults)


# -- endings -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Expect:
    """How a call must end: success, or ``error`` (with ``status`` for an APIError)."""

    error: type[TavusError] | None = None
    status: int | None = None
    acted: bool = False  # the server did what was asked (made, renamed or deleted)
    or_ok: bool = False  # success does as well (a retried DELETE whose first try landed)
    posts: int = 0  # for a create: how many POSTs it sends

    def __str__(self) -> str:
        if self.error is None:
            return "ok"
        text = self.error.__name__ + (f" {self.status}" if self.status else "")
        return text + (" or ok" if self.or_ok else "")


OK = Expect()
DONE = Expect(acted=True)
NOT_FOUND = Expect(NotFoundError, 404)


def error_of(fault: Planned) -> Expect:
    """What a transient fault raises once the call may not try again."""
    if fault.kind in DROPS:
        return Expect(APIConnectionError)
    if fault.kind == "timeout":
        return Expect(APITimeoutError)
    if fault.kind in THROTTLES:
        return Expect(RateLimitError, 429)
    return Expect(ServerError, fault.status or int(fault.kind))


def expect_idempotent(
    plan: Sequence[Planned], answer: Callable[[bool], Expect], *, reads_body: bool
) -> Expect:
    """How a GET, PATCH or DELETE ends when ``plan`` is served to its tries, in order.

    ``answer(acted)`` is the emulator's own answer, given whether an earlier try acted.
    A ``drop_after`` lets its try act, then loses the answer; a ``timeout`` lets it act
    late, after the tries that follow (they come at once: retries sleep on the clock).
    """
    acted, late, tries = False, False, 0

    def ending(expect: Expect) -> Expect:
        landed = acted or expect.acted
        return dataclasses.replace(expect, acted=landed or (late and answer(landed).acted))

    for fault in plan:
        if fault.kind in TRANSIENT:
            if fault.kind == "drop_after":
                acted = acted or answer(acted).acted
            late = late or fault.kind == "timeout"
            tries += 1
            if tries > RETRIES:
                return ending(error_of(fault))
            continue
        if fault.kind == "429-long":  # past max_retry_wait: raised at once
            return ending(Expect(RateLimitError, 429))
        if fault.kind in SPOILERS:
            final = answer(acted)
            if final.error is None and reads_body:
                return ending(Expect(ResponseValidationError, acted=final.acted))
            return ending(final)
        break  # slow: the answer comes, late
    return ending(answer(acted))


def expect_read(plan: Sequence[Planned], *, found: bool = True) -> Expect:
    """How a GET of something that is there (or, ``found=False``, a 404) ends under ``plan``."""
    return expect_idempotent(plan, lambda _: OK if found else NOT_FOUND, reads_body=True)


def expect_create(plan: Sequence[Planned], answer: Expect) -> Expect:
    """How a create ends when ``plan`` is served to its POSTs: retried only after a 429."""
    for posts, fault in enumerate([*plan, None], start=1):
        kind = "none" if fault is None else fault.kind
        if fault is not None and kind in THROTTLES:
            if posts > RETRIES:
                return Expect(RateLimitError, 429, posts=posts)
            continue
        if kind == "429-long":
            return Expect(RateLimitError, 429, posts=posts)
        if fault is not None and kind in STATUSES:
            return dataclasses.replace(error_of(fault), posts=posts)
        if kind == "drop":
            return Expect(APIConnectionError, posts=posts)
        if kind in ("drop_after", "timeout"):  # the server acts; the answer is lost
            error = APIConnectionError if kind == "drop_after" else APITimeoutError
            return Expect(error, acted=answer.acted, posts=posts)
        if kind in SPOILERS and answer.error is None:
            return Expect(ResponseValidationError, acted=True, posts=posts)
        return dataclasses.replace(answer, posts=posts)
    raise AssertionError("unreachable: the last item is the emulator's own answer")


def ending_of(error: BaseException | None) -> str:
    """How a call ended, for the log and the tallies: "ok" or the error's class."""
    return "ok" if error is None else type(error).__name__


def describe(error: TavusError | None) -> str:
    """What the log adds after an error's class: its status, or whether the request went."""
    if isinstance(error, APIError):
        return f" {error.status}"
    if isinstance(error, APIConnectionError):
        return f" sent={error.request_sent}"
    return ""


# -- jobs --------------------------------------------------------------------------------

#: Per kind of job: its id, name and progress fields.
FIELDS = {
    "video": ("video_id", "video_name", "generation_progress"),
    "replica": ("replica_id", "replica_name", "training_progress"),
}
DONE_WORDS = {"video": ("ready",), "replica": ("completed", "ready")}
FAILED_WORDS = {"video": ("error", "deleted"), "replica": ("error",)}


def resource(client: TavusClient, kind: str) -> Any:
    """``client.videos`` or ``client.replicas``."""
    return client.videos if kind == "video" else client.replicas


def word(status: object) -> str | None:
    return None if status is None else str(status)


def id_of(kind: str, job: Any) -> str:
    """The id of a job (an SDK object or the emulator's)."""
    return str(getattr(job, FIELDS[kind][0]))


def as_listed(kind: str, job: Any) -> tuple[str, str | None, str | None]:
    """(id, name, status word) of an SDK object, to compare with ``Run.now`` of the emulator's."""
    _, name_field, _ = FIELDS[kind]
    return id_of(kind, job), getattr(job, name_field), word(job.status)


def state(kind: str, job: Any) -> str:
    """Where a job stands as a waiter reads it: done, failed or pending."""
    status = word(job.status)
    if status in DONE_WORDS[kind]:
        return "done"
    return "failed" if status in FAILED_WORDS[kind] else "pending"
