"""The documentation's examples (README.md and the pages under docs/) run as written,
against mocked Tavus and against FakeTavus served on loopback (as `tavus-async
fake-server` serves it), and CI runs the README's test command.

Each test finds its block by a marker (``example(marker)``); _support/docs.py lists every
marker with its test, and test_doc_blocks.py checks that every block has one."""

from __future__ import annotations

import asyncio
import itertools
import re
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from aioresponses import CallbackResult, aioresponses

from tavus_async.testing import FakeTavus, ManualClock, Timing

from _support.docs import DOCS, README, ROOT, example

API = "https://tavusapi.com"
CDN = "https://cdn.example.com"


def run(code: str, name: str = "__main__") -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": name}
    exec(compile(code, "docs", "exec"), namespace)
    return namespace


@pytest.fixture
def readme_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[tuple[aioresponses, list[float]]]:
    """A key, a scratch folder, instant pauses (recorded), and a mocked Tavus + CDN."""
    monkeypatch.setenv("TAVUS_API_KEY", "readme-key")
    monkeypatch.chdir(tmp_path)
    pauses: list[float] = []
    real_sleep = asyncio.sleep

    async def instant(delay: float, result: Any = None) -> Any:
        pauses.append(delay)
        return await real_sleep(0, result)

    monkeypatch.setattr(asyncio, "sleep", instant)
    with aioresponses(passthrough=["http://127.0.0.1"]) as http:
        yield http, pauses


def videos_api(http: aioresponses, *, polls_before_ready: int) -> None:
    """POST /v2/videos creates v1, v2, ...; each GET says generating, then ready."""
    numbers = itertools.count(1)
    polls: dict[str, int] = {}

    def create(url: Any, **kwargs: Any) -> CallbackResult:
        return CallbackResult(payload={"video_id": f"v{next(numbers)}", "status": "queued"})

    def get(url: Any, **kwargs: Any) -> CallbackResult:
        video_id = url.path.rsplit("/", 1)[1]
        polls[video_id] = polls.get(video_id, 0) + 1
        if polls[video_id] <= polls_before_ready:
            return CallbackResult(
                payload={
                    "video_id": video_id,
                    "status": "generating",
                    "generation_progress": "42/100",
                }
            )
        return CallbackResult(
            payload={
                "video_id": video_id,
                "status": "ready",
                "download_url": f"{CDN}/{video_id}.mp4",
            }
        )

    http.post(f"{API}/v2/videos", callback=create, repeat=True)
    http.get(re.compile(rf"{re.escape(API)}/v2/videos/v\d+"), callback=get, repeat=True)
    http.get(re.compile(rf"{re.escape(CDN)}/.*"), body=b"\x00\x00\x00\x18ftypmp42", repeat=True)


def test_quick_start_runs(
    readme_env: tuple[aioresponses, list[float]], capsys: pytest.CaptureFixture[str]
) -> None:
    """The quick start (README.md, docs/getting-started.md) lists replicas, renders a video,
    waits for it and saves it."""
    http, pauses = readme_env
    http.get(
        re.compile(rf"{re.escape(API)}/v2/replicas\?.*"),
        payload={"data": [{"replica_id": "r1", "replica_name": "Anna", "status": "completed"}]},
    )
    videos_api(http, polls_before_ready=1)

    run(example("Hello from Python!"))

    assert capsys.readouterr().out.splitlines() == [
        "r1 Anna completed",
        "generating",
        "ready",
        "saved out/hello.mp4",
    ]
    assert Path("out/hello.mp4").read_bytes() == b"\x00\x00\x00\x18ftypmp42"
    assert len(pauses) == 1


def test_batch_example_saves_every_video(
    readme_env: tuple[aioresponses, list[float]], capsys: pytest.CaptureFixture[str]
) -> None:
    """The batch example creates each video, waits for all, and saves each under its name."""
    http, _ = readme_env
    videos_api(http, polls_before_ready=2)

    run(example("wait_many"))

    assert sorted(capsys.readouterr().out.splitlines()) == [
        "saved out/welcome-anna.mp4",
        "saved out/welcome-ben.mp4",
    ]


def test_monitor_example_prints_each_change(
    readme_env: tuple[aioresponses, list[float]], capsys: pytest.CaptureFixture[str]
) -> None:
    """The monitor prints every status/progress change of the training, then stops."""
    http, pauses = readme_env
    url = f"{API}/v2/replicas/r783537ef5"
    for state in [
        {"status": "started"},
        {"status": "training", "training_progress": "10/100"},
        {"status": "training", "training_progress": "10/100"},
        {"status": "training", "training_progress": "55/100"},
        {"status": "completed", "training_progress": "100/100"},
    ]:
        http.get(url, payload={"replica_id": "r783537ef5", **state})

    run(example("replicas.watch"))

    assert capsys.readouterr().out.splitlines() == [
        "started -",
        "training 10%",
        "training 55%",
        "completed 100%",
    ]
    assert len(pauses) == 4
    assert all(90 <= pause <= 600 for pause in pauses)


async def test_service_example_answers_with_the_ready_video(
    readme_env: tuple[aioresponses, list[float]],
) -> None:
    """The aiohttp service example creates, awaits and returns the ready video per request."""
    http, _ = readme_env
    videos_api(http, polls_before_ready=0)
    app = run(example("WITHIN_A_MINUTE"), name="readme_service")["app"]

    async with TestClient(TestServer(app)) as service:
        response = await service.post("/videos", json={"replica_id": "r1", "script": "Hi"})
        answer = await response.json()

    assert response.status == 200
    assert answer == {"video_id": "v1", "download_url": f"{CDN}/v1.mp4"}


def test_fake_tavus_example_runs_on_the_emulator(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The FakeTavus example renders, waits and downloads without a key or any waiting."""
    monkeypatch.delenv("TAVUS_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)

    run(example("fake.file_requests[-1].key_sent"))

    assert capsys.readouterr().out.splitlines() == ["ready out/hi.mp4 False"]
    assert (tmp_path / "out" / "hi.mp4").read_bytes()[4:8] == b"ftyp"


async def test_callback_service_example_wakes_on_the_callback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The callbacks example renders through FakeTavus and returns as its callback arrives."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    timing = Timing(video_queue=0.05, video_rendering=0.2)
    async with FakeTavus(timing=timing, callback_interval=0.005) as fake:
        monkeypatch.setenv("TAVUS_API_KEY", fake.api_key)
        monkeypatch.setenv("TAVUS_BASE_URL", fake.base_url)
        monkeypatch.setenv("PUBLIC_URL", f"http://127.0.0.1:{port}")
        stock = next(iter(fake.jobs.replicas))
        app = run(example("callbacks=receiver"), name="readme_callbacks")["app"]
        async with TestClient(TestServer(app, host="127.0.0.1", port=port)) as service:
            response = await asyncio.wait_for(
                service.post("/render", json={"replica_id": stock, "script": "Hi"}), 10
            )
            answer = await response.json()
        polls = [r for r in fake.requests if r.method == "GET" and r.path.startswith("/v2/videos/")]

    assert response.status == 200
    assert answer["download_url"].endswith(f"/files/{answer['video_id']}.mp4")
    assert [c.outcome for c in fake.callbacks] == [200]
    assert len(polls) == 2  # the first poll, then the one the callback woke


async def test_relay_example_wakes_the_wait_in_the_process_tavus_did_not_call(
    monkeypatch: pytest.MonkeyPatch, redis_url: str
) -> None:
    """The callbacks service with the relay's receiver, run as two processes behind one url:
    a render asked of B returns when the callback, sent to A, reaches B through Redis."""
    service = example("callbacks=receiver")
    lines = [
        'PUBLIC_URL = os.environ.get("PUBLIC_URL", "https://videos.example.com")'
        "  # reaches this app\n",
        'receiver = CallbackReceiver(public_url=f"{PUBLIC_URL}/tavus-callbacks")\n',
    ]
    assert all(line in service for line in lines)
    code = service.replace(lines[0], example("relay=RedisRelay(")).replace(lines[1], "")
    ports = []
    for _ in range(2):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            ports.append(probe.getsockname()[1])
    timing = Timing(video_queue=0.05, video_rendering=0.2)
    async with FakeTavus(timing=timing, callback_interval=0.005) as fake:
        monkeypatch.setenv("TAVUS_API_KEY", fake.api_key)
        monkeypatch.setenv("TAVUS_BASE_URL", fake.base_url)
        monkeypatch.setenv("PUBLIC_URL", f"http://127.0.0.1:{ports[0]}")  # Tavus reaches A
        monkeypatch.setenv("TAVUS_CALLBACK_TOKEN", "readme-shared-token-0123456789")
        monkeypatch.setenv("REDIS_URL", redis_url)
        a, b = (run(code, name=f"readme_relay_{n}") for n in "ab")
        stock = next(iter(fake.jobs.replicas))
        async with (
            TestClient(TestServer(a["app"], host="127.0.0.1", port=ports[0])),
            TestClient(TestServer(b["app"], host="127.0.0.1", port=ports[1])) as service_b,
        ):
            response = await asyncio.wait_for(
                service_b.post("/render", json={"replica_id": stock, "script": "Hi"}), 10
            )
            answer = await response.json()
        polls = [r for r in fake.requests if r.method == "GET" and r.path.startswith("/v2/videos/")]

    assert response.status == 200
    assert answer["download_url"].endswith(f"/files/{answer['video_id']}.mp4")
    assert [c.outcome for c in fake.callbacks] == [200]
    assert (a["receiver"].received, b["receiver"].relayed) == (1, 1)
    assert len(polls) == 2  # the first poll, then the one the relayed callback woke


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run runs exactly the test command the README's Development section gives."""
    development = README.read_text(encoding="utf-8").split("## Development", 1)[1]
    (command,) = re.findall(r"```bash\n(.*?)\n```", development, flags=re.DOTALL)

    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()

    assert command in ci_lines


def test_every_test_the_reliability_section_names_exists() -> None:
    """Each guarantee of the reliability page points at a test that is really there."""
    section = (DOCS / "reliability.md").read_text(encoding="utf-8")
    named = re.findall(r"`((?:\w+/)*test_\w+\.py)::(test_\w+)`", section)
    assert len(named) >= 20
    for file, test in named:
        path = ROOT / "tests" / file
        assert path.is_file(), f"{file} is not a file under tests/"
        source = path.read_text(encoding="utf-8")
        assert re.search(rf"^(async )?def {test}\(", source, flags=re.MULTILINE), (file, test)


def test_per_call_options_example_runs_on_the_emulator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The per-call options example renders with create_and_wait and reads a raw response."""
    monkeypatch.delenv("TAVUS_API_KEY", raising=False)

    run(example("with_raw_response"))

    assert capsys.readouterr().out.splitlines() == ["ready a field sent as it is 200 True"]


# -- every snippet against a served FakeTavus, as `tavus-async fake-server` serves it ----


def main_of(marker: str) -> Callable[[], Awaitable[None]]:
    """The ``main()`` of the docs' block holding ``marker``, its ``asyncio.run`` left out."""
    code = example(marker)
    assert code.rstrip().endswith("asyncio.run(main())")
    main: Callable[[], Awaitable[None]] = run(code.rstrip().removesuffix("asyncio.run(main())"))[
        "main"
    ]
    return main


@pytest.fixture(name="served")
async def served_fixture(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> AsyncIterator[FakeTavus]:
    """FakeTavus on loopback named by TAVUS_BASE_URL / TAVUS_API_KEY, on a manual clock that
    every pause advances (no pause takes real time), and a scratch folder."""
    clock = ManualClock()
    real_sleep = asyncio.sleep

    async def advance(delay: float, result: Any = None) -> Any:
        clock.advance(delay)
        return await real_sleep(0, result)

    monkeypatch.setattr(asyncio, "sleep", advance)
    monkeypatch.chdir(tmp_path)
    timing = Timing(video_queue=1, video_rendering=12)
    async with FakeTavus(clock=clock, timing=timing) as fake:
        monkeypatch.setenv("TAVUS_BASE_URL", fake.base_url)
        monkeypatch.setenv("TAVUS_API_KEY", fake.api_key)
        yield fake


async def test_quick_start_runs_on_fake_server(
    served: FakeTavus, capsys: pytest.CaptureFixture[str]
) -> None:
    """The quick start, unchanged, lists the stock replicas and saves its video."""
    await main_of("Hello from Python!")()

    lines = capsys.readouterr().out.splitlines()
    assert "r783537ef5 Anna (stock) completed" in lines
    assert len([line for line in lines if line.endswith("(stock) completed")]) == 3
    assert lines[-2:] == ["ready", "saved out/hello.mp4"]
    assert (await asyncio.to_thread(Path("out/hello.mp4").read_bytes))[4:8] == b"ftyp"


async def test_batch_example_runs_on_fake_server(
    served: FakeTavus, capsys: pytest.CaptureFixture[str]
) -> None:
    """The batch example, unchanged, renders and saves both videos of r783537ef5."""
    await main_of("wait_many")()

    assert sorted(capsys.readouterr().out.splitlines()) == [
        "saved out/welcome-anna.mp4",
        "saved out/welcome-ben.mp4",
    ]
    assert {v.replica_id for v in served.jobs.videos.values()} == {"r783537ef5"}


async def test_monitor_example_runs_on_fake_server(
    served: FakeTavus, capsys: pytest.CaptureFixture[str]
) -> None:
    """The monitor, unchanged, follows r783537ef5 (a trained stock replica) to its end."""
    await main_of("replicas.watch")()

    assert capsys.readouterr().out.splitlines() == ["completed 100%"]


async def test_service_example_maps_outcomes_on_fake_server(served: FakeTavus) -> None:
    """The web service answers 200 with the ready video, Tavus's 4xx as that 4xx, a
    malformed request with 400 and a failed render with 502."""
    app = run(example("WITHIN_A_MINUTE"), name="readme_service_served")["app"]

    async with TestClient(TestServer(app)) as service:
        answers = [
            await service.post("/videos", json=body)
            for body in (
                {"replica_id": "r783537ef5", "script": "Hi"},
                {"replica_id": "r0000000000", "script": "Hi"},
                {"replica_id": "r783537ef5"},
                {"replica_id": "r783537ef5", "script": "This one breaks: tavus-fail"},
            )
        ]
        ready, unknown, malformed, failed = [(a.status, await a.json()) for a in answers]

    assert ready[0] == 200
    assert ready[1]["download_url"].endswith(f"/files/{ready[1]['video_id']}.mp4")
    assert unknown == (400, {"error": "Invalid replica_id"})
    assert malformed[0] == 400
    assert failed[0] == 502


def test_personas_and_conversations_example_runs_on_the_emulator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The persona and conversation example edits, talks, waits and prints the transcript,
    with the LLM's key masked in what it prints."""
    monkeypatch.delenv("TAVUS_API_KEY", raising=False)

    run(example("wait_for_transcript(conversation.conversation_id)"))

    lines = capsys.readouterr().out.splitlines()
    assert "api_key='***'" in lines[0]
    assert "sk-mine" not in "\n".join(lines)
    assert lines[1].startswith("join at https://")
    assert lines[2:] == [
        "ended participant_left_timeout reached",
        "system: You interview candidates for a sales role.",
        "assistant: Hi! Thanks for joining.",
        "user: Hi! Nice to meet you.",
    ]


def test_documents_example_processes_fails_and_recrawls_on_the_emulator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The documents example waits for processing, filters, meets a failure and recrawls."""
    monkeypatch.delenv("TAVUS_API_KEY", raising=False)

    run(example("DocumentProcessingError as error"))

    assert capsys.readouterr().out.splitlines() == [
        "ready 1",
        "Product docs ('docs', 'public')",
        "failed: file_download_failed",
        "ready 2",
    ]


def test_voices_dictionaries_and_memories_example_runs_on_the_emulator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The voices, dictionaries and memories example lists, creates, patches and deletes."""
    monkeypatch.delenv("TAVUS_API_KEY", raising=False)

    run(example("tavus.memories.delete("))

    assert capsys.readouterr().out.splitlines() == ["anna r90bbd427f71", "carmen r1af76e94d", "2"]


def test_guardrails_and_objectives_example_runs_on_the_emulator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The guardrails and objectives example patches a guardrail and attaches both."""
    monkeypatch.delenv("TAVUS_API_KEY", raising=False)

    run(example("tavus.objectives.create("))

    assert capsys.readouterr().out.splitlines() == [
        "('health', 'compliance')",
        "['no_medical_advice']",
    ]


def test_faces_and_pals_example_runs_on_the_emulator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The faces and PALs example trains a face, meets a failed one, edits and publishes a PAL."""
    monkeypatch.delenv("TAVUS_API_KEY", raising=False)

    run(example("tavus.pals.publish("))

    assert capsys.readouterr().out.splitlines() == [
        "Anna completed 1.0",
        "failed: The training video is shorter than the minimum duration of one minute; "
        "please upload a longer video",
        "receptionist@tavusinvite.com You are a brief, friendly receptionist.",
    ]


def test_tools_and_skills_example_runs_on_the_emulator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The tools and skills example attaches a tool and a skill, and merges a config."""
    monkeypatch.delenv("TAVUS_API_KEY", raising=False)

    run(example("tavus.pal_tools.attach("))

    assert capsys.readouterr().out.splitlines() == ["['get_weather']", "{'document_ids': ['d1']}"]


def test_deployments_and_canvas_example_runs_on_the_emulator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The deployments example publishes, starts a call, records a canvas answer, ends."""
    monkeypatch.delenv("TAVUS_API_KEY", raising=False)

    run(example("tavus.deployments.start_conversation("))

    assert capsys.readouterr().out.splitlines() == ["True", "[{'choice': 'B'}]"]


def test_home_page_example_renders_on_the_emulator(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The home page's example renders a video on FakeTavus and saves it."""
    monkeypatch.chdir(tmp_path)

    run(example("print(video.status, await tavus.videos.download("))

    assert capsys.readouterr().out.splitlines() == ["ready out/hi.mp4"]
    assert (tmp_path / "out" / "hi.mp4").read_bytes()[4:8] == b"ftyp"


def test_replicas_example_trains_renames_and_deletes(capsys: pytest.CaptureFixture[str]) -> None:
    """The replicas guide's example trains from a photo, renames, meets a failed training,
    and deletes the first replica for good."""
    run(example("tavus.replicas.rename("))

    assert capsys.readouterr().out.splitlines() == [
        "Rio completed 1.0",
        "1 ['Rio (support)']",
        "failed: The training video is shorter than the minimum duration of one minute; "
        "please upload a longer video",
        "Unnamed replica error",
    ]


def test_videos_example_renders_and_downloads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The videos guide's example is refused a download too early, then waits, downloads
    the whole file into a folder, lists and deletes the video."""
    monkeypatch.chdir(tmp_path)

    run(example("VideoNotReadyError as error"))

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("not yet: video v")
    assert lines[1:] == [
        "queued",
        "ready",
        f"out/{next(tmp_path.joinpath('out').iterdir()).name} True",
        "True welcome-anna ready",
    ]


async def test_the_testing_example_s_tests_pass() -> None:
    """The FakeTavus page's example of testing your own code: each of its tests passes."""
    namespace = run(example("async def send_welcome("), name="docs_testing_example")
    tests = [value for name, value in namespace.items() if name.startswith("test_")]

    for test in tests:
        await test()

    assert len(tests) == 2
