"""``tavus.personas``: create, list, get, update (JSON Patch) and delete personas."""

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
from .._core.options import RequestOptions, Unpack
from .._core.paging import Page
from ..types.personas import Persona, PersonaLayers
from ._base import Resource, body, paging, query
from ._spec import FamilySpec

__all__ = ["PERSONAS", "Personas"]

PERSONAS: FamilySpec[Persona] = FamilySpec(
    name="personas",
    noun="persona",
    path="/v2/personas",
    model=Persona,
    id_field="persona_id",
    columns=(
        "persona_id",
        "persona_name",
        "pipeline_mode",
        "default_replica_id",
        "persona_type",
        "created_at",
    ),
)

_LAYERS = ("perception", "stt", "conversational_flow", "llm", "tts")


def _check_layers(name: str, value: object) -> dict[str, Any]:
    """``layers`` as JSON: a PersonaLayers, or a mapping whose layers are mappings or
    layer models. A custom LLM's ``base_url`` must be an http(s) url."""
    if isinstance(value, Mapping) and not isinstance(value, Model):
        value = {k: v.to_dict() if isinstance(v, Model) else v for k, v in value.items()}
    layers = check_settings(name, value, PersonaLayers)
    for layer in _LAYERS:
        settings = layers.get(layer)
        if settings is not None and not isinstance(settings, Mapping):
            raise TypeError(f"{name}.{layer} must be a mapping, not {type(settings).__name__}")
    llm = layers.get("llm") or {}
    if llm.get("base_url") is not None:
        check_url(f"{name}.llm.base_url", llm["base_url"])
    return layers


def _ids_of(name: str, values: object) -> list[str]:
    return check_strings(name, values, check_id)


class Personas(Resource[Persona]):
    """The personas of the account: ``POST/GET/PATCH/DELETE /v2/personas``.

    Every call also takes the per-call options (``extra_body``, ``extra_query``,
    ``extra_headers``, ``timeout``, ``max_retries``).
    """

    spec = PERSONAS

    async def create(
        self,
        *,
        persona_name: str | None = None,
        system_prompt: str | None = None,
        context: str | None = None,
        pipeline_mode: Literal["full", "echo"] | str | None = None,
        default_replica_id: str | None = None,
        layers: PersonaLayers | Mapping[str, Any] | None = None,
        document_ids: Sequence[str] | None = None,
        document_tags: Sequence[str] | None = None,
        guardrails_id: str | None = None,
        guardrail_ids: Sequence[str] | None = None,
        guardrail_tags: Sequence[str] | None = None,
        objectives_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Persona:
        """Create a persona and return what Tavus answers (``persona_id``, ``persona_name``,
        ``created_at``): ``get`` it for the rest.

        Tavus needs a ``system_prompt`` in ``full`` mode (its default), not in ``echo``
        mode; it judges that itself. Only what is given is sent.

        The request is never retried once it may have reached Tavus (a second create is a
        second persona).

        Args:
            persona_name: The persona's name.
            system_prompt: The LLM's instructions (needed in ``full`` mode).
            context: Further context for the LLM, beside the system prompt.
            pipeline_mode: ``full`` (Tavus's default) or ``echo``.
            default_replica_id: The replica its conversations use when they name none.
            layers: Its layers: a ``PersonaLayers`` or a mapping (of mappings or layer
                models).
            document_ids: Documents of the knowledge base to draw on.
            document_tags: Draw on the documents with these tags too.
            guardrails_id: A legacy guardrail set to attach.
            guardrail_ids: Guardrails to attach.
            guardrail_tags: Attach the guardrails with these tags.
            objectives_id: The set of objectives to follow.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The new persona as Tavus answers it (its id, name and creation time).

        Raises:
            ValueError: Before any request, for an unsafe id or a custom LLM's ``base_url``
                that is not an http(s) url.
            TypeError: Before any request, for a bare string where a list goes or a layer that
                is not a mapping.
            APIError: Tavus refused the persona.
            APIConnectionError: No answer came (its message says whether the persona may
                exist).
        """
        json_body = body(
            {
                "persona_name": optional(check_string, "persona_name", persona_name),
                "system_prompt": optional(check_string, "system_prompt", system_prompt),
                "context": optional(check_string, "context", context),
                "pipeline_mode": optional(check_text, "pipeline_mode", pipeline_mode),
                "default_replica_id": optional(check_id, "default_replica_id", default_replica_id),
                "layers": optional(_check_layers, "layers", layers),
                "document_ids": optional(_ids_of, "document_ids", document_ids),
                "document_tags": optional(check_strings, "document_tags", document_tags),
                "guardrails_id": optional(check_id, "guardrails_id", guardrails_id),
                "guardrail_ids": optional(_ids_of, "guardrail_ids", guardrail_ids),
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
        persona_type: Literal["user", "system"] | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[Persona]:
        """One page of personas (``.data``, ``.total_count``).

        Args:
            limit: The page size (Tavus's default is 10).
            page: The page to fetch.
            persona_type: ``user`` (yours) or ``system`` (Tavus's stock personas).
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The page: its personas in ``.data``, the count of all in ``.total_count``.

        Raises:
            ValueError: A bad ``limit``, ``page`` or ``persona_type``, before any request.
            TypeError: An argument of the wrong type, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        filters = {"persona_type": optional(check_text, "persona_type", persona_type)}
        return await self._list(query({**paging(limit, page), **filters}), options)

    def iter(
        self,
        *,
        page_size: int = 50,
        persona_type: Literal["user", "system"] | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncGenerator[Persona, None]:
        """Every persona of every page, each once, fetching ``page_size`` (1-100) at a time.

        Args:
            page_size: How many each request fetches (1-100).
            persona_type: As for ``list``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the pages are GETs);
                they apply to every page.

        Yields:
            Each persona.

        Raises:
            ValueError: At once, for a bad ``page_size`` or ``persona_type``, or for ``limit``
                or ``page`` in ``extra_query`` (``iter`` sets those itself).
            TypeError: At once, for an argument of the wrong type.
            APIError: While iterating, as any call.
            APIConnectionError: While iterating, as any call.
        """
        filters = query({"persona_type": optional(check_text, "persona_type", persona_type)})
        return self._iter(page_size=page_size, filters=filters, options=options)

    async def get(self, persona_id: str, **options: Unpack[RequestOptions]) -> Persona:
        """The persona with its layers, as Tavus holds it now.

        Tavus answers ``{"data": [persona]}``; the persona itself is returned.

        Args:
            persona_id: The persona's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The persona.

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: An unknown id (Tavus says ``Invalid persona_id``).
            ResponseValidationError: An answer that holds no persona.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._get_listed(persona_id, options)

    async def update(
        self,
        persona_id: str,
        operations: Sequence[PatchOperation | Mapping[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> None:
        """Change the persona with a JSON Patch (RFC 6902): a list of operations.

        To edit the persona as data, send the difference: ``before = persona.to_dict()``,
        change a copy, then ``update(persona_id, tavus_async.json_patch(before, after))``.
        Tavus answers without the persona: ``get`` it to see the result. A patch that
        changes nothing succeeds too.

        A patch that would do more if applied twice (it adds to a list, removes, moves or
        copies) is not sent again once it may have reached Tavus; a ``replace`` is retried
        like any PATCH.

        Args:
            persona_id: The persona's id.
            operations: The operations, each a mapping (``{"op": "replace", "path":
                "/system_prompt", "value": "..."}``) or a ``PatchOperation``.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the body is the patch).

        Raises:
            ValueError: An unsafe id or a malformed operation (naming ``operations[i]``),
                before any request.
            TypeError: An operation of the wrong type, before any request.
            BadRequestError: A patch Tavus cannot apply, or an unknown id.
            UnprocessableEntityError: A patch Tavus cannot read.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._patch(persona_id, operations, options)

    async def delete(self, persona_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete the persona.

        Args:
            persona_id: The persona's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Raises:
            ValueError: An unsafe id, before any request.
            BadRequestError: An unknown id (Tavus says ``Invalid persona_id``).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        await self._delete(persona_id, hard=False, options=options)
