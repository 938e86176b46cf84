"""What the handlers of every family share: the family base class, refusals, body readers, paging.

A family route module defines ``Routes``, a subclass of ``FamilyRoutes``; the readers here
turn a request into checked values, or raise ``Refusal`` with Tavus's answer.
"""

from __future__ import annotations

import abc
import contextvars
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar, Protocol

from aiohttp import web

from .._records import RecordedRequest
from .._state import JobStore, Timing

__all__ = [
    "CURRENT_RECORD",
    "NOT_JSON",
    "Emulator",
    "FamilyRoutes",
    "Refusal",
    "mark_created",
    "page",
    "parse_json",
    "query_flag",
    "read_body",
    "read_flag",
    "read_text",
    "read_url",
]

#: The record of the request being handled (set by FakeTavus's middleware, per task).
CURRENT_RECORD: contextvars.ContextVar[RecordedRequest | None] = contextvars.ContextVar(
    "CURRENT_RECORD", default=None
)


class Emulator(Protocol):
    """What a family's handlers may read of their FakeTavus, and all they may use."""

    @property
    def clock(self) -> Callable[[], float]: ...
    @property
    def timing(self) -> Timing: ...
    @property
    def jobs(self) -> JobStore: ...
    @property
    def files_url(self) -> str: ...
    @property
    def first_page(self) -> int: ...
    def fails(self, *texts: str | None) -> bool: ...
    def now_utc(self) -> datetime: ...


class FamilyRoutes(abc.ABC):
    """One API family of a FakeTavus: its handlers, its jobs, its phases, its stock objects.

    Each module ``_routes/<family>.py`` defines one subclass named ``Routes``; FakeTavus
    makes one per emulator (``Routes(fake)``), and that module is all a family needs.
    """

    #: The family's name as Tavus spells its path (``/v2/<name>``); also ``fake.jobs.<name>``.
    name: ClassVar[str]
    #: The family's Timing phases, name -> default seconds; names unique across families.
    PHASES: ClassVar[Mapping[str, float]] = {}

    def __init__(self, fake: Emulator) -> None:
        self.fake = fake

    @abc.abstractmethod
    def register(self, router: web.UrlDispatcher) -> None:
        """Add the family's handlers to ``router``."""

    def seed(self, *, now: float) -> None:  # noqa: B027 - most families have no stock objects
        """Add the family's stock objects to a new emulator (none by default)."""

    @property
    def jobs(self) -> dict[str, Any]:
        """The family's jobs by id: ``fake.jobs.<name>``."""
        return self.fake.jobs.of(self.name)


NOT_JSON = object()


def parse_json(raw: bytes) -> Any:
    """The JSON in ``raw``, or NOT_JSON: no body a caller sends can make the emulator fail."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return NOT_JSON


class Refusal(Exception):
    """What Tavus would answer instead: raised by a handler, answered by the middleware."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.response = web.json_response({"error": message}, status=status)


async def read_body(request: web.Request) -> dict[str, Any]:
    """The request's JSON object, or a Refusal."""
    body = parse_json(await request.read())
    if body is NOT_JSON:
        raise Refusal("Invalid JSON body")
    if not isinstance(body, dict):
        raise Refusal("The request body must be a JSON object")
    return body


def read_text(body: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    """A non-blank string field, None when absent (a Refusal if ``required``)."""
    value = body.get(name)
    if value is None:
        if required:
            raise Refusal(f"{name} is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise Refusal(f"Invalid {name}")
    return value


def read_url(body: dict[str, Any], name: str) -> str | None:
    """An http(s) url field, None when absent."""
    value = read_text(body, name)
    if value is not None and not value.startswith(("http://", "https://")):
        raise Refusal(f"Invalid {name}: must be a public http(s) url")
    return value


def read_flag(body: dict[str, Any], name: str) -> bool:
    """A boolean field, False when absent."""
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise Refusal(f"Invalid {name}: must be a boolean")
    return value


def query_flag(request: web.Request, name: str) -> bool:
    """Whether the query says ``name=true`` (``verbose``, ``hard``)."""
    return request.query.get(name, "false").lower() == "true"


def page(request: web.Request, items: list[dict[str, Any]], *, first_page: int) -> web.Response:
    """One page of ``items`` as Tavus lists them, by the query's ``limit`` and ``page``."""
    try:
        limit = int(request.query.get("limit", "10"))
        number = int(request.query.get("page", str(first_page)))
    except ValueError:
        raise Refusal("limit and page must be whole numbers") from None
    if not 1 <= limit <= 100:
        raise Refusal("limit must be from 1 to 100")
    start = max(number - first_page, 0) * limit
    return web.json_response({"data": items[start : start + limit], "total_count": len(items)})


def mark_created(job_id: str) -> None:
    """Note on the request's record that it made the job ``job_id``."""
    record = CURRENT_RECORD.get()
    if record is not None:
        record.created = job_id
