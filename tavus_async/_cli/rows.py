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

from .._core.arguments import check_id, check_settings, check_url
from .._core.options import check_options
from ..types.videos import VideoProperties

__all__ = ["COLUMNS", "BatchRow", "read_rows", "row_key"]

_TEXT_COLUMNS = ("script", "video_name", "replica_id")
_URL_COLUMNS = (
    "audio_url",
    "background_url",
    "background_source_url",
    "callback_url",
    "watermark_image_url",
)
_FLAG_COLUMNS = ("fast", "transparent_background")
_OBJECT_COLUMNS = ("properties", "extra_body")  # JSON objects (in CSV, a cell of JSON text)
#: Every column a row may have: each field ``videos.create`` takes, and ``extra_body``.
COLUMNS = (
    "script",
    "audio_url",
    "video_name",
    "replica_id",
    "background_url",
    "background_source_url",
    "fast",
    "transparent_background",
    "properties",
    "callback_url",
    "watermark_image_url",
    "extra_body",
)
_KNOWN = f"the columns are {', '.join(COLUMNS)}"


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
    replica_id: str
    video_name: str | None = None
    script: str | None = None
    audio_url: str | None = None
    background_url: str | None = None
    background_source_url: str | None = None
    callback_url: str | None = None
    watermark_image_url: str | None = None
    fast: bool | None = None
    transparent_background: bool | None = None
    properties: Mapping[str, Any] | None = None
    extra_body: Mapping[str, Any] | None = None  # sent as the create's extra_body

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
    if not text.strip():
        raise ValueError(f"{file}: the file is empty: no rows to render")
    suffix = file.suffix.lower()
    json_lines = suffix in (".jsonl", ".ndjson") or (suffix != ".csv" and text.lstrip()[:1] == "{")
    default = None if replica_id is None else check_id("--replica-id", replica_id)
    try:
        records = list((_json_records if json_lines else _csv_records)(text))
    except ValueError as exc:  # the CSV header
        raise ValueError(f"{file}: {exc}") from None
    rows = []
    seen: dict[str, int] = {}
    without_replica: list[int] = []
    for number, line, raw in records:
        try:
            if isinstance(raw, str):
                raise ValueError(raw)
            row = _row(number, raw, default)
        except _NoReplica:
            without_replica.append(number)
            continue
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{file}: row {number} (line {line}): {exc}") from None
        seen[row.key] = seen.get(row.key, 0) + 1
        rows.append(attrs.evolve(row, key=row_key(_content(row), seen[row.key])))
    if without_replica:
        raise ValueError(f"{file}: {_replica_missing(without_replica, of=len(records))}")
    if not rows:
        raise ValueError(f"{file}: no rows to render, only a header")
    return rows


class _NoReplica(Exception):
    """The row names no replica and there is no --replica-id: a whole-run problem."""


def _replica_missing(numbers: list[int], *, of: int) -> str:
    """One line for every row without a replica, rather than a failure per row."""
    if len(numbers) == of:
        return (
            "no row names a replica_id and no --replica-id was given: "
            "pass --replica-id, or add a replica_id column"
        )
    shown = ", ".join(map(str, numbers[:10])) + (", ..." if len(numbers) > 10 else "")
    return (
        f"rows {shown} have no replica_id ({len(numbers)} of {of}) and no --replica-id "
        "was given: give them one, or pass --replica-id"
    )


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
    # Strict: a quote left open would otherwise swallow the rest of the file into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    line = 1
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        _check_header(header)
        while True:
            line = reader.line_num + 1  # where the next row starts
            cells = next(reader, None)
            if cells is None:
                return
            if not any(cell.strip() for cell in cells):
                continue
            number += 1
            if len(cells) > len(header):
                yield number, line, "more cells than the header has columns"
                continue
            yield number, line, dict(zip(header, cells, strict=False))
    except csv.Error as exc:
        yield number + 1, line, f"not valid CSV ({exc}): is a quote left open?"


def _check_header(header: list[str]) -> None:
    """A typo in a column name must not drop that field from every video: refuse it."""
    if "script" not in header and "audio_url" not in header:
        found = ", ".join(repr(name) for name in header if name) or "no columns"
        raise ValueError(
            f"line 1 (the header) names neither script nor audio_url (found {found}): "
            "the header names the columns, separated by commas"
        )
    for index, name in enumerate(header):
        if name and name not in COLUMNS:
            raise ValueError(f"line 1 (the header): unknown column {name!r}; {_KNOWN}")
        if name and name in header[:index]:
            raise ValueError(f"line 1 (the header): the column {name!r} appears twice")


def _row(number: int, raw: dict[str, object], default_replica_id: str | None) -> BatchRow:
    for name, value in raw.items():
        if name == "":  # a CSV column without a name: harmless while its cells are empty
            if isinstance(value, str) and value.strip():
                raise ValueError(f"a cell under no column ({value.strip()[:40]!r}); {_KNOWN}")
        elif name not in COLUMNS:
            raise ValueError(f"unknown column {name!r}; {_KNOWN}")
    fields: dict[str, Any] = {}
    for column in COLUMNS:
        value = raw.get(column)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            continue  # an empty cell is a field left out
        if column in _FLAG_COLUMNS:
            fields[column] = _flag(column, value)
        elif column in _OBJECT_COLUMNS:
            fields[column] = _json_object(column, value)
        elif not isinstance(value, str):
            raise TypeError(f"{column} must be text, not {type(value).__name__}")
        else:
            fields[column] = check_url(column, value) if column in _URL_COLUMNS else value
    _check_together(fields)
    if "replica_id" in fields:
        check_id("replica_id", fields["replica_id"])
    elif default_replica_id is not None:
        fields["replica_id"] = default_replica_id
    else:
        raise _NoReplica
    # The replica is part of the content: the same script for another replica is a new video.
    return BatchRow(number=number, key=row_key(fields), **fields)


def _check_together(fields: Mapping[str, Any]) -> None:
    """What ``videos.create`` refuses of fields together, refused before any row is sent."""
    if ("script" in fields) == ("audio_url" in fields):
        raise ValueError("give exactly one of script or audio_url")
    if "background_url" in fields and "background_source_url" in fields:
        raise ValueError("give at most one of background_url or background_source_url")
    if fields.get("transparent_background") and not fields.get("fast"):
        raise ValueError("transparent_background needs fast true: Tavus renders it only fast")
    if fields.get("fast") and ("background_url" in fields or "background_source_url" in fields):
        raise ValueError("fast renders no background: drop the background, or fast")
    if "properties" in fields:
        check_settings("properties", fields["properties"], VideoProperties)
    sent = sorted(fields.get("extra_body", {}).keys() & set(COLUMNS))
    if sent:
        # The batch checks these and marks video_name: none may be overridden unseen.
        raise ValueError(f"extra_body holds {', '.join(sent)}: give it in its own column")
    if "extra_body" in fields:
        check_options({"extra_body": fields["extra_body"]})


def _flag(column: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValueError(f"{column} must be true or false, got {value!r}")


def _json_object(column: str, value: object) -> dict[str, Any]:
    """A JSON object: given as one (JSON Lines), or as its text (a CSV cell)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError) as exc:
            raise ValueError(f"{column} must be a JSON object: {exc}") from None
    if not isinstance(value, dict):
        raise ValueError(f"{column} must be a JSON object, not {type(value).__name__}")
    return value
