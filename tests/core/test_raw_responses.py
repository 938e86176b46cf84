"""with_raw_response on every single-request call of every family.

Parametrized over the registry: a family added later is covered without new tests.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from yarl import URL

from tavus_async import Page, TavusClient
from tavus_async.resources._spec import FamilySpec

from _support.families import SPECS, WITH_DELETE, WITH_GET, WITH_LIST, family_ids
from _support.http import API_KEY, BASE


@pytest.mark.parametrize("spec", WITH_GET, ids=family_ids)
async def test_a_raw_get_describes_the_answer_and_parses_to_the_model(
    client: TavusClient, http: Any, spec: FamilySpec[Any]
) -> None:
    """status, case-insensitive headers, request id, timing, url, method; parse() is the model."""
    url = f"{BASE}{spec.path}/abc"
    http.get(url, payload={spec.id_field: "abc"}, headers={"X-Request-Id": "req-7"})

    raw = await getattr(client, spec.name).with_raw_response.get("abc")

    assert (raw.status_code, raw.method, raw.url) == (200, "GET", url)
    assert raw.headers["x-request-id"] == raw.headers["X-REQUEST-ID"] == "req-7"
    assert raw.request_id == "req-7"
    assert raw.elapsed >= 0
    model = raw.parse()
    assert isinstance(model, spec.model)
    assert spec.id_of(model) == "abc"


@pytest.mark.parametrize("spec", WITH_LIST, ids=family_ids)
async def test_a_raw_list_parses_to_the_page(
    client: TavusClient, http: Any, spec: FamilySpec[Any]
) -> None:
    """A raw list's parse() is the Page the plain call returns, and the options still apply."""
    # Any query: a family's list may also send a fixed filter of its own (legacy=false).
    listed = re.compile(re.escape(f"{BASE}{spec.path}?") + ".*")
    http.get(listed, payload={"data": [{spec.id_field: "a"}], "total_count": 9})

    raw = await getattr(client, spec.name).with_raw_response.list(limit=1, extra_query={"new": 1})

    assert {"limit": "1", "new": "1"}.items() <= URL(raw.url).query.items()
    page = raw.parse()
    assert isinstance(page, Page)
    assert (page.total_count, [spec.id_of(item) for item in page]) == (9, ["a"])


@pytest.mark.parametrize("spec", WITH_DELETE, ids=family_ids)
async def test_a_raw_delete_parses_to_none(
    client: TavusClient, http: Any, spec: FamilySpec[Any]
) -> None:
    """A call that returns nothing (a delete, a rename) still gives its status and headers."""
    http.delete(f"{BASE}{spec.path}/abc", status=204)

    raw = await getattr(client, spec.name).with_raw_response.delete("abc")

    assert (raw.status_code, raw.parse()) == (204, None)


@pytest.mark.parametrize("spec", WITH_GET, ids=family_ids)
async def test_a_retried_call_describes_the_answer_that_counted(
    client: TavusClient, http: Any, spec: FamilySpec[Any]
) -> None:
    """After a 503 and a retry, the raw response is the 200 that answered the call."""
    url = f"{BASE}{spec.path}/abc"
    http.get(url, status=503)
    http.get(url, payload={spec.id_field: "abc"}, headers={"X-Request-Id": "second"})

    raw = await getattr(client, spec.name).with_raw_response.get("abc")

    assert (raw.status_code, raw.request_id) == (200, "second")


@pytest.mark.parametrize("spec", WITH_GET, ids=family_ids)
async def test_a_key_echoed_in_a_response_header_is_not_in_the_raw_response(
    client: TavusClient, http: Any, spec: FamilySpec[Any]
) -> None:
    """Should a server echo the key in a header, the raw response shows it redacted."""
    http.get(f"{BASE}{spec.path}/abc", payload={spec.id_field: "abc"}, headers={"X-Echo": API_KEY})

    raw = await getattr(client, spec.name).with_raw_response.get("abc")

    assert API_KEY not in repr(raw) + str(dict(raw.headers))
    assert raw.headers["X-Echo"] == "[redacted]"


@pytest.mark.parametrize("spec", SPECS, ids=family_ids)
def test_only_single_request_calls_have_a_raw_form(
    client: TavusClient, spec: FamilySpec[Any]
) -> None:
    """Waits, iter, watch, download and private helpers have no raw form: AttributeError."""
    raw = getattr(client, spec.name).with_raw_response
    several = ["iter", "_get", "no_such_call"]
    if spec.job is not None:
        several += ["wait", "watch", "wait_many", "create_and_wait"]
    if spec.name == "videos":
        several.append("download")

    for name in several:
        with pytest.raises(AttributeError):
            getattr(raw, name)
    for name in ("get", "delete", "list"):
        if hasattr(getattr(client, spec.name), name):
            assert callable(getattr(raw, name))
