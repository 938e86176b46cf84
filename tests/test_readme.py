"""The README's examples run, and CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aioresponses import aioresponses

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
API = re.escape("https://tavusapi.com")


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def test_readme_quick_start_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The quick start runs as written against a mocked Tavus and prints what it fetched."""
    monkeypatch.setenv("TAVUS_API_KEY", "readme-key")
    (quick_start,) = python_blocks()
    replicas = {
        "data": [{"replica_id": "r783537ef5", "replica_name": "Anna", "status": "completed"}],
        "total_count": 1,
    }
    video = {"video_id": "v42", "status": "queued", "hosted_url": "https://tavus.video/v42"}

    with aioresponses() as http:
        http.get(re.compile(rf"{API}/v2/replicas\?.*"), payload=replicas, repeat=True)
        http.post("https://tavusapi.com/v2/videos", payload=video)
        http.get(
            "https://tavusapi.com/v2/videos/v42",
            payload={**video, "status": "generating", "generation_progress": "42/100"},
        )
        exec(compile(quick_start, "README.md", "exec"), {"__name__": "__main__"})

    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        "r783537ef5 Anna completed",
        "v42 generating 0.42 https://tavus.video/v42",
    ]


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run runs exactly the test command the README's Development section gives."""
    development = README.split("## Development", 1)[1]
    (command,) = re.findall(r"```bash\n(.*?)\n```", development, flags=re.DOTALL)

    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()

    assert command in ci_lines
