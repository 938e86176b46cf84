"""What every command does with errors, keys, files and consoles.

The commands run as real subprocesses against a FakeTavus (see _support/cli.py); each
family's own commands are in test_replica_commands.py and test_video_commands.py.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus

from _support.cli import (
    KEY,
    POLL,
    WRONG_KEY,
    api_error,
    environment,
    json_lines,
    new_video,
    ready_video,
    stock_ids,
    tavus_async,
)

# -- exit codes -----------------------------------------------------------------------


async def test_api_errors_exit_1_with_one_line(fake: FakeTavus) -> None:
    """An unknown id (404) or a wrong key (401) exits 1 with one `tavus-async: error:` line."""
    env = environment(fake)

    missing, refused, missing_replica = await asyncio.gather(
        tavus_async("videos", "get", "v0000000000", env=env),
        tavus_async("--api-key", WRONG_KEY, "videos", "list", env=env),
        tavus_async("replicas", "wait", "r0000000000", *POLL, env=env),
    )

    assert "404" in api_error(*missing)
    assert "Video not found" in api_error(*missing)
    assert "401" in api_error(*refused)
    assert "Invalid access token" in api_error(*refused)
    assert "404" in api_error(*missing_replica)


async def test_with_json_an_error_is_one_json_object_on_stderr(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """With --json, an API error, a refused argument, a usage error or a failed video end
    stderr with one JSON object (error, status, request_id), and nothing on stdout."""
    fake.fault(
        method="GET", path="/v2/replicas", status=403,
        body={"error": "not on your plan"}, headers={"x-request-id": "req-42"},
    )  # fmt: skip
    failed = await new_video(tavus, fake, "This one breaks: tavus-fail")
    env = environment(fake)

    refused, bad_id, usage, render = await asyncio.gather(
        tavus_async("replicas", "list", "--json", env=env),
        tavus_async("--json", "videos", "get", "bad/id", env=env),
        tavus_async("videos", "frobnicate", "--json", env=env),
        tavus_async("videos", "wait", failed, "--json", *POLL, env=env),
    )

    errors = [json.loads(err.splitlines()[-1]) for _, _, err in (refused, bad_id, usage, render)]
    assert [code for code, _, _ in (refused, bad_id, usage, render)] == [1, 2, 2, 1]
    assert [out for _, out, _ in (refused, bad_id, usage)] == ["", "", ""]
    assert errors[0] == {
        "error": "403 GET /v2/replicas?limit=100&page=0: not on your plan (request id req-42)",
        "status": 403,
        "request_id": "req-42",
    }
    assert "'bad/id'" in errors[1]["error"]
    assert "invalid choice: 'frobnicate'" in errors[2]["error"]
    assert f"video {failed} ended with status error" in errors[3]["error"]
    assert [(e["status"], e["request_id"]) for e in errors[1:]] == [(None, None)] * 3


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


async def test_no_key_names_the_option_and_the_variable(fake: FakeTavus) -> None:
    """Without a key the command says to pass --api-key or set TAVUS_API_KEY, not api_key=."""
    keyless = environment(TAVUS_BASE_URL=fake.base_url)

    code, out, err = await tavus_async("videos", "list", env=keyless)

    assert (code, out) == (2, "")
    assert err == "tavus-async: error: no Tavus API key: pass --api-key or set TAVUS_API_KEY\n"
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


async def test_global_options_work_after_the_command_too(fake: FakeTavus) -> None:
    """--json, --api-key and --base-url after the command mean what they mean before it."""
    env = environment(TAVUS_BASE_URL="http://127.0.0.1:9", TAVUS_API_KEY=WRONG_KEY)
    options = ("--base-url", fake.base_url, "--api-key", KEY, "--json")

    before, after, between = await asyncio.gather(
        tavus_async(*options, "replicas", "list", env=env),
        tavus_async("replicas", "list", *options, env=env),
        tavus_async("replicas", *options, "list", env=env),
    )

    for code, out, err in (before, after, between):
        assert code == 0, err
        assert len(json_lines(out)) == 3
    assert after[1] == before[1] == between[1]


async def test_the_api_key_is_never_printed(fake: FakeTavus) -> None:
    """Not even when Tavus echoes the key in an error, nor in a usage error given the key."""
    fake.fault(path="/v2/videos", status=403, body={"error": f"key {KEY} may not list videos"})
    env = environment(fake)

    echoed, usage = await asyncio.gather(
        tavus_async("--json", "videos", "list", env=env),
        tavus_async("--api-key", KEY, "videos", "frobnicate", env=env),
    )

    assert (echoed[0], echoed[1]) == (1, "")
    assert json.loads(echoed[2])["status"] == 403
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


async def test_a_base_url_ending_in_v2_is_a_usage_error() -> None:
    """--base-url https://tavusapi.com/v2 exits 2 with one line saying to drop the /v2."""
    code, out, err = await tavus_async(
        "videos", "list", "--base-url", "https://tavusapi.com/v2", "--api-key", KEY,
        env=environment(),
    )  # fmt: skip

    assert (code, out) == (2, "")
    assert err == (
        "tavus-async: error: base_url 'https://tavusapi.com/v2' ends in /v2, which the client "
        "adds itself: drop it, use 'https://tavusapi.com'\n"
    )
