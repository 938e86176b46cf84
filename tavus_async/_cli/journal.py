"""What ``videos batch`` keeps on disk: the journal, and safe file names.

Nothing here talks to Tavus (``batch`` does); the batch file's rows are read by ``rows``.

The journal is an append-only JSON Lines file, one event per line::

    {"row": "3-1a2b3c4d", "event": "creating"}
    {"row": "3-1a2b3c4d", "event": "created", "video_id": "v0123456789"}
    {"row": "3-1a2b3c4d", "event": "done", "video_id": "v0123456789", "path": "out/x.mp4"}
    {"row": "4-5e6f7a8b", "event": "failed", "error": "400 POST /v2/videos: ..."}

``creating`` is written before a create is sent and ``created`` as soon as Tavus names
the video, each flushed and fsynced before the batch moves on: a crash or Ctrl-C never
loses a video id, and a row left at ``creating`` says "look for this video before
making it again". A row still rendering at the wait's deadline stays at ``created``,
so that the next run waits for its video. A torn last line (the process died while
writing it) is ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import json
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "EVENTS",
    "Journal",
    "RowRecord",
    "load_journal",
    "marked_key",
    "safe_file_name",
    "unique_file_names",
]

T = TypeVar("T")

EVENTS = frozenset({"creating", "created", "done", "failed"})
_NAMED = ("row", "event")  # what every journal line names
MAX_NAME_LENGTH = 100
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")
_REPEATED = re.compile(r"([._-])\1+")
_MARKER = re.compile(r"\[batch:([^\]\s]+)\]")
# Windows refuses these stems whatever the extension (CON.mp4 included).
_RESERVED_STEM = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])", re.IGNORECASE)
# One writer at a time, even a worker thread still finishing after its task was cancelled.
_write_lock = threading.Lock()


@attrs.frozen(kw_only=True)
class RowRecord:
    """What the journal says of one row: its last event, the last video id and file named."""

    event: str
    video_id: str | None = None
    path: str | None = None


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        entry = json.loads(raw)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in _NAMED):
        return None
    if any(not isinstance(entry.get(k), (str, type(None))) for k in ("video_id", "path")):
        return None
    return entry


def _fold(records: dict[str, RowRecord], entry: Mapping[str, Any]) -> None:
    if entry["event"] not in EVENTS:
        return  # a word from a later version: nothing this one acts on
    earlier = records.get(entry["row"])
    records[entry["row"]] = RowRecord(
        event=entry["event"],
        # A video id, once known, stays the row's: it must never be created again.
        video_id=entry.get("video_id") or (earlier.video_id if earlier else None),
        path=entry.get("path"),
    )


def load_journal(path: Path) -> dict[str, RowRecord]:
    """Each row's record from the journal at ``path`` (blocking; run it off the loop).

    A last line that does not parse was torn by a crash: it is ignored and cut off, so
    that the next line appended starts clean. A bad line anywhere else raises
    ValueError naming it. A missing journal is created, empty.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as file:
            os.fsync(file.fileno())
        _sync_directory(path.parent)  # the new file's name must survive a crash too
        return {}
    lines = data.split(b"\n")
    records: dict[str, RowRecord] = {}
    offset = good = 0
    for number, raw in enumerate(lines, start=1):
        end = min(offset + len(raw) + 1, len(data))
        entry = _parse(raw) if raw.strip() else {}
        if entry is None:
            if any(rest.strip() for rest in lines[number:]):
                raise ValueError(
                    f"journal {path}: line {number} is not a journal event; "
                    "fix or remove that line, or start a new journal"
                )
            break
        if entry:
            _fold(records, entry)
        offset = good = end
    if good < len(data):
        with open(path, "r+b") as file:
            file.truncate(good)
            os.fsync(file.fileno())
    if good and not data[:good].endswith(b"\n"):
        _append_line(path, b"\n")  # a whole last event whose newline never made it
    return records


def _lock(path: Path) -> int | None:
    """An exclusive lock on the journal for this run; OSError if another run holds it."""
    if fcntl is None:  # Windows: no advisory locks; one run at a time is up to you
        return None
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise OSError(errno.EBUSY, "in use by another run of this batch") from None
    return fd


def _sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every system can open a folder (Windows)
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _append_line(path: Path, line: bytes) -> None:
    with _write_lock:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            size = os.fstat(fd).st_size
            try:
                view = memoryview(line)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            except OSError:
                # Never leave half a line for a later line to bury in the middle of the file.
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)
                raise
        finally:
            os.close(fd)


class Journal:
    """The append-only journal of one batch; ``records`` is each row's state so far."""

    def __init__(self, path: Path, records: dict[str, RowRecord]) -> None:
        self.path = path
        self.records = records
        self._writing: set[asyncio.Future[Any]] = set()
        self._lock_fd: int | None = None

    @classmethod
    async def open(cls, path: Path) -> Journal:
        """Lock, read (and repair) the journal at ``path``.

        Raises ValueError when it is corrupt, unusable, or in use by another run: two runs
        of one batch at once would each create the rows the other has not journaled yet.
        """
        journal = cls(path, {})
        try:
            journal._lock_fd = await asyncio.to_thread(_lock, path)
            journal.records = await journal._off_loop(load_journal, path)
        except OSError as exc:
            journal.close()
            raise ValueError(f"cannot use the journal {path}: {exc.strerror or exc}") from None
        except BaseException:
            journal.close()
            raise
        return journal

    def close(self) -> None:
        """Let another run use the journal."""
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases its lock
            self._lock_fd = None

    async def _off_loop(self, function: Callable[..., T], *args: object) -> T:
        """``function(*args)`` on a worker thread, finished even if the caller is cancelled.

        Not ``asyncio.to_thread``: cancelling that before a worker picks the call up drops
        it, and a line about a video Tavus already made must be written all the same. A
        shielded executor future is no task: neither Ctrl-C nor asyncio.run's clean-up
        cancels it, and ``settle`` (or asyncio.run's executor shutdown) waits for it.
        """
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(None, functools.partial(function, *args))
        self._writing.add(future)
        future.add_done_callback(self._writing.discard)
        result: T = await asyncio.shield(future)
        return result

    async def append(
        self,
        row: str,
        event: str,
        *,
        video_id: str | None = None,
        path: str | None = None,
        error: str | None = None,
    ) -> None:
        """Write one event, flushed and fsynced; a failed write leaves no partial line."""
        if event not in EVENTS:
            raise ValueError(f"unknown journal event {event!r}")
        fields = {"video_id": video_id, "path": path, "error": error}
        entry = {"row": row, "event": event, **{k: v for k, v in fields.items() if v}}
        line = (json.dumps(entry, ensure_ascii=True) + "\n").encode("ascii")
        try:
            await self._off_loop(_append_line, self.path, line)
        except OSError as exc:
            reason = f"cannot write the journal ({exc.strerror or exc})"
            raise OSError(exc.errno, reason, str(self.path)) from None
        _fold(self.records, entry)

    async def settle(self) -> None:
        """Wait for the lines still being written for rows that were cancelled meanwhile."""
        if self._writing:
            done, _ = await asyncio.wait(set(self._writing))
            for future in done:
                future.exception()  # seen here; the caller that awaited it raised it already


def safe_file_name(name: str | None, *, fallback: str) -> str:
    """``name`` made a plain file name for any file system (no extension); else ``fallback``.

    Accents are dropped (``é`` → ``e``); anything but letters, digits, ``-``, ``_`` and
    ``.`` becomes ``_``; runs collapse; leading dots and dashes go, so the name is
    neither hidden nor read as an option; it is cut to 100 characters; Windows' device
    names (``CON``, ``NUL``, ...) get a ``_``. Separators cannot survive, so the name
    never leaves its folder.
    """
    decomposed = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = _REPEATED.sub(r"\1", _UNSAFE_RUN.sub("_", text))
    text = re.sub(r"\.mp4$", "", text.strip("._-"), flags=re.IGNORECASE)
    # Windows drops trailing dots, so they go too (before ".mp4" is added).
    text = text[:MAX_NAME_LENGTH].strip("._-")
    stem, dot, rest = text.partition(".")
    if _RESERVED_STEM.fullmatch(stem):
        text = f"{stem}_{dot}{rest}"
    return text or fallback


def unique_file_names(names: Sequence[str]) -> list[str]:
    """``<name>.mp4`` for each name, repeats (ignoring case) becoming ``-2``, ``-3``, ..."""
    taken: set[str] = set()
    unique: list[str] = []
    for name in names:
        candidate, count = name, 1
        # Case-insensitively: macOS and Windows would make "Intro" and "intro" one file.
        while candidate.casefold() in taken:
            count += 1
            candidate = f"{name}-{count}"
        taken.add(candidate.casefold())
        unique.append(f"{candidate}.mp4")
    return unique


def marked_key(video_name: str | None, wanted: Collection[str]) -> str | None:
    """The key of a batch marker ``[batch:<key>]`` in ``video_name``, when it is wanted."""
    found = _MARKER.findall(video_name or "")
    return next((key for key in reversed(found) if key in wanted), None)
