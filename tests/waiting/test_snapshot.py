"""The last object a fleet's wait saw is kept where the cyclic collector never walks it, and
comes back equal: a tuple of a model's fields, or pickled, or as it is."""

from __future__ import annotations

import gc
import threading
from typing import Any

import attrs
from hypothesis import given, reject
from hypothesis import strategies as st

from tavus_async import ResponseValidationError, Video, VideoStatus
from tavus_async._core.convert import structure
from tavus_async.waiting.snapshot import AS_FIELDS, AS_IS, PICKLED, keep, restore

from _support.callbacks import VIDEO_BODY
from _support.json_strategies import FIXED, any_json_without_nan, model_objects
from _support.models import REGISTRY_MODELS


@FIXED
@given(data=st.data(), cls=st.sampled_from(REGISTRY_MODELS))
def test_every_model_comes_back_equal(data: st.DataObject, cls: type[Any]) -> None:
    """restore(keep(x)) == x for any model parsed from JSON, however it was kept."""
    payload = data.draw(model_objects(cls, anything=any_json_without_nan, wild=False))
    try:
        obj = structure(payload, cls)
    except ResponseValidationError:
        reject()

    again = restore(*keep(obj))

    assert type(again) is type(obj)
    assert again == obj


def test_a_video_is_kept_as_fields_the_collector_stops_tracking() -> None:
    """A video's fields (its status as the word, its dicts flat) make a tuple the collector
    stops tracking within two passes, long before any full collection of a fleet."""
    video = Video.from_dict({**VIDEO_BODY, "status": "generating"})

    how, kept = keep(video)
    for _ in range(2):  # a pass untracks the dicts' tuples, the next the tuple holding them
        gc.collect()

    assert how == AS_FIELDS
    assert isinstance(kept, tuple)
    assert not gc.is_tracked(kept)
    assert not any(isinstance(value, VideoStatus) for value in kept)  # the word only
    again = restore(how, kept)
    assert again == video
    assert again.status is VideoStatus.GENERATING


def test_an_unknown_status_word_comes_back_as_the_word() -> None:
    """A status Tavus added later stays a plain string through keep and restore."""
    video = Video.from_dict({**VIDEO_BODY, "status": "upscaling"})

    again = restore(*keep(video))

    assert again.status == "upscaling"
    assert not isinstance(again.status, VideoStatus)


@attrs.frozen
class Listed:
    name: str
    tags: list[str]


class Plain:
    def __init__(self, value: int) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Plain) and other.value == self.value

    __hash__ = None  # type: ignore[assignment]


def test_fields_the_collector_would_walk_are_kept_pickled() -> None:
    """An object holding a list, and an object attrs did not make, are pickled, as bytes."""
    for obj in (Listed("a", ["x", "y"]), Plain(7)):
        how, kept = keep(obj)

        assert how == PICKLED
        assert isinstance(kept, bytes)
        assert restore(how, kept) == obj


def test_what_cannot_be_pickled_is_kept_as_it_is() -> None:
    """An object pickle refuses (it holds a lock) is kept itself."""
    obj = Listed("a", [threading.Lock()])  # type: ignore[list-item]

    how, kept = keep(obj)

    assert how == AS_IS
    assert restore(how, kept) is obj
