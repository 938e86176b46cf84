"""`videos batch` run again: the journal resumes a batch, and no row is billed twice.

Runs cut short (cancelled, interrupted, a create's answer lost, a journal torn) resume
with one video per row; FakeTavus runs on a manual clock except under SIGINT.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from tavus_async import PollPolicy, TavusClient
from tavus_async._cli.rows import read_rows
from tavus_async.testing import FakeTavus, Timing

from _support.cli_batch import ANNA, BEN, CARMEN, Run, creates, journal, jsonl, welcome_csv, write


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
    for _ in range(1_000_000):
        if reached() or task.done():
            break
        await asyncio.sleep(0)  # a turn of the loop, not the wall clock
    if task.done():  # on a slow machine the whole batch may end first: resuming holds too
        assert await task == 0
    else:
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
    fake.fault(method="GET", path="/v2/videos", status=500, times=4)  # a try and 3 retries

    refused = await run(file)
    refusal, events = run.printed, journal(run.journal)
    resumed = await run(file)

    assert refused == 1
    assert "row 1 row-1: failed: could not look for the row's video at Tavus (500 GET" in refusal
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
