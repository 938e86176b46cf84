"""``tavus.objectives``: create, list, get, update (JSON Patch) and delete objective sets."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Collection, Mapping, Sequence
from typing import Any

import attrs

from .._core.arguments import check_id
from .._core.convert import structure
from .._core.json_patch import PatchOperation
from .._core.models import Model
from .._core.options import RequestOptions, Unpack, check_options
from .._core.paging import Page
from .._core.raw import RAW_RESPONSES
from ..types.objectives import ObjectiveCompletedEvent, ObjectiveItem, Objectives
from ._base import Resource, paging, query
from ._spec import FamilySpec

__all__ = ["OBJECTIVES", "ObjectivesResource"]

OBJECTIVES: FamilySpec[Objectives] = FamilySpec(
    name="objectives",
    noun="objectives",
    path="/v2/objectives",
    model=Objectives,
    id_field="objectives_id",
    callback_events=(ObjectiveCompletedEvent,),
    columns=("objectives_id", "objective_name", "confirmation_mode", "status", "created_at"),
)


def _items(name: str, values: object) -> list[dict[str, Any]]:
    """The set's objectives: each an ObjectiveItem or a mapping, as JSON objects."""
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Collection):
        raise TypeError(f"{name} must be a list of objectives, not {type(values).__name__}")
    if not values:
        raise ValueError(f"{name} must hold at least one objective")
    items = []
    for i, value in enumerate(values):
        if isinstance(value, ObjectiveItem):
            items.append(value.to_dict())
        elif isinstance(value, Mapping) and not isinstance(value, Model):
            if not all(isinstance(key, str) for key in value):
                raise TypeError(f"{name}[{i}] keys must be strings")
            items.append(dict(value))
        else:
            raise TypeError(
                f"{name}[{i}] must be an ObjectiveItem or a mapping, not {type(value).__name__}"
            )
        conditions = items[-1].get("next_conditional_objectives")
        if conditions is not None and not isinstance(conditions, Mapping):
            raise TypeError(
                f"{name}[{i}].next_conditional_objectives must map an objective's name to "
                f"its condition, not {type(conditions).__name__}"
            )
    return items


def _listed_key(item: Objectives) -> str:
    """An item of a list, once: Tavus may list a set's objectives one by one, each with the
    set's id, so the objective's name counts too."""
    return f"{item.objectives_id}\0{item.objective_name or ''}"


class ObjectivesResource(Resource[Objectives]):
    """The objective sets of the account: ``POST/GET/PATCH/DELETE /v2/objectives``.

    Every call also takes the per-call options (``extra_body``, ``extra_query``,
    ``extra_headers``, ``timeout``, ``max_retries``).
    """

    spec = OBJECTIVES

    async def create(
        self,
        *,
        data: Sequence[ObjectiveItem | Mapping[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> Objectives:
        """Create a set of objectives; Tavus answers its ``objectives_id`` (for a persona's
        ``objectives_id``), a name, ``status`` and ``created_at``.

        Tavus judges what the items hold. Never sent twice once it may have reached Tavus.

        Args:
            data: The objectives, each an ``ObjectiveItem`` or a mapping of Tavus's fields
                (``objective_name``, ``objective_prompt``, ``confirmation_mode``,
                ``output_variables``, ``modality``, ``next_required_objectives``,
                ``next_conditional_objectives``, ``callback_url``).
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The new set as Tavus answers it (its id, name, status and creation time).

        Raises:
            ValueError: An empty ``data``, before any request.
            TypeError: A ``data`` that is not a list of items, or a
                ``next_conditional_objectives`` that is not a mapping, before any request.
            APIError: Tavus refused the set.
            APIConnectionError: No answer came.
        """
        return await self._create({"data": _items("data", data)}, options)

    async def list(
        self,
        *,
        limit: int | None = None,
        page: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[Objectives]:
        """One page of objectives (``.data``, ``.total_count``); Tavus counts pages from 1.

        Args:
            limit: The page size (Tavus's default is 10).
            page: The page to fetch, counting from 1.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The page: its sets in ``.data``, the count of all in ``.total_count``.

        Raises:
            ValueError: A bad ``limit`` or ``page``, before any request.
            TypeError: A ``limit`` or ``page`` that is not an int, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._list(query(paging(limit, page)), options)

    def iter(
        self, *, page_size: int = 50, **options: Unpack[RequestOptions]
    ) -> AsyncGenerator[Objectives, None]:
        """Every objective of every page, each once, ``page_size`` (1-100) at a time.

        Args:
            page_size: How many each request fetches (1-100).
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the pages are GETs);
                they apply to every page.

        Yields:
            Each set of objectives.

        Raises:
            ValueError: At once, for a bad ``page_size``, or for ``limit`` or ``page`` in
                ``extra_query`` (``iter`` sets those itself).
            TypeError: At once, for a ``page_size`` that is not an int.
            APIError: While iterating, as any call.
            APIConnectionError: While iterating, as any call.
        """
        return self._iter(page_size=page_size, filters={}, options=options, item_id=_listed_key)

    async def get(self, objectives_id: str, **options: Unpack[RequestOptions]) -> Objectives:
        """The set of objectives, as Tavus holds it now.

        Tavus answers ``{"data": {objective}}`` without the id: it is read as the set, with
        the id asked for (a ``data`` list is read as the set's objectives).

        Args:
            objectives_id: The set's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The set of objectives.

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: An unknown id (``Invalid objectives_id``; or NotFoundError).
            ResponseValidationError: An answer that is not an object.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        set_id = check_id("objectives_id", objectives_id)
        path = f"{self.spec.path}/{set_id}"
        payload = await self._requester.request("GET", path, options=check_options(options))
        if isinstance(payload, Mapping) and "objectives_id" not in payload:
            inner = payload.get("data")
            if isinstance(inner, Mapping):
                payload = {**inner, "objectives_id": set_id}
            elif isinstance(inner, list):
                payload = {**payload, "objectives_id": set_id}
        found: Objectives = structure(payload, Objectives, method="GET", url=path)
        raw = RAW_RESPONSES.get()
        if raw:  # with_raw_response: parse() gives the set, as the call does
            raw[-1] = attrs.evolve(raw[-1], parsed=found)
        return found

    async def update(
        self,
        objectives_id: str,
        operations: Sequence[PatchOperation | Mapping[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> None:
        """Change the set with a JSON Patch (RFC 6902): a list of operations.

        Tavus answers with a message, or 304 when nothing changed: both succeed; ``get``
        the set to see it. A patch that would do more if applied twice is not sent again
        once it may have reached Tavus.

        Args:
            objectives_id: The set's id.
            operations: The operations, each a mapping or a ``PatchOperation``; paths name
                the set's objectives as Tavus holds them (``/data/0/objective_prompt``, or
                ``/objective_prompt``).
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the body is the patch).

        Raises:
            ValueError: An unsafe id or a malformed operation (naming ``operations[i]``),
                before any request.
            TypeError: An operation of the wrong type, before any request.
            BadRequestError: A patch Tavus cannot apply.
            NotFoundError: An unknown set.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._patch(objectives_id, operations, options)

    async def delete(self, objectives_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete the set.

        Args:
            objectives_id: The set's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: An unknown id (or NotFoundError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._delete(objectives_id, hard=False, options=options)
