"""Properties of the converter: any JSON gives a model or ResponseValidationError, never a crash.

Hypothesis draws the JSON a server could send (huge numbers, NaN and infinities that
``json.loads`` accepts, deep nesting, text of any shape) and checks what must hold for
every value, not just the handful of bodies the example tests in ``test_models.py`` use.
Runs are derandomized and keep no example database, so every run tries the same cases.
The strategies are in _support/json_strategies.py; timestamps have
test_timestamp_properties.py.
"""

from __future__ import annotations

import json
import typing
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tavus_async import Replica, ResponseValidationError, Video
from tavus_async._core.convert import structure
from tavus_async._core.paging import Page

from _support.json_strategies import (
    BIGGEST_JSON_INT,
    FIXED,
    ID_FIELD,
    MODELS,
    PAGE_TYPES,
    SECRET,
    any_json,
    any_json_without_nan,
    assert_model_or_validation_error,
    assert_well_formed,
    json_numbers,
    json_scalars,
    model_objects,
)

# --- 1. any JSON value ----------------------------------------------------------------


@FIXED
@given(payload=any_json, cls=st.sampled_from(MODELS + PAGE_TYPES))
@example(payload=float("nan"), cls=Video)
@example(payload=[{"video_id": "v1"}], cls=Page[Video])
@example(payload={"data": {"video_id": "v1"}}, cls=Page[Video])
@example(payload={"data": "abc"}, cls=Page[Replica])
@example(payload={"data": [], "total_count": "²"}, cls=Page[Replica])
@example(payload={"data": [], "total_count": BIGGEST_JSON_INT}, cls=Page[Video])
@example(payload={"video_id": BIGGEST_JSON_INT}, cls=Video)
def test_any_json_value_gives_the_model_or_response_validation_error(
    payload: Any, cls: Any
) -> None:
    """Any JSON value structures into Video, Replica or a Page of them, or raises RVE only."""
    assert_model_or_validation_error(payload, cls)


@FIXED
@given(payload=st.text().map(json.dumps) | any_json.map(json.dumps), cls=st.sampled_from(MODELS))
def test_json_text_after_json_loads_gives_the_model_or_response_validation_error(
    payload: str, cls: type[Any]
) -> None:
    """What json.loads makes of any JSON text (NaN and Infinity tokens included) fits or RVEs."""
    assert_model_or_validation_error(json.loads(payload), cls)


# --- 2. objects made of the model's own fields -----------------------------------------


@FIXED
@given(data=st.data(), cls=st.sampled_from(MODELS))
def test_model_shaped_objects_parse_or_raise_and_keep_strangers_in_extra(
    data: st.DataObject, cls: type[Any]
) -> None:
    """Field names mapped to any JSON give a well-formed model or RVE; unknown keys go to extra."""
    payload = data.draw(model_objects(cls, wild=True))

    obj = assert_model_or_validation_error(payload, cls)

    if obj is not None:
        assert_well_formed(obj, payload)
        hash(obj)


@FIXED
@given(data=st.data(), cls=st.sampled_from(MODELS))
def test_objects_whose_fields_hold_their_kind_always_parse(
    data: st.DataObject, cls: type[Any]
) -> None:
    """An id, fields of their kind and timestamps of any shape always give a well-formed model."""
    payload = data.draw(model_objects(cls, wild=False))

    obj = structure(payload, cls)

    assert_well_formed(obj, payload)
    assert getattr(obj, ID_FIELD[cls]) == str(payload[ID_FIELD[cls]])


@FIXED
@given(data=st.data(), cls=st.sampled_from(MODELS))
def test_to_dict_round_trips_every_model(data: st.DataObject, cls: type[Any]) -> None:
    """to_dict of a parsed model structures back into an equal model, extra included."""
    # NaN is not equal to itself, so a model holding one in extra never equals its copy.
    payload = data.draw(model_objects(cls, anything=any_json_without_nan, wild=False))
    obj = structure(payload, cls)

    written = obj.to_dict()
    again = structure(written, cls)

    assert again == obj
    assert again.extra == obj.extra
    assert again.to_dict() == written


@FIXED
@given(data=st.data(), cls=st.sampled_from(MODELS), size=st.integers(0, 3))
def test_pages_of_model_shaped_items_parse_or_raise(
    data: st.DataObject, cls: type[Any], size: int
) -> None:
    """A list body of model-shaped items gives a Page of well-formed models, or RVE."""
    item = st.one_of(model_objects(cls, wild=False), model_objects(cls, wild=True))
    items = data.draw(st.lists(item, min_size=size, max_size=size))
    total = data.draw(st.one_of(st.none(), json_numbers, st.text(max_size=4), any_json))
    payload = {"data": items, "total_count": total}

    generic_page: Any = Page
    page = assert_model_or_validation_error(payload, generic_page[cls])

    if page is not None:
        assert len(page) == size
        for parsed, raw in zip(page, items, strict=True):
            assert_well_formed(parsed, raw)
        assert page.total_count is None or isinstance(page.total_count, int)


def nested(depth: int, *, kind: str) -> Any:
    """A list in a list (or an object in an object), ``depth`` levels deep."""
    value: Any = [] if kind == "list" else {}
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    return value


# Not a hypothesis search: where recursion runs out depends on how deep the stack already
# is, so a search would shrink to a boundary that moves. json.loads reads ~990 levels.
@pytest.mark.parametrize("depth", [10, 100, 250, 500])
@pytest.mark.parametrize("kind", ["list", "object"])
@pytest.mark.parametrize("where", ["face_meta", "data", "error_details"])
def test_deeply_nested_bodies_parse_and_round_trip(depth: int, kind: str, where: str) -> None:
    """Nesting that json.loads reads parses, and to_dict writes it back unchanged."""
    text = json.dumps({"video_id": "v1", where: {"a": nested(depth, kind=kind)}})
    payload = json.loads(text)

    video = structure(payload, Video)
    written = video.to_dict()

    assert json.dumps(written) == text
    assert video.to_json() == text
    assert structure(written, Video) == video


# --- 3. what the error says -------------------------------------------------------------

secretish = st.one_of(json_scalars, st.just(SECRET), st.just(f"Bearer {SECRET}"))
# Ids that are neither text nor a number, some carrying the API key; None stands for no id.
bad_ids = st.one_of(
    st.none(),
    st.booleans(),
    st.lists(secretish, max_size=3),
    st.dictionaries(st.one_of(st.text(max_size=4), st.just(SECRET)), secretish, max_size=3),
)


@FIXED
@given(data=st.data(), cls=st.sampled_from(MODELS), bad_id=bad_ids, present=st.booleans())
def test_error_for_a_bad_id_names_the_id_field_and_not_the_key(
    data: st.DataObject, cls: type[Any], bad_id: Any, present: bool
) -> None:
    """A missing id, or one not text or a number, raises RVE naming the id, never the API key."""
    id_field = ID_FIELD[cls]
    payload = data.draw(model_objects(cls, anything=secretish, wild=False))
    if id_field != "uuid":  # a document's older name for its id would stand in for it
        payload.pop("uuid", None)
    if present:
        payload[id_field] = bad_id
    else:
        del payload[id_field]

    with pytest.raises(ResponseValidationError) as caught:
        structure(payload, cls, method="GET", url="https://tavusapi.com/v2/things/x")

    message = str(caught.value)
    assert id_field in message
    assert SECRET not in message


@FIXED
@given(data=st.data(), cls=st.sampled_from(MODELS + PAGE_TYPES))
def test_no_error_message_repeats_a_secret_from_the_body(data: st.DataObject, cls: Any) -> None:
    """Whatever a bad body holds, the RVE message says where it failed, never what was there."""
    anything = st.one_of(
        secretish,
        st.lists(secretish, max_size=3),
        st.dictionaries(st.one_of(st.text(max_size=4), st.just(SECRET)), secretish, max_size=3),
    )
    if cls in MODELS:
        payload: Any = data.draw(model_objects(cls, anything=anything, wild=True))
    else:
        item_cls = typing.get_args(cls)[0]
        items = st.lists(model_objects(item_cls, anything=anything, wild=True), max_size=3)
        payload = data.draw(st.fixed_dictionaries({"data": items, "total_count": anything}))

    try:
        structure(payload, cls, method="GET", url="https://tavusapi.com/v2/things")
    except ResponseValidationError as caught:
        message = f"{caught} {caught!r}"
    else:
        message = ""
    assert SECRET not in message
