"""Each model's quick structure function (``_core.structure_gen``) agrees with cattrs's own.

The converter builds a model with its quick function and runs cattrs's generated function
only when that raises, to name what did not fit. So the quick function must build what
cattrs's would, equal field by field, and refuse what cattrs's refuses: Hypothesis draws
objects shaped like every model (fields of their kind, or any JSON at all) and compares.
"""

from __future__ import annotations

import linecache
from typing import Any

import attrs
import pytest
from cattrs.gen import make_dict_structure_fn
from hypothesis import given
from hypothesis import strategies as st

from tavus_async import Document, Video
from tavus_async._core import convert
from tavus_async._core.models import Model
from tavus_async._core.structure_gen import make_build

from _support.json_strategies import FIXED, any_json_without_nan, known_fields, model_objects
from _support.models import REGISTRY_MODELS


def every_model() -> list[type[Any]]:
    """Every Model subclass the families define (events and nested models too)."""
    found, todo = [], list(Model.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if attrs.has(cls) and cls.__module__.startswith("tavus_async."):
            found.append(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


MODELS = every_model()


def quick(cls: type[Any]) -> Any:
    build = make_build(cls, hook_of=convert._hook_of, inline=convert._INLINE)
    assert build is not None
    return build


def split(cls: type[Any], payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The payload and its unknown fields, as the converter hands them to either function."""
    known = set(known_fields(cls))
    return payload, {k: v for k, v in payload.items() if k not in known}


def outcome(function: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "built", function(*args)
    except Exception:
        return "refused", None


def assert_same_model(left: Any, right: Any) -> None:
    assert type(left) is type(right)
    for field in attrs.fields(type(left)):
        mine, theirs = getattr(left, field.name), getattr(right, field.name)
        assert mine == theirs, field.name
        assert type(mine) is type(theirs), field.name


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__qualname__)
def test_every_model_has_a_quick_function(cls: type[Any]) -> None:
    """make_build gives every family's model (events and nested ones too) a function."""
    assert callable(quick(cls))


@FIXED
@given(data=st.data(), cls=st.sampled_from(REGISTRY_MODELS), wild=st.booleans())
def test_quick_function_builds_what_cattrs_builds_and_refuses_what_it_refuses(
    data: st.DataObject, cls: type[Any], wild: bool
) -> None:
    """For any object shaped like a model, both functions give an equal model or both fail."""
    payload, extra = split(
        cls, data.draw(model_objects(cls, anything=any_json_without_nan, wild=wild))
    )
    detailed = make_dict_structure_fn(cls, convert.converter)

    mine = outcome(quick(cls), payload, dict(extra))
    theirs = outcome(detailed, {**payload, "extra": dict(extra)}, cls)

    assert mine[0] == theirs[0]
    if mine[0] == "built":
        assert_same_model(mine[1], theirs[1])


def test_a_null_and_a_missing_key_give_the_default() -> None:
    """An optional field sent as null, or not sent, is None; unknown keys go to extra."""
    build = quick(Video)

    video = build({"video_id": "v1", "status": None, "created_at": None}, {"face_id": "f1"})

    assert video == Video(video_id="v1", extra={"face_id": "f1"})


def test_a_key_whose_null_does_not_fit_is_refused_and_a_missing_one_keeps_its_default() -> None:
    """Document's document_id (a str, filled from uuid when absent): null fails, absent is uuid."""
    build = quick(Document)

    assert build({"uuid": "d1"}, {}).document_id == "d1"
    with pytest.raises(TypeError):
        build({"uuid": "d1", "document_id": None}, {})


def test_a_missing_required_key_is_refused() -> None:
    """A Video without video_id raises, so that cattrs's function names the field."""
    with pytest.raises(KeyError):
        quick(Video)({"status": "ready"}, {})


def test_a_body_that_does_not_fit_still_names_the_field() -> None:
    """A wrong value still reads as before: ResponseValidationError naming the field."""
    with pytest.raises(
        convert.ResponseValidationError, match=r"expected str \| None @ \$\.video_name"
    ):
        convert.structure({"video_id": "v1", "video_name": {"a": 1}}, Video)


def test_profilers_and_tracebacks_show_the_generated_source() -> None:
    """The generated function's source is in linecache, under a name that says whose it is."""
    build = quick(Video)

    source = "".join(linecache.getlines(build.__code__.co_filename))

    assert "tavus_async structure tavus_async.types.videos.Video" in build.__code__.co_filename
    assert "return cls(video_id=" in source
