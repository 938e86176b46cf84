"""The `deployments`, `canvas-interactions` and `transcriptions` commands, as real
subprocesses."""

from __future__ import annotations

import asyncio

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus

from _support.cli import api_error, block, environment, json_lines, tavus_async


async def test_a_deployment_is_published_patched_started_ended_and_deleted(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """create, list, update, init, start, end and delete, each as Tavus answers."""
    env = environment(fake)
    code, out, _ = await tavus_async(
        "--json", "deployments", "create", "--pal-id", "p1", "--channel", "embed",
        "--name", "Demo", "--limits", '{"max_call_duration": 300}',
        "--allowed-origin", "https://example.com", env=env,
    )  # fmt: skip
    assert code == 0
    (created,) = json_lines(out)
    deployment_id = created["deployment_id"]
    assert (created["channel"], created["limits"]) == ("embed", {"max_call_duration": 300})

    (list_code, listing, _), (update_code, updated, _), (init_code, init, _) = await asyncio.gather(
        tavus_async("deployments", "list", env=env),
        tavus_async("deployments", "update", deployment_id, "--set", "/name=Demo 2", env=env),
        tavus_async("--json", "deployments", "init", deployment_id, env=env),
    )
    assert (list_code, update_code, init_code) == (0, 0, 0)
    assert deployment_id in listing
    assert block(updated)["name"] == "Demo 2"
    assert json_lines(init)[0]["is_available"] is True

    code, out, _ = await tavus_async(
        "--json", "deployments", "start", deployment_id, "--context", "On the docs.",
        "--memory-store", "visitor_1", env=env,
    )  # fmt: skip
    assert code == 0
    conversation_id = json_lines(out)[0]["conversation_id"]
    ended = await tavus_async("deployments", "end", deployment_id, conversation_id, env=env)
    assert ended[0] == 0
    assert block(ended[1])["ended"] == "True"

    assert (await tavus_async("deployments", "delete", deployment_id, env=env))[0] == 0
    gone = await tavus_async("deployments", "get", deployment_id, env=env)
    assert "Deployment not found" in api_error(*gone)


async def test_bad_deployment_options_are_usage_errors(fake: FakeTavus) -> None:
    """A --limits that is not a JSON object, or an update with nothing to change, exits 2."""
    env = environment(fake)

    limits, nothing = await asyncio.gather(
        tavus_async(
            "deployments",
            "create",
            "--pal-id",
            "p1",
            "--channel",
            "widget",
            "--limits",
            "[1]",
            env=env,
        ),
        tavus_async("deployments", "update", "d1", env=env),
    )

    assert (limits[0], nothing[0]) == (2, 2)
    assert "--limits" in limits[2]
    assert not [r for r in fake.requests if r.path.startswith("/v2/deployments")]


async def test_canvas_interactions_are_recorded_and_listed(fake: FakeTavus) -> None:
    """`record` takes the fields as options (a JSON or text value); `list` shows them."""
    env = environment(fake)
    for interaction_id, value in (("i-1", '{"choice": "B"}'), ("i-2", "plain words")):
        code, out, _ = await tavus_async(
            "canvas-interactions", "record", "c42", "--interaction-id", interaction_id,
            "--tool-call-id", "call_1", "--component", "canvas.question", "--type", "submit",
            "--value", value, env=env,
        )  # fmt: skip
        assert code == 0
        assert block(out)["recorded"] == "True"

    code, out, _ = await tavus_async("--json", "canvas-interactions", "list", "c42", env=env)

    assert code == 0
    assert [(i["interaction_id"], i["value"]) for i in json_lines(out)] == [
        ("i-1", {"choice": "B"}),
        ("i-2", "plain words"),
    ]


async def test_transcriptions_create_list_and_delete(fake: FakeTavus) -> None:
    """`transcriptions create` takes both urls; the generic list and delete follow."""
    env = environment(fake)
    code, out, _ = await tavus_async(
        "--json", "transcriptions", "create", "--file-url", "https://example.com/a.mp4",
        "--callback-url", "https://example.com/cb", env=env,
    )  # fmt: skip
    assert code == 0
    transcription_id = json_lines(out)[0]["transcription_id"]

    listing = await tavus_async("transcriptions", "list", env=env)
    deleted = await tavus_async("transcriptions", "delete", transcription_id, env=env)

    assert transcription_id in listing[1]
    assert deleted[0] == 0
    assert fake.jobs.transcriptions == {}
