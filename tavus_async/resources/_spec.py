"""A family declared once: what its calls, callbacks, FakeTavus and the CLI all read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

import attrs

from ..waiting.jobs import JobKind

__all__ = ["GENERIC_CALLS", "FamilySpec"]

M = TypeVar("M")

#: The calls a family may have that the resource base makes alike for every family.
GENERIC_CALLS = ("list", "get", "delete")


def _calls(calls: Iterable[str]) -> frozenset[str]:
    return frozenset(calls)


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
    ``columns`` are what ``tavus-async <name> list`` shows. ``generic_calls`` names which
    of the calls every family may have Tavus offers for this one: ``list`` (with
    ``iter``), ``get`` and ``delete`` (memories have only their own delete, voices only a
    list); the CLI's generic commands and the tests of every family read it.
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
    generic_calls: frozenset[str] = attrs.field(default=frozenset(GENERIC_CALLS), converter=_calls)

    def __attrs_post_init__(self) -> None:
        if self.poll_verbose and not self.verbose:
            raise ValueError(f"{self.name}: poll_verbose needs a get that takes verbose")
        if self.job is not None and self.job.id_field != self.id_field:
            raise ValueError(f"{self.name}: the job kind's id_field must be {self.id_field!r}")
        unknown = sorted(self.generic_calls - set(GENERIC_CALLS))
        if unknown:
            raise ValueError(f"{self.name}: generic_calls holds unknown calls {unknown}")

    @property
    def command(self) -> str:
        """The family's command: its name as Tavus's path spells it (``pronunciation-
        dictionaries`` for ``pronunciation_dictionaries``)."""
        return self.name.replace("_", "-")

    @property
    def callback_type(self) -> type[Any]:
        """What the family's callback bodies are parsed as: ``callback_model`` or ``model``."""
        return self.callback_model or self.model

    def id_of(self, item: Any) -> str:
        """The id of one of the family's objects."""
        value: str = getattr(item, self.id_field)
        return value
