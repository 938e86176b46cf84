"""Errors: which class each response maps to, what its message says, and what it never says."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from tavus_async import (
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
    Replica,
    ReplicaTrainingError,
    ResponseValidationError,
    ServerError,
    TavusClient,
    TavusError,
    UnprocessableEntityError,
    Video,
    VideoGenerationError,
    WaitError,
    WaitTimeoutError,
)

from _support.http import API_KEY, BASE, SleepRecorder, connector_error, sent, total_requests

PATH = "/v2/videos/v1"
URL = BASE + PATH
VIDEO = {"video_id": "v1", "status": "ready"}


async def get_error(sleeps: SleepRecorder) -> Exception:
    """The error ``videos.get("v1")`` raises from a client that never retries."""
    async with TavusClient(API_KEY, max_retries=0, sleep=sleeps) as tavus:
        with pytest.raises(TavusError) as caught:
            await tavus.videos.get("v1")
    return caught.value


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (418, APIError),
    ],
)
async def test_status_maps_to_its_error_class(http, sleeps, status, error_class):
    """Each unsuccessful status raises exactly its own APIError subclass, carrying the status."""
    http.get(URL, status=status, payload={"error": "nope"})

    error = await get_error(sleeps)

    assert type(error) is error_class
    assert error.status == status


async def test_redirect_is_an_api_error_and_not_followed(http, sleeps):
    """A 302 is raised as a plain APIError naming the target, and the redirect is not followed."""
    http.get(URL, status=302, headers={"Location": "https://elsewhere.example/v1"})
    http.get("https://elsewhere.example/v1", payload=VIDEO)

    error = await get_error(sleeps)

    assert type(error) is APIError
    assert error.status == 302
    assert "https://elsewhere.example/v1" in str(error)
    assert sent(http, "GET", URL)[0].kwargs["allow_redirects"] is False
    assert total_requests(http) == 1


HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><center><h1>502 Bad Gateway</h1></center><hr>nginx</body></html>"
)


@pytest.mark.parametrize(
    ("response", "message", "body"),
    [
        pytest.param(
            {"status": 400, "payload": {"error": "Invalid replica_id"}},
            "Invalid replica_id",
            {"error": "Invalid replica_id"},
            id="400-error-key",
        ),
        pytest.param(
            {"status": 401, "payload": {"message": "Invalid access token"}},
            "Invalid access token",
            {"message": "Invalid access token"},
            id="401-message-key",
        ),
        pytest.param(
            {"status": 404, "body": "video not found", "content_type": "text/plain"},
            "video not found",
            "video not found",
            id="text",
        ),
        pytest.param(
            {"status": 502, "body": HTML_PAGE, "content_type": "text/html"},
            "502 Bad Gateway",
            HTML_PAGE,
            id="html-title",
        ),
        pytest.param(
            {"status": 500, "body": "<html><body><h1>Down</h1><p>try &amp; wait</p></body></html>"},
            "Down try & wait",
            "<html><body><h1>Down</h1><p>try &amp; wait</p></body></html>",
            id="html-no-title",
        ),
        pytest.param({"status": 503, "body": ""}, "Service Unavailable", None, id="empty"),
    ],
)
async def test_message_is_tavus_own_words(http, sleeps, response, message, body):
    """The message comes from JSON error/message, a text body, an HTML page or the reason."""
    http.get(URL, **response)

    error = await get_error(sleeps)

    assert error.message == message
    assert "<" not in str(error)
    assert error.body == body


async def test_str_names_status_method_path_message_and_request_id(http, sleeps):
    """str() names status, method, path, Tavus's message and the request id; attributes match."""
    http.get(
        URL,
        status=404,
        payload={"error": "Video not found"},
        headers={"x-request-id": "req-7f3a"},
    )

    error = await get_error(sleeps)

    text = str(error)
    for part in ("404", "GET", PATH, "Video not found", "req-7f3a"):
        assert part in text
    assert "tavusapi.com" not in text
    assert error.request_id == "req-7f3a"
    assert error.method == "GET"
    assert error.url == URL
    assert error.body == {"error": "Video not found"}


async def test_rate_limit_error_says_when_to_retry(http, sleeps):
    """A 429's Retry-After is kept in ``retry_after`` and shown in str()."""
    http.get(URL, status=429, headers={"Retry-After": "120"})

    error = await get_error(sleeps)

    assert isinstance(error, RateLimitError)
    assert error.retry_after == 120.0
    assert "retry after 120 s" in str(error)


@pytest.mark.parametrize(
    "response",
    [
        pytest.param({"status": 401, "payload": {"message": f"bad key {API_KEY}"}}, id="json"),
        pytest.param({"status": 400, "payload": {"error": f"key={API_KEY} refused"}}, id="error"),
        pytest.param({"status": 403, "body": f"forbidden for {API_KEY}"}, id="text"),
        pytest.param(
            {
                "status": 500,
                "body": f"<html><title>Error {API_KEY}</title></html>",
                "content_type": "text/html",
            },
            id="html",
        ),
        pytest.param({"status": 200, "body": f"not json {API_KEY}"}, id="2xx-not-json"),
        pytest.param(
            {"status": 302, "headers": {"Location": f"https://login.example/?key={API_KEY}"}},
            id="redirect-location",
        ),
    ],
)
async def test_api_key_never_in_error(http, sleeps, response):
    """The API key is redacted from str(), repr() and body even when the server echoes it back."""
    http.get(URL, **response)

    error = await get_error(sleeps)

    assert API_KEY not in str(error)
    assert API_KEY not in repr(error)
    assert API_KEY not in str(getattr(error, "body", ""))


@pytest.mark.parametrize("charset", ["bogus", "rot13", "base64", "idna", "undefined"])
async def test_unknown_charset_still_gives_api_error(http, sleeps, charset):
    """An error page naming an unknown or non-text charset still raises a readable ServerError."""
    http.get(
        URL,
        status=500,
        body="<html><title>Oops</title></html>",
        headers={"Content-Type": f"text/html; charset={charset}"},
    )

    error = await get_error(sleeps)

    assert type(error) is ServerError
    assert error.message == "Oops"


@pytest.mark.parametrize(
    ("status", "error_class"), [(200, ResponseValidationError), (500, ServerError)]
)
async def test_deeply_nested_json_is_a_tavus_error(http, sleeps, status, error_class):
    """A body nested too deep for the JSON parser gives a TavusError, never a RecursionError."""
    http.get(URL, status=status, body="[" * 100_000, content_type="application/json")

    error = await get_error(sleeps)

    assert type(error) is error_class


async def test_key_redacted_from_a_body_that_fits_no_model(http, sleeps):
    """A 2xx JSON body that echoes the key and fits no model keeps the key out of the error."""
    http.get(URL, payload={"status": "ready", "note": f"called with {API_KEY}"})

    error = await get_error(sleeps)

    assert type(error) is ResponseValidationError
    assert API_KEY not in str(error) + repr(error) + repr(error.body)


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        pytest.param({"body": "<html>oops</html>", "content_type": "text/html"}, "not JSON"),
        pytest.param({"body": ""}, "not JSON", id="empty"),
        pytest.param({"payload": {"status": "ready"}}, "video_id", id="no-video-id"),
        pytest.param({"payload": [VIDEO]}, "Video", id="list-not-object"),
    ],
)
async def test_bad_success_body_is_response_validation_error(http, sleeps, response, reason):
    """A 2xx body that is not JSON or does not fit the model raises ResponseValidationError."""
    http.get(URL, status=200, **response)

    error = await get_error(sleeps)

    assert type(error) is ResponseValidationError
    assert str(error).startswith(f"GET {PATH}: ")
    assert reason in str(error)
    assert error.method == "GET"
    assert error.url == URL


@pytest.mark.parametrize(
    ("make_exc", "error_class", "request_sent"),
    [
        pytest.param(aiohttp.ServerDisconnectedError, APIConnectionError, True, id="disconnect"),
        pytest.param(connector_error, APIConnectionError, False, id="connect-refused"),
        pytest.param(asyncio.TimeoutError, APITimeoutError, True, id="read-timeout"),
        pytest.param(aiohttp.ConnectionTimeoutError, APITimeoutError, False, id="connect-timeout"),
    ],
)
async def test_connection_error_names_method_and_path(
    http, sleeps, make_exc, error_class, request_sent
):
    """A failed connection raises APIConnectionError/APITimeoutError naming method and path."""
    http.get(URL, exception=make_exc())

    error = await get_error(sleeps)

    assert type(error) is error_class
    assert str(error).startswith(f"GET {PATH}: ")
    assert error.method == "GET"
    assert error.url == URL
    assert error.request_sent is request_sent
    assert isinstance(error.__cause__, aiohttp.ClientError | asyncio.TimeoutError)


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        (APIError, TavusError),
        (APIConnectionError, TavusError),
        (ResponseValidationError, TavusError),
        (WaitError, TavusError),
        (APITimeoutError, APIConnectionError),
        (JobFailedError, WaitError),
        (WaitTimeoutError, WaitError),
        (ReplicaTrainingError, JobFailedError),
        (VideoGenerationError, JobFailedError),
        *[
            (cls, APIError)
            for cls in (
                BadRequestError,
                AuthenticationError,
                PermissionDeniedError,
                NotFoundError,
                ConflictError,
                UnprocessableEntityError,
                RateLimitError,
                ServerError,
            )
        ],
    ],
)
def test_error_tree(child, parent):
    """The error classes form the tree of DESIGN.md."""
    assert issubclass(child, parent)


@pytest.mark.parametrize(
    ("unrelated", "other"),
    [
        (APIError, APIConnectionError),
        (APIConnectionError, APIError),
        (ResponseValidationError, APIError),
        (WaitError, APIError),
        (WaitTimeoutError, JobFailedError),
    ],
)
def test_error_tree_branches_are_separate(unrelated, other):
    """Sibling branches of the tree do not catch each other's errors."""
    assert not issubclass(unrelated, other)


def test_wait_errors_carry_the_job():
    """JobFailedError keeps the failed job; WaitTimeoutError the last object seen and elapsed."""
    video = Video(video_id="v1", status="error")
    replica = Replica(replica_id="r1", status="training")

    failed = VideoGenerationError("rendering failed", job=video)
    timed_out = WaitTimeoutError("gave up", last=replica, elapsed=12.5)
    never_seen = WaitTimeoutError("gave up", last=None, elapsed=0.0)

    assert failed.job is video
    assert str(failed) == "rendering failed"
    assert timed_out.last is replica
    assert timed_out.elapsed == 12.5
    assert never_seen.last is None


def test_api_error_repr_names_class_status_and_message():
    """repr() of an APIError names its class, status, method, url and message."""
    error = NotFoundError("gone", status=404, method="GET", url=URL, body=None)

    text = repr(error)

    assert text == f"NotFoundError(status=404, method='GET', url='{URL}', message='gone')"


@pytest.mark.parametrize("charset", ["idna", "punycode", "undefined"])
async def test_a_success_in_an_unusable_charset_is_response_validation_error(http, sleeps, charset):
    """A 200 that is not JSON, in a charset Python cannot use on it, is still a TavusError."""
    http.get(
        URL,
        body="<html>upstream ärger</html>",
        headers={"Content-Type": f"text/html; charset={charset}"},
    )

    error = await get_error(sleeps)

    assert type(error) is ResponseValidationError


async def test_a_key_echoed_in_another_charset_is_redacted(http, sleeps):
    """A non-JSON success body in UTF-16 that echoes the key shows it redacted."""
    body = f"proxy says: bad key {API_KEY}".encode("utf-16")
    http.get(URL, body=body, headers={"Content-Type": "text/plain; charset=utf-16"})

    error = await get_error(sleeps)

    assert type(error) is ResponseValidationError
    assert "bad key" in str(error)
    assert API_KEY not in str(error) + repr(error.body)
