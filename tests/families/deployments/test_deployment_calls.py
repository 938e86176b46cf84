"""deployments calls against mocks of Tavus's documented answers."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from tavus_async import (
    DeploymentCaptcha,
    DeploymentLimits,
    PatchOperation,
    TavusClient,
)

from _support.http import API_KEY, BASE, sent, total_requests

DEPLOYMENTS = f"{BASE}/v2/deployments"
ITEM = f"{DEPLOYMENTS}/d1234567890abcdef"
# Tavus's Create Deployment answer example (its placeholders made concrete).
DOCS_DEPLOYMENT: dict[str, Any] = {
    "deployment_id": "d1234567890abcdef",
    "pal_id": "pcb7a34da5fe",
    "name": "Support",
    "has_password": True,
    "customization": {"theme": "dark"},
    "replica_thumbnail_video_url": "https://cdn.tavus.io/t.mp4",
    "thumbnail_video_url": "https://cdn.tavus.io/t.mp4",
    "thumbnail_image_url": "https://cdn.tavus.io/t.jpg",
    "limits": {"max_call_duration": 600, "daily_call_limit_per_user": 3},
    "allowed_origins": ["https://example.com"],
    "usage_total": 123,
    "usage_today": 4,
    "created_at": "2023-11-07T05:31:56Z",
    "updated_at": "2023-11-07T05:31:56Z",
}
# The public init answer, with every field the reference names.
DOCS_INIT: dict[str, Any] = {
    "deployment_id": "d1234567890abcdef",
    "channel": "widget",
    "customization": {},
    "has_password": False,
    "thumbnail_video_url": "https://cdn.tavus.io/t.mp4",
    "thumbnail_image_url": "https://cdn.tavus.io/t.jpg",
    "replica_thumbnail_video_url": "https://cdn.tavus.io/t.mp4",
    "show_tavus_branding": True,
    "limits": {"max_call_duration": 600, "daily_call_limit_per_user": 3},
    "captcha": {"provider": "turnstile", "site_key": "0x4AAA", "challenge_path": "/c",
                "action": "start"},
    "is_available": False,
    "unavailable_reason": "daily_limit_reached",
}  # fmt: skip
# Start answers with Create Conversation's fields.
DOCS_STARTED: dict[str, Any] = {
    "conversation_id": "c123456",
    "conversation_name": "Support conversation",
    "conversation_url": "https://tavus.daily.co/c123456",
    "status": "active",
    "callback_url": None,
    "created_at": "2026-06-10T14:30:45Z",
    "meeting_token": "eyJ-token",
}


async def test_create_sends_every_given_field_and_reads_the_deployment(
    client: TavusClient, http: Any
) -> None:
    """create posts exactly the fields given, typed limits as JSON, and reads Tavus's answer."""
    http.post(DEPLOYMENTS, payload=DOCS_DEPLOYMENT)

    created = await client.deployments.create(
        pal_id="pcb7a34da5fe",
        channel="widget",
        name="Support",
        password="s3cret",
        customization={"theme": "dark"},
        limits=DeploymentLimits(max_call_duration=600, extra={"new_limit": 1}),
        allowed_origins=["https://example.com"],
    )

    (call,) = sent(http, "POST", DEPLOYMENTS)
    assert call.kwargs["json"] == {
        "pal_id": "pcb7a34da5fe",
        "channel": "widget",
        "name": "Support",
        "password": "s3cret",
        "customization": {"theme": "dark"},
        "limits": {"max_call_duration": 600, "new_limit": 1},
        "allowed_origins": ["https://example.com"],
    }
    assert created.deployment_id == "d1234567890abcdef"
    assert created.limits == DeploymentLimits(max_call_duration=600, daily_call_limit_per_user=3)
    assert created.allowed_origins == ("https://example.com",)
    assert (created.usage_total, created.has_password) == (123, True)
    assert created.created_at == datetime(2023, 11, 7, 5, 31, 56, tzinfo=timezone.utc)


async def test_create_sends_only_what_is_given_and_accepts_new_channels(
    client: TavusClient, http: Any
) -> None:
    """Without options only pal_id and channel go; a channel Tavus adds later is sent."""
    http.post(DEPLOYMENTS, payload={"deployment_id": "d1", "channel": "kiosk", "owner": 7})

    created = await client.deployments.create(pal_id="p1", channel="kiosk")

    (call,) = sent(http, "POST", DEPLOYMENTS)
    assert call.kwargs["json"] == {"pal_id": "p1", "channel": "kiosk"}
    assert (created.channel, created.extra) == ("kiosk", {"owner": 7})


@pytest.mark.parametrize(
    ("arguments", "error", "named"),
    [
        ({"pal_id": "p/1", "channel": "widget"}, ValueError, "pal_id"),
        ({"pal_id": "p1", "channel": " "}, ValueError, "channel"),
        ({"pal_id": "p1", "channel": "widget", "name": 5}, TypeError, "name"),
        ({"pal_id": "p1", "channel": "widget", "customization": ["x"]}, TypeError, "customization"),
        ({"pal_id": "p1", "channel": "widget", "limits": 600}, TypeError, "limits"),
        ({"pal_id": "p1", "channel": "widget", "allowed_origins": "https://a"}, TypeError,
         "allowed_origins"),
        ({"pal_id": "p1", "channel": "widget", "allowed_origins": [1]}, TypeError,
         r"allowed_origins\[0\]"),
    ],
)  # fmt: skip
async def test_bad_create_input_fails_before_any_request(
    client: TavusClient, http: Any, arguments: dict[str, Any], error: type, named: str
) -> None:
    """A malformed argument is refused before any request, naming it."""
    with pytest.raises(error, match=named):
        await client.deployments.create(**arguments)

    assert total_requests(http) == 0


async def test_list_sends_paging_and_reads_the_page(client: TavusClient, http: Any) -> None:
    """list sends limit and page and reads data and total_count."""
    http.get(f"{DEPLOYMENTS}?limit=5&page=1", payload={"data": [DOCS_DEPLOYMENT], "total_count": 6})

    page = await client.deployments.list(limit=5, page=1)

    assert [d.deployment_id for d in page] == ["d1234567890abcdef"]
    assert page.total_count == 6


async def test_update_patches_with_if_match_and_reads_an_echo(
    client: TavusClient, http: Any
) -> None:
    """update PATCHes the operations, sends If-Match, and returns the echoed deployment."""
    http.patch(ITEM, payload={**DOCS_DEPLOYMENT, "name": "Help"})

    updated = await client.deployments.update(
        "d1234567890abcdef",
        [PatchOperation(op="replace", path="/name", value="Help")],
        if_match='"v7"',
    )

    (call,) = sent(http, "PATCH", ITEM)
    assert call.kwargs["json"] == [{"op": "replace", "path": "/name", "value": "Help"}]
    assert call.kwargs["headers"]["If-Match"] == '"v7"'
    assert updated is not None
    assert updated.name == "Help"


async def test_update_answered_without_the_object_returns_none(
    client: TavusClient, http: Any
) -> None:
    """A 304, or a body without the deployment, is success and returns None."""
    http.patch(ITEM, status=304)
    http.patch(ITEM, payload={"message": "Deployment updated"})
    operations = [{"op": "replace", "path": "/name", "value": "x"}]

    assert await client.deployments.update("d1234567890abcdef", operations) is None
    assert await client.deployments.update("d1234567890abcdef", operations) is None


async def test_get_and_delete_use_the_item_path(client: TavusClient, http: Any) -> None:
    """get reads the deployment; delete sends DELETE to the same path."""
    http.get(ITEM, payload=DOCS_DEPLOYMENT)
    http.delete(ITEM, status=204)

    assert (await client.deployments.get("d1234567890abcdef")).name == "Support"
    await client.deployments.delete("d1234567890abcdef")

    assert len(sent(http, "DELETE", ITEM)) == 1


async def test_init_reads_the_public_configuration(client: TavusClient, http: Any) -> None:
    """init GETs .../init and reads every documented field, captcha and limits typed."""
    http.get(f"{ITEM}/init", payload=DOCS_INIT)

    init = await client.deployments.init("d1234567890abcdef")

    assert init.captcha == DeploymentCaptcha(
        provider="turnstile", site_key="0x4AAA", challenge_path="/c", action="start"
    )
    assert init.limits == DeploymentLimits(max_call_duration=600, daily_call_limit_per_user=3)
    assert (init.is_available, init.unavailable_reason) == (False, "daily_limit_reached")
    assert init.show_tavus_branding is True


async def test_start_conversation_sends_the_given_fields(client: TavusClient, http: Any) -> None:
    """start posts exactly the fields given and reads the conversation it started."""
    http.post(f"{ITEM}/start", payload=DOCS_STARTED)

    started = await client.deployments.start_conversation(
        "d1234567890abcdef",
        password="s3cret",
        conversational_context="On the pricing page.",
        custom_greeting="Hi!",
        pal_id="p2",
        memory_stores=["visitor_42"],
        captcha_token="tok",
    )

    (call,) = sent(http, "POST", f"{ITEM}/start")
    assert call.kwargs["json"] == {
        "password": "s3cret",
        "conversational_context": "On the pricing page.",
        "custom_greeting": "Hi!",
        "pal_id": "p2",
        "memory_stores": ["visitor_42"],
        "captcha_token": "tok",
    }
    assert call.kwargs["headers"]["x-api-key"] == API_KEY  # sent, to the API's own host only
    assert (started.conversation_id, started.meeting_token) == ("c123456", "eyJ-token")


async def test_end_conversation_posts_to_the_conversation_path(
    client: TavusClient, http: Any
) -> None:
    """end_conversation POSTs .../conversations/{id}/end and reads nothing more."""
    url = f"{ITEM}/conversations/c123456/end"
    http.post(url, payload={"conversation_id": "c123456", "status": "ended"})

    assert await client.deployments.end_conversation("d1234567890abcdef", "c123456") is None
    assert len(sent(http, "POST", url)) == 1


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda t: t.deployments.init("d/1"), "deployment_id"),
        (lambda t: t.deployments.start_conversation("d1", memory_stores="a"), "memory_stores"),
        (lambda t: t.deployments.start_conversation("d1", pal_id="p 2"), "pal_id"),
        (lambda t: t.deployments.start_conversation("d1", password=1), "password"),
        (lambda t: t.deployments.end_conversation("d1", "../c"), "conversation_id"),
        (lambda t: t.deployments.update("d1", [], if_match=""), "if_match"),
        (lambda t: t.deployments.update("d1", [{"op": "jump"}]), r"operations\[0\]"),
    ],
)
async def test_bad_input_of_the_other_calls_fails_before_any_request(
    client: TavusClient, http: Any, call: Any, named: str
) -> None:
    """Unsafe ids and malformed arguments are refused before any request, naming them."""
    with pytest.raises((TypeError, ValueError), match=named):
        await call(client)

    assert total_requests(http) == 0
