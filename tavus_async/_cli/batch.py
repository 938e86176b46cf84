"""``tavus-async videos batch FILE``: a video per row of a CSV or JSON Lines file, resumable.

Every row is checked before anything is created. Then at most ``concurrency`` rows at
a time are created, waited for and downloaded. The journal (see ``journal``)
records each video id the moment Tavus gives it, so running the same command again
skips the rows already done and waits for the ones created, never creating them
again. A create whose answer never came may still have made a video: the video is
looked for by the marker ``[batch:<row key>]`` in its name before the row is created
again, so that each row is billed once.

A refused key (401 or 403) stops the whole run at once: until one create has been
answered, creates go one at a time, so that a wrong key costs one request, not a row each.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from .._core.options import RequestOptions
from .._core.responses import may_have_acted
from .._exceptions import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    PermissionDeniedError,
    ResponseValidationError,
    TavusError,
    VideoGenerationError,
    WaitTimeoutError,
)
from ..types.videos import Video, VideoStatus
from ..waiting.policy import PollPolicy
from .journal import Journal, RowRecord, marked_key, safe_file_name, unique_file_names
from .output import Display, Output
from .rows import BatchRow, read_rows

if TYPE_CHECKING:
    from .._client import TavusClient

__all__ = ["run_batch"]


class _Unsettled(Exception):
    """The row's create may have made a video that could not be found: the next run looks."""


class _Stopped(Exception):
    """The key was refused: the row sends nothing, and run() is about to cancel it."""


class _NotSaved(Exception):
    """The video is ready but its file could not be written."""


@attrs.define(kw_only=True)
class _Result:
    row: BatchRow
    # "ready" (this run), "done" (an earlier run), "rendering" (past the deadline) or "failed"
    status: str
    video_id: str | None = None
    path: str | None = None
    error: str | None = None


@attrs.define(kw_only=True)
class _Batch:
    tavus: TavusClient
    journal: Journal
    rows: Sequence[BatchRow]
    paths: dict[str, Path]
    policy: PollPolicy | None
    concurrency: int
    output: Output
    display: Display | None
    bar: Callable[[str, float | None], None] | None = None
    results: dict[str, _Result] = attrs.Factory(dict)
    unsettled: dict[str, str] = attrs.Factory(dict)
    # Held by the creates sent before any was answered: a refused key is met once.
    first_create: asyncio.Lock = attrs.Factory(asyncio.Lock)
    key_accepted: bool = False
    stopped: bool = False  # the key was refused: no row sends anything more

    async def run(self) -> None:
        if self.display is not None:
            self.bar = self.display.track("batch", total=max(len(self.rows), 1))
        records = self.journal.records
        # A row left at "creating" may have a video already: find it before anything else.
        pending = [r for r in self.rows if _left_creating(records.get(r.key))]
        if pending:
            try:
                await self._look_for(pending)
            except _Unsettled as exc:
                self.unsettled = {row.key: str(exc) for row in pending}
        todo = []
        for row in self.rows:
            record = records.get(row.key)
            if record is not None and record.event == "done" and not await self._missing(row):
                self._finish(row, "done", video_id=record.video_id, path=record.path)
            else:
                todo.append(row)
        slots = asyncio.Semaphore(self.concurrency)
        tasks = [asyncio.ensure_future(self._run_row(row, slots)) for row in todo]
        try:
            await asyncio.gather(*tasks)
        finally:
            # Cancelled (Ctrl-C): stop every row; their journal lines are already written.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _missing(self, row: BatchRow) -> bool:
        """Whether a done row's file should be (re)downloaded into this run's folder."""
        path = self.paths.get(row.key)
        record = self.journal.records[row.key]
        if path is None or record.video_id is None:
            return False
        return record.path != str(path) or not await asyncio.to_thread(path.is_file)

    async def _run_row(self, row: BatchRow, slots: asyncio.Semaphore) -> None:
        if row.key in self.unsettled:
            self._finish(row, "failed", error=self.unsettled[row.key])
            return
        async with slots:
            if self.stopped:
                return  # run() is about to cancel this row
            record = self.journal.records.get(row.key)
            video_id = record.video_id if record is not None else None
            try:
                if video_id is None:
                    video_id = await self._create(row)
                video = await self.tavus.videos.wait(video_id, policy=self.policy)
                path = self.paths.get(row.key)
                if path is not None:
                    try:
                        path = await self.tavus.videos.download(video, path)
                    except (TavusError, OSError) as exc:
                        raise _NotSaved(f"not saved: {exc}") from exc
            except _Stopped:
                return
            except WaitTimeoutError as exc:
                if _still_rendering(exc.last):
                    # Nothing journaled: the row stays "created", and the next run waits.
                    self._finish(row, "rendering", video_id=video_id, error=_rendering(exc))
                    return
                await self._fail(row, exc, video_id)
                return
            except _Unsettled as exc:  # the journal keeps "creating": the next run looks
                self._finish(row, "failed", error=str(exc))
                return
            except (AuthenticationError, PermissionDeniedError) as exc:
                # Every other row would be refused too: stop them all (run() cancels them).
                self.stopped = True
                await self.journal.append(row.key, "failed", video_id=video_id, error=str(exc))
                raise _key_refused(exc) from None
            # Not OSError: a journal that cannot be written must stop the batch.
            except (TavusError, ValueError, _NotSaved) as exc:
                await self._fail(row, exc, video_id)
                return
            shown = None if path is None else str(path)
            await self.journal.append(row.key, "done", video_id=video_id, path=shown)
            self._finish(row, "ready", video_id=video_id, path=shown)

    async def _fail(self, row: BatchRow, exc: Exception, video_id: str | None) -> None:
        error = str(exc) or type(exc).__name__
        if isinstance(exc, VideoGenerationError):  # a rerun only looks at it again
            error += " (edit the row to render a new video)"
        await self.journal.append(row.key, "failed", video_id=video_id, error=error)
        self._finish(row, "failed", video_id=video_id, error=error)

    async def _create(self, row: BatchRow) -> str:
        """The row's new video id; until a create is answered, one create at a time."""
        if not self.key_accepted:
            async with self.first_create:
                if self.stopped:
                    raise _Stopped
                if not self.key_accepted:
                    return await self._send_create(row)
        return await self._send_create(row)

    async def _send_create(self, row: BatchRow) -> str:
        """The row's new video id, or its video found at Tavus after a lost answer."""
        options: RequestOptions = {}
        if row.extra_body is not None:
            options["extra_body"] = row.extra_body
        await self.journal.append(row.key, "creating")
        try:
            video = await self.tavus.videos.create(
                replica_id=row.replica_id,
                video_name=row.tavus_name,
                script=row.script,
                audio_url=row.audio_url,
                background_url=row.background_url,
                background_source_url=row.background_source_url,
                callback_url=row.callback_url,
                watermark_image_url=row.watermark_image_url,
                fast=row.fast,
                transparent_background=row.transparent_background,
                properties=row.properties,
                **options,
            )
        except (APIError, APIConnectionError, ResponseValidationError) as exc:
            if isinstance(exc, APIError) and not _refuses_key(exc):
                self.key_accepted = True  # Tavus answered the key's request
            if not may_have_acted(exc):
                raise  # Tavus cannot have acted on it: the next run creates it again
            lost = exc
        else:
            self.key_accepted = True
            await self.journal.append(row.key, "created", video_id=video.video_id)
            return video.video_id
        # One create per row and run. After a lost answer the video may exist, and a second
        # create bills twice: it is looked for, and when it is not (yet) listed the row
        # waits for the next run to look again, rather than trust a list that lags behind.
        found = await self._look_for([row])
        if row.key in found:
            return found[row.key]
        raise _Unsettled(f"{lost}; no video of this row was found at Tavus (the next run looks)")

    async def _look_for(self, rows: Sequence[BatchRow]) -> dict[str, str]:
        """The ids of these rows' videos found at Tavus by their marker, journaled ``created``."""
        wanted = {row.key: row for row in rows}
        newest: dict[str, Video] = {}
        try:
            async for video in self.tavus.videos.iter(page_size=100):
                key = _marked(video, wanted)
                if key is not None and _newer(video, newest.get(key)):
                    newest[key] = video
        except (AuthenticationError, PermissionDeniedError) as exc:
            raise _key_refused(exc) from None
        except TavusError as exc:
            raise _Unsettled(f"could not look for the row's video at Tavus ({exc})") from exc
        for key, video in newest.items():
            await self.journal.append(key, "created", video_id=video.video_id)
            if self.display is not None:
                row = wanted[key]
                self.display.line(
                    f"row {row.number} {row.label}: found its video {video.video_id} "
                    "at Tavus, not creating it again"
                )
        return {key: video.video_id for key, video in newest.items()}

    def _finish(
        self,
        row: BatchRow,
        status: str,
        *,
        video_id: str | None = None,
        path: str | None = None,
        error: str | None = None,
    ) -> None:
        self.results[row.key] = _Result(
            row=row, status=status, video_id=video_id, path=path, error=error
        )
        if self.display is None:
            self.output.record(
                {
                    "row": row.number,
                    "video_name": row.label,
                    "video_id": video_id,
                    "status": status,
                    "path": path,
                    "error": error,
                }
            )
            return
        detail = f": {error}" if error else (f" -> {path}" if path else "")
        self.display.line(f"row {row.number} {row.label}: {status}{detail}")
        if self.bar is not None:
            done = len(self.results)
            self.bar(f"{done}/{len(self.rows)} rows", done / len(self.rows))


def _still_rendering(last: object) -> bool:
    """A wait cut short by its deadline, on a video that had not failed (or was never seen)."""
    failed = (VideoStatus.ERROR, VideoStatus.DELETED)
    return last is None or (isinstance(last, Video) and last.status not in failed)


def _rendering(timeout: WaitTimeoutError[Video]) -> str:
    seen = ""
    if timeout.last is not None:
        progress = timeout.last.progress
        seen = f" ({timeout.last.status}" + ("" if progress is None else f", {progress:.0%}") + ")"
    return (
        f"still rendering{seen} after {timeout.elapsed:.0f} s: run the batch again to pick "
        "it up (it is not created again), or give it a longer --timeout"
    )


def _refuses_key(error: APIError) -> bool:
    return isinstance(error, (AuthenticationError, PermissionDeniedError))


def _key_refused(error: APIError) -> APIError:
    """``error`` (its class, status and request id kept) saying the batch stopped, and why."""
    refused = copy.copy(error)
    refused.message = (
        f"{error.message}: the API key was refused, so the batch stopped and sent nothing "
        "more; check --api-key or TAVUS_API_KEY, then run it again to resume"
    )
    refused.args = (refused.message,)
    return refused


def _left_creating(record: RowRecord | None) -> bool:
    """A create was sent (or about to be) and its answer never made it to the journal."""
    return record is not None and record.event == "creating" and record.video_id is None


def _marked(video: Video, wanted: dict[str, BatchRow]) -> str | None:
    if video.status == VideoStatus.DELETED:
        return None  # a deleted video will never be ready: the row is better made again
    return marked_key(video.video_name, wanted)


def _newer(video: Video, than: Video | None) -> bool:
    """Two videos carry the marker (a row of an earlier batch, say): take the latest."""
    if than is None:
        return True
    return (video.created_at is not None and than.created_at is not None) and (
        video.created_at > than.created_at
    )


async def run_batch(
    tavus: TavusClient,
    *,
    file: Path,
    replica_id: str | None,
    concurrency: int,
    download_dir: Path | None,
    journal_path: Path,
    policy: PollPolicy | None,
    output: Output,
) -> int:
    """Create, wait for and download a video per row of ``file``; the exit code.

    0 when every row is ready (and saved, with ``download_dir``), 1 when any failed or
    is still rendering at the policy's deadline (a rerun waits for it, creating nothing).
    Rows the journal at ``journal_path`` has done are skipped, and its videos created
    before are waited for, never created again. ``concurrency`` is 1 or more (the command
    line checks it). Raises ValueError, creating nothing, for a malformed file or row
    (naming it), rows without a replica, a download folder that cannot be made, or a
    corrupt journal.
    Cancelling it at any point leaves the journal complete; videos keep rendering.
    """
    rows = await asyncio.to_thread(read_rows, file, replica_id=replica_id)
    paths: dict[str, Path] = {}
    if download_dir is not None:
        safe = [safe_file_name(r.video_name, fallback=f"row-{r.number}") for r in rows]
        names = unique_file_names(safe)
        paths = {row.key: download_dir / name for row, name in zip(rows, names, strict=True)}
    if download_dir is not None:
        try:  # a folder that cannot be made would fail every row after its video was billed
            await asyncio.to_thread(download_dir.mkdir, parents=True, exist_ok=True)
        except OSError as exc:
            raise ValueError(f"--download-dir {download_dir}: {exc.strerror or exc}") from None
    journal = await Journal.open(journal_path)
    display = None if output.json_mode else Display(output.console)
    batch = _Batch(
        tavus=tavus,
        journal=journal,
        rows=rows,
        paths=paths,
        policy=policy,
        output=output,
        display=display,
        concurrency=concurrency,
    )
    try:
        if display is None:
            await batch.run()
        else:
            with display:
                await batch.run()
    finally:
        # Even when cancelled: return only once every line started is on disk.
        await journal.settle()
        journal.close()
    results = [batch.results[row.key] for row in rows]
    ready = sum(result.status in ("ready", "done") for result in results)
    rendering = sum(result.status == "rendering" for result in results)
    if not output.json_mode:  # JSON mode printed a record per row already
        title = f"videos batch: {ready} of {len(results)} rows ready"
        if rendering:
            title += f", {rendering} still rendering (run the batch again to pick them up)"
        output.table(
            ("row", "name", "video_id", "status", "file / error"),
            [
                (str(r.row.number), r.row.label, r.video_id or "-", r.status, _detail(r))
                for r in results
            ],
            title=title,
        )
    return 0 if ready == len(results) else 1


def _detail(result: _Result) -> str:
    return result.error or result.path or "-"
