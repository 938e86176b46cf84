"""A mocked list endpoint: pages served from a table by page number, and the pages asked for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aioresponses import CallbackResult


class FakeServer:
    """Answers list calls from ``pages(page_number)`` and records each page asked for."""

    def __init__(
        self,
        pages: Callable[[int], list[str]],
        *,
        id_field: str = "video_id",
        total_count: int | None = None,
    ) -> None:
        self.pages = pages
        self.id_field = id_field
        self.total_count = total_count
        self.requested: list[int] = []
        self.limits: set[str] = set()

    def __call__(self, url: Any, **kwargs: Any) -> CallbackResult:
        self.requested.append(int(url.query["page"]))
        self.limits.add(url.query["limit"])
        # A runaway walk gets empty pages, so it ends and the assertions show it.
        ids = [] if len(self.requested) > 20 else self.pages(self.requested[-1])
        payload: dict[str, Any] = {"data": [{self.id_field: i} for i in ids]}
        if self.total_count is not None:
            payload["total_count"] = self.total_count
        return CallbackResult(payload=payload)


def from_table(table: dict[int, list[str]]) -> Callable[[int], list[str]]:
    return lambda page: table.get(page, [])
