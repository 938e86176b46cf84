"""Faces and PALs under faults: a create is never sent twice once it may have acted; a
publish and a replace patch are sent again, an appending patch is not."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import APIConnectionError, ResponseValidationError, ServerError, TavusClient
from tavus_async.testing import FakeTavus

#: Faults after which the create may have made the face or PAL: it is never sent again.
MAY_HAVE_ACTED: list[dict[str, Any]] = [
    {"drop": True},
    {"drop_after": True},
    {"status": 503},
    {"status": 502},
    {"malformed": True},
    {"truncated": True},
]
STOCK_FACE = "r783537ef5"


def _posts(fake: FakeTavus, path: str) -> list[str | None]:
    return [r.created for r in fake.requests if r.method == "POST" and r.path == path]


def _fault_id(fault: dict[str, Any]) -> str:
    return next(iter(fault)) + str(fault.get("status", ""))


@pytest.mark.parametrize("fault", MAY_HAVE_ACTED, ids=_fault_id)
async def test_a_face_create_that_may_have_acted_is_sent_once(
    fake: FakeTavus, tavus: TavusClient, fault: dict[str, Any]
) -> None:
    """After a lost, failed or unreadable answer the face's create is not sent again."""
    fake.fault(method="POST", path="/v2/faces", **fault)

    with pytest.raises((APIConnectionError, ServerError, ResponseValidationError)):
        await tavus.faces.create(train_video_url="https://cdn.example.com/t.mp4")

    assert len(_posts(fake, "/v2/faces")) == 1
    assert len([f for f in fake.jobs.faces.values() if f.face_type == "user"]) <= 1


@pytest.mark.parametrize("fault", MAY_HAVE_ACTED, ids=_fault_id)
async def test_a_pal_create_that_may_have_acted_is_sent_once(
    fake: FakeTavus, tavus: TavusClient, fault: dict[str, Any]
) -> None:
    """After a lost, failed or unreadable answer the PAL's create is not sent again."""
    fake.fault(method="POST", path="/v2/pals", **fault)

    with pytest.raises((APIConnectionError, ServerError, ResponseValidationError)):
        await tavus.pals.create(default_face_id=STOCK_FACE, system_prompt="Be kind.")

    assert len(_posts(fake, "/v2/pals")) == 1
    assert len([p for p in fake.jobs.pals.values() if p.pal_type == "user"]) <= 1


async def test_creates_refused_429_are_retried_into_one_each(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """A 429 did nothing: each create is sent again and makes one face, one PAL."""
    fake.fault(method="POST", path="/v2/faces", status=429)
    fake.fault(method="POST", path="/v2/pals", status=429)

    face = await tavus.faces.create(train_video_url="https://cdn.example.com/t.mp4")
    pal = await tavus.pals.create(default_face_id=face.face_id, system_prompt="Hi.")

    assert [i for i in _posts(fake, "/v2/faces") if i] == [face.face_id]
    assert [i for i in _posts(fake, "/v2/pals") if i] == [pal.pal_id]


async def test_a_publish_is_retried_after_a_503(fake: FakeTavus, tavus: TavusClient) -> None:
    """Publishing the same draft twice does no more than once: a 503 is tried again."""
    pal = await tavus.pals.create(default_face_id=STOCK_FACE, system_prompt="Hi.")
    fake.fault(method="POST", path="/v2/pals/*/publish", status=503)

    await tavus.pals.publish(pal.pal_id)

    assert len([r for r in fake.requests if r.path.endswith("/publish")]) == 2
    assert fake.jobs.pals[pal.pal_id].publishes == 1


async def test_an_appending_pal_patch_is_not_sent_twice(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """An add at /-, applied twice, would append twice: after a 503 it is not sent again."""
    pal = await tavus.pals.create(
        default_face_id=STOCK_FACE, system_prompt="x", document_tags=["faq"]
    )
    fake.fault(method="PATCH", path="/v2/pals/*", status=503)

    with pytest.raises(ServerError):
        await tavus.pals.update(
            pal.pal_id, [{"op": "add", "path": "/document_tags/-", "value": "pricing"}]
        )

    assert len([r for r in fake.requests if r.method == "PATCH"]) == 1
    assert fake.jobs.pals[pal.pal_id].body["document_tags"] == ["faq"]
