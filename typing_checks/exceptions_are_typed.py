"""Checked by ``mypy --strict`` in .ci/run, never run: what the error types promise to a
type checker. Each ``assert_type`` fails the type check if the SDK's typing regresses."""

from __future__ import annotations

from typing_extensions import assert_type

from tavus_async import (
    JobFailedError,
    Replica,
    ReplicaTrainingError,
    TavusClient,
    Video,
    VideoGenerationError,
    WaitOutcome,
    WaitTimeoutError,
)


def replica_failure(error: ReplicaTrainingError) -> str | None:
    """A training failure's job is a Replica: its error_message type-checks."""
    assert_type(error.job, Replica)
    return error.job.error_message


def video_failure(error: VideoGenerationError) -> str | None:
    """A rendering failure's job is a Video."""
    assert_type(error.job, Video)
    return error.job.status_details


def video_timeout(error: WaitTimeoutError[Video]) -> Video | None:
    """A video wait's timeout carries the last Video seen, or None."""
    assert_type(error.last, Video | None)
    return error.last


def outcome(done: WaitOutcome[Video]) -> Video | None:
    """wait_many's outcome for videos holds a Video."""
    assert_type(done.result, Video | None)
    return done.result


def generic(error: JobFailedError[Replica]) -> Replica:
    """JobFailedError is generic over the job type."""
    return error.job


async def families(tavus: TavusClient) -> None:
    """The client's families are typed attributes, built lazily."""
    video = await tavus.videos.get("v1")
    assert_type(video, Video)
    replica = await tavus.replicas.wait("r1")
    assert_type(replica, Replica)
