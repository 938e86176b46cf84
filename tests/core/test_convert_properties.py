"""Properties of the converter: any JSON gives a model or ResponseValidationError, never a crash.

Hypothesis draws the JSON a server could send (huge numbers, NaN and infinities that
``json.loads`` accepts, deep nesting, text of any shape) and checks what must hold for
every value, not just the handful of bodies the example tests in ``test_models.py`` use.
Runs are derandomized and keep no example database, so every run tries the same cases.
"""

from __future__ import annotations

import email.utils
import json
import typing
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tavus_async import Replica, ReplicaStatus, ResponseValidationError, Video, VideoStatus
from tavus_async._core.convert import parse_timestamp, structure, to_tavus_json
from tavus_async._core.paging import Page

UTC = timezone.utc

# Reproducible and quick: the same examples on every run, no files written, no timing flakes.
FIXED = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
)

MODELS: tuple[type[Any], ...] = (Video, Replica)
ID_FIELD: dict[type[Any], str] = {Video: "video_id", Replica: "replica_id"}
# The page types the resources' list calls structure into (see resources/_base.py).
PAGE_TYPES: tuple[Any, ...] = (Page[Video], Page[Replica])
TIMESTAMP_FIELDS = ("created_at", "updated_at")
SECRET = "tvs-test-key-0123456789abcdef"


def known_fields(model: type[Any]) -> list[str]:
    """The model's own field names, ``extra`` left out (it is not a JSON field)."""
    return [a.name for a in attrs.fields(model) if a.name != "extra"]


def is_aware_utc(moment: object) -> bool:
    """True for a datetime whose offset from UTC is zero."""
    return isinstance(moment, datetime) and moment.utcoffset() == timedelta(0)


# --- strategies -----------------------------------------------------------------------

# json.loads refuses longer integers (Python's int max_str_digits, 4300 by default).
BIGGEST_JSON_INT = 10**4299
# Numbers as json.loads gives them: ints of any size, floats including inf and nan.
json_numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([0, -1, 2**63, -(2**63), 10**30, BIGGEST_JSON_INT, -BIGGEST_JSON_INT]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e300, -1e300, 5e-324, float("inf"), float("-inf"), float("nan")]),
)
json_numbers_without_nan = st.one_of(
    st.integers(),
    st.sampled_from([0, -1, 2**63, 10**30, BIGGEST_JSON_INT]),
    st.floats(allow_nan=False, allow_infinity=True),
)
json_scalars = st.one_of(st.none(), st.booleans(), json_numbers, st.text())


def json_values(scalars: st.SearchStrategy[Any] = json_scalars) -> st.SearchStrategy[Any]:
    """Any JSON value: scalars, and lists and objects of them nested a few levels deep."""
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(st.text(max_size=8), children, max_size=4),
        ),
        max_leaves=12,
    )


any_json = json_values()
any_json_without_nan = json_values(
    st.one_of(st.none(), st.booleans(), json_numbers_without_nan, st.text())
)

# Text shaped like the timestamps Tavus sends, and like the broken ones it might.
timestamp_fragments = st.sampled_from(
    [
        "2024-01-24T07:14:03.327Z",
        "2024-01-24T07:14:03.3271234Z",
        "2024-08-28 15:27:40.824457",
        "2024-01-24T09:14:03+02:00",
        "2024-01-24T09:14:03-23:59",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "9999-12-31T23:59:59.999999Z",
        "0001-01-01",
        "2024-02-30T00:00:00Z",
        "2024-13-45",
        "Mon, 14 Jul 2025 09:14:24 GMT",
        "Mon, 14 Jul 99999999999999999999 09:14:24 GMT",
        "Mon, 14 Jul 2025 09:14:24 +99999999999999999999",
        "Mon, 14 Jul 2025 09:14:24 +2400",
        "Mon, 14 Jul 2025 99:99:99 GMT",
        "Mon, 00 Jul 0000 00:00:00 GMT",
        "Mon, 14 Jul 10000 09:14:24 GMT",
        "Mon, 1 Jan 1 00:00:00 -0100",
        "Fri, 31 Dec 9999 23:59:59 -2359",
        "14 Jul 25 09:14 EST",
        "1706080443",
        "1e300",
        "nan",
        "Infinity",
        "",
        "   ",
        "Z",
        "z",
        "T",
        ".",
        "+00:00",
    ]
)
timestamp_text = st.one_of(
    timestamp_fragments,
    st.builds(lambda a, b: a + b, timestamp_fragments, st.text(max_size=6)),
    st.builds(lambda a, b: a[:b], timestamp_fragments, st.integers(0, 40)),
    st.from_regex(
        r"[+-]?\d{1,12}-\d{1,3}-\d{1,3}([T ]\d{1,3}(:\d{1,3}){0,3}(\.\d{0,12})?)?"
        r"([Zz]|[+-]\d{1,4}(:?\d{1,4}){0,2})?",
        fullmatch=True,
    ),
    st.from_regex(
        r"(\w{0,4}, )?\d{1,25} [A-Z][a-z]{2} \d{1,25} \d{1,3}:\d{1,3}(:\d{1,3})? "
        r"(GMT|UT|[A-Z]{1,4}|[+-]\d{1,25})",
        fullmatch=True,
    ),
    st.text(),
)
timestamp_values = st.one_of(timestamp_text, json_numbers, any_json)

# Aware datetimes, at whole-minute offsets as ISO 8601 writes them, whose instant in UTC
# is still within datetime's range.
offsets = st.builds(
    lambda minutes: timezone(timedelta(minutes=minutes)), st.integers(-(24 * 60 - 1), 24 * 60 - 1)
)
instants = st.datetimes(
    min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=offsets
)


STATUS_WORDS = sorted({m.value for m in (*VideoStatus, *ReplicaStatus)} | {"finetuning", ""})
# What Tavus puts in its text fields: text, a status word, a number, or null.
text_values = st.one_of(
    st.none(), st.text(max_size=12), st.sampled_from(STATUS_WORDS), json_numbers
)
id_values = st.one_of(st.text(max_size=12), json_numbers)
stranger_keys = st.one_of(
    st.sampled_from(["extra", "face_id", "", "Video_ID"]), st.text(max_size=8)
)


def field_values(name: str, anything: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Values of the kind a model's field holds (timestamps of any shape at all)."""
    if name in TIMESTAMP_FIELDS:
        return st.one_of(st.none(), timestamp_text, json_numbers, anything)
    if name == "data":
        return st.one_of(st.none(), st.dictionaries(st.text(max_size=8), anything, max_size=3))
    if name == "error_details":
        return anything
    return text_values


def model_objects(
    model: type[Any], *, anything: st.SearchStrategy[Any] = any_json, wild: bool
) -> st.SearchStrategy[dict[str, Any]]:
    """JSON objects of the model's field names, some left out, plus unknown keys.

    With ``wild``, any field (the id too) may hold any JSON value at all; otherwise each
    field holds a value of its kind and the id is always there, so the object parses.
    """

    def value_of(name: str) -> st.SearchStrategy[Any]:
        return (
            st.one_of(field_values(name, anything), anything)
            if wild
            else field_values(name, anything)
        )

    id_field = ID_FIELD[model]
    optional = {name: value_of(name) for name in known_fields(model) if name != id_field}
    required = {} if wild else {id_field: id_values}
    if wild:
        optional[id_field] = st.one_of(id_values, anything)
    strangers = stranger_keys.filter(lambda key: key not in optional and key != id_field)
    return st.builds(
        lambda known, unknown: {**unknown, **known},
        st.fixed_dictionaries(required, optional=optional),
        st.dictionaries(strangers, anything, max_size=3),
    )


def assert_model_or_validation_error(payload: Any, cls: Any) -> Any:
    """Structure ``payload``: an instance of ``cls`` or ResponseValidationError, else fail."""
    try:
        result = structure(payload, cls, method="GET", url="https://tavusapi.com/v2/things")
    except ResponseValidationError as caught:
        error = caught
    else:
        expected = cls if isinstance(cls, type) else Page
        assert isinstance(result, expected)
        return result
    assert error.body is payload
    assert str(error)
    return None


def assert_well_formed(obj: Any, payload: Any) -> None:
    """A parsed model: its id is text, timestamps aware UTC, strangers kept in ``extra``."""
    model = type(obj)
    known = set(known_fields(model))
    assert isinstance(getattr(obj, ID_FIELD[model]), str)
    for name in TIMESTAMP_FIELDS:
        moment = getattr(obj, name)
        assert moment is None or is_aware_utc(moment), (name, moment)
    assert obj.status is None or isinstance(obj.status, str)
    assert obj.progress is None or 0.0 <= obj.progress <= 1.0
    if isinstance(payload, dict):
        assert obj.extra == {k: v for k, v in payload.items() if k not in known}


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
def test_to_tavus_json_round_trips_every_model(data: st.DataObject, cls: type[Any]) -> None:
    """to_tavus_json of a parsed model structures back into an equal model, extra included."""
    # NaN is not equal to itself, so a model holding one in extra never equals its copy.
    payload = data.draw(model_objects(cls, anything=any_json_without_nan, wild=False))
    obj = structure(payload, cls)

    written = to_tavus_json(obj)
    again = structure(written, cls)

    assert again == obj
    assert again.extra == obj.extra
    assert to_tavus_json(again) == written


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
    """Nesting that json.loads reads parses, and to_tavus_json writes it back unchanged."""
    text = json.dumps({"video_id": "v1", where: {"a": nested(depth, kind=kind)}})
    payload = json.loads(text)

    video = structure(payload, Video)
    written = to_tavus_json(video)

    assert json.dumps(written) == text
    assert structure(written, Video) == video


# --- 3. timestamps ----------------------------------------------------------------------


@FIXED
@given(value=timestamp_values)
@example(value=float("nan"))
@example(value=float("inf"))
@example(value=1e300)
@example(value=-BIGGEST_JSON_INT)
@example(value="Mon, 14 Jul 2025 09:14:24 +99999999999999999999")
@example(value="0001-01-01T00:00:00+01:00")
def test_parse_timestamp_gives_none_or_aware_utc(value: Any) -> None:
    """parse_timestamp never raises: any value gives None or an aware datetime in UTC."""
    moment = parse_timestamp(value)

    assert moment is None or is_aware_utc(moment)


@FIXED
@given(
    value=timestamp_values,
    field=st.sampled_from(TIMESTAMP_FIELDS),
    cls=st.sampled_from(MODELS),
)
def test_timestamps_never_fail_an_otherwise_valid_object(
    value: Any, field: str, cls: type[Any]
) -> None:
    """Any value in created_at or updated_at leaves the object parsed, the field None or UTC."""
    obj = structure({ID_FIELD[cls]: "id1", "status": "ready", field: value}, cls)

    moment = getattr(obj, field)
    assert moment is None or is_aware_utc(moment)
    assert moment == parse_timestamp(value)


@FIXED
@given(moment=instants, sep=st.sampled_from(["T", " "]), zulu=st.booleans())
def test_iso_8601_timestamps_parse_to_the_same_instant(
    moment: datetime, sep: str, zulu: bool
) -> None:
    """An ISO 8601 timestamp, with Z or any offset, parses to the same instant to the µs."""
    in_utc = moment.astimezone(UTC)
    text = in_utc.isoformat(sep).replace("+00:00", "Z") if zulu else moment.isoformat(sep)

    parsed = parse_timestamp(text)

    assert parsed == moment
    assert parsed is not None
    assert is_aware_utc(parsed)
    assert parsed.replace(tzinfo=None) == in_utc.replace(tzinfo=None)


@FIXED
@given(moment=instants, digits=st.integers(1, 9))
def test_iso_8601_fractions_of_any_length_keep_their_microseconds(
    moment: datetime, digits: int
) -> None:
    """A fraction of 1 to 9 digits reads as that many digits, cut (not rounded) to the µs."""
    in_utc = moment.astimezone(UTC)
    fraction = f"{in_utc.microsecond:06d}000"[:digits]
    text = in_utc.replace(microsecond=0, tzinfo=None).isoformat() + "." + fraction + "Z"

    parsed = parse_timestamp(text)

    assert parsed == in_utc.replace(microsecond=int((fraction + "000000")[:6]))


@FIXED
@given(moment=instants)
def test_rfc_1123_timestamps_parse_to_the_same_second(moment: datetime) -> None:
    """An RFC 1123 date (``Mon, 14 Jul 2025 09:14:24 GMT``) parses to the same second."""
    in_utc = moment.astimezone(UTC)
    text = email.utils.format_datetime(in_utc, usegmt=True)

    parsed = parse_timestamp(text)

    assert parsed == in_utc.replace(microsecond=0)
    assert parsed is not None
    assert is_aware_utc(parsed)


@FIXED
@given(moment=instants)
def test_epoch_seconds_parse_to_the_same_instant(moment: datetime) -> None:
    """Epoch seconds, as an int or a float, parse to the same instant (floats to the ms)."""
    whole = moment.replace(microsecond=0)
    seconds = int(whole.timestamp())

    assert parse_timestamp(seconds) == whole
    parsed = parse_timestamp(moment.timestamp())
    assert parsed is not None
    assert abs(parsed - moment) <= timedelta(milliseconds=1)


@FIXED
@given(moment=instants, cls=st.sampled_from(MODELS))
def test_timestamps_round_trip_through_to_tavus_json(moment: datetime, cls: type[Any]) -> None:
    """A timestamp written by to_tavus_json reads back as the same instant, to the µs."""
    obj = structure({ID_FIELD[cls]: "id1", "created_at": moment.isoformat()}, cls)

    written = to_tavus_json(obj)["created_at"]

    assert written.endswith("Z")
    assert parse_timestamp(written) == moment
    assert structure(to_tavus_json(obj), cls) == obj


# --- 4. what the error says -------------------------------------------------------------

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
