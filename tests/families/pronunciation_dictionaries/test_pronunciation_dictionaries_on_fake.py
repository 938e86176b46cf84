"""pronunciation_dictionaries against FakeTavus over real sockets: the whole life of one."""

from __future__ import annotations

import pytest

from tavus_async import (
    BadRequestError,
    NotFoundError,
    PronunciationRule,
    TavusClient,
    json_patch,
)
from tavus_async.testing import FakeTavus

TAVUS = PronunciationRule(text="Tavus", pronunciation="TAH-vus", type="alias")


async def test_a_dictionary_is_created_renamed_given_new_rules_and_deleted(
    tavus: TavusClient, fake: FakeTavus
) -> None:
    """Each change reaches get; the rules are replaced whole; a no-op patch is fine too."""
    api = tavus.pronunciation_dictionaries
    created = await api.create(name="Brand", rules=[TAVUS])
    dictionary_id = created.pronunciation_dictionary_id
    assert dictionary_id.startswith("pd_")
    assert created.rules == (
        PronunciationRule(
            text="Tavus", pronunciation="TAH-vus", type="alias",
            case_sensitive=False, word_boundaries=True,
        ),
    )  # fmt: skip

    sql = PronunciationRule(text="SQL", pronunciation="sikwel", type="ipa", case_sensitive=True)
    await api.update(
        dictionary_id,
        [
            {"op": "replace", "path": "/name", "value": "Brand v2"},
            {"op": "replace", "path": "/rules", "value": [TAVUS, sql]},
        ],
    )
    await api.update(dictionary_id, [{"op": "replace", "path": "/name", "value": "Brand v2"}])
    got = await api.get(dictionary_id)

    assert (got.name, got.rules_count) == ("Brand v2", 2)
    assert got.rules is not None
    assert [(r.text, r.type, r.case_sensitive) for r in got.rules] == [
        ("Tavus", "alias", False),
        ("SQL", "ipa", True),
    ]
    assert [r.method for r in fake.requests].count("PATCH") == 2

    await api.delete(dictionary_id)
    with pytest.raises(NotFoundError):
        await api.get(dictionary_id)


async def test_read_only_fields_are_ignored_and_single_rules_refused(tavus: TavusClient) -> None:
    """A patch of the id is ignored (304); one of a single rule is refused, as Tavus says."""
    api = tavus.pronunciation_dictionaries
    created = await api.create(name="Brand", rules=[TAVUS])
    dictionary_id = created.pronunciation_dictionary_id
    before = (await api.get(dictionary_id)).to_dict()
    rules = [*before["rules"], {"text": "SDK", "pronunciation": "S D K", "type": "alias"}]

    await api.update(dictionary_id, [{"op": "replace", "path": "/created_at", "value": "x"}])
    with pytest.raises(BadRequestError, match="rules as the whole list"):
        await api.update(dictionary_id, json_patch(before, {**before, "rules": rules}))
    await api.update(dictionary_id, [{"op": "replace", "path": "/rules", "value": rules}])

    after = await api.get(dictionary_id)
    assert after.created_at == created.created_at
    assert after.rules_count == 2


async def test_tavus_refuses_what_it_documents(tavus: TavusClient) -> None:
    """A rule without its pronunciation, or a duplicate text, is Tavus's 400."""
    api = tavus.pronunciation_dictionaries

    with pytest.raises(BadRequestError, match="pronunciation"):
        await api.create(name="x", rules=[{"text": "Tavus", "type": "alias"}])
    with pytest.raises(BadRequestError, match="duplicate"):
        await api.create(name="x", rules=[TAVUS, TAVUS])


async def test_lists_count_pages_from_zero_newest_first(tavus: TavusClient) -> None:
    """Pages count from 0, newest first unless sort=asc; iter sees each once."""
    api = tavus.pronunciation_dictionaries
    made = [(await api.create(name=f"d{i}")).pronunciation_dictionary_id for i in range(5)]

    first = await api.list(limit=2, page=0)
    oldest = await api.list(limit=2, page=0, sort="asc")
    walked = [d.pronunciation_dictionary_id async for d in api.iter(page_size=2)]

    assert first.total_count == 5
    assert [d.pronunciation_dictionary_id for d in first] == made[::-1][:2]
    assert [d.pronunciation_dictionary_id for d in oldest] == made[:2]
    assert all(d.rules is None and d.rules_count == 0 for d in first)
    assert walked == made[::-1]
