"""``tavus.memories``: delete a memory a conversation made, by its store and id."""

from __future__ import annotations

from urllib.parse import quote

from .._core.arguments import check_id, check_string
from .._core.options import RequestOptions, Unpack, check_options
from ..types.memories import Memory
from ._base import Resource
from ._spec import FamilySpec

__all__ = ["MEMORIES", "Memories"]

MEMORIES: FamilySpec[Memory] = FamilySpec(
    name="memories",
    noun="memory",
    path="/v2/memories",
    model=Memory,
    id_field="memory_id",
    generic_calls=(),  # Tavus documents no list or get, and a delete that names a store
    columns=("memory_store", "memory_id"),
)

# What would change where a store's name leads in a url path: a separator, a query or
# fragment, an escape, a step up, or space (Tavus's stores are plain words).
_UNSAFE = frozenset("/\\?#%")


def _check_store(name: str, value: object) -> str:
    """A memory store's name, the caller's own word: anything safe in one url path segment.

    Not an id: ``anna``, ``user-42_notes`` or ``Änne's`` are stores. Refused: empty,
    ``/``, ``\\``, ``?``, ``#``, ``%``, ``..``, ``.`` alone, white space and control
    characters.
    """
    store = check_string(name, value)
    if not store:
        raise ValueError(f"{name} must not be empty")
    bad = sorted({c for c in store if c in _UNSAFE or c.isspace() or not c.isprintable()})
    if bad:
        raise ValueError(f"{name} must not contain {', '.join(map(repr, bad))}, got {store!r}")
    if store == "." or ".." in store:
        raise ValueError(f"{name} must not be '.' or hold '..', got {store!r}")
    return store


class Memories(Resource[Memory]):
    """The memories of the account's conversations: ``DELETE /v2/memories/{store}/{id}``.

    Tavus makes memories during conversations created with ``memory_stores`` and
    documents only their delete. The call also takes the per-call options
    (``extra_query``, ``extra_headers``, ``timeout``, ``max_retries``).
    """

    spec = MEMORIES

    async def delete(
        self, memory_store: str, memory_id: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete the memory ``memory_id`` of the store ``memory_store``.

        Args:
            memory_store: The store's name as given to a conversation's ``memory_stores``:
                any word that is safe in a url path.
            memory_id: The memory's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Raises:
            ValueError: A store name with ``/``, ``?``, ``#``, ``%``, ``..`` or white space,
                or an unsafe ``memory_id``, before any request.
            TypeError: A store name or id that is not a string, before any request.
            NotFoundError: A memory Tavus does not know (or BadRequestError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        # Percent-encoded, so that the store arrives as written (a '+' stays a '+'); the
        # url keeps ';', '=' or "'" as themselves, which they are in a path segment.
        store = quote(_check_store("memory_store", memory_store), safe="")
        path = f"{self.spec.path}/{store}/{check_id('memory_id', memory_id)}"
        await self._requester.request(
            "DELETE", path, expect_body=False, options=check_options(options)
        )
