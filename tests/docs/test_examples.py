"""Every script of examples/ runs against FakeTavus and does what its docstring says."""

from __future__ import annotations

import asyncio
import csv
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from tavus_async import PollPolicy, TavusClient
from tavus_async.testing import FakeTavus, ManualClock

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STAMP = r"\d\d:\d\d:\d\d"


def load(name: str) -> ModuleType:
    """Import examples/<name>.py (the examples are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def is_mp4(path: Path) -> bool:
    """The file starts with an ISO media ``ftyp`` box, as FakeTavus's files do."""
    head = path.read_bytes()[:8]
    return len(head) == 8 and head[4:8] == b"ftyp"


def csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=["video_name", "script"])
        writer.writeheader()
        writer.writerows(rows)


async def stock(tavus: TavusClient) -> str:
    """The first stock replica of FakeTavus."""
    async for replica in tavus.replicas.iter(replica_type="system"):
        return replica.replica_id
    raise AssertionError("FakeTavus has no stock replica")


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in a scratch folder, with no key or replica chosen from the environment."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TAVUS_API_KEY", raising=False)
    monkeypatch.delenv("TAVUS_REPLICA_ID", raising=False)
    return tmp_path


@pytest.fixture
async def fake() -> AsyncIterator[FakeTavus]:
    async with FakeTavus(clock=ManualClock()) as fake:
        yield fake


@pytest.fixture
async def tavus(fake: FakeTavus) -> AsyncIterator[TavusClient]:
    async with fake.client() as tavus:
        yield tavus


def test_the_csv_has_five_friendly_rows() -> None:
    """videos.csv has five rows of file-system friendly names and short scripts."""
    rows = csv_rows(EXAMPLES / "videos.csv")
    assert len(rows) == 5
    assert all(set(row) == {"video_name", "script"} for row in rows)
    assert all(re.fullmatch(r"[a-z0-9-]+", row["video_name"]) for row in rows)
    assert len({row["video_name"] for row in rows}) == 5
    assert all(0 < len(row["script"]) < 300 for row in rows)


async def test_single_video_renders_waits_and_downloads(
    tavus: TavusClient, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """single_video saves the stock replica's video as out/<video_id>.mp4 and prints updates."""
    path = await load("single_video").main(tavus)
    video_id = path.stem
    assert path == Path("out") / f"{video_id}.mp4"
    assert is_mp4(workdir / path)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{video_id}: queued"
    assert lines[-2] == f"{video_id}: ready 100%"
    assert lines[-1] == f"saved {path}"
    video = await tavus.videos.get(video_id)
    stock = [r async for r in tavus.replicas.iter(replica_type="system")]
    assert video.replica_id == stock[0].replica_id


async def test_single_video_uses_the_replica_from_the_environment(
    tavus: TavusClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TAVUS_REPLICA_ID picks the replica of single_video."""
    stock = [r async for r in tavus.replicas.iter(replica_type="system")]
    monkeypatch.setenv("TAVUS_REPLICA_ID", stock[-1].replica_id)
    path = await load("single_video").main(tavus, "Hello from the last stock replica!")
    video = await tavus.videos.get(path.stem)
    assert video.replica_id == stock[-1].replica_id
    assert video.script == "Hello from the last stock replica!"


async def test_batch_saves_every_row_of_the_default_csv(
    tavus: TavusClient, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """batch_from_csv renders examples/videos.csv into out/<video_name>.mp4 and exits 0."""
    names = [row["video_name"] for row in csv_rows(EXAMPLES / "videos.csv")]
    assert await load("batch_from_csv").main(tavus) == 0
    assert sorted(p.name for p in (workdir / "out").iterdir()) == sorted(f"{n}.mp4" for n in names)
    assert all(is_mp4(workdir / "out" / f"{n}.mp4") for n in names)
    lines = capsys.readouterr().out.splitlines()
    assert sorted(lines[:-1]) == sorted(f"saved   {n}: out/{n}.mp4" for n in names)
    assert lines[-1] == "5 of 5 videos saved"


async def test_batch_with_a_failing_row_exits_1_and_saves_the_others(
    fake: FakeTavus, tavus: TavusClient, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row that FakeTavus fails is reported, the exit code is 1, and the rest are saved."""
    rows = csv_rows(EXAMPLES / "videos.csv")
    rows.insert(2, {"video_name": "welcome-oops", "script": f"Hi! {fake.fail_marker}"})
    batch = workdir / "batch.csv"
    write_csv(batch, rows)
    assert await load("batch_from_csv").main(tavus, batch, concurrency=2) == 1
    good = [row["video_name"] for row in rows if row["video_name"] != "welcome-oops"]
    assert sorted(p.name for p in (workdir / "out").iterdir()) == sorted(f"{n}.mp4" for n in good)
    assert all(is_mp4(workdir / "out" / f"{n}.mp4") for n in good)
    lines = capsys.readouterr().out.splitlines()
    (failed,) = [line for line in lines if line.startswith("failed")]
    assert failed.startswith("failed  welcome-oops: video v")
    assert "An error occurred while generating this video" in failed
    assert len([line for line in lines if line.startswith("saved")]) == 5
    assert lines[-1] == "5 of 6 videos saved"


async def test_training_monitor_prints_each_change_until_completed(
    fake: FakeTavus, tavus: TavusClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """training_monitor starts a training and prints each timestamped change, ending completed."""
    every_second = PollPolicy(initial=1, maximum=1, timeout=60)
    assert await load("training_monitor").main(tavus, policy=every_second) == 0
    first, *changes = capsys.readouterr().out.splitlines()
    (replica_id,) = [r for r, job in fake.jobs.replicas.items() if job.replica_type == "user"]
    assert first == f"started training {replica_id}"
    assert all(re.fullmatch(rf"{STAMP}  \w+  \d+%", line) for line in changes)
    statuses = [line.split()[1] for line in changes]
    assert statuses[0] == "started"
    assert "training" in statuses
    assert changes[-1].endswith("  completed  100%")
    assert len(changes) == len(set(changes))


async def test_training_monitor_watches_an_existing_replica(
    tavus: TavusClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """Given a replica id, training_monitor only watches it (default policy, shared clock)."""
    replica = await tavus.replicas.create(train_video_url="https://example.com/me.mp4")
    assert await load("training_monitor").main(tavus, replica.replica_id) == 0
    lines = capsys.readouterr().out.splitlines()
    assert not any(line.startswith("started training") for line in lines)
    assert re.fullmatch(rf"{STAMP}  started  0%", lines[0])
    assert re.fullmatch(rf"{STAMP}  completed  100%", lines[-1])


async def test_training_monitor_prints_the_error_of_a_failed_training(
    fake: FakeTavus, tavus: TavusClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """A training that fails ends on an error line, Tavus's message, and exit code 1."""
    url = f"https://example.com/{fake.fail_marker}.mp4"
    assert await load("training_monitor").main(tavus, train_video_url=url) == 1
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(rf"{STAMP}  error  -", lines[-2])
    assert lines[-1].startswith("training failed: The training video is shorter than")


async def test_web_service_renders_a_video_and_answers_its_download_url(
    fake: FakeTavus,
) -> None:
    """POST /videos waits for the video and answers a download url that serves the MP4."""
    app = load("web_service").make_app(tavus_factory=fake.client)
    async with TestClient(TestServer(app)) as client:
        response = await client.post("/videos", json={"script": "Hi Anna, welcome aboard!"})
        assert response.status == 200
        answer = await response.json()
        video_id = answer["video_id"]
        assert answer["download_url"] == f"{fake.files_url}/files/{video_id}.mp4"
        async with client.session.get(answer["download_url"]) as download:
            assert (await download.read())[4:8] == b"ftyp"
        response = await client.get(f"/videos/{video_id}")
        assert response.status == 200
        assert await response.json() == {
            "video_id": video_id,
            "status": "ready",
            "progress": 1.0,
            "download_url": answer["download_url"],
        }
    assert fake.jobs.videos[video_id].script == "Hi Anna, welcome aboard!"


async def test_web_service_answers_errors_with_their_status(fake: FakeTavus) -> None:
    """Bad bodies get 400, failed renders and unknown replicas 502, unknown videos 404."""
    app = load("web_service").make_app(tavus_factory=fake.client)
    async with TestClient(TestServer(app)) as client:
        for body in (b"not json", b"[]", b'{"script": 5}', b'{"replica_id": "r1"}'):
            response = await client.post("/videos", data=body)
            assert response.status == 400, body
            assert "script" in (await response.json())["error"]
        response = await client.post("/videos", json={"script": f"Hi {fake.fail_marker}"})
        assert response.status == 502
        assert "An error occurred while generating" in (await response.json())["error"]
        response = await client.post("/videos", json={"replica_id": "rnope", "script": "Hi"})
        assert response.status == 502
        assert "Invalid replica_id" in (await response.json())["error"]
        response = await client.get("/videos/vnope")
        assert response.status == 404
        assert await response.json() == {"error": "no such video"}


async def test_web_service_main_serves_with_the_given_client_until_cancelled(
    tavus: TavusClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """main serves on the given port with the given client, and leaves the client open."""
    serving = asyncio.create_task(load("web_service").main(tavus, port=0))
    for _ in range(200):
        if out := capsys.readouterr().out:
            break
        await asyncio.sleep(0.01)
    match = re.fullmatch(r"serving on (http://127\.0\.0\.1:\d+)\n", out)
    assert match is not None, out
    video = await tavus.videos.create(replica_id=(await stock(tavus)), script="Hello!")
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{match[1]}/videos/{video.video_id}") as response,
    ):
        assert response.status == 200
        assert (await response.json())["status"] == "queued"
    serving.cancel()
    with pytest.raises(asyncio.CancelledError):
        await serving
    assert not tavus.closed


def test_single_video_runs_as_a_script_against_faketavus(workdir: Path) -> None:
    """`python examples/single_video.py` with no key runs on FakeTavus and saves the video."""
    env = {k: v for k, v in os.environ.items() if k not in ("TAVUS_API_KEY", "TAVUS_REPLICA_ID")}
    done = subprocess.run(
        [sys.executable, "-W", "error", str(EXAMPLES / "single_video.py")],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    (saved,) = list((workdir / "out").iterdir())
    assert is_mp4(saved)
    assert done.stdout.splitlines()[-1] == f"saved out/{saved.name}"


needs_personas = pytest.mark.skipif(
    not hasattr(TavusClient, "personas"), reason="needs the personas family (tavus.personas)"
)


@needs_personas
async def test_conversation_transcripts_saves_the_transcript(
    fake: FakeTavus, tavus: TavusClient, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """conversation_transcripts talks to a new persona and saves out/<conversation_id>.txt."""
    path = await load("conversation_transcripts").main(tavus)

    conversation_id = path.stem
    assert path == Path("out") / f"{conversation_id}.txt"
    lines = (workdir / path).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("system: You are Rio, a friendly interviewer.")
    assert lines[1] == "assistant: Hi, I'm Rio! How has your week been?"
    assert lines[2].startswith("user: ")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"join the call: https://tavus.daily.co/{conversation_id}"
    assert out[1:3] == [f"{conversation_id}: active", f"{conversation_id}: ended"]
    assert out[3] == "ended: participant_left_timeout reached"  # FakeTavus's call is shorter
    assert out[-1] == f"saved 3 messages to {path}"
    conversation = fake.jobs.conversations[conversation_id]
    assert conversation.replica_id == await stock(tavus)
    assert conversation.persona_id is not None
