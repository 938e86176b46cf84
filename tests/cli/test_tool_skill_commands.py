"""The `tools`, `pal-tools`, `skills` and `pal-skills` commands, as real subprocesses."""

from __future__ import annotations

import asyncio

from tavus_async.testing import FakeTavus

from _support.cli import api_error, block, environment, json_lines, tavus_async
from _support.pals import a_pal


async def test_tools_are_created_updated_attached_listed_and_detached(fake: FakeTavus) -> None:
    """`tools create` and `update` show the tool (secrets masked); `pal-tools attach PAL_ID
    --tool-id` lists the PAL's tools, `list PAL_ID` too, `detach PAL_ID TOOL_ID` removes it."""
    env, pal_id = environment(fake), a_pal(fake)
    code, out, _ = await tavus_async(
        "--json", "tools", "create", "--name", "get_weather", "--api-url", "https://x.example/w",
        "--header", "Authorization=Bearer s3cret", "--parameters", '{"type": "object"}', env=env,
    )  # fmt: skip
    (created,) = json_lines(out)
    tool_id = created["tool_id"]

    updated, attached = await asyncio.gather(
        tavus_async("tools", "update", tool_id, "--description", "Weather.", env=env),
        tavus_async("--json", "pal-tools", "attach", pal_id, "--tool-id", tool_id, env=env),
    )
    listed, detached = (
        await tavus_async("pal-tools", "list", pal_id, env=env),
        await tavus_async("pal-tools", "detach", pal_id, tool_id, env=env),
    )
    again = await tavus_async("pal-tools", "detach", pal_id, tool_id, env=env)

    assert code == 0
    assert "s3cret" not in out
    assert created["delivery"]["api"]["url"] == "https://x.example/w"
    assert updated[0] == 0
    assert block(updated[1])["description"] == "Weather."
    assert [row["tool_id"] for row in json_lines(attached[1])] == [tool_id]
    assert listed[0] == 0
    assert "get_weather" in listed[1]
    assert block(detached[1]) == {"pal_id": pal_id, "tool_id": tool_id, "detached": "True"}
    assert "not attached" in api_error(*again)


async def test_skills_and_a_pals_skills(fake: FakeTavus) -> None:
    """`skills list` shows the stock skills; `pal-skills attach`, `update` (null removes),
    `replace --skill`, `list` and `detach` change and show a PAL's skills."""
    env, pal_id = environment(fake), a_pal(fake)

    skills, attached = await asyncio.gather(
        tavus_async("--json", "skills", "list", env=env),
        tavus_async(
            "--json", "pal-skills", "attach", pal_id, "presentation",
            "--config", '{"document_ids": ["d1"], "prompt": "x"}', env=env,
        ),
    )  # fmt: skip
    updated = await tavus_async(
        "--json", "pal-skills", "update", pal_id, "presentation", "--config", '{"prompt": null}',
        env=env,
    )  # fmt: skip
    replaced = await tavus_async(
        "--json", "pal-skills", "replace", pal_id, "--skill", "internet_search",
        "--skill", 'presentation={"slides_trigger": "on_demand"}', env=env,
    )  # fmt: skip
    detached = await tavus_async("pal-skills", "detach", pal_id, "internet_search", env=env)
    listed = await tavus_async("--json", "pal-skills", "list", pal_id, env=env)
    bad = await tavus_async(
        "pal-skills", "update", pal_id, "presentation", "--config", "{", env=env
    )

    assert [s["skill_id"] for s in json_lines(skills[1])] == [
        "internet_search", "presentation", "magic_canvas",
    ]  # fmt: skip
    assert json_lines(attached[1])[0]["config"] == {"document_ids": ["d1"], "prompt": "x"}
    assert json_lines(updated[1])[0]["config"] == {"document_ids": ["d1"]}
    assert [s["skill_id"] for s in json_lines(replaced[1])] == ["internet_search", "presentation"]
    assert detached[0] == 0
    assert [(s["skill_id"], s["config"]) for s in json_lines(listed[1])] == [
        ("presentation", {"slides_trigger": "on_demand"})
    ]
    assert bad[0] == 2
    assert "--config is not JSON" in bad[2]
