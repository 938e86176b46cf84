"""FakeTavus's memories: the one call Tavus documents, ``DELETE /v2/memories/{store}/{id}``.

Tavus makes memories during conversations and documents no call that creates, lists or
reads them; a memory of the emulator is put in ``fake.jobs.memories`` (keyed
``"<store>/<memory_id>"``) by a test, or is the stock one. Tavus documents no answer for
the delete: the fake answers 204, and 404 ``{"error": "Memory not found"}`` for a memory
it does not hold.
"""

from __future__ import annotations

import attrs
from aiohttp import web

from ._common import FamilyRoutes, Refusal

__all__ = ["STOCK_MEMORY", "FakeMemory", "Routes"]


@attrs.define(kw_only=True)
class FakeMemory:
    """One memory of the emulator: its store, its id and what it remembers."""

    memory_store: str
    memory_id: str
    text: str = ""

    @property
    def key(self) -> str:
        """Its key in ``fake.jobs.memories``."""
        return f"{self.memory_store}/{self.memory_id}"


#: A memory the emulator holds from the start (fixed, so that no seeded id moves).
STOCK_MEMORY = FakeMemory(
    memory_store="anna_p9a95912",
    memory_id="m5c1e0a7f42",
    text="Anna prefers to be called Annie.",
)


class Routes(FamilyRoutes):
    """Tavus's memory delete, on ``fake.jobs.memories``."""

    name = "memories"

    def register(self, router: web.UrlDispatcher) -> None:
        router.add_delete("/v2/memories/{memory_store}/{memory_id}", self.delete_memory)

    def seed(self, *, now: float) -> None:
        """One stock memory, in the store ``anna_p9a95912``."""
        memory = attrs.evolve(STOCK_MEMORY)
        self.jobs[memory.key] = memory

    async def delete_memory(self, request: web.Request) -> web.Response:
        key = f"{request.match_info['memory_store']}/{request.match_info['memory_id']}"
        if self.jobs.pop(key, None) is None:
            raise Refusal("Memory not found", status=404)
        return web.Response(status=204)
