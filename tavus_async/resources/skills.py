"""``tavus.skills``: the skills Tavus offers PALs, listed and read.

Tavus's reference names List Skill and Get Skill pages without their paths or answers:
``GET /v2/skills`` (paged as Tavus's other lists) and ``GET /v2/skills/{skill_id}`` are
inferred, and ``Skill`` keeps what it does not know in ``extra``.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from .._core.options import RequestOptions, Unpack
from .._core.paging import Page
from ..types.skills import Skill
from ._base import Resource, paging, query
from ._spec import FamilySpec

__all__ = ["SKILLS", "Skills"]

SKILLS: FamilySpec[Skill] = FamilySpec(
    name="skills",
    noun="skill",
    path="/v2/skills",
    model=Skill,
    id_field="skill_id",
    generic_calls=("list", "get"),  # Tavus's skills are its own: no create or delete
    columns=("skill_id", "name", "description"),
)


class Skills(Resource[Skill]):
    """Tavus's skills (``internet_search``, ``presentation``, ``magic_canvas``, ...):
    ``/v2/skills``. Attach them to a PAL with ``tavus.pal_skills``.

    The calls also take the per-call options (``extra_query``, ``extra_headers``,
    ``timeout``, ``max_retries``).
    """

    spec = SKILLS

    async def list(
        self,
        *,
        limit: int | None = None,
        page: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Page[Skill]:
        """One page of skills (``.data``, ``.total_count``).

        Args:
            limit: The page size (without ``limit`` and ``page``, Tavus's default page).
            page: The page to fetch.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The page: its skills in ``.data``, the count of all in ``.total_count``.

        Raises:
            ValueError: A bad ``limit`` or ``page``, before any request.
            TypeError: A ``limit`` or ``page`` that is not an int, before any request.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._list(query(paging(limit, page)), options)

    def iter(
        self, *, page_size: int = 50, **options: Unpack[RequestOptions]
    ) -> AsyncGenerator[Skill, None]:
        """Every skill, each once, ``page_size`` (1-100) at a time.

        Args:
            page_size: How many each request fetches (1-100).
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the pages are GETs);
                they apply to every page.

        Yields:
            Each skill.

        Raises:
            ValueError: At once, for a bad ``page_size``, or for ``limit`` or ``page`` in
                ``extra_query`` (``iter`` sets those itself).
            TypeError: At once, for a ``page_size`` that is not an int.
            APIError: While iterating, as any call.
            APIConnectionError: While iterating, as any call.
        """
        return self._iter(page_size=page_size, filters={}, options=options)

    async def get(self, skill_id: str, **options: Unpack[RequestOptions]) -> Skill:
        """The skill ``skill_id`` (its name, like ``presentation``).

        Args:
            skill_id: The skill's id: its name.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The skill.

        Raises:
            ValueError: An unsafe id, before any request.
            NotFoundError: A skill Tavus does not offer (or BadRequestError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        return await self._get(skill_id, verbose=False, options=options)
