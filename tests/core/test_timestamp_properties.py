"""Properties of timestamp parsing: any value gives None or an aware UTC datetime, never a crash.

Timestamps in every form Tavus uses (ISO 8601 with any fraction and offset, RFC 1123,
epoch seconds) parse to the instant they name; anything else gives None and leaves the
object around it parsed. The strategies are in _support/json_strategies.py.
"""

from __future__ import annotations

import email.utils
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import assume, example, given
from hypothesis import strategies as st

from tavus_async._core.convert import parse_timestamp, structure

from _support.json_strategies import (
    BIGGEST_JSON_INT,
    FIXED,
    ID_FIELD,
    MODELS,
    TIMESTAMP_FIELDS,
    instants,
    is_aware_utc,
    known_fields,
    timestamp_values,
)

UTC = timezone.utc


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
    assume(field in known_fields(cls))  # a model may have created_at only
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
def test_timestamps_round_trip_through_to_dict(moment: datetime, cls: type[Any]) -> None:
    """A timestamp written by to_dict reads back as the same instant, to the µs."""
    obj = structure({ID_FIELD[cls]: "id1", "created_at": moment.isoformat()}, cls)

    written = obj.to_dict()["created_at"]

    assert written.endswith("Z")
    assert parse_timestamp(written) == moment
    assert structure(obj.to_dict(), cls) == obj
