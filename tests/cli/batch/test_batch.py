"""`videos batch`: rows read, created, rendered and saved, within bounds, on a manual clock.

What a batch does when run again, cancelled or interrupted is in test_batch_resume.py.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tavus_async import APIError, PollPolicy, TavusClient
from tavus_async._cli import main as cli
from tavus_async._cli.journal import safe_file_name, unique_file_names
from tavus_async._cli.rows import read_rows
from tavus_async.testing import FakeTavus

from _support.cli import WRONG_KEY, api_error, environment, tavus_async
from _support.cli_batch import ANNA, Run, creates, journal, jsonl, welcome_csv, write


def listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


async def test_csv_rows_are_created_rendered_and_saved(
    run: Run, fake: FakeTavus, tmp_path: Path
) -> None:
    """Each CSV row becomes one video, saved as <video_name>.mp4, with a line and a summary."""
    code = await run(welcome_csv(tmp_path))

    saved = listing(run.out)
    assert code == 0
    assert saved == ["welcome-anna.mp4", "welcome-ben.mp4", "welcome-carmen.mp4"]
    assert all((run.out / name).read_bytes()[4:8] == b"ftyp" for name in saved)
    assert len(creates(fake)) == 3
    assert f"row 2 welcome-ben: ready -> {run.out / 'welcome-ben.mp4'}" in run.printed
    assert "batch: 3/3 rows 100%" in run.printed
    assert "3 of 3 rows ready" in run.printed
    entries = journal(run.journal)
    first = entries[0]["row"]
    assert [e["event"] for e in entries if e["row"] == first] == ["creating", "created", "done"]


async def test_jsonl_rows_map_to_create_arguments(run: Run, fake: FakeTavus, replica: str) -> None:
    """JSON Lines rows send their own replica, audio, background and fast flag, name marked."""
    file = jsonl(
        run.tmp_path / "rows.jsonl",
        {"script": ANNA, "video_name": "anna", "fast": True, "replica_id": replica},
        {"audio_url": "https://example.com/ben.mp3", "background_url": "https://example.com"},
    )

    code = await run(file, download=False)

    first, second = sorted((r.body for r in creates(fake)), key=lambda body: "audio_url" in body)
    keys = [row.key for row in read_rows(file, replica_id=replica)]
    assert code == 0
    assert first == {
        "replica_id": replica,
        "script": ANNA,
        "video_name": f"anna [batch:{keys[0]}]",
        "fast": True,
    }
    assert second["audio_url"] == "https://example.com/ben.mp3"
    assert second["background_url"] == "https://example.com"
    assert second["video_name"] == f"row-2 [batch:{keys[1]}]"
    assert not run.out.exists()


def test_rows_are_read_by_extension_or_first_character(tmp_path: Path) -> None:
    """.csv is CSV, .jsonl JSON Lines, and another name JSON Lines only when it starts with {."""
    as_json = jsonl(tmp_path / "rows.txt", {"script": "a", "fast": "false"}, {"script": "b"})
    as_csv = write(tmp_path / "rows.data", "script,fast,video_name", "a,TRUE,x")

    from_json = read_rows(as_json, replica_id="r1")
    from_csv = read_rows(as_csv, replica_id="r1")

    assert [(r.number, r.script, r.fast) for r in from_json] == [(1, "a", False), (2, "b", None)]
    assert [(r.script, r.fast, r.replica_id) for r in from_csv] == [("a", True, "r1")]


def test_a_row_key_changes_with_its_content_only(tmp_path: Path) -> None:
    """The same row in CSV or JSON Lines has one key; another script or replica another."""
    csv_rows = read_rows(write(tmp_path / "a.csv", "script,video_name", "hi,x"), replica_id="r1")
    json_rows = read_rows(
        jsonl(tmp_path / "a.jsonl", {"video_name": "x", "script": "hi"}), replica_id="r1"
    )
    edited = read_rows(write(tmp_path / "b.csv", "script,video_name", "hey,x"), replica_id="r1")
    other_replica = read_rows(tmp_path / "a.csv", replica_id="r2")

    assert csv_rows[0].key == json_rows[0].key
    assert csv_rows[0].key.endswith("-1")
    assert len({csv_rows[0].key, edited[0].key, other_replica[0].key}) == 3


def test_row_keys_do_not_depend_on_position(tmp_path: Path) -> None:
    """Reordering or inserting rows keeps each row's key; a repeated row gets its own."""
    before = read_rows(write(tmp_path / "a.csv", "script", "one", "two"), replica_id="r1")
    after = read_rows(
        write(tmp_path / "b.csv", "script", "new", "two", "one", "one"), replica_id="r1"
    )

    keys = {row.script: row.key for row in before}
    assert [after[1].key, after[2].key] == [keys["two"], keys["one"]]
    assert after[3].key != after[2].key  # the second "one" is another video


async def test_a_failed_render_fails_its_row_only(run: Run, fake: FakeTavus) -> None:
    """A video that ends in error fails its row (exit 1); the other rows are saved."""
    file = write(
        run.tmp_path / "v.csv", "video_name,script", "good,Hello", "bad,this will tavus-fail"
    )

    code = await run(file)

    assert code == 1
    assert listing(run.out) == ["good.mp4"]
    assert "row 2 bad: failed: video v" in run.printed
    assert "An error occurred while generating this video" in run.printed
    failed = [e for e in journal(run.journal) if e["event"] == "failed"]
    assert len(failed) == 1
    assert failed[0]["video_id"] in fake.jobs.videos


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [{"script": "a"}, {"script": "b"}],
            "no row names a replica_id and no --replica-id was given",
        ),
        (
            [{"script": "a", "replica_id": "r1"}, {"script": "b"}, {"script": "c"}],
            "rows 2, 3 have no replica_id",
        ),
    ],
)
async def test_rows_without_a_replica_are_refused_before_anything_is_created(
    tavus: TavusClient, fake: FakeTavus, tmp_path: Path, rows: list[dict[str, str]], message: str
) -> None:
    """With no --replica-id, rows without replica_id stop the run before any create or journal."""
    run = Run(tavus, tmp_path, replica=None)
    file = jsonl(tmp_path / "v.jsonl", *rows)

    with pytest.raises(ValueError, match=message):
        await run(file, download=False)

    assert fake.requests == []
    assert not run.journal.exists()


def test_a_run_without_a_replica_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`videos batch` on rows naming no replica, without --replica-id, prints one line: exit 2."""
    file = write(tmp_path / "v.csv", "script", *(f"video {i}" for i in range(30)))

    code = cli.main(
        ["--api-key", "k", "--base-url", "http://127.0.0.1:9", "videos", "batch", str(file)]
    )

    lines = capsys.readouterr().err.splitlines()
    assert code == 2
    assert len(lines) == 1
    assert "pass --replica-id" in lines[0]


async def test_a_download_folder_that_cannot_be_made_is_refused_first(
    run: Run, fake: FakeTavus, tmp_path: Path
) -> None:
    """A --download-dir that is a file stops the run before any video is created (and billed)."""
    run.out.write_text("not a folder")

    with pytest.raises(ValueError, match="--download-dir"):
        await run(welcome_csv(tmp_path))

    assert fake.requests == []
    assert not run.journal.exists()


@pytest.mark.parametrize("status", [401, 403])
async def test_a_refused_key_stops_the_batch_at_once(
    fake: FakeTavus, tmp_path: Path, replica: str, status: int
) -> None:
    """A 401 or 403 stops the run at its first create: no other row is sent or journaled."""
    if status == 403:
        fake.fault(method="POST", path="/v2/videos", status=403, times=100)
    key = "sk-wrong-key" if status == 401 else fake.api_key
    file = jsonl(tmp_path / "v.jsonl", *({"script": f"video {i}"} for i in range(30)))

    async with fake.client(api_key=key) as tavus:
        run = Run(tavus, tmp_path, replica)
        with pytest.raises(APIError, match="the API key was refused") as refused:
            await run(file, concurrency=8)

    assert refused.value.status == status
    assert len(creates(fake)) == 1
    assert [entry["event"] for entry in journal(run.journal)] == ["creating", "failed"]


async def test_a_key_refused_while_waiting_stops_the_batch(
    fake: FakeTavus, tavus: TavusClient, tmp_path: Path, replica: str
) -> None:
    """A 401 on the first poll of a video an earlier run created stops the run: one GET sent."""
    file = jsonl(tmp_path / "v.jsonl", *({"script": f"video {i}"} for i in range(3)))
    entries = []
    for row in read_rows(file, replica_id=replica):
        video = await tavus.videos.create(
            replica_id=replica, script=row.script, video_name=row.tavus_name
        )
        entries.append({"row": row.key, "event": "created", "video_id": video.video_id})
    sent = len(fake.requests)

    async with fake.client(api_key="sk-wrong-key") as refused:
        run = Run(refused, tmp_path, replica)
        jsonl(run.journal, *entries)
        with pytest.raises(APIError, match="the API key was refused"):
            await run(file, concurrency=1)

    assert len(fake.requests) == sent + 1


async def test_a_refused_key_exits_1_with_one_line(fake: FakeTavus, tmp_path: Path) -> None:
    """`videos batch` with a wrong key prints one line saying the key was refused: exit 1."""
    file = write(tmp_path / "v.csv", "script", *(f"video {i}" for i in range(30)))
    env = environment(fake)

    result = await tavus_async(
        "--api-key", WRONG_KEY, "videos", "batch", str(file), "--replica-id", "r1", env=env
    )

    line = api_error(*result)
    assert "401" in line
    assert "the API key was refused" in line
    assert "--api-key or TAVUS_API_KEY" in line
    assert len(creates(fake)) == 1


async def test_a_row_past_the_deadline_is_rendering_and_a_rerun_picks_it_up(
    run: Run, fake: FakeTavus, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A video still rendering at the deadline is "rendering", not failed; a rerun waits for it."""
    file = write(tmp_path / "v.csv", "video_name,script", "anna,Hi Anna", "ben,Hi Ben")
    short = PollPolicy(initial=1, maximum=1, jitter=0, timeout=5)

    code = await run(file, json_mode=True, policy=short)
    by_row = {r["row"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    resumed = await run(file)

    assert code == 1
    assert by_row[1]["status"] == "rendering"
    assert by_row[1]["video_id"] in fake.jobs.videos
    assert "run the batch again" in by_row[1]["error"]
    assert by_row[1]["status"] == by_row[2]["status"]
    assert resumed == 0
    assert "row 1 anna: ready" in run.printed
    assert len(creates(fake)) == 2


async def test_the_summary_counts_rows_still_rendering(run: Run, tmp_path: Path) -> None:
    """Without --json, the row's line and the summary say it is still rendering, and what to do."""
    file = write(tmp_path / "v.csv", "video_name,script", "anna,Hi Anna")

    code = await run(file, policy=PollPolicy(initial=1, maximum=1, jitter=0, timeout=5))

    assert code == 1
    assert "row 1 anna: rendering: still rendering" in run.printed
    assert "0 of 1 rows ready, 1 still rendering (run the batch again" in run.printed


async def test_unsafe_names_are_saved_inside_the_download_folder(run: Run, tmp_path: Path) -> None:
    """Names with separators, dots, nothing or repeats become distinct plain files in the folder."""
    names = ["../../etc/passwd", "a/b", ".hidden", "", "dup", "Dup", "C:\\x", "/etc/passwd"]
    file = jsonl(tmp_path / "v.jsonl", *({"video_name": n, "script": "hi"} for n in names))

    code = await run(file)

    assert code == 0
    assert listing(run.out) == sorted(
        [
            "etc_passwd.mp4",
            "a_b.mp4",
            "hidden.mp4",
            "row-4.mp4",
            "dup.mp4",
            "Dup-2.mp4",
            "C_x.mp4",
            "etc_passwd-2.mp4",
        ]
    )
    assert listing(tmp_path) == ["batch.journal", "out", "v.jsonl"]


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("welcome-ben", "welcome-ben"),
        ("..", "row-1"),
        ("   ", "row-1"),
        (None, "row-1"),
        ("-rf *", "rf"),
        ("Zoë's café", "Zoe_s_cafe"),
        ("intro.MP4", "intro"),
        ("CON", "CON_"),
        ("nul.txt", "nul_.txt"),
        ("a" * 300, "a" * 100),
        ("x" * 99 + "....y", "x" * 99),
        ("日本語", "row-1"),
    ],
)
def test_safe_file_names(name: str | None, safe: str) -> None:
    """A row's name becomes a short plain name any file system takes, never empty."""
    assert safe_file_name(name, fallback="row-1") == safe


def test_repeated_names_get_numbers() -> None:
    """Repeats, ignoring case, get -2, -3, ... and never take another row's name."""
    assert unique_file_names(["a", "A", "a-2", "a"]) == ["a.mp4", "A-2.mp4", "a-2-2.mp4", "a-3.mp4"]


@pytest.mark.parametrize(
    ("name", "lines", "message"),
    [
        ("v.jsonl", ['{"script": "a"}', '{"script": "b"'], "row 2 \\(line 2\\): not valid JSON"),
        ("v.jsonl", ['{"script": "a", "audio_url": "https://x.io/a.mp3"}'], "row 1 .*exactly one"),
        ("v.jsonl", ["", '{"script": "a"}', "[1, 2]"], "row 2 \\(line 3\\): not a JSON object"),
        ("v.jsonl", ['{"script": 5}'], "row 1 .*script must be text"),
        ("v.csv", ["script,video_name", "a,x", "b,y", ",z"], "row 3 .*exactly one"),
        ("v.csv", ["script,fast", "a,maybe"], "row 1 .*fast must be true or false"),
        ("v.csv", ["script,audio_url", "a,", ",ftp://x/a.mp3"], "row 2 .*http"),
        ("v.csv", ["script", "a,b"], "row 1 .*more cells than the header"),
        ("v.csv", ["script,replica_id", "a,../x"], "row 1 .*replica_id"),
        ("v.csv", ["script,Script", "a,b"], "line 1 \\(the header\\): the column 'script' appears"),
    ],
)
async def test_a_malformed_file_is_refused_before_anything_is_created(
    run: Run, fake: FakeTavus, tmp_path: Path, name: str, lines: list[str], message: str
) -> None:
    """A bad row raises ValueError naming it, and nothing is created or journaled."""
    file = write(tmp_path / name, *lines)

    with pytest.raises(ValueError, match=message):
        await run(file)

    assert fake.requests == []
    assert not run.journal.exists()


async def test_two_runs_of_one_journal_cannot_overlap(run: Run, fake: FakeTavus) -> None:
    """A second run on a journal in use is refused (ValueError), creating nothing."""
    from tavus_async._cli.journal import Journal

    file = write(run.tmp_path / "v.csv", "video_name,script", "anna,Hi Anna")
    holder = await Journal.open(run.journal)
    try:
        with pytest.raises(ValueError, match="in use by another run"):
            await run(file)
    finally:
        holder.close()

    assert creates(fake) == []
    assert await run(file) == 0


async def test_a_corrupt_journal_line_before_the_last_is_refused(
    run: Run, fake: FakeTavus, tmp_path: Path
) -> None:
    """A bad line in the middle of the journal is not a crash's trace: ValueError names it."""
    write(
        run.journal,
        '{"row": "1-ab", "event": "creating"}',
        "garbage",
        '{"row": "1-ab", "event": "failed"}',
    )

    with pytest.raises(ValueError, match="line 2 is not a journal event"):
        await run(welcome_csv(tmp_path))

    assert creates(fake) == []


async def test_json_mode_prints_one_record_per_row(
    run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --json each finished row is one JSON object on stdout, and there is no bar."""
    file = write(tmp_path / "v.csv", "video_name,script", "ok,Hello", "bad,x tavus-fail")

    code = await run(file, json_mode=True)

    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_row = {r["row"]: r for r in records}
    assert code == 1
    assert len(records) == 2
    assert by_row[1]["status"] == "ready"
    assert by_row[1]["path"] == str(run.out / "ok.mp4")
    assert by_row[1]["video_id"].startswith("v")
    assert by_row[2]["status"] == "failed"
    assert "ended with status error" in by_row[2]["error"]
    assert run.printed == ""


async def test_no_more_rows_than_concurrency_are_in_flight(
    run: Run, tavus: TavusClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At most `concurrency` rows are in flight, and that many are."""
    in_flight, most = 0, 0
    both_waiting = asyncio.Event()  # the first wait is held until a second one joins it
    wait: Callable[..., Awaitable[Any]] = tavus.videos.wait

    async def counting_wait(video_id: str, **options: Any) -> Any:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        if in_flight == 2:
            both_waiting.set()
        try:
            await both_waiting.wait()
            return await wait(video_id, **options)
        finally:
            in_flight -= 1

    monkeypatch.setattr(tavus.videos, "wait", counting_wait)
    file = jsonl(tmp_path / "v.jsonl", *({"script": f"video {i}"} for i in range(7)))

    code = await run(file, concurrency=2, download=False)

    assert code == 0
    assert most == 2
