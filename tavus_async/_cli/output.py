"""What the command line prints: JSON lines or readable tables, and live progress.

With ``--json`` every result is one JSON object per line, in Tavus's own field names,
for scripts and ``jq``. Otherwise a single object is a key/value block and a list is a
table. Progress is a live bar on a terminal and one plain line per change anywhere else
(logs, cron), never the same line twice. Secrets an object holds (an ``api_key``, an
``Authorization`` header, any secret-looking key) are printed as ``***``, in every family.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from .._core.models import Model, mask_secrets
from .errors import report_error

__all__ = ["Display", "Output", "progress_of"]


def progress_of(item: Any) -> float | None:
    """A job's progress from 0 to 1; None for an object that has none.

    The SDK's ``progress`` properties are fractions; where ``progress`` is Tavus's own
    field, a whole percentage (a document's, 0-100), it is read as one.
    """
    progress: float | None = getattr(item, "progress", None)
    if isinstance(progress, int) and not isinstance(progress, bool):
        return min(max(progress, 0), 100) / 100
    return progress


def _cell(item: Any, column: str) -> str:
    if column == "progress":
        progress = progress_of(item)
        return "-" if progress is None else f"{progress:.0%}"
    value = getattr(item, column, None)
    if value is None:
        return "-"
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else str(value)


class Output:
    """Prints results for people or, with ``json_mode``, for programs."""

    def __init__(self, *, json_mode: bool, console: Console | None = None) -> None:
        self.json_mode = json_mode
        if console is None:
            console = Console(highlight=False, soft_wrap=False)
            if not console.is_terminal:
                console.width = 1000  # piped or logged: a row stays on one line, for grep
        self.console = console

    def _json(self, data: Mapping[str, Any]) -> None:
        line = json.dumps(data, ensure_ascii=False, default=str)
        try:
            line.encode(sys.stdout.encoding or "utf-8")
        except UnicodeEncodeError:  # a console that cannot show it gets JSON's own escapes
            line = json.dumps(data, default=str)
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def error(self, error: BaseException) -> None:
        """The command's last line on stderr for ``error``: plain, or a JSON object."""
        report_error(error, json_mode=self.json_mode)

    def job(self, job: Model) -> None:
        """One object of a family: a JSON object, or a key/value block (secrets masked)."""
        data: dict[str, Any] = mask_secrets(job.to_dict())
        if self.json_mode:
            self._json(data)
            return
        progress = progress_of(job)
        if progress is not None:
            data["progress"] = f"{progress:.0%}"
        self.record(data)

    def jobs(
        self, jobs: Sequence[Model], *, columns: Sequence[str], total: int | None = None
    ) -> None:
        """A list: one JSON object per line, or a table of ``columns`` with a count under it."""
        if self.json_mode:
            for job in jobs:
                self._json(mask_secrets(job.to_dict()))
            return
        if not jobs:
            self.console.print("(none)")
            return
        table = Table(*columns, box=None, pad_edge=False, header_style="bold")
        for job in jobs:
            table.add_row(*(escape(_cell(job, c)) for c in columns))
        self.console.print(table)
        shown = f"{len(jobs)} shown" + (f" of {total}" if total is not None else "")
        self.console.print(shown, style="dim")

    def record(self, data: Mapping[str, Any]) -> None:
        """Any other result (a rename, a delete, a download): JSON, or a key/value block."""
        data = mask_secrets(data)
        if self.json_mode:
            self._json(data)
            return
        block = Table.grid(padding=(0, 2))
        block.add_column(style="bold")
        block.add_column(overflow="fold")
        for key, value in data.items():
            if value is not None and value != {}:
                shown = json.dumps(value) if isinstance(value, (dict, list)) else str(value)
                block.add_row(key, escape(shown))
        self.console.print(block)

    def table(self, columns: Sequence[str], rows: Iterable[Sequence[str]], *, title: str) -> None:
        """A summary table for people (JSON mode prints its rows as records instead)."""
        if self.json_mode:
            for row in rows:
                self._json(dict(zip(columns, row, strict=True)))
            return
        table = Table(*columns, title=title, header_style="bold")
        for column in table.columns:
            column.overflow = "fold"  # never "…": it must print on any console and width
        for row in rows:
            table.add_row(*(escape(cell) for cell in row))
        self.console.print(table)


class Display:
    """Live bars on a terminal; one plain line per change anywhere else."""

    def __init__(self, console: Console, *, live: bool | None = None) -> None:
        self.console = console
        self.live = console.is_terminal if live is None else live
        self.progress = Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[status]:<12}"),
            TimeElapsedColumn(),
            console=console,
            disable=not self.live,
        )
        self._last: dict[TaskID, str] = {}

    def __enter__(self) -> Display:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.progress.__exit__(None, None, None)

    def track(self, name: str, *, total: float = 100) -> Callable[[str, float | None], None]:
        """A bar for ``name``; call the result with a status and a fraction done (0-1)."""
        task = self.progress.add_task(escape(name), total=total, status="")

        def update(status: str, fraction: float | None) -> None:
            done = None if fraction is None else fraction * total
            self.progress.update(task, completed=done, status=status)
            percent = "" if fraction is None else f" {100 * fraction:.0f}%"
            self._plain(task, f"{name}: {status}{percent}")

        return update

    def line(self, text: str) -> None:
        """A line that stays (above the bars on a terminal)."""
        self.console.print(escape(text), highlight=False)

    def _plain(self, task: TaskID, text: str) -> None:
        if not self.live and self._last.get(task) != text:
            self._last[task] = text
            self.console.print(escape(text), highlight=False)
