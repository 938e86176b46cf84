"""`videos batch`: the columns a row may have, and the files refused before anything is sent.

How rows are keyed, named and saved is in test_batch.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tavus_async._cli.rows import read_rows
from tavus_async.testing import FakeTavus

from _support.cli_batch import ANNA, Run, creates, jsonl, write


async def test_every_create_field_and_extra_body_reach_the_create(
    run: Run, fake: FakeTavus, replica: str
) -> None:
    """Each create field a row names is sent, and extra_body's fields go into the body too."""
    file = jsonl(
        run.tmp_path / "v.jsonl",
        {
            "script": ANNA,
            "fast": True,
            "transparent_background": "true",
            "watermark_image_url": "https://example.com/logo.png",
            "callback_url": "https://example.com/hook",
            "extra_body": {"brand_new_field": {"level": 2}},
        },
    )
    table = write(
        run.tmp_path / "v.csv",
        "script,background_source_url,properties,extra_body",
        'Hi,https://example.com/b.mp4,"{""background_scroll"": false}","{""x"": 1}"',
    )

    codes = [await run(file, download=False), await run(table, download=False)]

    first, second = (request.body for request in creates(fake))
    assert codes == [0, 0]
    assert first["fast"] is True
    assert first["transparent_background"] is True
    assert first["watermark_image_url"] == "https://example.com/logo.png"
    assert first["callback_url"] == "https://example.com/hook"
    assert first["brand_new_field"] == {"level": 2}
    assert second["background_source_url"] == "https://example.com/b.mp4"
    assert second["properties"] == {"background_scroll": False}
    assert second["x"] == 1
    assert second["replica_id"] == replica


@pytest.mark.parametrize(
    ("name", "lines", "message"),
    [
        (
            "v.csv",
            ["script,backround_url", "hi,https://example.com"],
            "line 1 \\(the header\\): unknown column 'backround_url'",
        ),
        (
            "v.jsonl",
            ['{"script": "a"}', '{"script": "b", "transparent_backgroud": true}'],
            "row 2 \\(line 2\\): unknown column 'transparent_backgroud'",
        ),
        ("v.csv", ["script,", "a,b"], "row 1 .*a cell under no column"),
    ],
)
async def test_an_unknown_column_is_refused_before_anything_is_created(
    run: Run, fake: FakeTavus, tmp_path: Path, name: str, lines: list[str], message: str
) -> None:
    """A column the batch does not know is refused, named with its row, the known ones listed."""
    file = write(tmp_path / name, *lines)

    with pytest.raises(ValueError, match=message) as refused:
        await run(file)

    assert "background_url, background_source_url" in str(refused.value)
    assert fake.requests == []
    assert not run.journal.exists()


def test_an_empty_unnamed_csv_column_is_harmless(tmp_path: Path) -> None:
    """A trailing comma in a spreadsheet's export makes a nameless, empty column: it is ignored."""
    rows = read_rows(write(tmp_path / "v.csv", "script,", "hi,"), replica_id="r1")

    assert [row.script for row in rows] == ["hi"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"properties": "{not json"}, "properties must be a JSON object"),
        ({"properties": [1, 2]}, "properties must be a JSON object"),
        ({"extra_body": "[]"}, "extra_body must be a JSON object"),
        ({"extra_body": {"video_name": "x"}}, "extra_body.*video_name.*its own column"),
        ({"extra_body": {"n": float("nan")}}, "extra_body must hold only JSON values"),
        ({"transparent_background": True}, "transparent_background.*needs fast"),
        ({"fast": True, "background_url": "https://example.com"}, "fast.*renders no background"),
        (
            {"transparent_background": "yes", "fast": True},
            "transparent_background must be true or false",
        ),
    ],
)
async def test_a_row_the_create_would_refuse_is_refused_before_anything_is_created(
    run: Run, fake: FakeTavus, tmp_path: Path, row: dict[str, object], message: str
) -> None:
    """A bad JSON object or a combination the create refuses fails the file, naming the row."""
    file = jsonl(tmp_path / "v.jsonl", {"script": "fine"}, {"script": "hi", **row})

    with pytest.raises(ValueError, match=f"row 2 \\(line 2\\): {message}"):
        await run(file)

    assert fake.requests == []
    assert not run.journal.exists()


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["video_name,script", 'anna,"unterminated'], "row 1 \\(line 2\\): not valid CSV"),
        (["script", '"Hi" there'], "row 1 \\(line 2\\): not valid CSV"),
        (["script", "a", '"b'], "row 2 \\(line 3\\): not valid CSV"),
    ],
)
async def test_a_malformed_csv_row_is_refused_not_read_loosely(
    run: Run, fake: FakeTavus, tmp_path: Path, lines: list[str], message: str
) -> None:
    """An unterminated or stray quote is a malformed row, named by its line, never a script."""
    file = write(tmp_path / "v.csv", *lines)

    with pytest.raises(ValueError, match=message):
        await run(file)

    assert fake.requests == []
    assert not run.journal.exists()


async def test_a_csv_not_separated_by_commas_says_so(run: Run, tmp_path: Path) -> None:
    """A header naming neither script nor audio_url shows what was found and asks for commas."""
    file = write(tmp_path / "v.csv", "video_name;script", "anna;Hi Anna")

    with pytest.raises(ValueError, match="neither script nor audio_url") as refused:
        await run(file)

    message = str(refused.value)
    assert "'video_name;script'" in message
    assert "separated by commas" in message
    assert not run.journal.exists()


@pytest.mark.parametrize(
    ("name", "lines"),
    [("v.csv", []), ("v.jsonl", []), ("v.csv", ["video_name,script"]), ("v.jsonl", ["", " "])],
)
async def test_a_file_without_rows_is_refused_and_leaves_no_journal(
    run: Run, fake: FakeTavus, tmp_path: Path, name: str, lines: list[str]
) -> None:
    """An empty file, or a header alone, is a usage error: nothing is sent or journaled."""
    file = write(tmp_path / name, *lines)

    with pytest.raises(ValueError, match="no rows"):
        await run(file)

    assert fake.requests == []
    assert not run.journal.exists()
