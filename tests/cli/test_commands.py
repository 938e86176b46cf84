"""The `replicas` commands, and what every command does with errors, keys, files and consoles.

The commands run as real subprocesses against a FakeTavus (see _support/cli.py); the
`videos` commands are in test_video_commands.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus

from _support.cli import (
    KEY,
    POLL,
    WRONG_KEY,
    api_error,
    block,
    environment,
    json_lines,
    ready_video,
    stock_ids,
    tavus_async,
)

# -- replicas -------------------------------------------------------------------------


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


# -- exit codes -----------------------------------------------------------------------


async def test_api_errors_exit_1_with_one_line(fake: FakeTavus) -> None:
    """An unknown id (404) or a wrong key (401) exits 1 with one `tavus-async: error:` line."""
    env = environment(fake)

    missing, refused, missing_replica = await asyncio.gather(
        tavus_async("videos", "get", "v0000000000", env=env),
        tavus_async("--api-key", WRONG_KEY, "--json", "videos", "list", env=env),
        tavus_async("replicas", "wait", "r0000000000", *POLL, env=env),
    )

    assert "404" in api_error(*missing)
    assert "Video not found" in api_error(*missing)
    assert "401" in api_error(*refused)
    assert "Invalid access token" in api_error(*refused)
    assert "404" in api_error(*missing_replica)


async def test_usage_errors_exit_2(fake: FakeTavus) -> None:
    """An unknown command, a missing argument, an id the SDK refuses, or no key: exit 2."""
    env = environment(fake)
    keyless = environment(TAVUS_BASE_URL=fake.base_url)

    unknown, missing, bad_id, no_key = await asyncio.gather(
        tavus_async("videos", "frobnicate", env=env),
        tavus_async("replicas", "get", env=env),
        tavus_async("videos", "get", "bad/id", env=env),
        tavus_async("replicas", "list", env=keyless),
    )

    for code, out, err in (unknown, missing):
        assert (code, out) == (2, "")
        assert "usage: tavus-async" in err
    assert "invalid choice: 'frobnicate'" in unknown[2]
    assert "the following arguments are required: id" in missing[2]
    for code, out, err in (bad_id, no_key):
        assert (code, out) == (2, "")
        assert len(err.splitlines()) == 1
        assert err.startswith("tavus-async: error: ")
    assert "'bad/id'" in bad_id[2]
    assert "no Tavus API key" in no_key[2]
    assert fake.requests == []


async def test_base_url_and_api_key_options_win_over_the_environment(fake: FakeTavus) -> None:
    """--base-url and --api-key reach the server even when the environment names others."""
    env = environment(TAVUS_BASE_URL="http://127.0.0.1:9", TAVUS_API_KEY=WRONG_KEY)

    code, out, err = await tavus_async(
        "--base-url", fake.base_url, "--api-key", KEY, "--json", "replicas", "list", env=env
    )

    assert code == 0, err
    assert len(json_lines(out)) == 3
    assert [request.path for request in fake.requests] == ["/v2/replicas"]


async def test_the_api_key_is_never_printed(fake: FakeTavus) -> None:
    """Not even when Tavus echoes the key in an error, nor in a usage error given the key."""
    fake.fault(path="/v2/videos", status=403, body={"error": f"key {KEY} may not list videos"})
    env = environment(fake)

    echoed, usage = await asyncio.gather(
        tavus_async("--json", "videos", "list", env=env),
        tavus_async("--api-key", KEY, "videos", "frobnicate", env=env),
    )

    assert "403" in api_error(*echoed)
    assert "may not list videos" in echoed[2]
    assert usage[0] == 2  # tavus_async() itself checks that KEY is in neither output


# -- files and consoles -------------------------------------------------------------------


async def test_a_missing_script_file_is_a_usage_error(fake: FakeTavus, tmp_path: Path) -> None:
    """`videos create --script-file` naming no file exits 2 with one line, sending nothing."""
    code, out, err = await tavus_async(
        "videos", "create", "--replica-id", stock_ids(fake)[0],
        "--script-file", str(tmp_path / "missing.txt"), env=environment(fake),
    )  # fmt: skip

    assert (code, out) == (2, "")
    assert err.startswith("tavus-async: error: ")
    assert len(err.splitlines()) == 1
    assert fake.requests == []


async def test_download_to_a_place_that_cannot_hold_it_is_one_line(
    fake: FakeTavus, tavus: TavusClient, tmp_path: Path
) -> None:
    """`videos download` to a path inside a regular file exits 1 with one error line."""
    video_id = await ready_video(tavus, fake)
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")

    code, _, err = await tavus_async(
        "videos", "download", video_id, str(tmp_path / "taken" / "clip.mp4"),
        env=environment(fake),
    )  # fmt: skip

    assert code == 1
    assert err.startswith("tavus-async: error: ")
    assert len(err.splitlines()) == 1


async def test_json_output_survives_an_ascii_stdout(fake: FakeTavus) -> None:
    """`--json videos create` on an ASCII-only stdout prints valid JSON and exits 0."""
    env = environment(fake, PYTHONIOENCODING="ascii")

    code, out, err = await tavus_async(
        "--json", "videos", "create", "--replica-id", stock_ids(fake)[0],
        "--script", "Olá!", "--name", "café", env=env,
    )  # fmt: skip

    assert len(fake.jobs.videos) == 1  # the video exists at Tavus whatever the exit code
    assert code == 0, err
    assert json_lines(out)[0]["video_name"] == "café"


async def test_plain_http_elsewhere_needs_allow_insecure_http() -> None:
    """A plain http:// url to another machine is refused unless --allow-insecure-http is given."""
    remote = ("--api-key", KEY, "--base-url", "http://10.0.0.7")
    env = environment()

    refused, allowed = await asyncio.gather(
        tavus_async(*remote, "videos", "get", "bad/id", env=env),
        tavus_async(*remote, "--allow-insecure-http", "videos", "get", "bad/id", env=env),
    )

    assert refused[0] == 2
    assert "clear text" in refused[2]
    assert "--allow-insecure-http" in refused[2]
    # Past the client's construction, the id is refused before any request is made.
    assert allowed[0] == 2
    assert "'bad/id'" in allowed[2]
