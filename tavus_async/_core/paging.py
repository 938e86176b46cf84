"""One page of a list, and walking every page without skipping or repeating items.

Tavus's documentation disagrees on whether ``page`` counts from 0 or from 1. The walk
starts at page 0 and reads both ways correctly: a server counting from 1 answers page 0
with its first page (then page 1 repeats it, and the repeats are dropped), an empty
page, or a 400/422 refusal (then page 1 is read before giving up). Items are yielded
once each, by id. The walk stops on a short page, on ``total_count`` items seen, or on
a page that brings nothing new (which also ends it if the server keeps answering the
same page).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Iterator
from typing import Generic, TypeVar

import attrs

from .._exceptions import BadRequestError, UnprocessableEntityError

__all__ = ["Page", "iterate_pages"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One page of a list call: its items (``data``) and the count of all of them."""

    data: tuple[T, ...] = ()
    total_count: int | None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


async def iterate_pages(
    fetch_page: Callable[[int], Awaitable[Page[T]]],
    *,
    page_size: int,
    item_id: Callable[[T], str],
) -> AsyncGenerator[T, None]:
    """Every item of every page that ``fetch_page(page_number)`` returns, once each."""
    seen: set[str] = set()
    page_number = 0
    while True:
        try:
            page = await fetch_page(page_number)
        except (BadRequestError, UnprocessableEntityError):
            if page_number != 0:
                raise
            page_number = 1
            continue
        fresh = 0
        for item in page.data:
            key = item_id(item)
            if key not in seen:
                seen.add(key)
                fresh += 1
                yield item
        if page.total_count is not None and len(seen) >= page.total_count:
            return
        if len(page.data) < page_size:
            if page_number == 0 and not page.data:
                page_number = 1
                continue
            return
        # Page 1 may repeat page 0 (a server counting from 1); any other stale page ends it.
        if fresh == 0 and page_number != 1:
            return
        page_number += 1
