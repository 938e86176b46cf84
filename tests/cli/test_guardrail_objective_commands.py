"""The `guardrails` and `objectives` commands, run as real subprocesses against a FakeTavus."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus

from _support.cli import api_error, block, environment, json_lines, tavus_async


async def test_guardrails_create_list_update_and_delete(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """create sends each option under Tavus's name; list filters; update prints the result."""
    other = await tavus.guardrails.create(guardrail_name="other", guardrail_prompt="x")
    env = environment(fake)

    code, out, err = await tavus_async(
        "--json", "guardrails", "create", "--name", "no_advice", "--prompt", "No advice.",
        "--modality", "visual", "--callback-url", "https://example.com/hook",
        "--tag", "health", "--tag", "safety", "--no-app-message", env=env,
    )  # fmt: skip
    assert code == 0, err
    [created] = json_lines(out)
    uuid = created["uuid"]
    stored = fake.jobs.of("guardrails")[uuid].body
    assert (stored["modality"], stored["tags"], stored["app_message"]) == (
        "visual",
        ["health", "safety"],
        False,
    )

    (list_code, listed, _), (update_code, updated, update_err) = await asyncio.gather(
        tavus_async("--json", "guardrails", "list", "--tag", "safety", env=env),
        tavus_async(
            "guardrails", "update", uuid, "--set", "/guardrail_prompt=Never advise.", env=env
        ),
    )
    (delete_code, _, _), gone = await asyncio.gather(
        tavus_async("guardrails", "delete", other.uuid, env=env),
        tavus_async("guardrails", "get", "g0000000000", env=env),
    )

    assert list_code == update_code == delete_code == 0, update_err
    assert [g["uuid"] for g in json_lines(listed)] == [uuid]
    assert block(updated)["guardrail_prompt"] == "Never advise."
    assert other.uuid not in fake.jobs.of("guardrails")
    assert "Guardrail not found" in api_error(*gone)


async def test_guardrails_legacy_sets_and_usage_errors(fake: FakeTavus, tmp_path: Path) -> None:
    """create-legacy-set takes --item and --file; legacy-sets lists them; bad input exits 2."""
    items = tmp_path / "items.json"
    items.write_text(json.dumps([{"guardrail_name": "a", "guardrail_prompt": "A"}]), "utf-8")
    env = environment(fake)

    code, out, err = await tavus_async(
        "--json", "guardrails", "create-legacy-set", "--name", "Compliance", "--file", str(items),
        "--item", '{"guardrail_name": "b", "guardrail_prompt": "B"}', env=env,
    )  # fmt: skip
    (list_code, listed, _), (empty_code, _, empty_err), (bad_code, _, _) = await asyncio.gather(
        tavus_async("--json", "guardrails", "legacy-sets", env=env),
        tavus_async("guardrails", "create-legacy-set", "--name", "Empty", env=env),
        tavus_async("guardrails", "update", "g1", "--set", "guardrail_prompt", env=env),
    )

    assert code == list_code == 0, err
    [created] = json_lines(out)
    [shown] = json_lines(listed)
    assert shown["guardrails_id"] == created["guardrails_id"]
    assert [i["guardrail_name"] for i in shown["data"]] == ["a", "b"]
    assert (empty_code, bad_code) == (2, 2)
    assert "--item" in empty_err


async def test_objectives_create_from_items_or_a_file_then_update(
    fake: FakeTavus, tmp_path: Path
) -> None:
    """create takes --item (repeatable) or --file ({"data": [...]} too); update shows the set."""
    held = tmp_path / "objectives.json"
    held.write_text(
        json.dumps({"data": [{"objective_name": "greet", "objective_prompt": "Hi."}]}), "utf-8"
    )
    env = environment(fake)

    (code, out, err), (file_code, file_out, _), (none_code, _, none_err) = await asyncio.gather(
        tavus_async(
            "--json", "objectives", "create",
            "--item", '{"objective_name": "greet", "objective_prompt": "Hi."}',
            "--item", '{"objective_name": "offer", "objective_prompt": "Offer.",'
            ' "next_conditional_objectives": {"greet": "if rude"}}', env=env,
        ),
        tavus_async("--json", "objectives", "create", "--file", str(held), env=env),
        tavus_async("objectives", "create", env=env),
    )  # fmt: skip
    assert code == file_code == 0, err
    [created] = json_lines(out)
    set_id = created["objectives_id"]
    update_code, updated, update_err = await tavus_async(
        "--json", "objectives", "update", set_id,
        "--set", "/data/1/objective_prompt=Offer a trial.", env=env,
    )  # fmt: skip
    list_code, listed, _ = await tavus_async("--json", "objectives", "list", env=env)

    assert update_code == list_code == 0, update_err
    [shown] = json_lines(updated)
    assert [i["objective_prompt"] for i in shown["data"]] == ["Hi.", "Offer a trial."]
    assert json_lines(file_out)[0]["objective_name"] == "greet"
    assert len(json_lines(listed)) == 3  # each objective of both sets
    assert none_code == 2
    assert "--item" in none_err
