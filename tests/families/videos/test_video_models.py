"""Video's own fields: the script read from data, and what VideoProperties accepts."""

from __future__ import annotations

from typing import Any

import pytest

from tavus_async import Video, VideoProperties
from tavus_async._core.convert import structure


@pytest.mark.parametrize(
    ("data", "script"),
    [({"script": "Hi!"}, "Hi!"), (None, None), ({}, None), ({"script": 3}, None)],
)
def test_video_script_reads_data_script(data: dict[str, Any] | None, script: str | None) -> None:
    """Video.script is data.script when it is text, None when there is no data or script."""
    video = structure({"video_id": "v1", "data": data}, Video)

    assert video.script == script


def test_video_properties_take_a_scroll_word_tavus_adds_later() -> None:
    """A scroll word this SDK does not know yet is kept and sent, not refused."""
    properties = VideoProperties(background_scroll_type="bouncy")

    assert properties.background_scroll_type == "bouncy"
