"""Per-call options on every call of every family, checked before any request.

Parametrized over the registry: a family added later is covered without new tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import TavusClient
from tavus_async._core.options import CallOptions
from tavus_async.resources._spec import FamilySpec

from _support.families import NAMED, SPECS, WITH_GET, WITH_LIST, family_ids
from _support.http import API_KEY, BASE, sent, total_requests


@pytest.mark.parametrize("spec", WITH_GET, ids=family_ids)
async def test_extra_query_and_headers_reach_a_get(
    client: TavusClient, http: Any, spec: FamilySpec[Any]
) -> None:
    """extra_query joins the query string and extra_headers the headers of that request only."""
    url = f"{BASE}{spec.path}/abc?flag=true&n=2&new_filter=yes"  # as aioresponses sorts it
    http.get(url, payload={spec.id_field: "abc"})
    http.get(f"{BASE}{spec.path}/abc", payload={spec.id_field: "abc"})
    api = getattr(client, spec.name)

    await api.get(
        "abc",
        extra_query={"new_filter": "yes", "n": 2, "flag": True},
        extra_headers={"X-Trace": "t1"},
    )
    await api.get("abc")

    (first,) = sent(http, "GET", url)
    (second,) = sent(http, "GET", f"{BASE}{spec.path}/abc")
    assert first.kwargs["headers"]["X-Trace"] == "t1"
    assert first.kwargs["headers"]["x-api-key"] == API_KEY
    assert "X-Trace" not in second.kwargs["headers"]


@pytest.mark.parametrize("spec", NAMED, ids=family_ids)
async def test_extra_body_is_merged_last_and_may_override(
    client: TavusClient, http: Any, spec: FamilySpec[Any]
) -> None:
    """extra_body joins a call's JSON body at the top level, after its own fields."""
    url = f"{BASE}{spec.path}/abc/name"
    http.patch(url, status=200)

    await getattr(client, spec.name).rename(
        "abc", "Old", extra_body={spec.name_field: "New", "note": {"a": 1}}
    )

    (call,) = sent(http, "PATCH", url)
    assert call.kwargs["json"] == {spec.name_field: "New", "note": {"a": 1}}


@pytest.mark.parametrize("spec", SPECS, ids=family_ids)
async def test_extra_body_is_refused_where_nothing_is_sent(
    client: TavusClient, http: Any, spec: FamilySpec[Any]
) -> None:
    """A GET or DELETE carries no body: extra_body there is a ValueError, sending nothing."""
    api = getattr(client, spec.name)
    calls = {
        "get": lambda: api.get("abc", extra_body={"x": 1}),
        "delete": lambda: api.delete("abc", extra_body={"x": 1}),
        "list": lambda: api.list(extra_body={"x": 1}),
    }
    if spec.name == "memories":  # its delete names the store too
        calls["delete"] = lambda: api.delete("anna", "abc", extra_body={"x": 1})
    if spec.name in ("pal_tools", "pal_skills"):  # their calls name the PAL first
        calls["list"] = lambda: api.list("p1", extra_body={"x": 1})
        calls["get"] = lambda: api.get("p1", "abc", extra_body={"x": 1})
        calls["detach"] = lambda: api.detach("p1", "abc", extra_body={"x": 1})
    if spec.name == "canvas_interactions":  # its list names the conversation
        calls["list"] = lambda: api.list("abc", extra_body={"x": 1})

    for name, call in calls.items():
        if name in spec.generic_calls or hasattr(api, name):
            with pytest.raises(ValueError, match="extra_body"):
                await call()

    assert total_requests(http) == 0


async def test_extra_body_is_refused_with_a_json_patch_body(client: TavusClient) -> None:
    """A body that is a JSON array (a JSON Patch update) cannot take extra_body."""
    requester = client._requester

    with pytest.raises(ValueError, match="JSON Patch"):
        requester.request(
            "PATCH",
            "/v2/things/abc",
            json_body=[{"op": "remove", "path": "/a"}],  # type: ignore[arg-type]
            options=CallOptions(extra_body={"x": 1}),
        )


BAD_OPTIONS: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"extra_body": ["a"]}, TypeError, "extra_body"),
    ({"extra_body": {1: "a"}}, TypeError, "extra_body"),
    ({"extra_query": "a=1"}, TypeError, "extra_query"),
    ({"extra_query": {"a": [1]}}, TypeError, "extra_query"),
    ({"extra_headers": {"X-A": 1}}, TypeError, "extra_headers"),
    ({"extra_headers": {"x-api-key": "other"}}, ValueError, "x-api-key"),
    ({"extra_headers": {"X-API-KEY": "other"}}, ValueError, "X-API-KEY"),
    ({"extra_headers": {"Host": "evil.example"}}, ValueError, "Host"),
    ({"extra_headers": {"X-A": "a\r\nX-B: b"}}, ValueError, "extra_headers"),
    ({"extra_headers": {"x-api-key:": "other"}}, ValueError, "header name"),
    ({"extra_headers": {"X Trace": "1"}}, ValueError, "header name"),
    ({"extra_headers": {"X_Api_Key": "other"}}, ValueError, "X_Api_Key"),
    ({"extra_headers": {"Content-Length": "500"}}, ValueError, "Content-Length"),
    ({"extra_headers": {"X-A": "bell\x07"}}, ValueError, "extra_headers"),
    ({"extra_body": {"x": float("nan")}}, TypeError, "extra_body"),
    ({"extra_body": {"x": object()}}, TypeError, "extra_body"),
    ({"timeout": -1}, ValueError, "timeout"),
    ({"timeout": 0}, ValueError, "timeout"),
    ({"timeout": float("inf")}, ValueError, "timeout"),
    ({"timeout": "5"}, TypeError, "timeout"),
    ({"max_retries": -1}, ValueError, "max_retries"),
    ({"max_retries": True}, TypeError, "max_retries"),
    ({"max_retries": 1.5}, TypeError, "max_retries"),
    ({"verbos": True}, TypeError, "verbos"),
]


@pytest.mark.parametrize(("options", "error", "names"), BAD_OPTIONS)
@pytest.mark.parametrize("spec", WITH_GET, ids=family_ids)
async def test_bad_options_fail_before_any_request(
    client: TavusClient,
    http: Any,
    spec: FamilySpec[Any],
    options: dict[str, Any],
    error: type[Exception],
    names: str,
) -> None:
    """A bad or unknown option fails with an error naming it, and nothing is sent."""
    with pytest.raises(error, match=names):
        await getattr(client, spec.name).get("abc", **options)

    assert total_requests(http) == 0


@pytest.mark.parametrize("spec", WITH_GET, ids=family_ids)
async def test_timeout_is_the_calls_own(
    client: TavusClient, http: Any, spec: FamilySpec[Any]
) -> None:
    """timeout= bounds that call's request; the next call has the client's timeout again."""
    url = f"{BASE}{spec.path}/abc"
    http.get(url, payload={spec.id_field: "abc"}, repeat=True)
    api = getattr(client, spec.name)

    await api.get("abc", timeout=2.5)
    await api.get("abc")

    first, second = sent(http, "GET", url)
    assert first.kwargs["timeout"].total == 2.5
    assert second.kwargs["timeout"].total == 30.0


@pytest.mark.parametrize("spec", WITH_GET, ids=family_ids)
@pytest.mark.parametrize(("max_retries", "tries"), [(0, 1), (1, 2), (5, 6)])
async def test_max_retries_is_the_calls_own(
    client: TavusClient, http: Any, spec: FamilySpec[Any], max_retries: int, tries: int
) -> None:
    """max_retries= sets how often that call's idempotent request is tried again."""
    url = f"{BASE}{spec.path}/abc"
    http.get(url, status=503, repeat=True)

    with pytest.raises(Exception, match="503"):
        await getattr(client, spec.name).get("abc", max_retries=max_retries)

    assert len(sent(http, "GET", url)) == tries


@pytest.mark.parametrize("spec", WITH_LIST, ids=family_ids)
def test_calls_of_many_requests_refuse_extra_body_at_once(
    client: TavusClient, spec: FamilySpec[Any]
) -> None:
    """iter (and a job family's watch and wait_many) refuse extra_body when called."""
    api = getattr(client, spec.name)

    with pytest.raises(ValueError, match="extra_body"):
        api.iter(extra_body={"a": 1})
    with pytest.raises(ValueError, match="limit, page"):
        api.iter(extra_query={"limit": 10, "page": 2})
    if spec.job is not None:
        with pytest.raises(ValueError, match="extra_body"):
            api.watch("abc", extra_body={"a": 1})
        with pytest.raises(ValueError, match="extra_body"):
            api.wait_many(["abc"], extra_body={"a": 1})


@pytest.mark.parametrize("spec", WITH_GET, ids=family_ids)
async def test_an_empty_extra_body_adds_nothing_anywhere(
    client: TavusClient, http: Any, spec: FamilySpec[Any]
) -> None:
    """extra_body={} is nothing to send: a GET takes it without complaint."""
    http.get(f"{BASE}{spec.path}/abc", payload={spec.id_field: "abc"})

    await getattr(client, spec.name).get("abc", extra_body={})

    assert total_requests(http) == 1
