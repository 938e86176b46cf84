"""The converter's properties: Hypothesis strategies for the JSON a server could send, and checks.

Hypothesis draws the JSON a server could send (huge numbers, NaN and infinities that
``json.loads`` accepts, deep nesting, text of any shape, timestamps in every shape Tavus
uses and broken ones). ``FIXED`` makes runs derandomized, with no example database, so
every run tries the same cases. core/test_convert_properties.py and
core/test_timestamp_properties.py use them.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tavus_async import (
    CanvasInteraction,
    Conversation,
    ConversationStatus,
    Deployment,
    Document,
    DocumentStatus,
    Face,
    FaceStatus,
    Guardrail,
    Objectives,
    Pal,
    Persona,
    PronunciationDictionary,
    Replica,
    ReplicaStatus,
    ResponseValidationError,
    Transcription,
    Video,
    VideoStatus,
    Voice,
)
from tavus_async._client import families
from tavus_async._core.convert import structure
from tavus_async._core.paging import Page

# Reproducible and quick: the same examples on every run, no files written, no timing flakes.
FIXED = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
)

MODELS: tuple[type[Any], ...] = (
    Video,
    Replica,
    Persona,
    Conversation,
    Document,
    PronunciationDictionary,
    Guardrail,
    Objectives,
    Face,
    Pal,
    Deployment,
    CanvasInteraction,
    Transcription,
)
# Every family's id field, read from the registry: model_objects draws any family's objects.
ID_FIELD: dict[type[Any], str] = {spec.model: spec.id_field for spec in families()}
# The page types the resources' list calls structure into (see resources/_base.py).
PAGE_TYPES: tuple[Any, ...] = (
    Page[Video],
    Page[Replica],
    Page[Persona],
    Page[Conversation],
    Page[Document],
    Page[PronunciationDictionary],
    Page[Voice],
    Page[Guardrail],
    Page[Objectives],
    Page[Face],
    Page[Pal],
    Page[Deployment],
    Page[CanvasInteraction],
    Page[Transcription],
)
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


STATUS_WORDS = sorted(
    {
        m.value
        for m in (*VideoStatus, *ReplicaStatus, *ConversationStatus, *DocumentStatus, *FaceStatus)
    }
    | {"finetuning", ""}
)
# What Tavus puts in its text fields: text, a status word, a number, or null.
text_values = st.one_of(
    st.none(), st.text(max_size=12), st.sampled_from(STATUS_WORDS), json_numbers
)
id_values = st.one_of(st.text(max_size=12), json_numbers)
stranger_keys = st.one_of(
    st.sampled_from(["extra", "likeness_id", "", "Video_ID"]), st.text(max_size=8)
)


# A persona's lists of strings, and its layers: known layers (and one that is not) holding
# text under keys that are text fields where they are known, and unknown keys elsewhere.
LIST_FIELDS = (
    "allowed_origins",
    "document_ids",
    "document_tags",
    "guardrail_ids",
    "guardrail_tags",
    "tags",
    "crawled_urls",
    "output_variables",
    "next_required_objectives",
)
# A document's whole numbers (its progress is Tavus's percentage) and its crawl settings.
COUNT_FIELDS = (
    "progress",
    "crawl_count",
    "depth",
    "max_pages",
    "usage_total",
    "usage_today",
    "max_call_duration",
    "daily_call_limit_per_user",
)
#: Fields that hold a JSON object kept as sent (a deployment's, a canvas interaction's).
OBJECT_FIELDS = ("customization", "metadata")
#: Fields that hold a boolean.
FLAG_FIELDS = ("app_message", "has_password", "show_tavus_branding", "is_available")
#: Where a field named ``data`` holds a list of objects (a set's items), not one object.
LISTED_DATA = ("GuardrailSet", "Objectives")
OBJECTIVE_KEYS = ("objective_name", "objective_prompt", "confirmation_mode", "callback_url")
LAYER_NAMES = ("perception", "stt", "conversational_flow", "llm", "tts", "transport")
LAYER_KEYS = ("model", "api_key", "stt_engine", "hotwords", "tts_engine", "perception_model")
# No NaN in a layer: a model holding one never equals its round-tripped copy.
layer_values = st.one_of(
    st.none(), st.text(max_size=12), st.sampled_from(STATUS_WORDS), json_numbers_without_nan
)
layers = st.dictionaries(
    st.sampled_from(LAYER_NAMES),
    st.dictionaries(
        st.one_of(st.sampled_from(LAYER_KEYS), stranger_keys), layer_values, max_size=3
    ),
    max_size=3,
)


rule_objects = st.fixed_dictionaries(
    {},
    optional={
        "text": text_values,
        "pronunciation": text_values,
        "type": st.one_of(st.sampled_from(["alias", "ipa"]), text_values),
        "case_sensitive": st.booleans(),
        "word_boundaries": st.booleans(),
    },
)


def field_values(
    name: str, anything: st.SearchStrategy[Any], model: type[Any] | None = None
) -> st.SearchStrategy[Any]:
    """Values of the kind a model's field holds (timestamps of any shape at all)."""
    if name in TIMESTAMP_FIELDS:
        return st.one_of(st.none(), timestamp_text, json_numbers, anything)
    if name == "data" and model is not None and model.__name__ in LISTED_DATA:
        item = st.dictionaries(
            st.one_of(st.sampled_from(OBJECTIVE_KEYS), stranger_keys), text_values, max_size=3
        )
        return st.one_of(st.none(), st.lists(item, max_size=3))
    if name == "next_conditional_objectives":
        return st.one_of(st.none(), st.dictionaries(st.text(max_size=8), st.text(max_size=8)))
    if name in FLAG_FIELDS:
        return st.one_of(st.none(), st.booleans())
    if name in OBJECT_FIELDS:
        return st.one_of(st.none(), st.dictionaries(st.text(max_size=8), anything, max_size=3))
    if name == "value":  # a canvas interaction's answer: any JSON
        return anything
    if name in ("limits", "captcha"):  # a deployment's: typed objects, unknown keys kept
        keys = ("max_call_duration", "daily_call_limit_per_user")
        known = st.fixed_dictionaries({}, optional={k: field_values(k, anything) for k in keys})
        return st.one_of(st.none(), known)
    if name == "data":
        return st.one_of(st.none(), st.dictionaries(st.text(max_size=8), anything, max_size=3))
    if name == "error_details":
        return anything
    if name in LIST_FIELDS:
        return st.one_of(st.none(), st.lists(st.text(max_size=8), max_size=3))
    if name == "layers":
        return st.one_of(st.none(), layers)
    if name in COUNT_FIELDS:
        return st.one_of(st.none(), st.integers(0, 100), st.sampled_from([10**30, -1]))
    if name == "last_crawled_at":
        return field_values("created_at", anything)
    if name in ("crawl_config", "properties"):
        settings = st.fixed_dictionaries(
            {},
            optional={k: field_values(k, anything) for k in ("depth", "max_pages")},
        )
        others = st.dictionaries(st.text(max_size=8), anything, max_size=2)
        return st.one_of(st.none(), st.builds(lambda a, b: {**b, **a}, settings, others))
    if name == "rules":  # a pronunciation dictionary's
        return st.one_of(st.none(), st.lists(rule_objects, max_size=3))
    if name == "rules_count":
        return st.one_of(st.none(), st.integers(min_value=0, max_value=10**6))
    if name == "events":  # a conversation's: objects of the events' shape, any event_type
        return st.one_of(st.none(), st.lists(event_objects(anything), max_size=3))
    return text_values


EVENT_TYPES = st.one_of(
    st.sampled_from(
        [
            "system.replica_joined",
            "system.shutdown",
            "application.transcription_ready",
            "application.recording_ready",
            "application.perception_analysis",
        ]
    ),
    text_values,
)


def event_objects(anything: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A conversation event as Tavus sends it: its envelope, properties of any JSON."""
    return st.fixed_dictionaries(
        {},
        optional={
            "conversation_id": text_values,
            "event_type": EVENT_TYPES,
            "message_type": text_values,
            "timestamp": st.one_of(st.none(), timestamp_text),
            "properties": st.one_of(
                st.none(), st.dictionaries(st.text(max_size=8), anything, max_size=3)
            ),
            "seq": anything,
        },
    )


def model_objects(
    model: type[Any], *, anything: st.SearchStrategy[Any] = any_json, wild: bool
) -> st.SearchStrategy[dict[str, Any]]:
    """JSON objects of the model's field names, some left out, plus unknown keys.

    With ``wild``, any field (the id too) may hold any JSON value at all; otherwise each
    field holds a value of its kind and the id is always there, so the object parses.
    """

    def value_of(name: str) -> st.SearchStrategy[Any]:
        return (
            st.one_of(field_values(name, anything, model), anything)
            if wild
            else field_values(name, anything, model)
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
        moment = getattr(obj, name, None)  # a model may have created_at only
        assert moment is None or is_aware_utc(moment), (name, moment)
    status, progress = getattr(obj, "status", None), getattr(obj, "progress", None)
    assert status is None or isinstance(status, str)
    if isinstance(progress, float):  # the SDK's fractions; an int is Tavus's percentage
        assert 0.0 <= progress <= 1.0
    if isinstance(payload, dict):
        assert obj.extra == {k: v for k, v in payload.items() if k not in known}
