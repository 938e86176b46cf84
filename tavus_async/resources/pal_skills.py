"""``tavus.pal_skills``: the skills attached to a PAL, each with its config.

``/v2/pals/{pal_id}/skills``: list (Tavus answers an object keyed by ``skill_id``),
replace them all (``PUT``), and per skill get, attach (``PUT``), update (``PATCH``, a
merge of the config) and detach (``DELETE``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs

from .._core.arguments import check_id
from .._core.convert import structure
from .._core.options import RequestOptions, Unpack, check_options
from .._core.raw import RAW_RESPONSES
from .._exceptions import ResponseValidationError
from ..types.pal_skills import PalSkill
from ._base import Resource
from ._spec import FamilySpec

__all__ = ["PAL_SKILLS", "PalSkills"]

PAL_SKILLS: FamilySpec[PalSkill] = FamilySpec(
    name="pal_skills",
    noun="PAL skill",
    path="/v2/pals",
    model=PalSkill,
    id_field="skill_id",
    generic_calls=(),  # every call names its PAL first: the family's own list and get
    columns=("skill_id", "config", "attached_at", "updated_at"),
)


def _check_config(name: str, value: object) -> dict[str, Any]:
    """A skill's config: a JSON object sent exactly as given, its None values as null."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping, not {type(value).__name__}")
    if not all(isinstance(key, str) for key in value):
        raise TypeError(f"{name} keys must be strings")
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must hold only JSON values (no NaN): {exc}") from None
    return dict(value)


def _parsed(result: object) -> None:
    raw = RAW_RESPONSES.get()
    if raw:  # with_raw_response: parse() gives what the call returns
        raw[-1] = attrs.evolve(raw[-1], parsed=result)


class PalSkills(Resource[PalSkill]):
    """The skills attached to a PAL: ``/v2/pals/{pal_id}/skills``.

    Skills are Tavus's (``tavus.skills``); each attachment carries the skill's
    ``config``. Every call also takes the per-call options (``extra_body``,
    ``extra_query``, ``extra_headers``, ``timeout``, ``max_retries``). PUT, PATCH and
    DELETE here mean the same when sent twice: they are retried like a GET.
    """

    spec = PAL_SKILLS

    def _skills_path(self, pal_id: object) -> str:
        return f"{self.spec.path}/{check_id('pal_id', pal_id)}/skills"

    def _skill_path(self, pal_id: object, skill_id: object) -> str:
        return f"{self._skills_path(pal_id)}/{check_id('skill_id', skill_id)}"

    def _skill_map(self, payload: Any, method: str, path: str) -> dict[str, PalSkill]:
        """``{"data": {skill_id: attachment}}`` as PalSkills by id, in Tavus's order."""
        data = payload.get("data") if isinstance(payload, Mapping) else None
        if not isinstance(data, Mapping):
            raise ResponseValidationError(
                "response holds no skills: expected data to be an object keyed by skill_id",
                body=payload,
                method=method,
                url=path,
            )
        skills: dict[str, PalSkill] = {}
        for skill_id, attachment in data.items():
            given = (
                {"skill_id": skill_id, **attachment}
                if isinstance(attachment, Mapping)
                else attachment
            )
            skills[skill_id] = structure(given, PalSkill, method=method, url=path)
        _parsed(skills)
        return skills

    def _one(self, payload: Any, skill_id: str, method: str, path: str) -> PalSkill | None:
        """One attachment, bare or under ``data`` (keyed by id, or the object itself)."""
        if isinstance(payload, Mapping) and isinstance(payload.get("data"), Mapping):
            data = payload["data"]
            payload = data.get(skill_id, data) if "skill_id" not in data else data
        skill: PalSkill | None = None
        if isinstance(payload, Mapping) and ("skill_id" in payload or "config" in payload):
            skill = structure({"skill_id": skill_id, **payload}, PalSkill, method=method, url=path)
        _parsed(skill)
        return skill

    async def list(self, pal_id: str, **options: Unpack[RequestOptions]) -> dict[str, PalSkill]:
        """The PAL's skills: a dict of ``skill_id`` to ``PalSkill`` (Tavus's order).

        Args:
            pal_id: The PAL's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The PAL's skills by ``skill_id``.

        Raises:
            ValueError: An unsafe ``pal_id``, before any request.
            NotFoundError: An unknown PAL (or BadRequestError).
            ResponseValidationError: An answer that is not an object keyed by skill id.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        path = self._skills_path(pal_id)
        payload = await self._requester.request("GET", path, options=check_options(options))
        return self._skill_map(payload, "GET", path)

    async def replace(
        self,
        pal_id: str,
        skills: Mapping[str, Mapping[str, Any] | None],
        **options: Unpack[RequestOptions],
    ) -> dict[str, PalSkill]:
        """Make ``skills`` the PAL's skills, all of them.

        Skills left out are detached; an empty mapping detaches all.

        Args:
            pal_id: The PAL's id.
            skills: A mapping of ``skill_id`` to its config (``{}`` or None for none), e.g.
                ``{"internet_search": {}, "presentation": {"document_ids": ["d1"]}}``.
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The PAL's skills, as ``list`` returns them.

        Raises:
            ValueError: An unsafe ``pal_id`` or skill id, before any request.
            TypeError: A ``skills`` that is not a mapping, or a config that is not a JSON
                object (naming ``skills[id]``), before any request.
            BadRequestError: An unknown skill.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        path = self._skills_path(pal_id)
        if not isinstance(skills, Mapping):
            raise TypeError(
                f"skills must be a mapping of skill_id to config, not {type(skills).__name__}"
            )
        sent: dict[str, Any] = {}
        for skill_id, config in skills.items():
            check_id("skills keys", skill_id)
            name = f"skills[{skill_id!r}]"
            sent[skill_id] = {"config": {} if config is None else _check_config(name, config)}
        payload = await self._requester.request(
            "PUT", path, json_body={"skills": sent}, options=check_options(options)
        )
        return self._skill_map(payload, "PUT", path)

    async def get(self, pal_id: str, skill_id: str, **options: Unpack[RequestOptions]) -> PalSkill:
        """The PAL's attachment of the skill, with its config.

        Args:
            pal_id: The PAL's id.
            skill_id: The skill's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Returns:
            The attachment, with its config.

        Raises:
            ValueError: An unsafe ``pal_id`` or ``skill_id``, before any request.
            NotFoundError: An unknown PAL, or a skill not attached (or BadRequestError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        path = self._skill_path(pal_id, skill_id)
        payload = await self._requester.request("GET", path, options=check_options(options))
        skill = self._one(payload, skill_id, "GET", path)
        if skill is None:
            raise ResponseValidationError(
                "response holds no skill", body=payload, method="GET", url=path
            )
        return skill

    async def attach(
        self,
        pal_id: str,
        skill_id: str,
        *,
        config: Mapping[str, Any] | None = None,
        **options: Unpack[RequestOptions],
    ) -> PalSkill | None:
        """Attach the skill to the PAL with ``config``, or set the config of one attached
        already (``PUT``: the whole config).

        Args:
            pal_id: The PAL's id.
            skill_id: The skill's id.
            config: The skill's whole config (``{}`` when not given).
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The attachment when Tavus answers with it, else None.

        Raises:
            ValueError: An unsafe id, before any request.
            TypeError: A config that is not a JSON object, before any request.
            BadRequestError: An unknown skill (``Unknown skill '...'``) or a config Tavus
                refuses.
            NotFoundError: An unknown PAL.
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        path = self._skill_path(pal_id, skill_id)
        sent = {} if config is None else _check_config("config", config)
        payload = await self._requester.request(
            "PUT",
            path,
            json_body={"config": sent},
            body_optional=True,
            options=check_options(options),
        )
        return self._one(payload, skill_id, "PUT", path)

    async def update(
        self,
        pal_id: str,
        skill_id: str,
        *,
        config: Mapping[str, Any],
        **options: Unpack[RequestOptions],
    ) -> PalSkill | None:
        """Merge ``config`` into the attached skill's config (``PATCH``).

        Args:
            pal_id: The PAL's id.
            skill_id: The skill's id.
            config: Sent exactly as given: a key given changes, a key left out stays, and a
                key given as None is sent as null, which removes it (``config={"prompt":
                None}``).
            **options: Per-call options: ``extra_body``, ``extra_query``, ``extra_headers``,
                ``timeout``, ``max_retries`` (see ``RequestOptions``).

        Returns:
            The attachment when Tavus answers with it, else None.

        Raises:
            ValueError: An unsafe id, before any request.
            TypeError: A config that is not a JSON object, before any request.
            BadRequestError: What Tavus refuses (or NotFoundError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        path = self._skill_path(pal_id, skill_id)
        sent = _check_config("config", config)
        payload = await self._requester.request(
            "PATCH",
            path,
            json_body={"config": sent},
            body_optional=True,
            idempotent=True,
            options=check_options(options),
        )
        return self._one(payload, skill_id, "PATCH", path)

    async def detach(self, pal_id: str, skill_id: str, **options: Unpack[RequestOptions]) -> None:
        """Detach the skill from the PAL.

        Args:
            pal_id: The PAL's id.
            skill_id: The skill's id.
            **options: Per-call options: ``extra_query``, ``extra_headers``, ``timeout``,
                ``max_retries`` (see ``RequestOptions``; no ``extra_body``: the request sends no
                body).

        Raises:
            ValueError: An unsafe ``pal_id`` or ``skill_id``, before any request.
            NotFoundError: An unknown PAL, or a skill not attached (or BadRequestError).
            APIError: Tavus refused the call.
            APIConnectionError: No answer came.
        """
        path = self._skill_path(pal_id, skill_id)
        await self._requester.request(
            "DELETE", path, expect_body=False, options=check_options(options)
        )
