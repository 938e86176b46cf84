"""FakeTavus's pronunciation dictionaries: Tavus's five calls, with JSON Patch applied for real.

A dictionary is stored as the JSON Tavus answers (``FakeDictionary.body``), its rules with
Tavus's defaults filled in (``case_sensitive`` false, ``word_boundaries`` true). Lists
count pages from 0, newest first unless ``sort=asc``, and leave the rules out. A patch
may change ``/name`` and ``/rules`` (the whole list) only; read-only fields are ignored,
and a patch that changes nothing is answered 304. An unknown id is 404.
"""

from __future__ import annotations

import copy
from typing import Any

import attrs
from aiohttp import web

from .._patch import PatchError, apply_patch
from .._state import iso
from ._common import NOT_JSON, FamilyRoutes, Refusal, mark_created, parse_json, read_body

__all__ = ["FakeDictionary", "Routes"]

_ID = "pronunciation_dictionary_id"
_READ_ONLY = (_ID, "created_at", "updated_at", "rules_count")
_CHANGEABLE = ("/name", "/rules")
_TYPES = ("alias", "ipa")


@attrs.define(kw_only=True)
class FakeDictionary:
    """One dictionary of the emulator: its id, and its JSON as Tavus answers it."""

    pronunciation_dictionary_id: str
    body: dict[str, Any]


class Routes(FamilyRoutes):
    """Tavus's five pronunciation dictionary calls, on ``fake.jobs.pronunciation_dictionaries``."""

    name = "pronunciation_dictionaries"

    def register(self, router: web.UrlDispatcher) -> None:
        path = "/v2/pronunciation-dictionaries"
        router.add_post(path, self.create_dictionary)
        router.add_get(path, self.list_dictionaries)
        router.add_get(path + "/{dictionary_id}", self.get_dictionary)
        router.add_patch(path + "/{dictionary_id}", self.patch_dictionary)
        router.add_delete(path + "/{dictionary_id}", self.delete_dictionary)

    @property
    def jobs(self) -> dict[str, FakeDictionary]:
        return self.fake.jobs.of(self.name)

    def _dictionary(self, request: web.Request) -> FakeDictionary:
        found = self.jobs.get(request.match_info["dictionary_id"])
        if found is None:
            raise Refusal("Pronunciation dictionary not found", status=404)
        return found

    async def create_dictionary(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        dictionary_id = self.fake.jobs.new_id("pd_")
        now = iso(self.fake.now_utc())
        rules = _rules(body.get("rules", []))
        stored = {
            _ID: dictionary_id,
            "name": _name(body.get("name")),
            "rules": rules,
            "rules_count": len(rules),
            "created_at": now,
            "updated_at": now,
        }
        self.jobs[dictionary_id] = FakeDictionary(
            pronunciation_dictionary_id=dictionary_id, body=stored
        )
        mark_created(dictionary_id)
        return web.json_response(stored)

    async def list_dictionaries(self, request: web.Request) -> web.Response:
        query = request.query
        try:
            limit = int(query.get("limit", "10"))
            number = int(query.get("page", "0"))
        except ValueError:
            raise Refusal("limit and page must be whole numbers") from None
        if not 1 <= limit <= 100 or number < 0:
            raise Refusal("limit must be from 1 to 100, page 0 or more")
        sort = query.get("sort", "desc")
        if sort not in ("asc", "desc"):
            raise Refusal("sort must be asc or desc")
        items = [
            {k: v for k, v in d.body.items() if k != "rules"} for d in self.jobs.values()
        ]  # oldest first, as they were made
        if sort == "desc":
            items.reverse()
        start = number * limit
        return web.json_response(
            {
                "data": items[start : start + limit],
                "total_count": len(items),
                "page": number,
                "limit": limit,
            }
        )

    async def get_dictionary(self, request: web.Request) -> web.Response:
        return web.json_response(self._dictionary(request).body)

    async def patch_dictionary(self, request: web.Request) -> web.Response:
        dictionary = self._dictionary(request)
        patch = parse_json(await request.read())
        if patch is NOT_JSON or not isinstance(patch, list):
            raise Refusal("The request body must be a JSON Patch array")
        for index, operation in enumerate(patch):
            path = operation.get("path") if isinstance(operation, dict) else None
            if path not in _CHANGEABLE and path not in {f"/{k}" for k in _READ_ONLY}:
                raise Refusal(
                    f"Operation {index}: only /name and /rules can be updated "
                    "(rules as the whole list)"
                )
        before = dictionary.body
        try:
            after = apply_patch(before, patch)
        except PatchError as exc:
            raise Refusal(str(exc)) from None
        for key in _READ_ONLY:  # silently ignored, as Tavus does
            after[key] = before[key]
        after["name"] = _name(after.get("name"))
        after["rules"] = _rules(after.get("rules", []))
        after["rules_count"] = len(after["rules"])
        if after == before:
            return web.Response(status=304)
        after["updated_at"] = iso(self.fake.now_utc())
        dictionary.body = after
        return web.json_response(after)

    async def delete_dictionary(self, request: web.Request) -> web.Response:
        del self.jobs[self._dictionary(request).pronunciation_dictionary_id]
        return web.Response(status=204)


def _name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Refusal("name is required")
    if len(value) > 255:
        raise Refusal("name must be at most 255 characters")
    return value


def _rules(value: object) -> list[dict[str, Any]]:
    """The rules as Tavus stores them, defaults filled in; a Refusal for a bad one."""
    if not isinstance(value, list):
        raise Refusal("rules must be an array of rules")
    rules: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, given in enumerate(value):
        if not isinstance(given, dict):
            raise Refusal(f"rules[{index}] must be an object")
        rule = copy.deepcopy(given)
        text, said = rule.get("text"), rule.get("pronunciation")
        if not isinstance(text, str) or not text or len(text) > 200:
            raise Refusal(f"rules[{index}].text is required (at most 200 characters)")
        if not isinstance(said, str) or not said or len(said) > 500:
            raise Refusal(f"rules[{index}].pronunciation is required (at most 500 characters)")
        if rule.get("type") not in _TYPES:
            raise Refusal(f"rules[{index}].type must be alias or ipa")
        for flag, default in (("case_sensitive", False), ("word_boundaries", True)):
            rule.setdefault(flag, default)
            if not isinstance(rule[flag], bool):
                raise Refusal(f"rules[{index}].{flag} must be a boolean")
        if text in seen:
            raise Refusal(f"rules[{index}]: duplicate text {text!r}")
        seen.add(text)
        rules.append(rule)
    return rules
