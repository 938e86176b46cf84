"""The `replicas` and `videos` commands, run as real subprocesses against a FakeTavus.

Each test serves one FakeTavus on loopback from its own event loop and runs
`python -m tavus_async ...` with asyncio subprocesses, so the emulator keeps answering
while the command runs. Jobs take tenths of a second of real time; waits poll every
0.05 s. Commands that do not depend on each other run at the same time.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus, ManualClock, Timing
from tavus_async.waiters import PollPolicy

KEY = "sk-test-cli-key-0123456789"
WRONG_KEY = "sk-wrong-cli-key-9876543210"
TIMING = Timing(replica_training=0.4, video_queue=0.05, video_rendering=0.3)
FAST = PollPolicy(initial=0.05, maximum=0.05, timeout=10)
POLL = ("--poll", "0.05")
# Variables that would make rich treat the pipe as a terminal, or change its width.
_RICH_VARIABLES = {"FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES"}


def environment(fake: FakeTavus | None = None, **extra: str) -> dict[str, str]:
    """The test's environment without any TAVUS_ variable, plus ``fake``'s url and key.

    Output is UTF-8, 200 columns wide (tables never wrap), and warnings are errors in
    the command too.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TAVUS_") and k not in _RICH_VARIABLES
    }
    env.update(COLUMNS="200", PYTHONIOENCODING="utf-8", PYTHONWARNINGS="error")
    if fake is not None:
        env.update(TAVUS_BASE_URL=fake.base_url, TAVUS_API_KEY=fake.api_key)
    env.update(extra)
    return env


async def tavus_async(
    *args: str, env: dict[str, str], cwd: Path | None = None
) -> tuple[int, str, str]:
    """Run `python -m tavus_async ARGS`: (exit code, stdout, stderr).

    Whatever the command, no key it was given may appear in its output, and it never
    prints a traceback.
    """
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tavus_async",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=cwd,
    )
    try:
        raw_out, raw_err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    out, err = raw_out.decode(), raw_err.decode()
    secrets = {KEY, WRONG_KEY, env.get("TAVUS_API_KEY", KEY)}
    secrets |= {value for option, value in itertools.pairwise(args) if option == "--api-key"}
    leaked = [secret for secret in secrets if secret in out + err]
    assert not leaked, f"{args}: the key {leaked} was printed:\n{out}{err}"
    assert "Traceback" not in err, f"{args}: a traceback:\n{err}"
    return process.returncode, out, err


def json_lines(out: str) -> list[dict[str, Any]]:
    """Every line of ``out`` read as one JSON object."""
    objects = [json.loads(line) for line in out.splitlines()]
    assert all(isinstance(o, dict) for o in objects), out
    return objects


def block(out: str) -> dict[str, str]:
    """A key/value block (`key  value` lines) as a dict; other lines are skipped."""
    pairs = (line.split(None, 1) for line in out.splitlines() if re.match(r"^\w+  ", line))
    return {key: value.rstrip() for key, value in pairs}


def api_error(code: int, out: str, err: str) -> str:
    """The one line an API error prints, after checking its shape."""
    assert code == 1, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("tavus-async: error: ")
    return lines[0]


def stock_ids(fake: FakeTavus) -> list[str]:
    return [r.replica_id for r in fake.jobs.replicas.values() if r.replica_type == "system"]


@pytest.fixture
async def fake() -> AsyncIterator[FakeTavus]:
    async with FakeTavus(api_key=KEY, timing=TIMING) as emulator:
        yield emulator


@pytest.fixture
async def tavus(fake: FakeTavus) -> AsyncIterator[TavusClient]:
    """A client of the same emulator, to set the scene without spawning a command."""
    async with fake.client() as client:
        yield client


async def new_video(tavus: TavusClient, fake: FakeTavus, script: str = "Hello there") -> str:
    video = await tavus.videos.create(replica_id=stock_ids(fake)[0], script=script)
    return video.video_id


async def ready_video(tavus: TavusClient, fake: FakeTavus) -> str:
    video_id = await new_video(tavus, fake)
    await tavus.videos.wait(video_id, policy=FAST)
    return video_id


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


# -- videos ---------------------------------------------------------------------------


async def test_videos_create_from_a_script_a_file_or_audio(fake: FakeTavus, tmp_path: Path) -> None:
    """`videos create` takes --script, --script-file (UTF-8) or --audio-url."""
    script_file = tmp_path / "script.txt"
    script = "Grüße aus Köln — naïve café ✓\nSecond line.\n"
    script_file.write_bytes(script.encode("utf-8"))
    replica_id = stock_ids(fake)[0]
    env = environment(fake)

    (code, out, _), (file_code, from_file, _), (audio_code, from_audio, _) = await asyncio.gather(
        tavus_async(
            "videos", "create", "--replica-id", replica_id, "--script", "Hello!",
            "--name", "greeting", env=env,
        ),
        tavus_async(
            "--json", "videos", "create", "--replica-id", replica_id,
            "--script-file", str(script_file), env=env,
        ),
        tavus_async(
            "--json", "videos", "create", "--replica-id", replica_id,
            "--audio-url", "https://example.com/voice.mp3", "--fast", env=env,
        ),
    )  # fmt: skip

    assert code == file_code == audio_code == 0
    created = block(out)
    assert created["video_name"] == "greeting"
    assert created["status"] == "queued"
    assert fake.jobs.videos[created["video_id"]].script == "Hello!"
    [file_video] = json_lines(from_file)
    assert file_video["status"] == "queued"
    assert set(file_video) >= {"video_id", "video_name", "hosted_url", "created_at"}
    assert fake.jobs.videos[file_video["video_id"]].script == script
    [audio_video] = json_lines(from_audio)
    made = fake.jobs.videos[audio_video["video_id"]]
    assert (made.audio_url, made.script, made.fast) == ("https://example.com/voice.mp3", None, True)


async def test_videos_create_needs_exactly_one_speech_option(
    fake: FakeTavus, tmp_path: Path
) -> None:
    """Two of --script/--script-file/--audio-url, none, or no --replica-id: exit 2 and usage."""
    env = environment(fake)
    replica = ("--replica-id", stock_ids(fake)[0])
    script_file = tmp_path / "s.txt"
    script_file.write_text("hi", encoding="utf-8")

    results = await asyncio.gather(
        tavus_async(
            "videos", "create", *replica, "--script", "hi", "--audio-url", "https://e.com/a.mp3",
            env=env,
        ),
        tavus_async(
            "videos", "create", *replica, "--script", "hi", "--script-file", str(script_file),
            env=env,
        ),
        tavus_async("videos", "create", *replica, env=env),
        tavus_async("videos", "create", "--script", "hi", env=env),
    )  # fmt: skip

    expected = [
        "argument --audio-url: not allowed with argument --script",
        "argument --script-file: not allowed with argument --script",
        "one of the arguments --script --script-file --audio-url is required",
        "the following arguments are required: --replica-id",
    ]
    for (code, out, err), message in zip(results, expected, strict=True):
        assert code == 2, err
        assert out == ""
        assert err.startswith("usage: tavus-async videos create")
        assert message in err
    assert fake.requests == []


async def test_videos_list_prints_a_table_or_json_lines(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """`videos list` is a table with video_id first and a count; --json one line per video."""
    older = await new_video(tavus, fake, "First")
    newer = await new_video(tavus, fake, "Second")
    env = environment(fake)

    (code, table, _), (json_code, listed, _), (_, page, _) = await asyncio.gather(
        tavus_async("videos", "list", env=env),
        tavus_async("--json", "videos", "list", env=env),
        tavus_async("videos", "list", "--limit", "1", "--page", "2", env=env),
    )

    lines = table.splitlines()
    assert code == json_code == 0
    assert lines[0].split() == [
        "video_id", "video_name", "status", "progress", "replica_id", "created_at",
    ]  # fmt: skip
    assert [line.split()[0] for line in lines[1:3]] == [newer, older]
    assert lines[-1] == "2 shown of 2"
    videos = json_lines(listed)
    assert [v["video_id"] for v in videos] == [newer, older]
    assert {"video_name", "status", "replica_id", "data", "hosted_url"} <= set(videos[0])
    assert [line.split()[0] for line in page.splitlines()[1:-1]] == [older]
    assert page.splitlines()[-1] == "1 shown of 2"


async def test_videos_get_shows_one_video(fake: FakeTavus, tavus: TavusClient) -> None:
    """`videos get` is a key/value block or one JSON object in Tavus's field names."""
    video_id = await ready_video(tavus, fake)
    env = environment(fake)

    (code, out, _), (json_code, as_json, _) = await asyncio.gather(
        tavus_async("videos", "get", video_id, env=env),
        tavus_async("--json", "videos", "get", video_id, "--verbose", env=env),
    )

    assert code == json_code == 0
    shown = block(out)
    assert (shown["video_id"], shown["status"], shown["progress"]) == (video_id, "ready", "100%")
    assert shown["download_url"].endswith(f"/files/{video_id}.mp4")
    [video] = json_lines(as_json)
    assert video["video_id"] == video_id
    assert video["generation_progress"] == "100/100"
    assert video["data"] == {"script": "Hello there"}
    assert video["still_image_thumbnail_url"].endswith(f"{video_id}.jpg")


async def test_videos_wait_exits_0_when_ready_and_1_when_failed(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """`videos wait` ends at `ready` with exit 0; a video that failed to render exits 1."""
    good = await new_video(tavus, fake)
    bad = await new_video(tavus, fake, "This one breaks: tavus-fail")
    env = environment(fake)

    (code, out, _), (bad_code, bad_out, _), (json_code, json_out, _) = await asyncio.gather(
        tavus_async("videos", "wait", good, *POLL, env=env),
        tavus_async("videos", "wait", bad, *POLL, env=env),
        tavus_async("--json", "videos", "wait", bad, *POLL, env=env),
    )

    assert code == 0
    assert [line for line in out.splitlines() if line.startswith("video ")][-1] == (
        f"video {good}: ready 100%"
    )
    assert block(out)["status"] == "ready"
    assert bad_code == json_code == 1
    assert [line for line in bad_out.splitlines() if line.startswith("video ")][-1] == (
        f"video {bad}: error"
    )
    assert block(bad_out)["error_details"]
    assert json_lines(json_out)[-1]["status"] == "error"


async def test_videos_download_writes_the_mp4(
    fake: FakeTavus, tavus: TavusClient, tmp_path: Path
) -> None:
    """`videos download ID DEST` saves the MP4 to a file path, or into a folder given as `dir/`."""
    video_id = await ready_video(tavus, fake)
    env = environment(fake)

    (code, out, _), (json_code, json_out, _) = await asyncio.gather(
        tavus_async("videos", "download", video_id, "clips/intro.mp4", env=env, cwd=tmp_path),
        tavus_async("--json", "videos", "download", video_id, "saved/", env=env, cwd=tmp_path),
    )

    assert code == json_code == 0
    into_file = tmp_path / "clips" / "intro.mp4"
    into_folder = tmp_path / "saved" / f"{video_id}.mp4"
    assert into_file.read_bytes()[4:8] == b"ftyp"
    assert into_folder.read_bytes()[4:8] == b"ftyp"
    assert block(out)["path"] == str(Path("clips", "intro.mp4"))
    assert block(out)["bytes"] == str(into_file.stat().st_size)
    assert out.splitlines()[0].startswith(f"download {video_id}: ")
    [saved] = json_lines(json_out)
    assert (tmp_path / saved["path"]).resolve() == into_folder.resolve()
    assert saved == {"video_id": video_id, "path": saved["path"], "bytes": 262144}
    assert fake.file_requests
    assert not any(request.key_sent for request in fake.file_requests)


async def test_videos_rename_then_get_shows_the_new_name(
    fake: FakeTavus, tavus: TavusClient
) -> None:
    """`videos rename` prints the id and new name (block or JSON); a later get shows it."""
    first, second = await new_video(tavus, fake), await new_video(tavus, fake)
    env = environment(fake)

    (code, out, _), (json_code, json_out, _) = await asyncio.gather(
        tavus_async("videos", "rename", first, "Welcome, Anna", env=env),
        tavus_async("--json", "videos", "rename", second, "Welcome, Ben", env=env),
    )
    _, listed, _ = await tavus_async("--json", "videos", "list", env=env)

    assert code == json_code == 0
    assert block(out) == {"video_id": first, "video_name": "Welcome, Anna"}
    assert json_lines(json_out) == [{"video_id": second, "video_name": "Welcome, Ben"}]
    names = {v["video_id"]: v["video_name"] for v in json_lines(listed)}
    assert names == {first: "Welcome, Anna", second: "Welcome, Ben"}


async def test_videos_delete_soft_or_hard(fake: FakeTavus, tavus: TavusClient) -> None:
    """`videos delete` marks a video deleted; with --hard it is gone and a get exits 1."""
    soft, hard = await new_video(tavus, fake), await new_video(tavus, fake)
    env = environment(fake)

    (code, out, _), (json_code, json_out, _) = await asyncio.gather(
        tavus_async("videos", "delete", soft, env=env),
        tavus_async("--json", "videos", "delete", hard, "--hard", env=env),
    )
    (_, soft_after, _), hard_after = await asyncio.gather(
        tavus_async("--json", "videos", "get", soft, env=env),
        tavus_async("videos", "get", hard, env=env),
    )

    assert code == json_code == 0
    assert block(out) == {"video_id": soft, "deleted": "True", "hard": "False"}
    assert json_lines(json_out) == [{"video_id": hard, "deleted": True, "hard": True}]
    assert json_lines(soft_after)[0]["status"] == "deleted"
    assert api_error(*hard_after).endswith(f"404 GET /v2/videos/{hard}: Video not found")


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


# -- progress off a terminal -------------------------------------------------------------


async def wait_on_a_manual_clock(*options: str) -> tuple[str, int, tuple[int, str, str]]:
    """Run `videos wait` while the emulator's clock moves 0.25 s every second poll.

    Returns the video's id, how many times the command polled it, and the command's result.
    The video queues for 0.25 s and renders for 1 s, so the command sees each state twice.
    """
    clock = ManualClock()
    timing = Timing(video_queue=0.25, video_rendering=1.0)
    async with FakeTavus(api_key=KEY, clock=clock, timing=timing) as fake:
        async with fake.client() as tavus:
            video_id = await new_video(tavus, fake)
        path = f"/v2/videos/{video_id}"

        def polls() -> int:
            return sum(1 for r in fake.requests if r.method == "GET" and r.path == path)

        async def move_the_clock() -> None:
            seen = 0
            while True:
                await asyncio.sleep(0.005)
                if polls() >= seen + 2:
                    seen += 2
                    clock.advance(0.25)

        mover = asyncio.create_task(move_the_clock())
        try:
            result = await tavus_async(
                *options, "videos", "wait", video_id, *POLL, env=environment(fake)
            )
        finally:
            mover.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await mover
        return video_id, polls(), result


async def test_videos_wait_prints_one_plain_line_per_change() -> None:
    """Off a terminal, `videos wait` prints one plain line per change, ending with `ready`."""
    video_id, polls, (code, out, _) = await wait_on_a_manual_clock()

    lines = out.splitlines()
    progress = [line for line in lines if line.startswith("video ")]
    assert code == 0
    assert progress == [
        f"video {video_id}: queued",
        f"video {video_id}: generating 0%",
        f"video {video_id}: generating 25%",
        f"video {video_id}: generating 50%",
        f"video {video_id}: generating 75%",
        f"video {video_id}: ready 100%",
    ]
    assert polls > len(progress)  # some polls saw no change and printed nothing
    assert all(a != b for a, b in itertools.pairwise(lines))
    assert lines[: len(progress)] == progress  # then the video's block
    assert "\x1b[" not in out


async def test_videos_wait_json_prints_one_object_per_change() -> None:
    """With --json, `videos wait` prints each change as one JSON line, the ready video last."""
    video_id, polls, (code, out, _) = await wait_on_a_manual_clock("--json")

    changes = json_lines(out)
    assert code == 0
    assert [(c["status"], c.get("generation_progress")) for c in changes] == [
        ("queued", None),
        ("generating", "0/100"),
        ("generating", "25/100"),
        ("generating", "50/100"),
        ("generating", "75/100"),
        ("ready", "100/100"),
    ]
    assert {c["video_id"] for c in changes} == {video_id}
    assert polls > len(changes)
    assert "\x1b[" not in out


async def test_videos_wait_timeout_exits_1_with_one_line() -> None:
    """`videos wait --timeout` on a video that never moves exits 1 with one error line."""
    async with FakeTavus(api_key=KEY, clock=ManualClock(), timing=TIMING) as fake:
        async with fake.client() as tavus:
            video_id = await new_video(tavus, fake)

        code, out, err = await tavus_async(
            "videos", "wait", video_id, *POLL, "--timeout", "0.2", env=environment(fake)
        )

    assert code == 1
    assert out.splitlines() == [f"video {video_id}: queued"]
    assert err.splitlines() == [
        f"tavus-async: error: video {video_id} did not finish within 0.2 s (last status: queued)"
    ]


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
