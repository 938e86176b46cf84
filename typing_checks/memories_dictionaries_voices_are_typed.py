"""Checked by ``mypy --strict`` in .ci/run, never run: what ``tavus.memories``,
``tavus.pronunciation_dictionaries`` and ``tavus.voices`` promise a type checker."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from typing_extensions import assert_type

from tavus_async import (
    Page,
    PatchOperation,
    PronunciationDictionary,
    PronunciationRule,
    RawResponse,
    TavusClient,
    Voice,
    VoiceTag,
)


async def memories(tavus: TavusClient) -> None:
    """A memory's delete returns None; memories have no list or get."""
    assert_type(await tavus.memories.delete("anna_p123", "m1", timeout=5), None)
    raw = await tavus.memories.with_raw_response.delete("anna_p123", "m1")
    assert_type(raw, RawResponse[Any])
    tavus.memories.list()  # type: ignore[attr-defined]
    await tavus.memories.delete(store="anna", memory_id="m1")  # type: ignore[call-arg]


async def dictionaries(tavus: TavusClient) -> None:
    """Each call returns its dictionary, page, walk or None; rules are typed or mappings."""
    api = tavus.pronunciation_dictionaries
    rule = PronunciationRule(text="Tavus", pronunciation="TAH-vus", type="alias")
    created = await api.create(name="Brand", rules=[rule, {"text": "SQL", "type": "ipa"}])
    assert_type(created, PronunciationDictionary)
    assert_type(created.rules, tuple[PronunciationRule, ...] | None)
    assert_type(await api.list(page=0, sort="asc"), Page[PronunciationDictionary])
    assert_type(api.iter(sort="desc"), AsyncGenerator[PronunciationDictionary, None])
    assert_type(await api.get(created.pronunciation_dictionary_id), PronunciationDictionary)
    operation = PatchOperation(op="replace", path="/rules", value=[rule])
    assert_type(await api.update(created.pronunciation_dictionary_id, [operation]), None)
    assert_type(await api.delete(created.pronunciation_dictionary_id), None)
    await api.create(rules=[rule])  # type: ignore[call-arg]
    await api.create(name="x", rules=["Tavus"])  # type: ignore[list-item]


async def voices(tavus: TavusClient) -> None:
    """The voice list pages and walks typed voices; voices have no get."""
    page = await tavus.voices.list(search="an", sort="asc", tag="female", limit=10, page=1)
    assert_type(page, Page[Voice])
    assert_type(tavus.voices.iter(tag="english"), AsyncGenerator[Voice, None])
    for voice in page:
        assert_type(voice.voice_name, str)
        assert_type(voice.tags, tuple[VoiceTag, ...] | None)
    await tavus.voices.get("anna")  # type: ignore[attr-defined]
