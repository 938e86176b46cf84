"""tavus_async: an async-first client for the Tavus Replicas and Videos API."""

from ._client import DEFAULT_BASE_URL, TavusClient
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    JobFailedError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ReplicaTrainingError,
    ResponseValidationError,
    ServerError,
    TavusError,
    UnprocessableEntityError,
    VideoGenerationError,
    VideoNotReadyError,
    WaitError,
    WaitTimeoutError,
)
from ._models import Replica, ReplicaProperties, ReplicaStatus, Video, VideoProperties, VideoStatus
from ._pagination import Page
from ._version import __version__
from .waiters import PollPolicy, WaitOutcome

__all__ = [
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "JobFailedError",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "PollPolicy",
    "RateLimitError",
    "Replica",
    "ReplicaProperties",
    "ReplicaStatus",
    "ReplicaTrainingError",
    "ResponseValidationError",
    "ServerError",
    "TavusClient",
    "TavusError",
    "UnprocessableEntityError",
    "Video",
    "VideoGenerationError",
    "VideoNotReadyError",
    "VideoProperties",
    "VideoStatus",
    "WaitError",
    "WaitOutcome",
    "WaitTimeoutError",
    "__version__",
]
