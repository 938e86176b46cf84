"""The `videos` commands, run as real subprocesses against a FakeTavus (see _support/cli.py)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from pathlib import Path

from tavus_async import TavusClient
from tavus_async.testing import FakeTavus, ManualClock, Timing

from _support.cli import (
    KEY,
    POLL,
    TIMING,
    api_error,
    block,
    environment,
    json_lines,
    new_video,
    ready_video,
    stock_ids,
    tavus_async,
)

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
