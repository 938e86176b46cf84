"""Models and the converter: timestamps, progress, statuses, unknown fields, bad bodies."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from tavus_async import (
    Replica,
    ReplicaStatus,
    ResponseValidationError,
    Video,
    VideoProperties,
    VideoStatus,
)
from tavus_async._core.convert import _parse_text, parse_timestamp, structure, unstructure_settings

UTC = timezone.utc

FULL_VIDEO: dict[str, Any] = {
    "video_id": "783537ef5",
    "video_name": "Hi Rio",
    "status": "ready",
    "replica_id": "r783537ef5",
    "data": {"script": "Hello from Tavus!"},
    "download_url": "https://cdn.tavus.example/783537ef5.mp4",
    "stream_url": "https://stream.tavus.example/783537ef5.m3u8",
    "hosted_url": "https://videos.tavus.io/video/783537ef5",
    "status_details": "Your video has been generated.",
    "generation_progress": "100/100",
    "background_url": "https://example.com",
    "background_source_url": "https://cdn.example.com/bg.mp4",
    "error_details": None,
    "created_at": "Mon, 14 Jul 2025 09:14:24 GMT",
    "updated_at": "2025-07-14T09:20:01.5Z",
    "still_image_thumbnail_url": "https://cdn.tavus.example/783537ef5.jpg",
    "gif_thumbnail_url": "https://cdn.tavus.example/783537ef5.gif",
}

FULL_REPLICA: dict[str, Any] = {
    "replica_id": "r783537ef5",
    "replica_name": "Rio",
    "status": "completed",
    "training_progress": "100/100",
    "thumbnail_video_url": "https://cdn.tavus.example/r783537ef5.mp4",
    "error_message": None,
    "created_at": "2024-08-28 15:27:40.824457",
    "updated_at": "2024-01-24T07:14:03.327Z",
    "replica_type": "user",
    "model_name": "phoenix-3",
}

TIMESTAMP_FIELDS = ("created_at", "updated_at")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-24T07:14:03.327Z", datetime(2024, 1, 24, 7, 14, 3, 327000, tzinfo=UTC)),
        ("Mon, 14 Jul 2025 09:14:24 GMT", datetime(2025, 7, 14, 9, 14, 24, tzinfo=UTC)),
        ("2024-08-28 15:27:40.824457", datetime(2024, 8, 28, 15, 27, 40, 824457, tzinfo=UTC)),
        ("2024-01-24T09:14:03+02:00", datetime(2024, 1, 24, 7, 14, 3, tzinfo=UTC)),
        ("2024-01-24T07:14:03.3Z", datetime(2024, 1, 24, 7, 14, 3, 300000, tzinfo=UTC)),
        ("2024-01-24T07:14:03.32Z", datetime(2024, 1, 24, 7, 14, 3, 320000, tzinfo=UTC)),
        ("2024-01-24T07:14:03.3271234Z", datetime(2024, 1, 24, 7, 14, 3, 327123, tzinfo=UTC)),
        ("2024-01-24 09:14:03.1234567+02:00", datetime(2024, 1, 24, 7, 14, 3, 123456, tzinfo=UTC)),
        (1706080443, datetime(2024, 1, 24, 7, 14, 3, tzinfo=UTC)),
        (1706080443.5, datetime(2024, 1, 24, 7, 14, 3, 500000, tzinfo=UTC)),
    ],
)
def test_timestamps_become_aware_utc_at_the_right_instant(text: object, expected: datetime) -> None:
    """Every timestamp form Tavus uses parses to an aware UTC datetime of the same instant."""
    parsed = parse_timestamp(text)

    assert parsed == expected
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "value", ["garbage", "", "   ", "2024-13-45", "Mon, 99 Foo", True, [], {}, float("nan"), 1e300]
)
def test_unparseable_timestamp_is_none_and_the_object_survives(value: object) -> None:
    """A timestamp in no known form becomes None; the object around it still parses."""
    video = structure({"video_id": "v1", "created_at": value, "status": "ready"}, Video)

    assert parse_timestamp(value) is None
    assert video.created_at is None
    assert video.status is VideoStatus.READY


@pytest.mark.parametrize(
    "value",
    [
        "Mon, 14 Jul 99999999999999999999 09:14:24 GMT",
        "Mon, 14 Jul 2025 09:14:24 +99999999999999999999",
    ],
)
def test_timestamp_with_absurd_numbers_is_none_not_a_failed_object(value: str) -> None:
    """An RFC 1123 date whose numbers overflow is just unparseable: None, object kept."""
    video = structure({"video_id": "v1", "created_at": value}, Video)

    assert video.created_at is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42/100", 0.42),
        ("100/100", 1.0),
        ("0/100", 0.0),
        (" 7/10 ", 0.7),
        ("150/100", 1.0),
        ("-5/100", 0.0),
        (None, None),
        ("garbage", None),
        ("0/0", None),
        ("1/0", None),
        ("nan/1", None),
        ("", None),
    ],
)
def test_progress_is_a_clamped_fraction_or_none(raw: str | None, expected: float | None) -> None:
    """training_progress and generation_progress read as a fraction in [0, 1], else None."""
    replica = structure({"replica_id": "r1", "training_progress": raw}, Replica)
    video = structure({"video_id": "v1", "generation_progress": raw}, Video)

    for progress in (replica.progress, video.progress):
        if expected is None:
            assert progress is None
        else:
            assert progress == pytest.approx(expected)
            assert 0.0 <= progress <= 1.0


def test_unknown_fields_survive_in_extra_without_duplicating_known_ones() -> None:
    """Fields this version does not know, even one named "extra", are kept in .extra only."""
    payload = {
        "replica_id": "r1",
        "status": "training",
        "finetune_status": "pending",
        "face_id": "f42",
        "extra": {"nested": [1, 2]},
    }

    replica = structure(payload, Replica)

    assert replica.extra == {
        "finetune_status": "pending",
        "face_id": "f42",
        "extra": {"nested": [1, 2]},
    }
    assert replica.extra["face_id"] == "f42"
    assert replica.status is ReplicaStatus.TRAINING


@pytest.mark.parametrize(
    ("model", "payload", "member"),
    [
        (Replica, {"replica_id": "r1", "status": "completed"}, ReplicaStatus.COMPLETED),
        (Replica, {"replica_id": "r1", "status": "ready"}, ReplicaStatus.READY),
        (Video, {"video_id": "v1", "status": "ready"}, VideoStatus.READY),
        (Video, {"video_id": "v1", "status": "generating"}, VideoStatus.GENERATING),
    ],
)
def test_known_status_words_become_enum_members(
    model: type[Any], payload: dict[str, Any], member: Any
) -> None:
    """A known status word becomes its enum member, which equals the plain word."""
    obj = structure(payload, model)

    assert obj.status is member
    assert obj.status == payload["status"]


@pytest.mark.parametrize(
    ("model", "payload"),
    [
        (Replica, {"replica_id": "r1", "status": "finetuning"}),
        (Video, {"video_id": "v1", "status": "rendering-hd"}),
    ],
)
def test_unknown_status_word_is_kept_as_plain_string(
    model: type[Any], payload: dict[str, Any]
) -> None:
    """An unknown status word is kept as it came, a str and not an enum member."""
    obj = structure(payload, model)

    assert obj.status == payload["status"]
    assert type(obj.status) is str


def test_status_members_print_as_their_word() -> None:
    """str() of a status member is the word Tavus uses."""
    assert str(ReplicaStatus.READY) == "ready"
    assert str(VideoStatus.GENERATING) == "generating"
    assert f"{ReplicaStatus.COMPLETED}" == "completed"


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"video_name": "no id"}, "video_id"),
        ([{"video_id": "v1"}], "list"),
        ({"video_id": {"nested": "v1"}}, "video_id"),
        ({"video_id": "v1", "status": ["ready"]}, "status"),
        ({"video_id": "v1", "data": ["script"]}, "data"),
    ],
)
def test_bad_bodies_raise_response_validation_error_naming_the_field(
    payload: object, path: str
) -> None:
    """A body that does not fit raises ResponseValidationError naming what did not fit."""
    with pytest.raises(ResponseValidationError) as caught:
        structure(payload, Video, method="GET", url="https://tavusapi.com/v2/videos/v1")

    assert path in str(caught.value)
    assert caught.value.body == payload
    assert caught.value.method == "GET"


def test_models_are_frozen() -> None:
    """Assigning to a model's field raises FrozenInstanceError."""
    video = Video(video_id="v1")
    replica = Replica(replica_id="r1")

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        video.status = VideoStatus.READY  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        replica.replica_name = "Rio"  # type: ignore[misc]


def test_models_are_hashable_even_with_dict_fields() -> None:
    """Models with data, error_details and extra dicts still hash and work as set members."""
    video = structure({**FULL_VIDEO, "error_details": {"code": [1]}, "face_id": {"a": 1}}, Video)
    replica = structure({**FULL_REPLICA, "finetune_status": {"x": []}}, Replica)

    assert hash(video) == hash(structure(dict(FULL_VIDEO), Video))
    assert len({video, replica}) == 2


@pytest.mark.parametrize(("model", "obj_id"), [(Video, "v1"), (Replica, "r1")])
def test_models_are_keyword_only(model: type[Any], obj_id: str) -> None:
    """Models refuse positional arguments."""
    with pytest.raises(TypeError):
        model(obj_id)


def test_unstructure_settings_leaves_unset_fields_out() -> None:
    """Settings become JSON with only the fields that were set, False included."""
    props = VideoProperties(background_scroll=False, background_scroll_type="smooth")

    assert unstructure_settings(props) == {
        "background_scroll": False,
        "background_scroll_type": "smooth",
    }
    assert unstructure_settings(VideoProperties()) == {}


@pytest.mark.parametrize(("model", "payload"), [(Video, FULL_VIDEO), (Replica, FULL_REPLICA)])
def test_every_documented_field_is_an_attribute_of_the_same_name(
    model: type[Any], payload: dict[str, Any]
) -> None:
    """A full documented object parses with each field as an attribute holding its value."""
    obj = structure(payload, model)

    for name, value in payload.items():
        if name in TIMESTAMP_FIELDS:
            assert getattr(obj, name) == parse_timestamp(value)
            assert getattr(obj, name) is not None
        else:
            assert getattr(obj, name) == value, name
    assert obj.extra == {}
    assert obj.progress == 1.0
    assert obj.status == payload["status"]


_KEYS = [a.name for a in attrs.fields(Video)] + ["face_id", "x", ""]
_WORDS = ["ready", "queued", "finetuning", "42/100", "2024-01-24T07:14:03.327Z", "", "v1"]


def _json_value(rng: random.Random, depth: int) -> Any:
    kind = rng.randrange(9 if depth < 3 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.choice([0, -1, 42, 2**70, -(2**70), rng.randint(-(10**12), 10**12)])
    if kind == 3:
        return rng.choice([0.5, -1e300, 1e300, float("nan"), float("inf"), rng.uniform(-1e9, 1e9)])
    if kind in (4, 5):
        return rng.choice([*_WORDS, "".join(chr(rng.randrange(32, 0x2FF)) for _ in range(6))])
    if kind in (6, 7):
        return {rng.choice(_KEYS): _json_value(rng, depth + 1) for _ in range(rng.randrange(5))}
    return [_json_value(rng, depth + 1) for _ in range(rng.randrange(4))]


def _video_payload(rng: random.Random) -> Any:
    if rng.random() < 0.15:
        return _json_value(rng, 1)
    payload = {rng.choice(_KEYS): _json_value(rng, 1) for _ in range(rng.randrange(8))}
    if rng.random() < 0.7:
        payload["video_id"] = rng.choice(["v1", "783537ef5", 7])
    return payload


@pytest.mark.parametrize("seed", range(4))
def test_random_payloads_give_a_video_or_response_validation_error(seed: int) -> None:
    """Any JSON-ish payload gives a well-formed Video or ResponseValidationError, nothing else."""
    rng = random.Random(seed)
    known = {a.name for a in attrs.fields(Video)}

    for _ in range(300):
        payload = _video_payload(rng)
        try:
            video = structure(payload, Video)
        except ResponseValidationError:
            continue
        assert isinstance(video, Video)
        assert isinstance(video.video_id, str)
        assert video.status is None or isinstance(video.status, str)
        assert video.progress is None or 0.0 <= video.progress <= 1.0
        for stamp in (video.created_at, video.updated_at):
            assert stamp is None or stamp.utcoffset() == timedelta(0)
        assert not (set(video.extra) & (known - {"extra"}))
        hash(video)


def test_extra_keeps_the_order_the_body_gave() -> None:
    """Unknown fields stay in the body's order, so JSON output is the same on every run."""
    names = [f"field_{n}" for n in random.Random(5).sample(range(1000), 40)]
    video = structure({"video_id": "v1", **dict.fromkeys(names, 1)}, Video)
    assert list(video.extra) == names


def test_only_short_timestamp_texts_are_remembered() -> None:
    """A junk timestamp a megabyte long parses to None and is not kept in memory."""
    _parse_text.cache_clear()
    remember = _parse_text.cache_info().currsize
    junk = "2024-01-24T07:14:03Z" + " x" * 500_000
    assert structure({"video_id": "v1", "updated_at": junk}, Video).updated_at is None
    assert _parse_text.cache_info().currsize == remember
    assert parse_timestamp("2031-05-06T07:08:09Z") == datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert _parse_text.cache_info().currsize == remember + 1
