"""The exceptions tavus_async raises: the tree, and nothing else.

TavusError
├── APIError                 status, message, body, method, url, request_id
│   ├── BadRequestError 400 · AuthenticationError 401 · PermissionDeniedError 403
│   ├── NotFoundError 404 · ConflictError 409 · UnprocessableEntityError 422
│   ├── RateLimitError 429 (retry_after) · ServerError 5xx
├── APIConnectionError       method, url, request_sent
│   └── APITimeoutError
├── ResponseValidationError  a body that does not fit the model
├── VideoNotReadyError       download() of a video that has no file yet; .video
└── WaitError
    ├── JobFailedError[J]    .job is the failed object
    │   ├── ReplicaTrainingError · FaceTrainingError · VideoGenerationError
    │   ├── DocumentProcessingError
    └── WaitTimeoutError[J]  .last is the last object seen, .elapsed

Turning a response into one of these is the request path's work (``_core.responses``).
Every class survives ``pickle`` and ``copy``: their constructors take their context by
keyword, so each is rebuilt from its arguments and attributes rather than called again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from yarl import URL

if TYPE_CHECKING:  # only named in quotes, as the bases' type arguments
    from .types.documents import Document  # noqa: F401
    from .types.faces import Face  # noqa: F401
    from .types.replicas import Replica  # noqa: F401
    from .types.videos import Video

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "DocumentProcessingError",
    "FaceTrainingError",
    "JobFailedError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ReplicaTrainingError",
    "ResponseValidationError",
    "ServerError",
    "TavusError",
    "UnprocessableEntityError",
    "VideoGenerationError",
    "VideoNotReadyError",
    "WaitError",
    "WaitTimeoutError",
]

J = TypeVar("J")


def path_of(url: str) -> str:
    """The path and query of ``url``: what a message needs, without the host."""
    try:
        return URL(url).path_qs or url
    except (TypeError, ValueError):
        return url


def _rebuild(cls: type[BaseException], args: tuple[Any, ...]) -> BaseException:
    """An exception of ``cls`` with ``args``, its constructor not called (see __reduce__)."""
    error = cls.__new__(cls)
    error.args = args
    return error


class TavusError(Exception):
    """Base class of every error tavus_async raises on purpose."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's own reduce calls cls(*args), which keyword-only context refuses.
        return (_rebuild, (type(self), self.args), dict(vars(self)))


class APIError(TavusError):
    """Tavus answered with a status that is not a success.

    ``message`` is Tavus's own words (read from ``error`` or ``message`` in a JSON body,
    from the text of anything else); ``body`` is the decoded JSON, or the text when the
    body was not JSON.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        method: str,
        url: str,
        body: Any = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.method = method
        self.url = url
        self.body = body
        self.request_id = request_id
        # Seconds the server asked us to wait (Retry-After), when it said.
        self.retry_after = retry_after

    def __str__(self) -> str:
        text = f"{self.status} {self.method} {path_of(self.url)}: {self.message}"
        if self.request_id:
            text += f" (request id {self.request_id})"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status}, method={self.method!r}, "
            f"url={self.url!r}, message={self.message!r})"
        )


class BadRequestError(APIError):
    """400: Tavus refused the request as malformed (for example an invalid ``replica_id``)."""


class AuthenticationError(APIError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIError):
    """403: the key is valid but may not do this."""


class NotFoundError(APIError):
    """404: no such object (or it was deleted)."""


class ConflictError(APIError):
    """409: the request conflicts with the object's current state."""


class UnprocessableEntityError(APIError):
    """422: the body was well-formed but Tavus could not act on it."""


class RateLimitError(APIError):
    """429: too many requests; ``retry_after`` says how long Tavus asked us to wait."""

    def __str__(self) -> str:
        text = super().__str__()
        if self.retry_after is not None:
            text += f"; retry after {self.retry_after:g} s"
        return text


class ServerError(APIError):
    """5xx: Tavus failed to handle the request."""


class APIConnectionError(TavusError):
    """No answer came back: the connection failed, dropped or timed out.

    ``request_sent`` is False only when the connection was never established, so the
    server cannot have acted on the request. When it is True and the request created a
    job, the job may exist: look for it (``list()``) before creating it again.
    """

    def __init__(self, message: str, *, method: str, url: str, request_sent: bool) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url
        self.request_sent = request_sent

    def __str__(self) -> str:
        return f"{self.method} {path_of(self.url)}: {self.message}"


class APITimeoutError(APIConnectionError):
    """The request did not complete within the client's ``timeout``."""


class ResponseValidationError(TavusError):
    """Tavus answered with a body that does not fit the expected model."""

    def __init__(
        self,
        message: str,
        *,
        body: Any = None,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.body = body
        self.method = method
        self.url = url

    def __str__(self) -> str:
        if self.method and self.url:
            return f"{self.method} {path_of(self.url)}: {self.message}"
        return self.message


class VideoNotReadyError(TavusError):
    """``download()`` was asked for a video that is not ready; ``video`` is how Tavus sees it."""

    def __init__(self, message: str, *, video: Video) -> None:
        super().__init__(message)
        self.video = video


class WaitError(TavusError):
    """A wait for a job did not end with the finished object."""


class JobFailedError(WaitError, Generic[J]):
    """The job ended in failure; ``job`` is the failed object as Tavus last described it."""

    def __init__(self, message: str, *, job: J) -> None:
        super().__init__(message)
        self.job = job


class WaitTimeoutError(WaitError, Generic[J]):
    """The wait's deadline passed; ``last`` is the last object seen (or None)."""

    def __init__(self, message: str, *, last: J | None, elapsed: float) -> None:
        super().__init__(message)
        self.last = last
        self.elapsed = elapsed


class ReplicaTrainingError(JobFailedError["Replica"]):
    """Replica training ended with status ``error``."""


class FaceTrainingError(JobFailedError["Face"]):
    """Face training ended with status ``error``; the message carries Tavus's
    ``error_message``."""


class VideoGenerationError(JobFailedError["Video"]):
    """Video rendering ended with status ``error`` or ``deleted``."""


class DocumentProcessingError(JobFailedError["Document"]):
    """Document processing (or a recrawl) ended with status ``error``; the message carries
    Tavus's ``error_message`` (a code such as ``file_download_failed``)."""
