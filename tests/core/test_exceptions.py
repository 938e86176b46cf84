"""Every exception survives pickle and copy, and the tree is the one _exceptions draws."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

import tavus_async
from tavus_async import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    Document,
    DocumentProcessingError,
    Face,
    FaceTrainingError,
    JobFailedError,
    RateLimitError,
    Replica,
    ReplicaTrainingError,
    ResponseValidationError,
    TavusError,
    Video,
    VideoGenerationError,
    VideoNotReadyError,
    WaitError,
    WaitTimeoutError,
)

VIDEO = Video(video_id="v1", status="error", status_details="It broke")
REPLICA = Replica(replica_id="r1", status="error", error_message="Too short")
DOCUMENT = Document(document_id="d1", status="error", error_message="file_empty")
FACE = Face(face_id="r1", status="error", error_message="Too short")
URL = "https://tavusapi.com/v2/videos/v1"


def one_of_each() -> list[TavusError]:
    """An instance of every exception class tavus_async exports, with its context."""
    errors: list[TavusError] = [
        TavusError("plain"),
        WaitError("plain wait"),
        APIConnectionError("lost", method="POST", url=URL, request_sent=True),
        APITimeoutError("no answer", method="GET", url=URL, request_sent=True),
        ResponseValidationError("bad", body={"a": 1}, method="GET", url=URL),
        VideoNotReadyError("not yet", video=VIDEO),
        JobFailedError("failed", job=VIDEO),
        ReplicaTrainingError("failed", job=REPLICA),
        VideoGenerationError("failed", job=VIDEO),
        DocumentProcessingError("failed", job=DOCUMENT),
        FaceTrainingError("failed", job=FACE),
        WaitTimeoutError("late", last=VIDEO, elapsed=12.5),
        WaitTimeoutError("late", last=None, elapsed=0.0),
    ]
    for name in tavus_async.__all__:
        cls = getattr(tavus_async, name)
        if isinstance(cls, type) and issubclass(cls, APIError):
            errors.append(
                cls(
                    "Invalid replica_id",
                    status=429 if cls is RateLimitError else 400,
                    method="GET",
                    url=URL,
                    body={"error": "Invalid replica_id"},
                    request_id="req-1",
                    retry_after=2.0,
                )
            )
    return errors


def state(error: BaseException) -> tuple[Any, ...]:
    return (type(error), error.args, str(error), repr(error), vars(error))


def test_every_exported_exception_class_is_covered() -> None:
    """The round-trip below builds one of every exception class that tavus_async exports."""
    exported = {
        getattr(tavus_async, name)
        for name in tavus_async.__all__
        if isinstance(getattr(tavus_async, name), type)
        and issubclass(getattr(tavus_async, name), BaseException)
    }
    assert exported == {type(error) for error in one_of_each()}


@pytest.mark.parametrize("error", one_of_each(), ids=lambda e: type(e).__name__)
def test_an_exception_survives_pickle_with_its_context(error: TavusError) -> None:
    """Pickled and loaded (another process, a task queue), an error keeps class, text and fields."""
    restored = pickle.loads(pickle.dumps(error))

    assert state(restored) == state(error)


@pytest.mark.parametrize("error", one_of_each(), ids=lambda e: type(e).__name__)
def test_an_exception_survives_copy_and_deepcopy(error: TavusError) -> None:
    """copy and deepcopy give an equal error; a deep copy's job is a copy, not the same object."""
    shallow, deep = copy.copy(error), copy.deepcopy(error)

    assert state(shallow) == state(error)
    assert state(deep) == state(error)


def test_a_failed_job_error_is_generic_over_its_job() -> None:
    """Family failures are JobFailedErrors of their job type, in the tree _exceptions draws."""
    assert issubclass(ReplicaTrainingError, JobFailedError)
    assert issubclass(FaceTrainingError, JobFailedError)
    assert issubclass(VideoGenerationError, JobFailedError)
    assert issubclass(JobFailedError, WaitError)
    assert issubclass(WaitTimeoutError, WaitError)
    assert issubclass(APITimeoutError, APIConnectionError)
    assert JobFailedError[Video] is not JobFailedError  # subscriptable for annotations
    assert VideoGenerationError("x", job=VIDEO).job.status_details == "It broke"
