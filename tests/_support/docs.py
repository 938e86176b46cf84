"""What the documentation tests share: the pages, their code blocks, and which test runs each.

The documentation is README.md and every page under docs/. Every ```python block in them
runs in some test: a test finds its block by a marker, a piece of text only that block
holds (``example(marker)``), and ``MARKERS`` lists every marker with the test that runs
its block. tests/docs/test_doc_blocks.py checks that every block holds a marker, and
that every marker is used.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
README = ROOT / "README.md"

# Each marker, and the test that runs the block holding it (in tests/docs/).
MARKERS: dict[str, str] = {
    "Hello from Python!": "test_readme.py::test_quick_start_runs",
    "print(video.status, await tavus.videos.download(": (
        "test_readme.py::test_home_page_example_renders_on_the_emulator"
    ),
    "tavus.replicas.rename(": "test_readme.py::test_replicas_example_trains_renames_and_deletes",
    "VideoNotReadyError as error": "test_readme.py::test_videos_example_renders_and_downloads",
    "with_raw_response": "test_readme.py::test_per_call_options_example_runs_on_the_emulator",
    "wait_many": "test_readme.py::test_batch_example_saves_every_video",
    "replicas.watch": "test_readme.py::test_monitor_example_prints_each_change",
    "WITHIN_A_MINUTE": "test_readme.py::test_service_example_answers_with_the_ready_video",
    "callbacks=receiver": "test_readme.py::test_callback_service_example_wakes_on_the_callback",
    "relay=RedisRelay(": (
        "test_readme.py::test_relay_example_wakes_the_wait_in_the_process_tavus_did_not_call"
    ),
    "wait_for_transcript(conversation.conversation_id)": (
        "test_readme.py::test_personas_and_conversations_example_runs_on_the_emulator"
    ),
    "DocumentProcessingError as error": (
        "test_readme.py::test_documents_example_processes_fails_and_recrawls_on_the_emulator"
    ),
    "tavus.objectives.create(": (
        "test_readme.py::test_guardrails_and_objectives_example_runs_on_the_emulator"
    ),
    "tavus.memories.delete(": (
        "test_readme.py::test_voices_dictionaries_and_memories_example_runs_on_the_emulator"
    ),
    "tavus.pals.publish(": "test_readme.py::test_faces_and_pals_example_runs_on_the_emulator",
    "tavus.pal_tools.attach(": "test_readme.py::test_tools_and_skills_example_runs_on_the_emulator",
    "tavus.deployments.start_conversation(": (
        "test_readme.py::test_deployments_and_canvas_example_runs_on_the_emulator"
    ),
    "fake.file_requests[-1].key_sent": (
        "test_readme.py::test_fake_tavus_example_runs_on_the_emulator"
    ),
    "async def send_welcome(": "test_readme.py::test_the_testing_example_s_tests_pass",
}


def pages() -> list[Path]:
    """README.md, then every page under docs/ (the API reference's included)."""
    return [README, *sorted(DOCS.rglob("*.md"))]


def name_of(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def blocks(page: Path, language: str) -> list[str]:
    """The fenced blocks of ``page`` tagged ``language``, each without its fences."""
    text = page.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)


def python_blocks() -> list[tuple[str, str]]:
    """Every python block of the documentation: (the page's name, the block)."""
    return [(name_of(page), block) for page in pages() for block in blocks(page, "python")]


def example(marker: str) -> str:
    """The documentation's python block that holds ``marker`` (a page may repeat a block
    another shows, as README.md repeats the quick start, but never change it)."""
    assert marker in MARKERS, f"{marker!r} is not in _support.docs.MARKERS"
    found = {block for _, block in python_blocks() if marker in block}
    assert len(found) == 1, f"{len(found)} different blocks hold {marker!r}"
    (block,) = found
    return block


def section(page: Path, heading: str) -> str:
    """The text of ``page`` under ``heading`` (a whole line), up to the next heading of
    its level or above."""
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    level = len(heading) - len(heading.lstrip("#"))
    start = next(i for i, line in enumerate(lines) if line.rstrip() == heading)
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if re.match(rf"#{{1,{level}}} ", lines[i]) and not _in_fence(lines, i)
        ),
        len(lines),
    )
    return "".join(lines[start + 1 : end])


def _in_fence(lines: list[str], index: int) -> bool:
    return sum(1 for line in lines[:index] if line.startswith("```")) % 2 == 1
