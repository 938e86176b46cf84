"""The exceptions tavus_async raises, and how an HTTP response becomes one.

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
    ├── JobFailedError       .job is the failed object
    │   ├── ReplicaTrainingError · VideoGenerationError
    └── WaitTimeoutError     .last is the last object seen, .elapsed
"""

from __future__ import annotations

import html
import http
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from yarl import URL

if TYPE_CHECKING:
    from ._models import Replica, Video

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
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

# Headers that proxies and API gateways use to name a request; the first one present wins.
_REQUEST_ID_HEADERS = ("x-request-id", "x-amzn-requestid", "x-amz-cf-id", "cf-ray")
_MESSAGE_LIMIT = 300
REDACTED = "[redacted]"


def path_of(url: str) -> str:
    """The path and query of ``url``: what a log line needs, without the host."""
    try:
        return URL(url).path_qs or url
    except (TypeError, ValueError):
        return url


class TavusError(Exception):
    """Base class of every error tavus_async raises on purpose."""


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
    """404: no such replica or video (or it was deleted)."""


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


_ERRORS_BY_STATUS: Mapping[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


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
    """A wait for a replica or video did not end with the finished object."""


class JobFailedError(WaitError):
    """The job ended in failure; ``job`` is the failed object as Tavus last described it."""

    def __init__(self, message: str, *, job: Replica | Video) -> None:
        super().__init__(message)
        self.job = job


class ReplicaTrainingError(JobFailedError):
    """Replica training ended with status ``error``."""


class VideoGenerationError(JobFailedError):
    """Video rendering ended with status ``error`` or ``deleted``."""


class WaitTimeoutError(WaitError):
    """The wait's deadline passed; ``last`` is the last object seen (or None)."""

    def __init__(self, message: str, *, last: Replica | Video | None, elapsed: float) -> None:
        super().__init__(message)
        self.last = last
        self.elapsed = elapsed


def _tavus_message(body: Any, text: str, status: int) -> str:
    """Tavus's own words from an error body, readable whatever the body was."""
    if isinstance(body, Mapping):
        for key in ("error", "message", "detail", "error_message"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
            if isinstance(value, Mapping) and isinstance(value.get("message"), str):
                return str(value["message"]).strip()
    if text.strip():
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        readable = title.group(1) if title else re.sub(r"<[^>]+>", " ", text)
        readable = " ".join(html.unescape(readable).split())
        if readable:
            if len(readable) > _MESSAGE_LIMIT:
                readable = readable[: _MESSAGE_LIMIT - 1] + "…"
            return readable
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def error_from_response(
    *,
    status: int,
    text: str,
    headers: Mapping[str, str],
    method: str,
    url: str,
    retry_after: float | None,
    secret: str,
) -> APIError:
    """The APIError that describes an unsuccessful response, with ``secret`` blotted out.

    The API key should never come back from Tavus, but if a body or a redirect echoes
    it, it must not reach an error message, a log line or a traceback.
    """
    text = text.replace(secret, REDACTED)
    body: Any
    try:
        body = json.loads(text) if text else None
    except (ValueError, RecursionError):
        body = text
    if 300 <= status < 400:
        location = headers.get("Location", "").replace(secret, REDACTED)
        # Redirects are never followed: the x-api-key header would travel with them.
        message = f"unexpected redirect to {location or 'an unnamed location'} (not followed)"
    else:
        message = _tavus_message(body, text, status)
    error_class = _ERRORS_BY_STATUS.get(status, ServerError if status >= 500 else APIError)
    request_id = next((headers[h] for h in _REQUEST_ID_HEADERS if h in headers), None)
    return error_class(
        message,
        status=status,
        method=method,
        url=url,
        body=body,
        request_id=request_id,
        retry_after=retry_after,
    )
