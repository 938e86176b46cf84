"""A family declared once: what its calls, callbacks, FakeTavus and the CLI all read."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import attrs

from ..waiting.jobs import JobKind

__all__ = ["FamilySpec"]

M = TypeVar("M")


@attrs.frozen(kw_only=True)
class FamilySpec(Generic[M]):
    """One API family: its name, path, model, ids and, for a job family, its jobs.

    ``name`` is Tavus's path in snake case: the client's attribute (``tavus.replicas``),
    the command (``tavus-async replicas``), and the file name of the family in every
    layer. ``name_field`` is set where Tavus renames through ``<path>/<id>/name``;
    ``verbose`` where its get takes ``?verbose=true`` (``poll_verbose`` where its waits
    should poll that verbose object), ``hard_delete`` where its delete
    takes ``?hard=true``.
    ``callback_key`` is the key of a callback body that names one of its objects, where
    Tavus sends callbacks; ``callback_model`` is what such a body is parsed as when it is
    not the family's object itself (a conversation's callbacks are events).
    ``callback_events`` are event classes for callbacks told by their shape rather than
    by an id of the family (a guardrail's callback names only its conversation): each
    has a ``describes(body)`` class method and an ``event_type`` for ``receiver.on``.
    ``columns`` are what ``tavus-async <name> list`` shows.
    """

    name: str
    noun: str
    path: str
    model: type[M]
    id_field: str
    name_field: str | None = None
    verbose: bool = False
    poll_verbose: bool = False
    hard_delete: bool = False
    job: JobKind[M] | None = None
    callback_key: str | None = None
    callback_model: type[Any] | None = None
    callback_events: tuple[type[Any], ...] = ()
    columns: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.poll_verbose and not self.verbose:
            raise ValueError(f"{self.name}: poll_verbose needs a get that takes verbose")
        if self.job is not None and self.job.id_field != self.id_field:
            raise ValueError(f"{self.name}: the job kind's id_field must be {self.id_field!r}")

    @property
    def callback_type(self) -> type[Any]:
        """What the family's callback bodies are parsed as: ``callback_model`` or ``model``."""
        return self.callback_model or self.model

    def id_of(self, item: Any) -> str:
        """The id of one of the family's objects."""
        value: str = getattr(item, self.id_field)
        return value
