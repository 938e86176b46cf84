"""Streaming a finished file (a rendered video, say) to disk without blocking the event loop.

Bytes go to a temporary file beside the destination, each chunk written on a worker
thread, and the file is renamed into place only once the whole body has arrived: a
reader never sees half a file under the final name, and a failed or cancelled
download leaves nothing behind. A retried attempt resumes where the last one stopped
when the host answers a ``Range`` request (206), and starts over when it does not (200).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import re
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import urlsplit

import aiohttp

from .._exceptions import ResponseValidationError

__all__ = ["CHUNK_SIZE", "FileSink", "OnProgress", "destination"]

CHUNK_SIZE = 1 << 20
OnProgress = Callable[[int, "int | None"], "Awaitable[None] | None"]


def destination(dest: str | os.PathLike[str], *, stem: str, download_url: str) -> Path:
    """Where to write: ``dest`` itself, or ``<dest>/<stem><ext>`` when it is a folder.

    A folder is one that exists, or a path written with a trailing separator (``out/``).
    """
    path = Path(dest)
    text = os.fspath(dest)
    if path.is_dir() or text.endswith(("/", os.sep)):
        suffix = PurePosixPath(urlsplit(download_url).path).suffix
        return path / f"{stem}{suffix if suffix in ('.mp4', '.webm', '.mov') else '.mp4'}"
    return path


def _flush_to_disk(file: BinaryIO) -> None:
    """Flush, fsync and close: the bytes are on disk before the rename makes them visible."""
    file.flush()
    os.fsync(file.fileno())
    file.close()


class FileSink:
    """Consumes a download's responses into ``path``: called once per attempt.

    The temporary file lives across attempts. ``resume_headers`` asks a retry for the
    bytes not written yet; a 206 whose ``Content-Range`` starts there is appended, a 200
    is the whole file again and replaces what was written. ``on_progress`` never goes
    backwards and its ``total`` is the whole file's size. ``discard`` removes the
    temporary file once the download is given up.
    """

    def __init__(self, path: Path, on_progress: OnProgress | None) -> None:
        self.path = path
        self.on_progress = on_progress
        self.written = 0
        self._partial: Path | None = None
        self._file: BinaryIO | None = None
        self._reported = -1  # the highest count on_progress was given

    def resume_headers(self) -> dict[str, str]:
        """The headers of the next attempt: the rest of the file, when some was written."""
        return {"Range": f"bytes={self.written}-"} if self.written else {}

    async def __call__(self, response: aiohttp.ClientResponse) -> Path:
        total = response.content_length
        if response.status == 206:
            total = self._resumed_total(response)
        elif self.written:  # a 200: the host sends the whole file again
            assert self._file is not None
            await asyncio.to_thread(_start_over, self._file)
            self.written = 0
        if self._file is None:
            await asyncio.to_thread(self.path.parent.mkdir, parents=True, exist_ok=True)
            self._partial = self.path.with_name(f".{self.path.name}.{secrets.token_hex(6)}.part")
            self._file = await asyncio.to_thread(open, self._partial, "wb")
        file, partial = self._file, self._partial
        assert partial is not None
        await self._report(total)
        # Pieces are gathered into chunks of CHUNK_SIZE (a thread hop each); when the body
        # is cut short, the piece of a chunk that did arrive is kept for the resume.
        chunk = bytearray()
        try:
            async for piece in response.content.iter_any():
                chunk += piece
                if len(chunk) >= CHUNK_SIZE:
                    await self._write(file, chunk, total)
                    chunk = bytearray()
        except (aiohttp.ClientError, asyncio.TimeoutError):
            await self._write(file, chunk, total)
            raise
        await self._write(file, chunk, total)
        await asyncio.to_thread(_flush_to_disk, file)
        self._file = None
        await asyncio.to_thread(os.replace, partial, self.path)
        self._partial = None
        return self.path

    def discard(self) -> None:
        """Close and remove the temporary file, if an attempt left one.

        Plain calls, not threads: this must finish even while being cancelled.
        """
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._partial is not None:
            with contextlib.suppress(OSError):
                self._partial.unlink()
            self._partial = None
        self.written = 0

    def _resumed_total(self, response: aiohttp.ClientResponse) -> int | None:
        """The whole file's size from a 206's ``Content-Range``, which must start at ``written``."""
        content_range = response.headers.get("Content-Range", "")
        match = _CONTENT_RANGE.fullmatch(content_range.strip())
        if self._file is None or match is None or int(match["first"]) != self.written:
            raise ResponseValidationError(
                f"the file host answered {content_range or 'a 206 without Content-Range'} "
                f"to a request for bytes {self.written}-",
                body=None,
                method="GET",
                url=str(response.url),
            )
        return None if match["size"] == "*" else int(match["size"])

    async def _write(self, file: BinaryIO, chunk: bytearray, total: int | None) -> None:
        if chunk:
            await asyncio.to_thread(file.write, chunk)
            self.written += len(chunk)
            await self._report(total)

    async def _report(self, total: int | None) -> None:
        done = self.written
        if self.on_progress is None or done <= self._reported:
            return  # a host that starts over reports nothing until it passes the last count
        self._reported = done
        result = self.on_progress(done, total)
        if inspect.isawaitable(result):
            await result


_CONTENT_RANGE = re.compile(r"bytes (?P<first>\d+)-(?P<last>\d+)/(?P<size>\d+|\*)")


def _start_over(file: BinaryIO) -> None:
    file.seek(0)
    file.truncate()
