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
        """One page of skills (``.data``, ``.total_count``); without ``limit`` and
        ``page``, Tavus's default page.

        Raises ValueError / TypeError for a bad ``limit`` or ``page`` before any request.
        """
        return await self._list(query(paging(limit, page)), options)

    def iter(
        self, *, page_size: int = 50, **options: Unpack[RequestOptions]
    ) -> AsyncGenerator[Skill, None]:
        """Every skill, each once, ``page_size`` (1-100) at a time.

        Raises ValueError / TypeError at once for a bad ``page_size``, or for ``limit``
        or ``page`` in ``extra_query``; while iterating, APIError / APIConnectionError.
        """
        return self._iter(page_size=page_size, filters={}, options=options)

    async def get(self, skill_id: str, **options: Unpack[RequestOptions]) -> Skill:
        """The skill ``skill_id`` (its name, like ``presentation``).

        Raises ValueError for an unsafe id before any request; NotFoundError /
        BadRequestError for one Tavus does not offer.
        """
        return await self._get(skill_id, verbose=False, options=options)
