"""What an answer means: a response that is not a success as its APIError, and the one
rule for "this request may have acted" (a POST whose answer was lost or unreadable).
"""

from __future__ import annotations

import html
import http
import json
import re
from collections.abc import Mapping
from typing import Any

from .._exceptions import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
)
from .models import mask_secret_text, mask_secrets

__all__ = [
    "ACTING_METHODS",
    "REDACTED",
    "error_from_response",
    "may_have_acted",
    "request_id_of",
    "unsettled_hint",
]

REDACTED = "[redacted]"
#: Requests that make something at Tavus (a billed job): never sent twice blindly.
ACTING_METHODS = frozenset({"POST"})

# Headers that proxies and API gateways use to name a request; the first one present wins.
_REQUEST_ID_HEADERS = ("x-request-id", "x-amzn-requestid", "x-amz-cf-id", "cf-ray")
_MESSAGE_LIMIT = 300

_ERRORS_BY_STATUS: Mapping[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def request_id_of(headers: Mapping[str, str]) -> str | None:
    """The id a proxy or gateway gave the request, from the first header that names one."""
    return next((headers[h] for h in _REQUEST_ID_HEADERS if h in headers), None)


def may_have_acted(error: BaseException) -> bool:
    """Whether the request that ended in ``error`` may have been carried out all the same.

    True when the request reached Tavus and its answer was lost (a dropped connection, a
    timeout), unreadable (Tavus said yes: it did act) or a 5xx/408 that may come after the
    work was done. A refusal (4xx), a 429 and a connection never made did nothing.
    """
    if isinstance(error, APIConnectionError):
        return error.request_sent
    if isinstance(error, ResponseValidationError):
        return True
    return isinstance(error, APIError) and (error.status >= 500 or error.status == 408)


def unsettled_hint(error: BaseException, *, method: str = "POST") -> str:
    """What a caller must know after ``error`` ended a request that makes a job (a POST), or
    a change that must not be sent twice (any other ``method``)."""
    if method not in ACTING_METHODS:
        return (
            "; the request was sent and may have been applied, so it was not retried "
            "(applied twice, it would change more): get the object to see before sending "
            "it again"
        )
    if isinstance(error, ResponseValidationError):
        return (
            "; Tavus accepted the create, so the job exists (and is billed): find it with "
            "list() rather than creating it again"
        )
    return (
        "; the request was sent and may have created a job at Tavus, so it was not "
        "retried: look for the job (list()) before creating it again"
    )


def _tavus_message(body: Any, text: str, status: int) -> str:
    """Tavus's own words from an error body, readable whatever the body was."""
    if isinstance(body, Mapping):
        for key in ("error", "message", "detail", "error_message"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
            if isinstance(value, Mapping) and isinstance(value.get("message"), str):
                return str(value["message"]).strip()
    if isinstance(body, (Mapping, list)):  # JSON whose words were not found: shown masked
        text = json.dumps(mask_secrets(body))
    else:
        text = mask_secret_text(text)
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
    request_id = request_id_of(headers)
    return error_class(
        message,
        status=status,
        method=method,
        url=url,
        body=body,
        request_id=request_id,
        retry_after=retry_after,
    )
