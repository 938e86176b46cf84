"""``tavus.pronunciation_dictionaries``: create, list, get, update (JSON Patch), delete."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Collection, Mapping, Sequence
from typing import Any, Literal

import attrs

from .._core.arguments import check_settings, check_string, check_text, optional
from .._core.json_patch import PatchOperation
from .._core.models import Model
from .._core.options import RequestOptions, Unpack
from .._core.paging import Page
from ..types.pronunciation_dictionaries import PronunciationDictionary, PronunciationRule
from ._base import Resource, body, paging, query
from ._spec import FamilySpec

__all__ = ["PRONUNCIATION_DICTIONARIES", "PronunciationDictionaries"]

PRONUNCIATION_DICTIONARIES: FamilySpec[PronunciationDictionary] = FamilySpec(
    name="pronunciation_dictionaries",
    noun="pronunciation dictionary",
    path="/v2/pronunciation-dictionaries",
    model=PronunciationDictionary,
    id_field="pronunciation_dictionary_id",
    columns=("pronunciation_dictionary_id", "name", "rules_count", "created_at"),
)


def _check_rules(name: str, values: object) -> list[dict[str, Any]]:
    """``rules`` as JSON: each a PronunciationRule or a mapping of its fields."""
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Collection):
        raise TypeError(f"{name} must be a list of rules, not {type(values).__name__}")
    return [
        check_settings(f"{name}[{i}]", rule, PronunciationRule) for i, rule in enumerate(values)
    ]


def _as_json(value: Any) -> Any:
    """A patch value with its rule models (or any model) written as their JSON."""
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_as_json(item) for item in value]
    return value


def _with_json_values(operations: object) -> object:
    """The operations, each rule model in a ``value`` written as JSON (the rest untouched)."""
    if isinstance(operations, (str, bytes, Mapping)) or not isinstance(operations, Sequence):
        return operations  # the base's check says what is wrong
    written: list[object] = []
    for operation in operations:
        if isinstance(operation, PatchOperation):
            operation = attrs.evolve(operation, value=_as_json(operation.value))
        elif isinstance(operation, Mapping) and "value" in operation:
            operation = {**operation, "value": _as_json(operation["value"])}
        written.append(operation)
    return written


class PronunciationDictionaries(Resource[PronunciationDictionary]):
    """The account's pronunciation dictionaries: ``/v2/pronunciation-dictionaries``.

    A persona uses one through ``layers.tts.pronunciation_dictionary_id``. Every call
    also takes the per-call options (``extra_body``, ``extra_query``, ``extra_headers``,
    ``timeout``, ``max_retries``).
    """

    spec = PRONUNCIATION_DICTIONARIES

    async def create(
        self,
        *,
        name: str,
        rules: Sequence[PronunciationRule | Mapping[str, Any]] | None = None,
        **options: Unpack[RequestOptions],
    ) -> PronunciationDictionary:
        """Create a dictionary named ``name`` with ``rules`` (they may be added later) and
        return it as Tavus answers, rules included.

        Tavus judges the rules' content (it needs ``text``, ``pronunciation`` and
        ``type``). Only what is given is sent, and the request is never retried once it may
        have reached Tavus.

        Args:
            name: The dictionary's name.
            rules: Its rules, each a ``PronunciationRule`` or a mapping of its fields
                (``text``, ``pronunciation``, ``type``, ``case_sensitive``,
                ``word_boundaries``).
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The new dictionary, rules included.

        Raises:
            TypeError: A ``name`` that is not a string, a ``rules`` that is not a list, or a
                rule that is neither a rule nor a mapping of JSON values (naming
                ``rules[i]``), before any request.
            ValueError: A value that cannot be sent (naming it), before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        json_body = body(
            {
                "name": check_string("name", name),
                "rules": optional(_check_rules, "rules", rules),
            }
        )
        return await self._create(json_body, options)

    async def list(
        self,
        *,
        limit: int | None = None,
        page: int | None = None,
        sort: Literal["asc", "desc"] | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[PronunciationDictionary]:
        """One page of dictionaries (``.data``, ``.total_count``), without their rules.

        Args:
            limit: The page size, 1 to 100 (Tavus's default 10).
            page: The page to fetch, counting from 0.
            sort: By creation: ``desc`` (Tavus's default, newest first) or ``asc``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The page: its dictionaries in ``.data``, the count of all in ``.total_count``.

        Raises:
            ValueError: A bad ``limit``, ``page`` or ``sort``, before any request.
            TypeError: An argument of the wrong type, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        filters = {"sort": optional(check_text, "sort", sort)}
        return await self._list(query({**paging(limit, page), **filters}), options)

    def iter(
        self,
        *,
        page_size: int = 50,
        sort: Literal["asc", "desc"] | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[PronunciationDictionary, None]:
        """Every dictionary of every page, each once, ``page_size`` (1-100) at a time.

        Args:
            page_size: How many each request fetches (1-100).
            sort: As for ``list``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the pages are GETs);
                they apply to every page.

        Yields:
            Each dictionary, without its rules.

        Raises:
            ValueError: At once, for a bad ``page_size`` or ``sort``, or for ``limit`` or
                ``page`` in ``extra_query`` (``iter`` sets those itself).
            TypeError: At once, for an argument of the wrong type.
            APIError: While iterating, as any call.
            APIConnectionError: While iterating, as any call.
        """
        filters = query({"sort": optional(check_text, "sort", sort)})
        return self._iter(page_size=page_size, filters=filters, options=options)

    async def get(
        self, pronunciation_dictionary_id: str, **options: Unpack[RequestOptions]
    ) -> PronunciationDictionary:
        """The dictionary with its rules.

        Args:
            pronunciation_dictionary_id: The dictionary's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The dictionary, rules included.

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._get(pronunciation_dictionary_id, verbose=False, options=options)

    async def update(
        self,
        pronunciation_dictionary_id: str,
        operations: Sequence[PatchOperation | Mapping[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> None:
        """Change the dictionary with a JSON Patch (RFC 6902): a list of operations.

        Tavus changes ``/name`` and ``/rules``, and rules only as a whole: replace
        ``/rules`` with the complete new list (``{"op": "replace", "path": "/rules",
        "value": [rule, ...]}``; a value's rules may be ``PronunciationRule``s). Tavus
        ignores read-only fields; a patch that changes nothing succeeds too. Personas
        using the dictionary follow the change. ``get`` it to see the result.

        A ``replace`` is retried like any PATCH; a patch that would do more if applied
        twice is not sent again once it may have reached Tavus.

        Args:
            pronunciation_dictionary_id: The dictionary's id.
            operations: The operations, each a mapping or a ``PatchOperation``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the body is the patch).

        Raises:
            ValueError: An unsafe id or a malformed operation (naming ``operations[i]``),
                before any request.
            TypeError: An operation of the wrong type, before any request.
            BadRequestError: A patch Tavus cannot apply, or an unknown id (or
                NotFoundError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._patch(pronunciation_dictionary_id, _with_json_values(operations), options)

    async def delete(
        self, pronunciation_dictionary_id: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete the dictionary; Tavus removes it from every persona that used it.

        Args:
            pronunciation_dictionary_id: The dictionary's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: An unknown id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._delete(pronunciation_dictionary_id, hard=False, options=options)
