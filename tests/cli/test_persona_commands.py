"""The `personas` commands, run as real subprocesses against a FakeTavus (see _support/cli.py)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus

from _support.cli import api_error, block, environment, json_lines, tavus_async

LLM_KEY = "sk-llm-secret-0123456789"
BEARER = "Bearer hdr-secret-0123456789"
LAYERS = {"llm": {"model": "my-llm", "base_url": "https://llm.example.com/v1",
                  "api_key": LLM_KEY, "headers": {"Authorization": BEARER}},
          "tts": {"tts_engine": "cartesia", "vendor_token": "tok-secret-0123456789"}}  # fmt: skip
SECRETS = (LLM_KEY, BEARER, "tok-secret-0123456789")


def _stored(fake: FakeTavus, persona_id: str) -> dict[str, object]:
    body: dict[str, object] = fake.jobs.of("personas")[persona_id].body
    return body


async def test_create_sends_each_option(fake: FakeTavus, tmp_path: Path) -> None:
    """`personas create` sends its options under Tavus's names; --layers takes JSON or @FILE."""
    layers_file = tmp_path / "layers.json"
    layers_file.write_text(json.dumps(LAYERS), encoding="utf-8")
    env = environment(fake)

    (code, out, _), (json_code, json_out, _) = await asyncio.gather(
        tavus_async(
            "personas", "create", "--name", "Coach", "--system-prompt", "Be kind.",
            "--context", "A gym.", "--pipeline-mode", "full", "--default-replica-id",
            "r783537ef5", "--layers", f"@{layers_file}", "--document-id", "d1",
            "--document-id", "d2", "--document-tag", "faq", "--guardrail-id", "g1",
            "--guardrail-tag", "safety", "--objectives-id", "o1", env=env,
        ),
        tavus_async(
            "--json", "personas", "create", "--pipeline-mode", "echo",
            "--layers", '{"stt": {"stt_engine": "tavus-auto"}}', env=env,
        ),
    )  # fmt: skip

    assert code == json_code == 0
    stored = _stored(fake, block(out)["persona_id"])
    assert stored["document_ids"] == ["d1", "d2"]
    assert stored["guardrail_ids"] == ["g1"]
    assert stored["guardrail_tags"] == ["safety"]
    assert (stored["objectives_id"], stored["context"]) == ("o1", "A gym.")
    assert stored["layers"] == LAYERS
    [echo] = json_lines(json_out)
    assert _stored(fake, echo["persona_id"])["layers"] == {"stt": {"stt_engine": "tavus-auto"}}


async def test_create_from_a_file_refuses_masked_secrets(fake: FakeTavus, tmp_path: Path) -> None:
    """--file is the whole body (unknown keys too); a '***' secret (printed output) is refused."""
    good, masked = tmp_path / "good.json", tmp_path / "masked.json"
    good.write_text(json.dumps({"system_prompt": "Hi.", "future_field": 7}), encoding="utf-8")
    masked.write_text(
        json.dumps({"system_prompt": "Hi.", "layers": {"llm": {"api_key": "***"}}}),
        encoding="utf-8",
    )
    env = environment(fake)

    (code, out, _), (bad_code, bad_out, bad_err) = await asyncio.gather(
        tavus_async("--json", "personas", "create", "--file", str(good), "--name", "F", env=env),
        tavus_async("personas", "create", "--file", str(masked), env=env),
    )

    assert code == 0
    [created] = json_lines(out)
    assert _stored(fake, created["persona_id"])["future_field"] == 7
    assert _stored(fake, created["persona_id"])["persona_name"] == "F"
    assert (bad_code, bad_out) == (2, "")
    assert "layers.llm.api_key" in bad_err


async def test_create_from_a_get_json_copy_leaves_out_what_tavus_assigns(
    fake: FakeTavus, tavus: TavusClient, tmp_path: Path
) -> None:
    """--file from `get --json` sends the persona without its id, type and timestamps."""
    persona = await tavus.personas.create(system_prompt="Copy me.", document_tags=["faq"])
    env = environment(fake)
    code, out, _ = await tavus_async("--json", "personas", "get", persona.persona_id, env=env)
    assert code == 0
    copy = tmp_path / "persona.json"
    copy.write_text(out, encoding="utf-8")

    code, out, err = await tavus_async("--json", "personas", "create", "--file", str(copy), env=env)

    assert code == 0, err
    [created] = json_lines(out)
    assert created["persona_id"] != persona.persona_id
    [sent] = [r.body for r in fake.requests if r.created == created["persona_id"]]
    assert sent == {"system_prompt": "Copy me.", "document_tags": ["faq"]}


async def test_printed_personas_mask_their_secrets(fake: FakeTavus, tavus: TavusClient) -> None:
    """get and list print api_key, Authorization and secret-looking keys as ***, text or JSON."""
    persona = await tavus.personas.create(system_prompt="x", layers=LAYERS)
    env = environment(fake)

    results = await asyncio.gather(
        tavus_async("personas", "get", persona.persona_id, env=env),
        tavus_async("--json", "personas", "get", persona.persona_id, env=env),
        tavus_async("--json", "personas", "list", "--persona-type", "user", env=env),
    )

    for code, out, err in results:
        assert code == 0, err
        assert not any(secret in out + err for secret in SECRETS), out
    [shown] = json_lines(results[1][1])
    assert shown["layers"]["llm"]["api_key"] == "***"
    assert shown["layers"]["llm"]["headers"] == {"Authorization": "***"}
    assert shown["layers"]["llm"]["base_url"] == "https://llm.example.com/v1"
    assert [p["persona_id"] for p in json_lines(results[2][1])] == [persona.persona_id]


async def test_list_filters_by_persona_type(fake: FakeTavus, tavus: TavusClient) -> None:
    """`personas list --persona-type system` shows the stock personas only."""
    await tavus.personas.create(system_prompt="mine")

    code, out, _ = await tavus_async(
        "personas", "list", "--persona-type", "system", env=environment(fake)
    )

    assert code == 0
    assert "p9a95912" in out
    assert "user" not in out


async def test_update_by_op_set_and_patch_file(
    fake: FakeTavus, tavus: TavusClient, tmp_path: Path
) -> None:
    """--patch, --op and --set are sent as one JSON Patch, in that order; the result is printed."""
    persona = await tavus.personas.create(
        system_prompt="Old.", document_tags=["faq"], layers={"stt": {"stt_engine": "tavus-auto"}}
    )
    patch = tmp_path / "patch.json"
    patch.write_text(json.dumps([{"op": "add", "path": "/context", "value": "Gym."}]), "utf-8")

    code, out, err = await tavus_async(
        "--json", "personas", "update", persona.persona_id, "--patch", str(patch),
        "--op", '{"op": "add", "path": "/document_tags/-", "value": "pricing"}',
        "--set", "/system_prompt=New.", "--set", '/layers/stt={"hotwords": "Roey"}',
        env=environment(fake),
    )  # fmt: skip

    assert code == 0, err
    [shown] = json_lines(out)
    assert shown["system_prompt"] == "New."
    assert shown["context"] == "Gym."
    assert shown["document_tags"] == ["faq", "pricing"]
    assert shown["layers"] == {"stt": {"hotwords": "Roey"}}


async def test_update_from_an_edited_file_keeps_masked_secrets(
    fake: FakeTavus, tavus: TavusClient, tmp_path: Path
) -> None:
    """--from-file sends the edits of a `get --json` copy; its '***' secrets stay as stored."""
    persona = await tavus.personas.create(system_prompt="Old.", layers=LAYERS)
    env = environment(fake)
    code, out, _ = await tavus_async("--json", "personas", "get", persona.persona_id, env=env)
    assert code == 0
    [edited] = json_lines(out)
    edited["system_prompt"] = "New."
    edited["layers"]["llm"]["model"] = "my-llm-2"
    copy = tmp_path / "persona.json"
    copy.write_text(json.dumps(edited), encoding="utf-8")

    code, out, err = await tavus_async(
        "personas", "update", persona.persona_id, "--from-file", str(copy), env=env
    )

    assert code == 0, err
    stored = _stored(fake, persona.persona_id)
    assert stored["system_prompt"] == "New."
    assert stored["layers"] == {**LAYERS, "llm": {**LAYERS["llm"], "model": "my-llm-2"}}
    assert block(out)["system_prompt"] == "New."


async def test_update_from_a_file_restores_secrets_in_lists_and_refuses_strays(
    fake: FakeTavus, tavus: TavusClient, tmp_path: Path
) -> None:
    """A '***' in a list (a tool's header) is put back by index; one with no secret: exit 2."""
    tool = {"type": "function", "headers": {"Authorization": BEARER}}
    layers = {"llm": {"model": "my-llm", "tools": [tool]}}
    persona = await tavus.personas.create(system_prompt="Old.", layers=layers)
    env = environment(fake)
    code, out, _ = await tavus_async("--json", "personas", "get", persona.persona_id, env=env)
    assert code == 0
    [edited] = json_lines(out)
    assert edited["layers"]["llm"]["tools"][0]["headers"]["Authorization"] == "***"
    edited["system_prompt"] = "New."
    kept, stray = tmp_path / "kept.json", tmp_path / "stray.json"
    kept.write_text(json.dumps(edited), encoding="utf-8")
    edited["layers"]["llm"]["tools"].append(edited["layers"]["llm"]["tools"][0])
    stray.write_text(json.dumps(edited), encoding="utf-8")

    refused = await tavus_async(
        "personas", "update", persona.persona_id, "--from-file", str(stray), env=env
    )
    code, _, err = await tavus_async(
        "personas", "update", persona.persona_id, "--from-file", str(kept), env=env
    )

    assert code == 0, err
    stored = _stored(fake, persona.persona_id)
    assert stored["system_prompt"] == "New."
    assert stored["layers"] == layers
    assert refused[0] == 2
    assert "layers.llm.tools[1].headers.Authorization" in refused[2]
    assert [r.method for r in fake.requests].count("PATCH") == 1  # the kept file's alone


async def test_update_errors(fake: FakeTavus, tavus: TavusClient) -> None:
    """Nothing to change or a bad --set is a usage error (2); a patch Tavus refuses exits 1."""
    persona = await tavus.personas.create(system_prompt="x")
    env = environment(fake)

    (none_code, _, none_err), (set_code, _, _), refused = await asyncio.gather(
        tavus_async("personas", "update", persona.persona_id, env=env),
        tavus_async("personas", "update", persona.persona_id, "--set", "system_prompt", env=env),
        tavus_async(
            "personas", "update", persona.persona_id,
            "--op", '{"op": "remove", "path": "/nowhere"}', env=env,
        ),
    )  # fmt: skip

    assert (none_code, set_code) == (2, 2)
    assert "--op" in none_err
    assert "nowhere" in api_error(*refused)


async def test_delete_then_get_is_invalid_persona_id(fake: FakeTavus, tavus: TavusClient) -> None:
    """`personas delete` removes it; a get after is Tavus's 400 on one line, exit 1."""
    persona = await tavus.personas.create(system_prompt="x")
    env = environment(fake)

    code, out, _ = await tavus_async("--json", "personas", "delete", persona.persona_id, env=env)
    gone = await tavus_async("personas", "get", persona.persona_id, env=env)

    assert code == 0
    assert json_lines(out) == [{"persona_id": persona.persona_id, "deleted": True}]
    assert "Invalid persona_id" in api_error(*gone)
