"""The rows of a ``videos batch`` file: read, checked, and keyed by their content.

A batch file is CSV with a header row or JSON Lines, one video per row; each row gets
a key, ``<hash of its content>-<k>``, so that an edited row is a different row. Nothing
here talks to Tavus (``batch`` does) or writes anything (``journal`` does).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from .._core.arguments import check_id, check_url

__all__ = ["BatchRow", "read_rows", "row_key"]

_URL_COLUMNS: tuple[str, ...] = ("audio_url", "background_url", "background_source_url")
_URL_COLUMNS += ("callback_url", "watermark_image_url")
_COLUMNS = ("script", "video_name", "replica_id", *_URL_COLUMNS, "fast")


def row_key(content: Mapping[str, object], occurrence: int = 1) -> str:
    """``<12 hex digits>-<k>``: the row's content, and which repeat of that content it is.

    Not its position: a file whose rows are reordered, inserted or removed keeps the key
    of every row left unchanged, so a rerun never renders (and bills) them again.
    """
    canonical = json.dumps(dict(content), sort_keys=True, ensure_ascii=True)
    return f"{hashlib.sha256(canonical.encode()).hexdigest()[:12]}-{occurrence}"


@attrs.frozen(kw_only=True)
class BatchRow:
    """One row of a batch file, checked: what ``videos.create`` gets, and the row's key."""

    number: int
    key: str
    replica_id: str | None = None  # None: no row value and no --replica-id; the row fails
    video_name: str | None = None
    script: str | None = None
    audio_url: str | None = None
    background_url: str | None = None
    background_source_url: str | None = None
    callback_url: str | None = None
    watermark_image_url: str | None = None
    fast: bool | None = None

    @property
    def label(self) -> str:
        """The row's name in lines and tables: its ``video_name``, or ``row-<n>``."""
        return self.video_name or f"row-{self.number}"

    @property
    def tavus_name(self) -> str:
        """The ``video_name`` sent to Tavus: the label, then the marker it is found by."""
        return f"{self.label} [batch:{self.key}]"


def read_rows(file: Path, *, replica_id: str | None) -> list[BatchRow]:
    """The rows of ``file`` (CSV with a header row, or JSON Lines), each checked.

    ``.csv`` is CSV and ``.jsonl`` / ``.ndjson`` JSON Lines; any other file is JSON
    Lines when it starts with ``{``. ``replica_id`` is the default for rows without one.
    Raises ValueError naming the row (and line) at fault, or the file when unreadable.
    """
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {file}: {exc}") from None
    suffix = file.suffix.lower()
    json_lines = suffix in (".jsonl", ".ndjson") or (suffix != ".csv" and text.lstrip()[:1] == "{")
    default = None if replica_id is None else check_id("--replica-id", replica_id)
    rows = []
    seen: dict[str, int] = {}
    for number, line, raw in (_json_records if json_lines else _csv_records)(text):
        try:
            if isinstance(raw, str):
                raise ValueError(raw)
            row = _row(number, raw, default)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{file}: row {number} (line {line}): {exc}") from None
        seen[row.key] = seen.get(row.key, 0) + 1
        rows.append(attrs.evolve(row, key=row_key(_content(row), seen[row.key])))
    return rows


def _content(row: BatchRow) -> dict[str, object]:
    fields = attrs.asdict(row)
    return {k: v for k, v in fields.items() if k not in ("number", "key") and v is not None}


Record = tuple[int, int, "dict[str, object] | str"]  # row, line, the fields or what is wrong


def _json_records(text: str) -> Iterator[Record]:
    number = 0
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        number += 1
        try:
            fields = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            yield number, line, f"not valid JSON ({exc})"
            continue
        yield number, line, fields if isinstance(fields, dict) else "not a JSON object"


def _csv_records(text: str) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            number += 1
            if len(cells) > len(header):
                yield number, reader.line_num, "more cells than the header has columns"
                continue
            yield number, reader.line_num, dict(zip(header, cells, strict=False))
    except csv.Error as exc:
        yield number + 1, reader.line_num, f"not valid CSV ({exc})"


def _row(number: int, raw: dict[str, object], default_replica_id: str | None) -> BatchRow:
    fields: dict[str, Any] = {}
    for column in _COLUMNS:
        value = raw.get(column)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            continue  # an empty cell is a field left out
        if column == "fast":
            fields[column] = _flag(value)
        elif not isinstance(value, str):
            raise TypeError(f"{column} must be text, not {type(value).__name__}")
        else:
            fields[column] = check_url(column, value) if column in _URL_COLUMNS else value
    if ("script" in fields) == ("audio_url" in fields):
        raise ValueError("give exactly one of script or audio_url")
    if "background_url" in fields and "background_source_url" in fields:
        raise ValueError("give at most one of background_url or background_source_url")
    if "replica_id" in fields:
        check_id("replica_id", fields["replica_id"])
    elif default_replica_id is not None:
        fields["replica_id"] = default_replica_id
    # The replica is part of the content: the same script for another replica is a new video.
    return BatchRow(number=number, key=row_key(fields), **fields)


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValueError(f"fast must be true or false, got {value!r}")
