"""Every family's model as Tavus's JSON and back: to_dict, to_json, from_dict, and its repr.

Each test runs over every family of the client's registry (``_support/models.py``). The
round trip for any JSON the converter accepts is in test_model_round_trip_properties.py.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from tavus_async import ResponseValidationError, TavusClient
from tavus_async._core.convert import structure
from tavus_async._core.models import Model, StatusEnum

from _support.families import WITH_GET
from _support.http import API_KEY, BASE
from _support.models import (
    FAMILY_MODELS,
    STATUS_FIELDS,
    TIMESTAMP_FIELDS,
    fields_holding,
    status_enum,
)

UTC = timezone.utc
UNKNOWN = {"likeness_id": "f1", "finetune": {"steps": [1, 2], "done": None}}


@pytest.mark.parametrize(("model", "id_field", "field"), TIMESTAMP_FIELDS)
@pytest.mark.parametrize(
    ("sent", "written"),
    [
        ("2024-01-24T09:14:03.5+02:00", "2024-01-24T07:14:03.500000Z"),
        ("Mon, 14 Jul 2025 09:14:24 GMT", "2025-07-14T09:14:24Z"),
        ("2024-08-28 15:27:40.824457", "2024-08-28T15:27:40.824457Z"),
        (1706080443, "2024-01-24T07:14:03Z"),
    ],
)
def test_to_dict_writes_timestamps_as_iso_8601_in_utc(
    model: type[Model], id_field: str, field: str, sent: object, written: str
) -> None:
    """A timestamp in any form Tavus sends is written back as ISO 8601 in UTC, with a Z."""
    obj = model.from_dict({id_field: "id1", field: sent})

    assert obj.to_dict()[field] == written


@pytest.mark.parametrize(("model", "id_field", "field"), TIMESTAMP_FIELDS)
@pytest.mark.parametrize(
    ("moment", "written"),
    [
        (datetime(2024, 1, 24, 9, 14, 3, tzinfo=timezone(timedelta(hours=2))), "07:14:03Z"),
        (datetime(2024, 1, 24, 7, 14, 3), "07:14:03Z"),
    ],
)
def test_to_dict_writes_a_timestamp_set_by_hand_in_utc(
    model: type[Any], id_field: str, field: str, moment: datetime, written: str
) -> None:
    """A datetime given in another zone is written in UTC; one without a zone is read as UTC."""
    obj = model(**{id_field: "id1", field: moment})

    assert obj.to_dict()[field] == f"2024-01-24T{written}"


@pytest.mark.parametrize(("model", "id_field", "field"), STATUS_FIELDS)
def test_statuses_are_written_as_their_words_known_or_not(
    model: type[Model], id_field: str, field: str
) -> None:
    """Known status words come back as their enum and are written as the word; unknown ones stay."""
    for word in [*(member.value for member in status_enum(model, field)), "finetuning"]:
        obj = model.from_dict({id_field: "id1", field: word})

        written = obj.to_dict()[field]

        assert type(written) is str
        assert written == word
        assert model.from_dict(obj.to_dict()) == obj


@pytest.mark.parametrize(("model", "id_field"), FAMILY_MODELS)
def test_to_dict_leaves_out_unset_fields_and_puts_extra_back_at_the_top(
    model: type[Model], id_field: str
) -> None:
    """Only the fields that are set are written, then the unknown ones, as Tavus sent them."""
    obj = model.from_dict({**UNKNOWN, id_field: "id1"})

    written = obj.to_dict()

    assert written == {id_field: "id1", **UNKNOWN}
    assert list(written) == [id_field, *UNKNOWN]


@pytest.mark.parametrize(("model", "id_field"), FAMILY_MODELS)
def test_changing_what_to_dict_gave_leaves_the_model_alone(
    model: type[Model], id_field: str
) -> None:
    """to_dict returns a new object: adding or removing its keys does not touch the model."""
    obj = model.from_dict({id_field: "id1", "likeness_id": "f1"})

    written = obj.to_dict()
    written.clear()

    assert obj.to_dict() == {id_field: "id1", "likeness_id": "f1"}
    assert obj.extra == {"likeness_id": "f1"}


@pytest.mark.parametrize(("model", "id_field"), FAMILY_MODELS)
def test_to_json_is_to_dict_as_json_text(model: type[Model], id_field: str) -> None:
    """to_json is to_dict as one line of JSON, or indented when asked; it reads back the same."""
    obj = model.from_dict({id_field: "id1", **UNKNOWN})

    text = obj.to_json()
    indented = obj.to_json(indent=2)

    assert json.loads(text) == json.loads(indented) == obj.to_dict()
    assert "\n" not in text
    assert indented.splitlines()[1].startswith(f'  "{id_field}"')
    assert model.from_dict(json.loads(text)) == obj


@pytest.mark.parametrize(("model", "id_field"), FAMILY_MODELS)
def test_from_dict_parses_as_a_response_body_is(model: type[Model], id_field: str) -> None:
    """from_dict gives what a response's body gives: the id as text, strangers in extra."""
    payload = {id_field: 12345, **UNKNOWN}

    obj = model.from_dict(payload)

    assert type(obj) is model
    assert obj == structure(payload, model)
    assert getattr(obj, id_field) == "12345"
    assert obj.extra == UNKNOWN


@pytest.mark.parametrize(("model", "id_field"), FAMILY_MODELS)
@pytest.mark.parametrize("bad_id", [None, True, [1], {"a": 1}], ids=repr)
def test_from_dict_refuses_an_id_that_is_missing_or_not_text(
    model: type[Model], id_field: str, bad_id: Any
) -> None:
    """A mapping whose id is missing, or neither text nor a number, raises RVE naming the id."""
    data = {"likeness_id": "f1"} if bad_id is None else {id_field: bad_id}

    with pytest.raises(ResponseValidationError, match=id_field) as caught:
        model.from_dict(data)

    assert model.__name__ in str(caught.value)
    assert caught.value.body is data


@pytest.mark.parametrize(("model", "id_field"), FAMILY_MODELS)
@pytest.mark.parametrize("data", [[], [{"id": 1}], "text", None, 7], ids=repr)
def test_from_dict_refuses_what_is_not_a_json_object(
    model: type[Model], id_field: str, data: Any
) -> None:
    """An array, text, null or a number is no model: RVE naming the model, never a TypeError."""
    with pytest.raises(ResponseValidationError, match=model.__name__):
        model.from_dict(data)


def attrs_repr(obj: Any) -> str:
    """The repr attrs itself writes for ``obj``'s known fields (a plain attrs copy's)."""
    names = [field.name for field in attrs.fields(type(obj)) if field.name != "extra"]
    plain = attrs.make_class(type(obj).__name__, names, kw_only=True, frozen=True)
    return repr(plain(**{name: getattr(obj, name) for name in names}))


@pytest.mark.parametrize(("model", "id_field"), FAMILY_MODELS)
def test_repr_without_extra_is_the_plain_attrs_repr(model: type[Model], id_field: str) -> None:
    """With nothing in extra, the repr is attrs's own, as it always was: no extra= in it."""
    stamps = dict.fromkeys(fields_holding(model, datetime), "2024-01-24T07:14:03Z")
    obj = model.from_dict({id_field: "id1", **stamps})

    assert repr(obj) == attrs_repr(obj)
    assert "extra=" not in repr(obj)


@pytest.mark.parametrize(("model", "id_field"), FAMILY_MODELS)
def test_repr_shows_extra_after_the_known_fields(model: type[Model], id_field: str) -> None:
    """With fields this version does not know, the repr ends with them: nothing is hidden."""
    obj = model.from_dict({id_field: "id1", **UNKNOWN})

    assert repr(obj) == f"{attrs_repr(obj)[:-1]}, extra={UNKNOWN!r})"


@pytest.mark.parametrize("spec", WITH_GET, ids=lambda spec: spec.name)
async def test_repr_never_shows_the_api_key_even_when_tavus_echoes_it(
    client: TavusClient, http: Any, spec: Any
) -> None:
    """A key echoed back in an unknown field is redacted before the model holds it."""
    url = f"{BASE}{spec.path}/id1"
    http.get(url, payload={spec.id_field: "id1", "echo": f"your key is {API_KEY}"})

    obj = await getattr(client, spec.name).get("id1")

    assert "extra=" in repr(obj)
    assert API_KEY not in repr(obj) + str(obj) + obj.to_json()


@pytest.mark.parametrize(("model", "id_field"), FAMILY_MODELS)
def test_models_stay_slotted(model: type[Model], id_field: str) -> None:
    """Every family's model is a Model whose objects have slots and no __dict__."""
    obj = model.from_dict({id_field: "id1"})

    assert isinstance(obj, Model)
    assert not hasattr(obj, "__dict__")


class InkStatus(StatusEnum):
    WET = "wet"
    DRY = "dry"


@attrs.frozen(kw_only=True)
class Stroke(Model):
    stroke_id: str
    status: InkStatus | str | None = None
    drawn_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class Sketchbook(Model):
    sketchbook_id: str
    cover: Stroke | None = None
    strokes: tuple[Stroke, ...] | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


def test_a_model_holding_models_is_written_out_whole_and_read_back() -> None:
    """A later family's model that holds models, alone or in an array, round-trips as JSON."""
    payload = {
        "sketchbook_id": "b1",
        "cover": {"stroke_id": "c1", "status": "dry", "glossy": True},
        "strokes": [{"stroke_id": "s1", "drawn_at": 0}, {"stroke_id": "s2", "status": "smudged"}],
        "shelf": 3,
    }

    book = Sketchbook.from_dict(payload)
    written = book.to_dict()

    assert book.cover is not None
    assert book.cover.status is InkStatus.DRY
    assert book.cover.extra == {"glossy": True}
    assert written["cover"] == payload["cover"]
    assert written["strokes"] == [
        {"stroke_id": "s1", "drawn_at": "1970-01-01T00:00:00Z"},
        {"stroke_id": "s2", "status": "smudged"},
    ]
    assert written["shelf"] == 3
    assert Sketchbook.from_dict(json.loads(book.to_json())) == book
