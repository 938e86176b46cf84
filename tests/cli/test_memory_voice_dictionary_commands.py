"""The `memories`, `voices` and `pronunciation-dictionaries` commands, as real subprocesses."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus
from tavus_async.testing._routes.memories import STOCK_MEMORY, FakeMemory

from _support.cli import api_error, block, environment, json_lines, tavus_async


async def test_memories_delete_takes_a_store_and_an_id(fake: FakeTavus) -> None:
    """`memories delete STORE ID` deletes it (a store of any word); again, it is not found;
    an unsafe store is a usage error; memories have no list or get."""
    mine = FakeMemory(memory_store="Änne's", memory_id="m42")
    fake.jobs.memories[mine.key] = mine
    env = environment(fake)

    (code, out, _), (json_code, json_out, _) = await asyncio.gather(
        tavus_async("memories", "delete", "Änne's", "m42", env=env),
        tavus_async(
            "--json", "memories", "delete", STOCK_MEMORY.memory_store, STOCK_MEMORY.memory_id,
            env=env,
        ),
    )  # fmt: skip
    again = await tavus_async("memories", "delete", "Änne's", "m42", env=env)
    unsafe = await tavus_async("memories", "delete", "a/b", "m1", env=env)
    listing = await tavus_async("memories", "list", env=env)

    assert (code, json_code) == (0, 0)
    assert block(out) == {"memory_store": "Änne's", "memory_id": "m42", "deleted": "True"}
    assert json_lines(json_out) == [
        {"memory_store": "anna_p9a95912", "memory_id": "m5c1e0a7f42", "deleted": True}
    ]
    assert fake.jobs.memories == {}
    assert "Memory not found" in api_error(*again)
    assert unsafe[0] == 2
    assert "memory_store" in unsafe[2]
    assert listing[0] == 2
    assert "invalid choice: 'list'" in listing[2]


async def test_voices_list_filters(fake: FakeTavus) -> None:
    """`voices list` shows every stock voice; --search, --tag and --sort narrow and order it."""
    env = environment(fake)

    (code, out, _), (json_code, json_out, _), get = await asyncio.gather(
        tavus_async("voices", "list", env=env),
        tavus_async("--json", "voices", "list", "--tag", "female", "--sort", "desc", env=env),
        tavus_async("voices", "get", "anna", env=env),
    )

    assert (code, json_code) == (0, 0)
    assert [line.split()[0] for line in out.splitlines()[1:5]] == [
        "anna", "ben", "carmen", "dmitri",
    ]  # fmt: skip
    assert "4 shown of 4" in out
    assert [v["voice_name"] for v in json_lines(json_out)] == ["carmen", "anna"]
    assert get[0] == 2


async def test_pronunciation_dictionaries_commands(
    fake: FakeTavus, tavus: TavusClient, tmp_path: Path
) -> None:
    """create with --rule/--ipa/--rules, list, get, update (rename, rules replaced), delete."""
    rules_file = tmp_path / "rules.json"
    rules_file.write_text(
        json.dumps([{"text": "SDK", "pronunciation": "S D K", "type": "alias"}]), encoding="utf-8"
    )
    env = environment(fake)
    command = "pronunciation-dictionaries"

    code, out, _ = await tavus_async(
        "--json", command, "create", "--name", "Brand", "--rule", "Tavus=TAH-vus",
        "--ipa", "SQL=sikwel", "--rules", f"@{rules_file}", env=env,
    )  # fmt: skip
    assert code == 0
    [created] = json_lines(out)
    dictionary_id = created["pronunciation_dictionary_id"]
    assert [(r["text"], r["type"]) for r in created["rules"]] == [
        ("SDK", "alias"), ("Tavus", "alias"), ("SQL", "ipa"),
    ]  # fmt: skip

    (list_code, listed, _), (update_code, updated, _), bad = await asyncio.gather(
        tavus_async(command, "list", env=env),
        tavus_async(
            "--json", command, "update", dictionary_id, "--name", "Brand v2",
            "--rule", "Tavus=TAV-us", env=env,
        ),
        tavus_async(command, "create", "--name", "x", "--rule", "no-equals", env=env),
    )  # fmt: skip
    assert list_code == update_code == 0
    assert dictionary_id in listed
    [after] = json_lines(updated)
    assert after["name"] == "Brand v2"
    assert after["rules"] == [
        {"text": "Tavus", "pronunciation": "TAV-us", "type": "alias",
         "case_sensitive": False, "word_boundaries": True},
    ]  # fmt: skip
    assert bad[0] == 2
    assert "--rule takes TEXT=PRONUNCIATION" in bad[2]

    code, out, _ = await tavus_async(command, "delete", dictionary_id, env=env)
    assert code == 0
    assert block(out)["deleted"] == "True"
    assert dictionary_id not in fake.jobs.pronunciation_dictionaries
