"""The calls every family has, tested once for each family the client declares.

Parametrized over the registry (``families()``): a family added later is covered by
these tests without new ones.
"""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import TavusClient, __version__
from tavus_async.resources._spec import FamilySpec

from _support.families import NAMED, SPECS, WITH_DELETE, WITH_GET, family_ids
from _support.http import BASE, sent, total_requests

# verbose=True only for the families whose get takes it (their calls have the argument).
GETS = [
    (spec, verbose) for spec in WITH_GET for verbose in (False, True) if spec.verbose or not verbose
]
DELETES = [
    (spec, hard) for spec in WITH_DELETE for hard in (False, True) if spec.hard_delete or not hard
]
#: The families with a generic call that takes an id.
BY_ID = [spec for spec in SPECS if spec.generic_calls & {"get", "delete"}]


def call_ids(case: object) -> str:
    return family_ids(case) if not isinstance(case, bool) else str(case)


@pytest.mark.parametrize(("spec", "verbose"), GETS, ids=call_ids)
async def test_get(client: TavusClient, http: Any, spec: FamilySpec[Any], verbose: bool) -> None:
    """get reads one object by id as the family's model; verbose=True adds ?verbose=true."""
    query = "?verbose=true" if verbose else ""
    url = f"{BASE}{spec.path}/abc123{query}"
    http.get(url, payload={spec.id_field: "abc123", "status": "x"})

    options = {"verbose": True} if verbose else {}
    obj = await getattr(client, spec.name).get("abc123", **options)

    assert isinstance(obj, spec.model)
    assert spec.id_of(obj) == "abc123"
    assert len(sent(http, "GET", url)) == 1
    assert total_requests(http) == 1


@pytest.mark.parametrize("spec", NAMED, ids=family_ids)
@pytest.mark.parametrize(
    "answer", [{"status": 200}, {"status": 204}, {"status": 200, "body": "OK"}]
)
async def test_rename(
    client: TavusClient, http: Any, spec: FamilySpec[Any], answer: dict[str, Any]
) -> None:
    """rename PATCHes {name_field: name} to /name and takes any 2xx, with or without a body."""
    url = f"{BASE}{spec.path}/abc123/name"
    http.patch(url, **answer)

    result = await getattr(client, spec.name).rename("abc123", "New name")

    assert result is None
    (call,) = sent(http, "PATCH", url)
    assert call.kwargs["json"] == {spec.name_field: "New name"}


@pytest.mark.parametrize(("spec", "hard"), DELETES, ids=call_ids)
async def test_delete(client: TavusClient, http: Any, spec: FamilySpec[Any], hard: bool) -> None:
    """delete sends DELETE, with ?hard=true only for a hard delete, and takes a 204."""
    url = f"{BASE}{spec.path}/abc123{'?hard=true' if hard else ''}"
    http.delete(url, status=204)

    options = {"hard": True} if hard else {}
    assert await getattr(client, spec.name).delete("abc123", **options) is None

    assert len(sent(http, "DELETE", url)) == 1
    assert total_requests(http) == 1


async def test_requests_carry_key_and_user_agent(client: TavusClient, http: Any) -> None:
    """Every request sends x-api-key and a User-Agent naming tavus-async and its version."""
    http.get(f"{BASE}/v2/videos/v1", payload={"video_id": "v1"})

    await client.videos.get("v1")

    (call,) = sent(http, "GET", f"{BASE}/v2/videos/v1")
    headers = call.kwargs["headers"]
    assert headers["x-api-key"] == "tvs-test-key-0123456789abcdef"
    assert headers["User-Agent"].startswith(f"tavus-async/{__version__} ")
    assert call.kwargs["allow_redirects"] is False


BAD_IDS = ["", "a/b", "a?b", "a#b", "a b", " r1", "..", "r1\n", "a%2Fb", "ré"]


@pytest.mark.parametrize("bad_id", BAD_IDS)
@pytest.mark.parametrize("spec", BY_ID, ids=family_ids)
async def test_bad_ids_fail_before_any_request(
    client: TavusClient, http: Any, spec: FamilySpec[Any], bad_id: str
) -> None:
    """An empty or unsafe id raises ValueError naming the id argument and sends nothing."""
    api = getattr(client, spec.name)
    calls = [getattr(api, name)(bad_id) for name in ("get", "delete") if name in spec.generic_calls]
    if spec.name_field is not None:
        calls.append(api.rename(bad_id, "x"))

    for call in calls:
        with pytest.raises(ValueError, match=spec.id_field):
            await call

    assert total_requests(http) == 0


@pytest.mark.parametrize("spec", SPECS, ids=family_ids)
async def test_bad_flags_and_names_fail_before_any_request(
    client: TavusClient, http: Any, spec: FamilySpec[Any]
) -> None:
    """A non-boolean verbose or hard, or a new name that is not a string, is refused at once."""
    api = getattr(client, spec.name)

    if spec.verbose:
        with pytest.raises(TypeError, match="verbose"):
            await api.get("abc", verbose="yes")
    if spec.hard_delete:
        with pytest.raises(TypeError, match="hard"):
            await api.delete("abc", hard=1)
    if spec.name_field is not None:
        with pytest.raises(TypeError, match="name"):
            await api.rename("abc", 5)

    assert total_requests(http) == 0
