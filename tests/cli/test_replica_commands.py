"""The `replicas` commands, run as real subprocesses against a FakeTavus (see _support/cli.py)."""

from __future__ import annotations

import asyncio

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus

from _support.cli import (
    POLL,
    api_error,
    block,
    environment,
    json_lines,
    stock_ids,
    tavus_async,
)


async def test_replicas_list_prints_a_table_or_json_lines(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """`replicas list` is a table with a count; --json one object per replica; filters apply."""
    mine = await tavus.replicas.create(train_video_url="https://example.com/me.mp4")
    stock = stock_ids(fake)
    env = environment(fake)

    (code, table, _), (json_code, listed, _), (_, system, _), (_, chosen, _) = await asyncio.gather(
        tavus_async("replicas", "list", env=env),
        tavus_async("--json", "replicas", "list", env=env),
        tavus_async("--json", "replicas", "list", "--type", "system", env=env),
        tavus_async("--json", "replicas", "list", "--ids", f"{stock[0]},{stock[2]}", env=env),
    )

    lines = table.splitlines()
    assert code == json_code == 0
    assert lines[0].split()[:3] == ["replica_id", "replica_name", "status"]
    assert [line.split()[0] for line in lines[1:5]] == [mine.replica_id, *reversed(stock)]
    assert lines[-1] == "4 shown of 4"
    assert [r["replica_id"] for r in json_lines(listed)] == [mine.replica_id, *reversed(stock)]
    assert {"replica_name", "training_progress", "created_at"} <= set(json_lines(listed)[0])
    assert sorted(r["replica_id"] for r in json_lines(system)) == sorted(stock)
    assert sorted(r["replica_id"] for r in json_lines(chosen)) == sorted([stock[0], stock[2]])


async def test_replicas_create_starts_training_and_shows_in_the_list(fake: FakeTavus) -> None:
    """`replicas create` prints the new replica (a block, or JSON) and the list then has it."""
    env = environment(fake)

    (code, out, _), (json_code, json_out, _) = await asyncio.gather(
        tavus_async(
            "replicas", "create", "--train-video-url", "https://example.com/t.mp4",
            "--name", "Mine", "--model-name", "phoenix-3", env=env,
        ),
        tavus_async(
            "--json", "replicas", "create", "--train-video-url", "https://example.com/u.mp4",
            "--consent-video-url", "https://example.com/c.mp4", "--name", "Yours", env=env,
        ),
    )  # fmt: skip
    code_listed, listed, _ = await tavus_async(
        "--json", "replicas", "list", "--type", "user", env=env
    )

    created = block(out)
    [json_created] = json_lines(json_out)
    assert code == json_code == code_listed == 0
    assert created["status"] == json_created["status"] == "started"
    names = {r["replica_id"]: r["replica_name"] for r in json_lines(listed)}
    assert names == {created["replica_id"]: "Mine", json_created["replica_id"]: "Yours"}


async def test_replicas_wait_follows_training_to_its_end(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """`replicas wait` exits 0 at `completed` and 1 for a replica whose training failed."""
    good = await tavus.replicas.create(train_video_url="https://example.com/good.mp4")
    bad = await tavus.replicas.create(
        train_video_url="https://example.com/bad.mp4", replica_name="tavus-fail"
    )
    env = environment(fake)

    (code, out, _), (bad_code, bad_out, _) = await asyncio.gather(
        tavus_async("replicas", "wait", good.replica_id, *POLL, env=env),
        tavus_async("--json", "replicas", "wait", bad.replica_id, *POLL, env=env),
    )

    progress = [line for line in out.splitlines() if line.startswith("replica ")]
    assert code == 0
    assert progress[-1] == f"replica {good.replica_id}: completed 100%"
    assert block(out)["status"] == "completed"
    assert bad_code == 1
    assert json_lines(bad_out)[-1]["status"] == "error"
    assert json_lines(bad_out)[-1]["error_message"]


async def test_replicas_get_shows_one_replica(fake: FakeTavus) -> None:
    """`replicas get` is a key/value block or one JSON object; --verbose adds replica_type."""
    replica_id = stock_ids(fake)[0]
    env = environment(fake)

    (code, verbose, _), (plain_code, plain, _), (json_code, as_json, _) = await asyncio.gather(
        tavus_async("replicas", "get", replica_id, "--verbose", env=env),
        tavus_async("replicas", "get", replica_id, env=env),
        tavus_async("--json", "replicas", "get", replica_id, env=env),
    )

    assert code == plain_code == json_code == 0
    assert block(verbose)["replica_id"] == replica_id
    assert block(verbose)["replica_type"] == "system"
    assert block(verbose)["progress"] == "100%"
    assert "replica_type" not in block(plain)
    [replica] = json_lines(as_json)
    assert replica["replica_id"] == replica_id
    assert replica["training_progress"] == "100/100"


async def test_replicas_rename_then_get_shows_the_new_name(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """`replicas rename` prints the id and new name; a later get shows that name."""
    first = await tavus.replicas.create(train_video_url="https://example.com/1.mp4")
    second = await tavus.replicas.create(train_video_url="https://example.com/2.mp4")
    env = environment(fake)

    (code, out, _), (json_code, json_out, _) = await asyncio.gather(
        tavus_async("replicas", "rename", first.replica_id, "Rio de Janeiro", env=env),
        tavus_async("--json", "replicas", "rename", second.replica_id, "Lisboa", env=env),
    )
    (_, shown, _), (_, shown_json, _) = await asyncio.gather(
        tavus_async("replicas", "get", first.replica_id, env=env),
        tavus_async("--json", "replicas", "get", second.replica_id, env=env),
    )

    assert code == json_code == 0
    assert block(out) == {"replica_id": first.replica_id, "replica_name": "Rio de Janeiro"}
    assert json_lines(json_out) == [{"replica_id": second.replica_id, "replica_name": "Lisboa"}]
    assert block(shown)["replica_name"] == "Rio de Janeiro"
    assert json_lines(shown_json)[0]["replica_name"] == "Lisboa"


async def test_replicas_delete_then_get_fails(fake: FakeTavus, tavus: TavusClient) -> None:
    """`replicas delete` (soft, or --hard) prints what it did; a get of it then exits 1."""
    soft = await tavus.replicas.create(train_video_url="https://example.com/1.mp4")
    hard = await tavus.replicas.create(train_video_url="https://example.com/2.mp4")
    env = environment(fake)

    (code, out, _), (json_code, json_out, _) = await asyncio.gather(
        tavus_async("replicas", "delete", soft.replica_id, env=env),
        tavus_async("--json", "replicas", "delete", hard.replica_id, "--hard", env=env),
    )
    after = await tavus_async("replicas", "get", soft.replica_id, env=env)

    assert code == json_code == 0
    assert block(out) == {"replica_id": soft.replica_id, "deleted": "True", "hard": "False"}
    assert json_lines(json_out) == [{"replica_id": hard.replica_id, "deleted": True, "hard": True}]
    assert hard.replica_id not in fake.jobs.replicas
    assert "404" in api_error(*after)
