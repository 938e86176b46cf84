"""`videos batch`: bounded, resumable, crash-safe batches against FakeTavus on a manual clock."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from tavus_async import PollPolicy, TavusClient
from tavus_async._cli_batch import run_batch
from tavus_async._cli_journal import read_rows, safe_file_name, unique_file_names
from tavus_async._cli_output import Output
from tavus_async.testing import FakeTavus, ManualClock, RecordedRequest, Timing

ANNA = "Hi Anna, welcome aboard!"
BEN = "Hi Ben, welcome aboard!"
CARMEN = "Hello Carmen, and welcome!"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTavus]:
    timing = Timing(video_queue=1, video_rendering=30)
    async with FakeTavus(clock=ManualClock(), timing=timing) as fake:
        yield fake


@pytest.fixture
async def tavus(fake: FakeTavus) -> AsyncIterator[TavusClient]:
    async with fake.client() as tavus:
        yield tavus


@pytest.fixture
def replica(fake: FakeTavus) -> str:
    return next(iter(fake.jobs.replicas))


def write(path: Path, *lines: str) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def jsonl(path: Path, *rows: dict[str, Any]) -> Path:
    return write(path, *(json.dumps(row) for row in rows))


def welcome_csv(tmp_path: Path) -> Path:
    return write(
        tmp_path / "videos.csv",
        "video_name,script",
        f'welcome-anna,"{ANNA}"',
        f'welcome-ben,"{BEN}"',
        f'welcome-carmen,"{CARMEN}"',
    )


def listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def creates(fake: FakeTavus) -> list[RecordedRequest]:
    return [r for r in fake.requests if r.method == "POST" and r.path == "/v2/videos"]


def journal(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


class Run:
    """One `videos batch` call in-process, with what it printed for people."""

    def __init__(self, tavus: TavusClient, tmp_path: Path, replica: str | None) -> None:
        self.tavus, self.tmp_path, self.replica = tavus, tmp_path, replica
        self.journal = tmp_path / "batch.journal"
        self.out = tmp_path / "out"
        self.printed = ""

    async def __call__(
        self,
        file: Path,
        *,
        json_mode: bool = False,
        download: bool = True,
        concurrency: int = 4,
        policy: PollPolicy | None = None,
    ) -> int:
        text = io.StringIO()
        code = await run_batch(
            self.tavus,
            file=file,
            replica_id=self.replica,
            concurrency=concurrency,
            download_dir=self.out if download else None,
            journal_path=self.journal,
            policy=policy,
            output=Output(json_mode=json_mode, console=Console(file=text, width=120)),
        )
        self.printed = text.getvalue()
        return code


@pytest.fixture
def run(tavus: TavusClient, tmp_path: Path, replica: str) -> Run:
    return Run(tavus, tmp_path, replica)


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
    as_csv = write(tmp_path / "rows.data", "script,fast,notes", "a,TRUE,ignored column")

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


async def test_a_reordered_file_bills_nothing_twice(run: Run, fake: FakeTavus) -> None:
    """Rerunning a batch after inserting a row at the top creates only the new row."""
    first = write(run.tmp_path / "v.csv", "video_name,script", "anna,Hi Anna", "ben,Hi Ben")
    await run(first)

    write(run.tmp_path / "v.csv", "video_name,script", "cleo,Hi Cleo", "ben,Hi Ben", "anna,Hi Anna")
    code = await run(first)

    assert code == 0
    assert sorted(v.script or "" for v in fake.jobs.videos.values()) == [
        "Hi Anna",
        "Hi Ben",
        "Hi Cleo",
    ]


async def test_two_runs_of_one_journal_cannot_overlap(run: Run, fake: FakeTavus) -> None:
    """A second run on a journal in use is refused (ValueError), creating nothing."""
    from tavus_async._cli_journal import Journal

    file = write(run.tmp_path / "v.csv", "video_name,script", "anna,Hi Anna")
    holder = await Journal.open(run.journal)
    try:
        with pytest.raises(ValueError, match="in use by another run"):
            await run(file)
    finally:
        holder.close()

    assert creates(fake) == []
    assert await run(file) == 0


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


async def test_a_failed_row_with_a_video_is_waited_on_again_not_created(
    run: Run, fake: FakeTavus
) -> None:
    """The next run waits for a failed row's recorded video again instead of creating it."""
    file = write(run.tmp_path / "v.csv", "video_name,script", "good,Hello", "bad,x tavus-fail")
    await run(file)

    code = await run(file)

    assert code == 1
    assert len(creates(fake)) == 2
    assert "row 1 good: done" in run.printed


async def test_a_row_without_a_replica_fails_alone(
    tavus: TavusClient, fake: FakeTavus, tmp_path: Path, replica: str
) -> None:
    """With no --replica-id, a row without replica_id fails with a clear reason; others run."""
    run = Run(tavus, tmp_path, replica=None)
    file = jsonl(tmp_path / "v.jsonl", {"script": "a", "replica_id": replica}, {"script": "b"})

    code = await run(file, download=False)

    assert code == 1
    assert len(creates(fake)) == 1
    assert "row 2 row-2: failed: no replica_id: give the row one, or pass --replica-id" in (
        run.printed
    )


async def test_running_again_creates_nothing_and_reports_done_rows(
    run: Run, fake: FakeTavus, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second run with the same journal makes no request at all and reports every row done."""
    file = welcome_csv(tmp_path)
    await run(file)
    requests = len(fake.requests)
    capsys.readouterr()

    code = await run(file, json_mode=True)

    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    assert len(fake.requests) == requests
    assert [r["status"] for r in records] == ["done", "done", "done"]
    assert records[0]["path"] == str(run.out / "welcome-anna.mp4")


async def test_an_edited_row_is_a_new_row(run: Run, fake: FakeTavus, tmp_path: Path) -> None:
    """Editing a row's script makes it a different row: only that row is created again."""
    file = welcome_csv(tmp_path)
    await run(file)
    text = file.read_text().replace("Hi Ben", "Hey Ben")
    file.write_text(text)

    code = await run(file)

    assert code == 0
    assert len(creates(fake)) == 4
    assert creates(fake)[-1].body["script"].startswith("Hey Ben")


async def test_a_done_row_whose_file_is_gone_is_downloaded_again(
    run: Run, fake: FakeTavus, tmp_path: Path
) -> None:
    """A done row's missing file is fetched again on the next run, without a new video."""
    file = welcome_csv(tmp_path)
    await run(file)
    (run.out / "welcome-ben.mp4").unlink()

    code = await run(file)

    assert code == 0
    assert len(creates(fake)) == 3
    assert (run.out / "welcome-ben.mp4").read_bytes()[4:8] == b"ftyp"


async def test_a_created_row_of_a_dead_process_is_waited_on(
    run: Run, fake: FakeTavus, tavus: TavusClient, tmp_path: Path, replica: str
) -> None:
    """A row the journal has at created (the process died) is waited on, never created again."""
    file = welcome_csv(tmp_path)
    first = read_rows(file, replica_id=replica)[0]
    video = await tavus.videos.create(replica_id=replica, script=ANNA, video_name=first.tavus_name)
    jsonl(
        run.journal,
        {"row": first.key, "event": "creating"},
        {"row": first.key, "event": "created", "video_id": video.video_id},
    )

    code = await run(file)

    assert code == 0
    assert sorted(r.body["script"] for r in creates(fake)) == sorted(
        [ANNA, BEN, CARMEN]
    )  # ANNA by hand
    done = [e for e in journal(run.journal) if e["row"] == first.key and e["event"] == "done"]
    assert done[0]["video_id"] == video.video_id


async def test_a_batch_cancelled_midway_resumes_without_creating_twice(
    run: Run, fake: FakeTavus, tmp_path: Path
) -> None:
    """Cancelled after its first video was created, the batch resumes: one video per row."""
    file = welcome_csv(tmp_path)
    crawl = PollPolicy(initial=0.001, maximum=0.001, timeout=1e6)  # a wait of ~30,000 polls
    task = asyncio.ensure_future(run(file, concurrency=1, policy=crawl))
    for _ in range(100_000):
        if run.journal.exists() and '"created"' in run.journal.read_text():
            break
        await asyncio.sleep(0)  # a turn of the loop, not the wall clock
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    first_run = journal(run.journal)

    code = await run(file)

    assert [e["event"] for e in first_run] == ["creating", "created"]
    assert code == 0
    assert len(creates(fake)) == len(fake.jobs.videos) == 3


@pytest.mark.parametrize(
    ("watch", "count"),
    [
        ("videos", 1),  # a video exists at Tavus, its answer not yet read: journal "creating"
        ("videos", 3),
        ("journal lines", 1),  # creates about to be sent
        ("journal lines", 4),  # some answers journaled, some not
        ("journal lines", 7),  # rows finishing
    ],
)
async def test_a_batch_cancelled_at_any_point_resumes_with_one_video_per_row(
    run: Run, fake: FakeTavus, tmp_path: Path, watch: str, count: int
) -> None:
    """Wherever the batch is cancelled, its journal parses and the next run makes each row once."""
    file = welcome_csv(tmp_path)

    def reached() -> bool:
        if watch == "videos":
            return len(fake.jobs.videos) >= count
        return run.journal.exists() and run.journal.read_text().count("\n") >= count

    task = asyncio.ensure_future(run(file, concurrency=3))
    for _ in range(100_000):
        if reached() or task.done():
            break
        await asyncio.sleep(0)  # a turn of the loop, not the wall clock
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert run.journal.read_text().endswith("\n")
    assert {e["event"] for e in journal(run.journal)} <= {"creating", "created", "done"}

    code = await run(file)

    names = sorted(v.video_name.split(" [")[0] for v in fake.jobs.videos.values())
    assert code == 0
    assert names == ["welcome-anna", "welcome-ben", "welcome-carmen"]


async def test_a_row_left_creating_is_adopted_when_its_video_exists(
    run: Run, fake: FakeTavus, tavus: TavusClient, tmp_path: Path, replica: str
) -> None:
    """A row last journaled `creating` whose marked video exists is adopted, not created."""
    file = welcome_csv(tmp_path)
    ben = read_rows(file, replica_id=replica)[1]
    video = await tavus.videos.create(replica_id=replica, script=BEN, video_name=ben.tavus_name)
    jsonl(run.journal, {"row": ben.key, "event": "creating"})

    code = await run(file)

    assert code == 0
    assert sorted(r.body["script"] for r in creates(fake)) == sorted(
        [ANNA, BEN, CARMEN]
    )  # BEN by hand
    assert {"row": ben.key, "event": "created", "video_id": video.video_id} in journal(run.journal)
    assert f"row 2 welcome-ben: found its video {video.video_id} at Tavus" in run.printed


async def test_a_row_left_creating_without_a_video_is_created_once(
    run: Run, fake: FakeTavus, tmp_path: Path, replica: str
) -> None:
    """A row last journaled `creating` whose video never appeared is created, once."""
    file = welcome_csv(tmp_path)
    ben = read_rows(file, replica_id=replica)[1]
    jsonl(run.journal, {"row": ben.key, "event": "creating"})

    code = await run(file)

    assert code == 0
    assert sorted(r.body["script"] for r in creates(fake)) == sorted([ANNA, BEN, CARMEN])


async def test_a_failed_look_up_never_creates_a_row_left_creating(
    run: Run, fake: FakeTavus, tmp_path: Path, replica: str
) -> None:
    """When the video list cannot be read, a `creating` row fails uncreated; a later run runs it."""
    file = jsonl(tmp_path / "v.jsonl", {"script": ANNA})
    row = read_rows(file, replica_id=replica)[0]
    jsonl(run.journal, {"row": row.key, "event": "creating"})
    fake.fault(method="GET", path="/v2/videos", status=403)

    refused = await run(file)
    refusal, events = run.printed, journal(run.journal)
    resumed = await run(file)

    assert refused == 1
    assert "row 1 row-1: failed: could not look for the row's video at Tavus (403 GET" in refusal
    assert events == [{"row": row.key, "event": "creating"}]  # still to be looked for
    assert resumed == 0
    assert len(creates(fake)) == 1


@pytest.mark.parametrize(
    "fault",
    [{"drop_after": True}, {"malformed": True}],
    ids=["drop_after", "malformed"],
)
async def test_a_create_with_a_lost_answer_is_found_not_repeated(
    run: Run, fake: FakeTavus, tmp_path: Path, fault: dict[str, Any]
) -> None:
    """A create that acted but lost its answer is found by its marker, never sent again."""
    file = jsonl(tmp_path / "v.jsonl", {"script": ANNA}, {"script": BEN})
    fake.fault(method="POST", path="/v2/videos", **fault)

    code = await run(file, concurrency=1)

    entries = journal(run.journal)
    first = entries[0]["row"]
    assert code == 0
    assert sorted(v.script or "" for v in fake.jobs.videos.values()) == sorted([ANNA, BEN])
    assert len(creates(fake)) == 2
    assert [e["event"] for e in entries if e["row"] == first] == ["creating", "created", "done"]


@pytest.mark.parametrize("fault", [{"drop": True}, {"status": 502}], ids=["drop", "502"])
async def test_a_lost_create_not_found_waits_for_the_next_run(
    run: Run, fake: FakeTavus, tmp_path: Path, fault: dict[str, Any]
) -> None:
    """A lost create whose video is not listed is not sent again this run; the next run is."""
    file = jsonl(tmp_path / "v.jsonl", {"script": ANNA}, {"script": BEN})
    fake.fault(method="POST", path="/v2/videos", **fault)

    first_run = await run(file, concurrency=1)
    first_entries = journal(run.journal)
    resumed = await run(file, concurrency=1)

    lost = first_entries[0]["row"]
    assert first_run == 1
    assert [e["event"] for e in first_entries if e["row"] == lost] == ["creating"]
    assert resumed == 0
    assert sorted(v.script or "" for v in fake.jobs.videos.values()) == sorted([ANNA, BEN])
    assert len(creates(fake)) == 3  # the lost one, its neighbour, and the lost one again


async def test_a_torn_last_journal_line_is_ignored_and_cut_off(
    run: Run, fake: FakeTavus, tmp_path: Path
) -> None:
    """A half-written last line is ignored (the rows resume) and removed before appending."""
    file = welcome_csv(tmp_path)
    await run(file)
    with run.journal.open("a") as torn:
        torn.write('{"row": "2-0000", "event": "fai')

    code = await run(file)

    assert code == 0
    assert len(creates(fake)) == 3
    assert run.journal.read_text().endswith("}\n")
    assert all(e["event"] != "fai" for e in journal(run.journal))


async def test_a_whole_last_event_without_its_newline_is_kept(
    run: Run, fake: FakeTavus, tavus: TavusClient, tmp_path: Path, replica: str
) -> None:
    """A last line that parses but lost its newline still counts: its video is not created."""
    file = jsonl(tmp_path / "v.jsonl", {"script": ANNA})
    row = read_rows(file, replica_id=replica)[0]
    video = await tavus.videos.create(replica_id=replica, script=ANNA)
    run.journal.write_text(
        json.dumps({"row": row.key, "event": "created", "video_id": video.video_id})
    )

    code = await run(file)

    assert code == 0
    assert len(creates(fake)) == 1  # the one made by hand
    assert len(journal(run.journal)) == 2


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


async def test_sigint_then_rerun_bills_every_row_once(tmp_path: Path) -> None:
    """`videos batch` stopped by SIGINT exits 130, journal intact; rerun, each row is made once."""
    import collections
    import os
    import re
    import signal
    import sys

    names = [f"row-{n}" for n in range(6)]
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "video_name,script\n" + "".join(f"{n},Hello from {n}\n" for n in names), encoding="utf-8"
    )
    journal = tmp_path / "rows.csv.journal.jsonl"
    timing = Timing(replica_training=0.1, video_queue=0.05, video_rendering=0.8)
    async with FakeTavus(timing=timing) as fake:
        stock = next(r.replica_id for r in fake.jobs.replicas.values())
        env = {k: v for k, v in os.environ.items() if not k.startswith("TAVUS_")}
        env.update(TAVUS_BASE_URL=fake.base_url, TAVUS_API_KEY=fake.api_key)
        command = [
            sys.executable, "-m", "tavus_async", "videos", "batch", str(rows),
            "--replica-id", stock, "--concurrency", "2", "--poll", "0.1",
            "--download-dir", str(tmp_path / "out"),
        ]  # fmt: skip

        first = await asyncio.create_subprocess_exec(
            *command, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        for _ in range(400):  # until two rows are created at Tavus (bounded: 20 s)
            if journal.exists() and journal.read_text().count('"created"') >= 2:
                break
            await asyncio.sleep(0.05)
        first.send_signal(signal.SIGINT)
        _, first_err = await asyncio.wait_for(first.communicate(), 30)
        interrupted = [json.loads(line) for line in journal.read_text().splitlines()]

        second = await asyncio.create_subprocess_exec(
            *command, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
        _, second_err = await asyncio.wait_for(second.communicate(), 60)
        markers = collections.Counter(
            re.search(r"\[batch:[^\]]+\]", v.video_name).group(0)  # type: ignore[union-attr]
            for v in fake.jobs.videos.values()
        )

    assert first.returncode == 130
    assert first_err.decode().strip() == "tavus-async: interrupted"
    assert any(entry["event"] == "created" for entry in interrupted)
    assert sum(entry["event"] == "done" for entry in interrupted) < len(names)  # stopped midway
    assert second.returncode == 0, second_err.decode()
    assert len(markers) == len(names)
    assert set(markers.values()) == {1}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"{n}.mp4" for n in names]
