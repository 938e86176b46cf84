"""Memories: what a conversation remembers of a participant, kept in a named store.

Tavus makes memories itself, during conversations created with ``memory_stores``; its
reference documents no memory object and no call that lists or reads them, only the
delete of one by its store and id. ``Memory`` names one so.
"""

from __future__ import annotations

from typing import Any

import attrs

from .._core.models import Model

__all__ = ["Memory"]


@attrs.frozen(kw_only=True)
class Memory(Model):
    """One memory: its ``memory_id`` in the store named ``memory_store``.

    A store's name is the caller's own word (``anna_p123``), given to a conversation's
    ``memory_stores``; ``extra`` holds whatever else Tavus may send about a memory.
    """

    memory_id: str
    memory_store: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)
