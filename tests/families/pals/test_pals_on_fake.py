"""pals against FakeTavus over real sockets: create, get, edit by JSON Patch, publish, delete."""

from __future__ import annotations

import aiohttp
import pytest

from tavus_async import BadRequestError, TavusClient, UnprocessableEntityError, json_patch
from tavus_async.testing import FakeTavus

STOCK_FACE = "r783537ef5"


async def test_a_pal_is_created_edited_published_and_deleted(
    tavus: TavusClient, fake: FakeTavus
) -> None:
    """An edited to_dict() sent as json_patch(before, after) is what get returns; publish
    makes the draft the published PAL."""
    created = await tavus.pals.create(
        pal_name="Coach",
        system_prompt="Be kind.",
        default_face_id=STOCK_FACE,
        layers={"llm": {"model": "tavus-glm-4.7", "api_key": "sk-llm-123"}},
        document_tags=["faq"],
    )
    assert created.conferencing_email == "coach@tavusinvite.com"

    before = (await tavus.pals.get(created.pal_id)).to_dict()
    after = {**before, "system_prompt": "Be brief.", "document_tags": ["faq", "pricing"]}
    await tavus.pals.update(created.pal_id, json_patch(before, after))
    edited = await tavus.pals.get(created.pal_id)
    assert fake.jobs.pals[created.pal_id].published is None
    await tavus.pals.publish(created.pal_id)
    published = fake.jobs.pals[created.pal_id].published
    await tavus.pals.delete(created.pal_id)

    assert (edited.system_prompt, edited.document_tags) == ("Be brief.", ("faq", "pricing"))
    assert edited.layers == {"llm": {"model": "tavus-glm-4.7", "api_key": "sk-llm-123"}}
    assert edited.pal_type == "user"
    assert published is not None
    assert published["system_prompt"] == "Be brief."
    with pytest.raises(BadRequestError, match="Invalid pal_id"):
        await tavus.pals.get(created.pal_id)


async def test_list_filters_by_pal_type(tavus: TavusClient) -> None:
    """pal_type=system lists only the stock PALs; user only those made here."""
    mine = await tavus.pals.create(default_face_id=STOCK_FACE, system_prompt="Hi.")

    system = [p async for p in tavus.pals.iter(pal_type="system")]
    user = [p.pal_id async for p in tavus.pals.iter(pal_type="user")]

    assert {p.pal_type for p in system} == {"system"}
    assert {p.default_face_id for p in system} == {STOCK_FACE}
    assert user == [mine.pal_id]


async def test_a_patch_that_changes_nothing_succeeds(tavus: TavusClient) -> None:
    """A replace with the same value is Tavus's 304: update still succeeds."""
    pal = await tavus.pals.create(default_face_id=STOCK_FACE, system_prompt="Same.")

    await tavus.pals.update(
        pal.pal_id, [{"op": "replace", "path": "/system_prompt", "value": "Same."}]
    )

    assert (await tavus.pals.get(pal.pal_id)).system_prompt == "Same."


async def test_a_patch_that_cannot_apply_is_a_bad_request(tavus: TavusClient) -> None:
    """A patch to a missing path is refused and leaves the PAL as it was."""
    pal = await tavus.pals.create(default_face_id=STOCK_FACE, system_prompt="Kept.")

    with pytest.raises(BadRequestError):
        await tavus.pals.update(pal.pal_id, [{"op": "remove", "path": "/nothing/here"}])

    assert (await tavus.pals.get(pal.pal_id)).system_prompt == "Kept."


@pytest.mark.parametrize(
    "patch", [b'{"op": "replace"}', b'[{"op": "rename", "path": "/x"}]', b"[1"]
)
async def test_a_body_that_is_no_json_patch_is_tavus_422(
    tavus: TavusClient, fake: FakeTavus, patch: bytes
) -> None:
    """FakeTavus answers what is not a JSON Patch (the SDK never sends it) as Tavus does."""
    pal = await tavus.pals.create(default_face_id=STOCK_FACE, system_prompt="x")
    url = f"{fake.base_url}/v2/pals/{pal.pal_id}"

    headers = {"x-api-key": fake.api_key}
    async with (
        aiohttp.ClientSession() as session,
        session.patch(url, data=patch, headers=headers) as answer,
    ):
        status, body = answer.status, await answer.json()

    assert (status, body) == (422, {"message": "Invalid JSON patch format"})


async def test_the_fake_wants_a_face_it_has(tavus: TavusClient) -> None:
    """A default_face_id naming no face, or none at all, is refused as Tavus refuses it."""
    with pytest.raises(BadRequestError, match="Invalid default_face_id"):
        await tavus.pals.create(default_face_id="r0000000000", system_prompt="x")
    with pytest.raises(BadRequestError, match="default_face_id"):
        await tavus.pals.create(default_face_id=STOCK_FACE, extra_body={"default_face_id": None})


async def test_stock_pals_cannot_be_changed(tavus: TavusClient) -> None:
    """A system PAL refuses patches, publishing and deletion."""
    stock = next(iter([p async for p in tavus.pals.iter(pal_type="system")]))

    with pytest.raises(BadRequestError):
        await tavus.pals.publish(stock.pal_id)
    with pytest.raises(BadRequestError):
        await tavus.pals.delete(stock.pal_id)
    with pytest.raises((BadRequestError, UnprocessableEntityError)):
        await tavus.pals.update(
            stock.pal_id, [{"op": "replace", "path": "/pal_name", "value": "Mine"}]
        )
