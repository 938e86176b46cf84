"""``tavus.guardrails``: create, list, get, update (JSON Patch) and delete guardrails,
and the legacy guardrail sets Tavus still serves."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Collection, Mapping, Sequence
from typing import Any, Literal

import attrs

from .._core.arguments import (
    check_bool,
    check_comma_list,
    check_id,
    check_strings,
    check_text,
    check_url,
    optional,
)
from .._core.convert import structure
from .._core.json_patch import PatchOperation
from .._core.models import Model
from .._core.options import RequestOptions, Unpack, check_options
from .._core.paging import Page
from .._core.raw import RAW_RESPONSES
from ..types.guardrails import Guardrail, GuardrailSet, GuardrailSetItem, GuardrailTriggeredEvent
from ._base import Resource, body, paging, query
from ._spec import FamilySpec

__all__ = ["GUARDRAILS", "Guardrails"]

GUARDRAILS: FamilySpec[Guardrail] = FamilySpec(
    name="guardrails",
    noun="guardrail",
    path="/v2/guardrails",
    model=Guardrail,
    id_field="uuid",
    callback_events=(GuardrailTriggeredEvent,),
    columns=("uuid", "guardrail_name", "modality", "tags", "created_at"),
)


def _set_items(name: str, values: object) -> list[dict[str, Any]]:
    """A legacy set's guardrails: each a GuardrailSetItem or a mapping, as JSON objects."""
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Collection):
        raise TypeError(f"{name} must be a list of guardrails, not {type(values).__name__}")
    if not values:
        raise ValueError(f"{name} must hold at least one guardrail")
    items = []
    for i, value in enumerate(values):
        if isinstance(value, GuardrailSetItem):
            items.append(value.to_dict())
        elif isinstance(value, Mapping) and not isinstance(value, Model):
            items.append(dict(value))
        else:
            raise TypeError(
                f"{name}[{i}] must be a GuardrailSetItem or a mapping, not {type(value).__name__}"
            )
    return items


class Guardrails(Resource[Guardrail]):
    """The guardrails of the account: ``POST/GET/PATCH/DELETE /v2/guardrails``.

    Every call also takes the per-call options (``extra_body``, ``extra_query``,
    ``extra_headers``, ``timeout``, ``max_retries``).
    """

    spec = GUARDRAILS

    async def create(
        self,
        *,
        guardrail_name: str,
        guardrail_prompt: str,
        modality: Literal["verbal", "visual"] | str | None = None,
        callback_url: str | None = None,
        tags: Sequence[str] | None = None,
        app_message: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> Guardrail:
        """Create one guardrail and return it as Tavus holds it (``uuid`` is its id).

        Tavus judges the name (letters, digits and underscores), the lengths and the
        number of tags itself. Only what is given is sent. Never sent twice once it may
        have reached Tavus.

        Args:
            guardrail_name: Its name: letters, digits and underscores.
            guardrail_prompt: The rule the guardrail holds the conversation to.
            modality: ``verbal`` (Tavus's default) or ``visual``.
            callback_url: Told each time the guardrail triggers.
            tags: Names to attach it by (``guardrail_tags``).
            app_message: ``False`` keeps the trigger out of the call's app messages.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The new guardrail.

        Raises:
            ValueError: A blank name or prompt, or a ``callback_url`` that is not an http(s)
                url, before any request.
            TypeError: A bare string for ``tags``, or an argument of the wrong type, before
                any request.
            APIError: Tavus refused the guardrail.
            APIConnectionError: No answer came (its message says whether it may exist).
        """
        json_body = body(
            {
                "guardrail_name": check_text("guardrail_name", guardrail_name),
                "guardrail_prompt": check_text("guardrail_prompt", guardrail_prompt),
                "modality": optional(check_text, "modality", modality),
                "callback_url": optional(check_url, "callback_url", callback_url),
                "tags": optional(check_strings, "tags", tags),
                "app_message": optional(check_bool, "app_message", app_message),
            }
        )
        return await self._create(json_body, options)

    def _filters(
        self, sort: object, name_or_uuid: object, tags: object, *, legacy: bool
    ) -> dict[str, str]:
        return query(
            {
                "legacy": legacy,
                "sort": optional(check_text, "sort", sort),
                "name_or_uuid": optional(check_text, "name_or_uuid", name_or_uuid),
                "tags": optional(check_comma_list, "tags", tags),
            }
        )

    async def list(
        self,
        *,
        limit: int | None = None,
        page: int | None = None,
        sort: Literal["ascending", "descending"] | str | None = None,
        name_or_uuid: str | None = None,
        tags: Sequence[str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[Guardrail]:
        """One page of guardrails (``.data``, ``.total_count``); Tavus counts pages from 0.

        Asks for individual guardrails (``legacy=false``; the legacy sets are
        ``list_legacy_sets``).

        Args:
            limit: The page size (Tavus's default is 10).
            page: The page to fetch, counting from 0.
            sort: By creation: ``ascending`` (Tavus's default) or ``descending``.
            name_or_uuid: Search the names and ids.
            tags: Keep the guardrails with any of these tags.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The page: its guardrails in ``.data``, the count of all in ``.total_count``.

        Raises:
            ValueError: A bad argument, before any request.
            TypeError: An argument of the wrong type, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        filters = self._filters(sort, name_or_uuid, tags, legacy=False)
        return await self._list({**filters, **query(paging(limit, page))}, options)

    def iter(
        self,
        *,
        page_size: int = 50,
        sort: Literal["ascending", "descending"] | str | None = None,
        name_or_uuid: str | None = None,
        tags: Sequence[str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[Guardrail, None]:
        """Every guardrail of every page, each once, ``page_size`` (1-100) at a time.

        Args:
            page_size: How many each request fetches (1-100).
            sort: As for ``list``.
            name_or_uuid: As for ``list``.
            tags: As for ``list``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the pages are GETs);
                they apply to every page.

        Yields:
            Each guardrail.

        Raises:
            ValueError: At once, for a bad argument, or for ``limit`` or ``page`` in
                ``extra_query`` (``iter`` sets those itself).
            TypeError: At once, for an argument of the wrong type.
            APIError: While iterating, as any call.
            APIConnectionError: While iterating, as any call.
        """
        filters = self._filters(sort, name_or_uuid, tags, legacy=False)
        return self._iter(page_size=page_size, filters=filters, options=options)

    async def get(self, uuid: str, **options: Unpack[RequestOptions]) -> Guardrail:
        """The guardrail, as Tavus holds it now (a legacy set's id: ``get_legacy_set``).

        Args:
            uuid: The guardrail's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The guardrail.

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: An unknown id (or NotFoundError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._get(uuid, verbose=False, options=options)

    async def update(
        self,
        uuid: str,
        operations: Sequence[PatchOperation | Mapping[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> Guardrail | None:
        """Change a guardrail (or a legacy set, by its ``guardrails_id``) with a JSON Patch.

        ``tavus_async.json_patch(before, after)`` computes the operations from two
        ``to_dict()``s. A patch that would do more if applied twice is not sent again once
        it may have reached Tavus.

        Args:
            uuid: The guardrail's id, or a legacy set's ``guardrails_id``.
            operations: The operations, each a mapping (``{"op": "replace", "path":
                "/guardrail_prompt", "value": "..."}``) or a ``PatchOperation``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the body is the patch).

        Returns:
            The changed guardrail as Tavus answers it; None when Tavus sends none back:
            nothing changed (304), or a legacy set (whose answer is a message).

        Raises:
            ValueError: An unsafe id or a malformed operation (naming ``operations[i]``),
                before any request.
            TypeError: An operation of the wrong type, before any request.
            BadRequestError: A patch Tavus cannot apply.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._patch(uuid, operations, options, answer=Guardrail)

    async def delete(self, uuid: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a guardrail, or a legacy set with its guardrails (by its ``guardrails_id``).

        Tavus removes it from the personas that name it.

        Args:
            uuid: The guardrail's id, or a legacy set's ``guardrails_id``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: An unknown id (or NotFoundError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._delete(uuid, hard=False, options=options)

    async def create_legacy_set(
        self,
        *,
        name: str,
        data: Sequence[GuardrailSetItem | Mapping[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> GuardrailSet:
        """Create a legacy guardrail set: ``name`` and its guardrails (``data``).

        Tavus keeps sets for accounts that use them (a persona attaches one with
        ``guardrails_id``); new code attaches guardrails one by one (``create``). Never sent
        twice once it may have reached Tavus.

        Args:
            name: The set's name.
            data: Its guardrails, each a ``GuardrailSetItem`` or a mapping
                (``guardrail_name``, ``guardrail_prompt``, ``modality``, ``callback_url``).
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The new set.

        Raises:
            ValueError: A blank name or an empty ``data``, before any request.
            TypeError: A ``data`` that is not a list of items, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        json_body = {"name": check_text("name", name), "data": _set_items("data", data)}
        checked = check_options(options)
        answer = self._structured(
            "POST", self.spec.path, GuardrailSet, json_body=json_body, options=checked
        )
        created: GuardrailSet = await answer
        return created

    async def list_legacy_sets(
        self,
        *,
        limit: int | None = None,
        page: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[GuardrailSet]:
        """One page of legacy guardrail sets (``legacy=true``); Tavus counts pages from 1.

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
        params = query({"legacy": True, **paging(limit, page)})
        answer = self._structured(
            "GET",
            self.spec.path,
            Page[GuardrailSet],
            params=params,
            options=check_options(options),
        )
        sets: Page[GuardrailSet] = await answer
        return sets

    async def get_legacy_set(
        self, guardrails_id: str, **options: Unpack[RequestOptions]
    ) -> GuardrailSet:
        """A legacy guardrail set by its ``guardrails_id``.

        Older answers wrap one object in ``data`` without the id: it is read as the set,
        with the id asked for.

        Args:
            guardrails_id: The set's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The set.

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: An unknown id (or NotFoundError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        set_id = check_id("guardrails_id", guardrails_id)
        path = f"{self.spec.path}/{set_id}"
        payload = await self._requester.request("GET", path, options=check_options(options))
        if isinstance(payload, Mapping) and "guardrails_id" not in payload:
            inner = payload.get("data")
            payload = {**inner, "guardrails_id": set_id} if isinstance(inner, Mapping) else payload
        found: GuardrailSet = structure(payload, GuardrailSet, method="GET", url=path)
        raw = RAW_RESPONSES.get()
        if raw:  # with_raw_response: parse() gives the set, as the call does
            raw[-1] = attrs.evolve(raw[-1], parsed=found)
        return found
