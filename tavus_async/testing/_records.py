"""What FakeTavus remembers: the API requests, the file requests and the callbacks it sent."""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["CallbackRecord", "FileRequest", "RecordedRequest"]


@attrs.define(kw_only=True)
class RecordedRequest:
    """One API request FakeTavus received; ``created`` is the id of the job it made."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]
    created: str | None = None


@attrs.frozen(kw_only=True)
class FileRequest:
    """One request to the file host, and whether it carried an API key (it never should).

    ``range`` is the ``Range`` header it sent, if any (a resumed download's).
    """

    path: str
    key_sent: bool
    range: str | None = None


@attrs.frozen(kw_only=True)
class CallbackRecord:
    """One callback FakeTavus sent: where, what, and the answer (status or error text)."""

    url: str
    body: dict[str, Any]
    outcome: int | str
