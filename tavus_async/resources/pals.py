"""``tavus.pals``: create, list, get, update (JSON Patch), publish and delete PALs.

PALs are Tavus's current name for personas (``/v2/pals``, ``pal_id``, ``pal_name``,
``default_face_id``); ``tavus.personas`` calls the legacy alias of the same objects.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping, Sequence
from typing import Any, Literal

from .._core.arguments import (
    check_id,
    check_settings,
    check_string,
    check_strings,
    check_text,
    check_url,
    optional,
)
from .._core.json_patch import PatchOperation
from .._core.models import Model
from .._core.options import RequestOptions, Unpack, check_options
from .._core.paging import Page
from ..types.pals import Pal
from ._base import Resource, body, paging, query
from ._spec import FamilySpec

__all__ = ["PALS", "Pals"]

PALS: FamilySpec[Pal] = FamilySpec(
    name="pals",
    noun="PAL",
    path="/v2/pals",
    model=Pal,
    id_field="pal_id",
    columns=("pal_id", "pal_name", "pipeline_mode", "default_face_id", "pal_type", "created_at"),
)


def _ids(name: str, values: object) -> list[str]:
    return check_strings(name, values, check_id)


def _check_layers(name: str, value: object) -> dict[str, Any]:
    """``layers`` as JSON: a mapping of layers (each a mapping or a ``Model``), or a
    ``Model`` of them. A custom LLM's ``base_url`` must be an http(s) url."""
    if isinstance(value, Mapping) and not isinstance(value, Model):
        value = {k: v.to_dict() if isinstance(v, Model) else v for k, v in value.items()}
    layers = check_settings(name, value, Model)
    for layer, settings in layers.items():
        if not isinstance(settings, Mapping):
            raise TypeError(f"{name}.{layer} must be a mapping, not {type(settings).__name__}")
    llm = layers.get("llm") or {}
    if llm.get("base_url") is not None:
        check_url(f"{name}.llm.base_url", llm["base_url"])
    return layers


class Pals(Resource[Pal]):
    """The PALs of the account: ``POST/GET/PATCH/DELETE /v2/pals`` and ``.../publish``.

    Every call also takes the per-call options (``extra_body``, ``extra_query``,
    ``extra_headers``, ``timeout``, ``max_retries``).
    """

    spec = PALS

    async def create(
        self,
        *,
        default_face_id: str,
        pal_name: str | None = None,
        system_prompt: str | None = None,
        pipeline_mode: Literal["full", "echo"] | str | None = None,
        layers: Mapping[str, Any] | Model | None = None,
        document_ids: Sequence[str] | None = None,
        document_tags: Sequence[str] | None = None,
        guardrail_ids: Sequence[str] | None = None,
        guardrail_tags: Sequence[str] | None = None,
        objectives_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Pal:
        """Create a PAL and return what Tavus answers (``pal_id``, ``pal_name``,
        ``conferencing_email``, ``created_at``): ``get`` it for the rest.

        Tavus needs a ``system_prompt`` in ``full`` mode (its default), not in ``echo`` mode;
        it judges that itself. Only what is given is sent.

        The request is never retried once it may have reached Tavus (a second create is a
        second PAL).

        Args:
            default_face_id: The face it appears as (required on ``/v2/pals``).
            pal_name: The PAL's name.
            system_prompt: The LLM's instructions (needed in ``full`` mode).
            pipeline_mode: ``full`` (Tavus's default) or ``echo``.
            layers: A mapping of layers (mappings, or layer models with ``to_dict()``).
            document_ids: Documents of the knowledge base to draw on.
            document_tags: Draw on the documents with these tags too.
            guardrail_ids: Guardrails to attach.
            guardrail_tags: Attach the guardrails with these tags.
            objectives_id: The set of objectives to follow.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The new PAL as Tavus answers it (its id, name, conferencing email and creation
            time).

        Raises:
            ValueError: Before any request, for an unsafe id or a custom LLM's ``base_url``
                that is not an http(s) url.
            TypeError: Before any request, for a bare string where a list goes or a layer that
                is not a mapping.
            APIError: Tavus refused the PAL.
            APIConnectionError: No answer came (its message says whether the PAL may exist).
        """
        json_body = body(
            {
                "pal_name": optional(check_string, "pal_name", pal_name),
                "system_prompt": optional(check_string, "system_prompt", system_prompt),
                "pipeline_mode": optional(check_text, "pipeline_mode", pipeline_mode),
                "default_face_id": check_id("default_face_id", default_face_id),
                "layers": optional(_check_layers, "layers", layers),
                "document_ids": optional(_ids, "document_ids", document_ids),
                "document_tags": optional(check_strings, "document_tags", document_tags),
                "guardrail_ids": optional(_ids, "guardrail_ids", guardrail_ids),
                "guardrail_tags": optional(check_strings, "guardrail_tags", guardrail_tags),
                "objectives_id": optional(check_id, "objectives_id", objectives_id),
            }
        )
        return await self._create(json_body, options)

    async def list(
        self,
        *,
        limit: int | None = None,
        page: int | None = None,
        pal_type: Literal["user", "system"] | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[Pal]:
        """One page of PALs (``.data``, ``.total_count``).

        Args:
            limit: The page size (Tavus's default is 10).
            page: The page to fetch, counting from 1.
            pal_type: ``user`` (yours) or ``system`` (Tavus's stock PALs).
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The page: its PALs in ``.data``, the count of all in ``.total_count``.

        Raises:
            ValueError: A bad ``limit``, ``page`` or ``pal_type``, before any request.
            TypeError: An argument of the wrong type, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        filters = {"pal_type": optional(check_text, "pal_type", pal_type)}
        return await self._list(query({**paging(limit, page), **filters}), options)

    def iter(
        self,
        *,
        page_size: int = 50,
        pal_type: Literal["user", "system"] | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[Pal, None]:
        """Every PAL of every page, each once, fetching ``page_size`` (1-100) at a time.

        Args:
            page_size: How many each request fetches (1-100).
            pal_type: As for ``list``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the pages are GETs);
                they apply to every page.

        Yields:
            Each PAL.

        Raises:
            ValueError: At once, for a bad ``page_size`` or ``pal_type``, or for ``limit`` or
                ``page`` in ``extra_query`` (``iter`` sets those itself).
            TypeError: At once, for an argument of the wrong type.
            APIError: While iterating, as any call.
            APIConnectionError: While iterating, as any call.
        """
        filters = query({"pal_type": optional(check_text, "pal_type", pal_type)})
        return self._iter(page_size=page_size, filters=filters, options=options)

    async def get(self, pal_id: str, **options: Unpack[RequestOptions]) -> Pal:
        """The PAL with its layers, as Tavus holds it now.

        Tavus answers ``{"data": [pal]}``; the PAL itself is returned.

        Args:
            pal_id: The PAL's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The PAL.

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: An unknown id.
            ResponseValidationError: An answer that holds no PAL.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._get_listed(pal_id, options)

    async def update(
        self,
        pal_id: str,
        operations: Sequence[PatchOperation | Mapping[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> None:
        """Change the PAL with a JSON Patch (RFC 6902): a list of operations.

        ``tavus_async.json_patch(before, after)`` makes one from two copies of
        ``pal.to_dict()``. Tavus answers without the PAL (for a PAL Builder draft, with a
        ``publish_url``: read it through ``with_raw_response``): ``get`` it to see the
        result. A patch that changes nothing succeeds too.

        A patch that would do more if applied twice (it adds to a list, removes, moves or
        copies) is not sent again once it may have reached Tavus.

        Args:
            pal_id: The PAL's id.
            operations: The operations, each a mapping (``{"op": "replace", "path":
                "/system_prompt", "value": "..."}``) or a ``PatchOperation``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the body is the patch).

        Raises:
            ValueError: An unsafe id or a malformed operation, before any request.
            TypeError: An operation of the wrong type, before any request.
            BadRequestError: A patch Tavus cannot apply, or an unknown id.
            UnprocessableEntityError: A patch Tavus cannot read.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._patch(pal_id, operations, options)

    async def publish(self, pal_id: str, **options: Unpack[RequestOptions]) -> None:
        """Publish the PAL's PAL Builder draft: conversations then use what it holds.

        Publishing the same draft twice leaves the PAL as publishing it once does, so the
        request is retried like a read.

        Args:
            pal_id: The PAL's id.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: An unknown PAL, or one with no draft (or NotFoundError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        path = self._item_path(pal_id) + "/publish"
        await self._requester.request(
            "POST", path, expect_body=False, idempotent=True, options=check_options(options)
        )

    async def delete(self, pal_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete the PAL.

        Args:
            pal_id: The PAL's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: An unknown id (Tavus says ``Invalid pal_id``).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._delete(pal_id, hard=False, options=options)
