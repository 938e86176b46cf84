"""What the `videos batch` tests share: rows files, the journal, and one in-process run.

The ``fake``, ``tavus``, ``replica`` and ``run`` fixtures are in cli/batch/conftest.py.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from rich.console import Console

from tavus_async import PollPolicy, TavusClient
from tavus_async._cli.batch import run_batch
from tavus_async._cli.output import Output
from tavus_async.testing import FakeTavus, RecordedRequest

ANNA = "Hi Anna, welcome aboard!"
BEN = "Hi Ben, welcome aboard!"
CARMEN = "Hello Carmen, and welcome!"


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
