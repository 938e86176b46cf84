"""pal_skills calls against mocks of Tavus's documented answers."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from tavus_async import BadRequestError, PalSkill, ResponseValidationError, TavusClient

from _support.http import BASE, sent, total_requests

SKILLS = f"{BASE}/v2/pals/p123/skills"
STAMP = "2026-06-10T14:30:45.123456+00:00"
PRESENTATION = {"skill_id": "presentation",
                "config": {"document_ids": ["d1"], "slides_trigger": "walk_the_deck"},
                "attached_at": STAMP, "updated_at": STAMP}  # fmt: skip
SEARCH = {"skill_id": "internet_search", "config": {}, "attached_at": STAMP, "updated_at": STAMP}


async def test_list_reads_the_object_keyed_by_skill_id(client: TavusClient, http: Any) -> None:
    """list reads {"data": {skill_id: attachment}} as a dict of PalSkills, in Tavus's order."""
    http.get(SKILLS, payload={"data": {"presentation": PRESENTATION, "internet_search": SEARCH}})

    skills = await client.pal_skills.list("p123")

    assert list(skills) == ["presentation", "internet_search"]
    assert skills["presentation"].config == {
        "document_ids": ["d1"],
        "slides_trigger": "walk_the_deck",
    }
    assert skills["internet_search"].attached_at == datetime(
        2026, 6, 10, 14, 30, 45, 123456, tzinfo=timezone.utc
    )


async def test_list_takes_an_attachment_without_its_id_from_its_key(
    client: TavusClient, http: Any
) -> None:
    """An attachment that leaves its skill_id out takes it from its key."""
    http.get(SKILLS, payload={"data": {"internet_search": {"config": {}}}})

    assert (await client.pal_skills.list("p123")) == {
        "internet_search": PalSkill(skill_id="internet_search", config={})
    }


async def test_a_list_that_is_not_keyed_by_skill_is_a_validation_error(
    client: TavusClient, http: Any
) -> None:
    """A data that is not an object keyed by skill_id is ResponseValidationError."""
    http.get(SKILLS, payload={"data": [SEARCH]})

    with pytest.raises(ResponseValidationError, match="keyed by skill_id"):
        await client.pal_skills.list("p123")


async def test_replace_puts_every_skill_with_its_config(client: TavusClient, http: Any) -> None:
    """replace PUTs {"skills": {id: {"config": ...}}}, None meaning an empty config."""
    http.put(SKILLS, payload={"data": {"internet_search": SEARCH, "presentation": PRESENTATION}})

    replaced = await client.pal_skills.replace(
        "p123", {"internet_search": None, "presentation": {"document_ids": ["d1"]}}
    )

    (call,) = sent(http, "PUT", SKILLS)
    assert call.kwargs["json"] == {
        "skills": {
            "internet_search": {"config": {}},
            "presentation": {"config": {"document_ids": ["d1"]}},
        }
    }
    assert list(replaced) == ["internet_search", "presentation"]


async def test_get_and_attach_read_one_attachment(client: TavusClient, http: Any) -> None:
    """get reads the attachment; attach PUTs {"config": ...} ({} when none is given)."""
    http.get(f"{SKILLS}/presentation", payload=PRESENTATION)
    http.put(f"{SKILLS}/internet_search", payload=SEARCH)

    got = await client.pal_skills.get("p123", "presentation")
    attached = await client.pal_skills.attach("p123", "internet_search")

    assert got == PalSkill.from_dict(PRESENTATION)
    (call,) = sent(http, "PUT", f"{SKILLS}/internet_search")
    assert call.kwargs["json"] == {"config": {}}
    assert attached == PalSkill.from_dict(SEARCH)


async def test_update_sends_the_config_as_given_nulls_included(
    client: TavusClient, http: Any
) -> None:
    """update PATCHes the config exactly as given: a None is sent as null (it removes the key)."""
    http.patch(
        f"{SKILLS}/presentation", payload={**PRESENTATION, "config": {"document_ids": ["d1"]}}
    )

    updated = await client.pal_skills.update(
        "p123", "presentation", config={"slides_trigger": None, "prompt": "Be brief."}
    )

    (call,) = sent(http, "PATCH", f"{SKILLS}/presentation")
    assert call.kwargs["json"] == {"config": {"slides_trigger": None, "prompt": "Be brief."}}
    assert updated is not None
    assert updated.config == {"document_ids": ["d1"]}


async def test_an_answer_without_the_attachment_is_none(client: TavusClient, http: Any) -> None:
    """attach and update return None when Tavus answers no attachment (a message)."""
    http.put(f"{SKILLS}/internet_search", payload={"message": "ok"})

    assert await client.pal_skills.attach("p123", "internet_search", config={}) is None


async def test_detach_sends_a_delete_and_unknown_skills_are_bad_requests(
    client: TavusClient, http: Any
) -> None:
    """detach DELETEs the one skill; Tavus's "Unknown skill" 400 is a BadRequestError."""
    http.delete(f"{SKILLS}/presentation", status=204)
    http.put(f"{SKILLS}/my_skill", status=400, payload={"error": "Unknown skill 'my_skill'"})

    await client.pal_skills.detach("p123", "presentation")
    with pytest.raises(BadRequestError, match="Unknown skill"):
        await client.pal_skills.attach("p123", "my_skill")

    assert len(sent(http, "DELETE", f"{SKILLS}/presentation")) == 1


@pytest.mark.parametrize(
    ("call", "error", "named"),
    [
        (lambda t: t.pal_skills.list("../p"), ValueError, "pal_id"),
        (lambda t: t.pal_skills.get("p1", "a/b"), ValueError, "skill_id"),
        (lambda t: t.pal_skills.replace("p1", ["internet_search"]), TypeError, "skills"),
        (lambda t: t.pal_skills.replace("p1", {"a b": {}}), ValueError, "skills"),
        (lambda t: t.pal_skills.replace("p1", {"x": "on"}), TypeError, r"skills\['x'\]"),
        (lambda t: t.pal_skills.attach("p1", "x", config=["a"]), TypeError, "config"),
        (lambda t: t.pal_skills.update("p1", "x", config={"a": float("nan")}), TypeError, "config"),
        (lambda t: t.pal_skills.update("", "x", config={}), ValueError, "pal_id"),
        (lambda t: t.pal_skills.detach("p1", None), TypeError, "skill_id"),
    ],
)
async def test_bad_input_fails_before_any_request(
    client: TavusClient, http: Any, call: Any, error: type, named: str
) -> None:
    """Unsafe ids, a skills that is not a mapping and configs that are not JSON objects are
    refused before any request, naming them."""
    with pytest.raises(error, match=named):
        await call(client)

    assert total_requests(http) == 0
