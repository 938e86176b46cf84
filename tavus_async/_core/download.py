"""Streaming a finished file (a rendered video, say) to disk without blocking the event loop.

Bytes go to a temporary file beside the destination, each chunk written on a worker
thread, and the file is renamed into place only once the whole body has arrived: a
reader never sees half a file under the final name, and a failed or cancelled
download leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import urlsplit

import aiohttp

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
    """Consumes one download response into ``path``; called again for a retried attempt."""

    def __init__(self, path: Path, on_progress: OnProgress | None) -> None:
        self.path = path
        self.on_progress = on_progress

    async def __call__(self, response: aiohttp.ClientResponse) -> Path:
        total = response.content_length
        await asyncio.to_thread(self.path.parent.mkdir, parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{secrets.token_hex(6)}.part")
        file: BinaryIO = await asyncio.to_thread(open, partial, "wb")
        try:
            done = 0
            await self._report(done, total)
            async for chunk in response.content.iter_chunked(CHUNK_SIZE):
                await asyncio.to_thread(file.write, chunk)
                done += len(chunk)
                await self._report(done, total)
            await asyncio.to_thread(_flush_to_disk, file)
            await asyncio.to_thread(os.replace, partial, self.path)
        except BaseException:
            # Plain calls, not threads: this must finish even while being cancelled.
            if file is not None:
                file.close()
            with contextlib.suppress(OSError):
                partial.unlink()
            raise
        return self.path

    async def _report(self, done: int, total: int | None) -> None:
        if self.on_progress is not None:
            result = self.on_progress(done, total)
            if inspect.isawaitable(result):
                await result
