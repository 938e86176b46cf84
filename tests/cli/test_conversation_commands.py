"""The `conversations` commands, run as real subprocesses against a real-time FakeTavus
whose calls last until they are ended (see _support/cli.py)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus, Timing

from _support.cli import (
    KEY,
    POLL,
    api_error,
    block,
    environment,
    json_lines,
    stock_ids,
    tavus_async,
)

#: A replica that joins at once, calls that last until ended (or their max_call_duration),
#: a transcript 0.1 s after the end.
CALLS = Timing(conversation_joining=0, conversation_length=600, transcript_delay=0.1)


@pytest.fixture(name="fake")
async def fake_fixture() -> AsyncIterator[FakeTavus]:
    async with FakeTavus(api_key=KEY, timing=CALLS) as emulator:
        yield emulator


async def new_conversation(tavus: TavusClient, fake: FakeTavus, **fields: Any) -> str:
    """A conversation of the first stock replica, made with ``fields``; its id."""
    created = await tavus.conversations.create(replica_id=stock_ids(fake)[0], **fields)
    return created.conversation_id


async def test_conversations_create_sends_the_flags_and_properties(
    fake: FakeTavus, tmp_path: Path
) -> None:
    """create sends each option given as its field (--no-X as false); --properties: JSON, @FILE."""
    settings = tmp_path / "properties.json"
    settings.write_text(json.dumps({"max_call_duration": 600, "new_key": "x"}), encoding="utf-8")
    replica = ("--replica-id", stock_ids(fake)[0])
    env = environment(fake)

    (code, out, _), (json_code, as_json, _) = await asyncio.gather(
        tavus_async(
            "conversations", "create", *replica, "--name", "Coaching", "--context", "Be brief.",
            "--greeting", "Hi!", "--memory-store", "anna", "--memory-store", "team",
            "--document-id", "d1", "--document-tag", "faq", "--document-retrieval-strategy",
            "speed", "--audio-only", "--require-auth", "--max-participants", "3",
            "--callback-url", "https://hooks.example.com/t", "--properties",
            '{"max_call_duration": 60, "language": "multilingual"}', env=env,
        ),
        tavus_async(
            "--json", "conversations", "create", *replica, "--test-mode", "--no-audio-only",
            "--no-require-auth", "--properties", f"@{settings}", env=env,
        ),
    )  # fmt: skip

    assert code == json_code == 0
    created = block(out)
    assert created["status"] == "active"
    assert created["conversation_url"] == f"https://tavus.daily.co/{created['conversation_id']}"
    assert created["meeting_token"].startswith("eyJ")
    [test_mode] = json_lines(as_json)
    assert test_mode["status"] == "ended"
    bodies = {r.created: r.body for r in fake.requests if r.method == "POST"}
    assert bodies[created["conversation_id"]] == {
        "replica_id": stock_ids(fake)[0],
        "conversation_name": "Coaching",
        "conversational_context": "Be brief.",
        "custom_greeting": "Hi!",
        "callback_url": "https://hooks.example.com/t",
        "memory_stores": ["anna", "team"],
        "document_ids": ["d1"],
        "document_retrieval_strategy": "speed",
        "document_tags": ["faq"],
        "audio_only": True,
        "require_auth": True,
        "max_participants": 3,
        "properties": {"max_call_duration": 60, "language": "multilingual"},
    }
    assert bodies[test_mode["conversation_id"]] == {
        "replica_id": stock_ids(fake)[0],
        "test_mode": True,
        "audio_only": False,
        "require_auth": False,
        "properties": {"max_call_duration": 600, "new_key": "x"},
    }


async def test_bad_properties_are_a_usage_error_before_any_request(
    fake: FakeTavus, tmp_path: Path
) -> None:
    """--properties that is not a JSON object, or an unreadable @FILE: exit 2, nothing sent."""
    env = environment(fake)
    replica = ("--replica-id", stock_ids(fake)[0])

    results = await asyncio.gather(
        tavus_async("conversations", "create", *replica, "--properties", "{nope", env=env),
        tavus_async("conversations", "create", *replica, "--properties", "[1]", env=env),
        tavus_async(
            "conversations", "create", *replica, "--properties", f"@{tmp_path}/none.json",
            env=env,
        ),
        tavus_async("--json", "conversations", "create", *replica, "--max-participants", "1",
                    env=env),
    )  # fmt: skip

    messages = ["is not JSON", "must be a JSON object", "none.json", "max_participants"]
    for (code, out, err), message in zip(results, messages, strict=True):
        assert code == 2, err
        assert out == ""
        assert message in err.splitlines()[-1]
    assert json.loads(results[3][2].splitlines()[-1])["error"]
    assert fake.requests == []


async def test_conversations_list_filters_by_status(fake: FakeTavus, tavus: TavusClient) -> None:
    """`list --status` shows only conversations of that status, as a table or JSON lines."""
    live = await new_conversation(tavus, fake)
    over = await new_conversation(tavus, fake, test_mode=True)
    env = environment(fake)

    (code, table, _), (json_code, listed, _) = await asyncio.gather(
        tavus_async("conversations", "list", "--status", "active", env=env),
        tavus_async("--json", "conversations", "list", "--status", "ended", env=env),
    )

    assert code == json_code == 0
    lines = table.splitlines()
    assert lines[0].split() == [
        "conversation_id", "conversation_name", "status", "replica_id", "created_at",
    ]  # fmt: skip
    assert [line.split()[0] for line in lines[1:-1]] == [live]
    assert [c["conversation_id"] for c in json_lines(listed)] == [over]


async def polled_twice(fake: FakeTavus, *conversation_ids: str) -> None:
    """Wait (briefly, in real time) until each conversation has been polled twice.

    A second poll is sent once the first one's answer has been read, so a wait polling
    a conversation that nobody has ended yet has shown it ``active``.
    """
    paths = {f"/v2/conversations/{c}" for c in conversation_ids}
    for _ in range(2000):
        gets = [r.path for r in fake.requests if r.method == "GET" and r.path in paths]
        if all(gets.count(path) >= 2 for path in paths):
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"{conversation_ids} were not polled twice within 10 s")


async def test_conversations_wait_follows_the_call_to_its_end(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """`wait ID` shows the call active, then ended (exit 0) once `end ID` has ended it."""
    shown, as_json = await new_conversation(tavus, fake), await new_conversation(tavus, fake)
    env = environment(fake)
    waits = asyncio.gather(
        tavus_async("conversations", "wait", shown, *POLL, env=env),
        tavus_async("--json", "conversations", "wait", as_json, *POLL, env=env),
    )

    try:
        await polled_twice(fake, shown, as_json)
    except AssertionError:
        waits.cancel()  # each command is killed as it is cancelled
        with contextlib.suppress(asyncio.CancelledError):
            await waits
        raise
    code, out, _ = await tavus_async("conversations", "end", shown, env=env)
    await tavus.conversations.end(as_json)
    (wait_code, waited, _), (json_code, json_out, _) = await waits

    assert code == wait_code == json_code == 0
    assert block(out) == {"conversation_id": shown, "ended": "True"}
    progress = [line for line in waited.splitlines() if line.startswith("conversation ")]
    assert progress == [f"conversation {shown}: active", f"conversation {shown}: ended 100%"]
    assert block(waited)["status"] == "ended"
    assert [c["status"] for c in json_lines(json_out)] == ["active", "ended"]


async def test_conversations_end_of_an_unknown_id_is_tavuss_400(fake: FakeTavus) -> None:
    """Ending an unknown conversation prints Tavus's 400 on one line and exits 1."""
    code, out, err = await tavus_async("conversations", "end", "cnope", env=environment(fake))

    assert "400 POST /v2/conversations/cnope/end: Invalid conversation_id" in api_error(
        code, out, err
    )


async def test_conversations_transcript_waits_then_prints_it(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """`transcript ID` follows the call to its transcript, then prints `role: content` lines."""
    conversation_id = await new_conversation(tavus, fake, custom_greeting="Hi, I'm Rio!")
    await tavus.conversations.end(conversation_id)
    env = environment(fake)

    (code, out, _), (json_code, as_json, _) = await asyncio.gather(
        tavus_async("conversations", "transcript", conversation_id, *POLL, env=env),
        tavus_async("--json", "conversations", "transcript", conversation_id, *POLL, env=env),
    )

    assert code == json_code == 0
    lines = out.splitlines()
    assert lines[-4] == f"conversation {conversation_id}: ended, transcript 100%"
    assert lines[-3:] == [
        "system: You are in a live video conference call with a user.",
        "assistant: Hi, I'm Rio!",
        "user: Hi! Nice to meet you.",
    ]
    messages = json_lines(as_json)
    assert [(m["role"], m["content"]) for m in messages][1] == ("assistant", "Hi, I'm Rio!")
    assert messages[2]["seconds_from_start"] >= 0


async def test_conversations_transcript_gives_up_after_the_grace(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """A conversation that ended with no transcript (test mode) exits 1 after --grace (0 too)."""
    conversation_id = await new_conversation(tavus, fake, test_mode=True)

    code, out, err = await tavus_async(
        "--json", "conversations", "transcript", conversation_id, *POLL, "--grace", "0",
        env=environment(fake),
    )  # fmt: skip

    assert code == 1
    assert out == ""
    error = json.loads(err.splitlines()[-1])
    assert "no transcript came within 0 s" in error["error"]


async def test_conversations_get_verbose_shows_the_events(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """`get --verbose` shows the events; without it, none."""
    conversation_id = await new_conversation(tavus, fake)
    await tavus.conversations.end(conversation_id)
    env = environment(fake)

    (code, plain, _), (json_code, verbose, _) = await asyncio.gather(
        tavus_async("--json", "conversations", "get", conversation_id, env=env),
        tavus_async("--json", "conversations", "get", conversation_id, "--verbose", env=env),
    )

    assert code == json_code == 0
    assert "events" not in json_lines(plain)[0]
    [shown] = json_lines(verbose)
    assert "system.shutdown" in [event["event_type"] for event in shown["events"]]
    assert shown["shutdown_reason"] == "end_conversation_endpoint_hit"
