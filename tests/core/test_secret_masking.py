"""Secrets stay out of reprs, error messages and printed output: callback urls, layer keys,
patch values, and the keys users name in camelCase."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from tavus_async import APIError, TavusClient, json_patch
from tavus_async._client import families
from tavus_async._core.models import hidden_url, looks_secret, mask_secrets

from _support.http import BASE

TOKEN = "s3cr3t-receiver-token-abcdef"
HOOK = f"https://hooks.example.com/tavus/{TOKEN}"


def models_with_callback_urls() -> list[type[Any]]:
    return [
        spec.model
        for spec in families()
        if "callback_url" in {field.name for field in attrs.fields(spec.model)}
    ]


@pytest.mark.parametrize("model", models_with_callback_urls(), ids=lambda m: m.__name__)
def test_no_models_repr_shows_a_callback_receivers_token(model: type[Any]) -> None:
    """Every model's callback_url shows its host only; to_dict keeps the url whole."""
    id_field = next(spec.id_field for spec in families() if spec.model is model)
    obj = model.from_dict({id_field: "x1", "callback_url": HOOK})

    assert TOKEN not in repr(obj)
    assert "https://hooks.example.com/<hidden>" in repr(obj)
    assert obj.to_dict()["callback_url"] == HOOK


def test_printed_json_hides_callback_url_paths_and_secret_keys() -> None:
    """What the CLI prints hides a callback url's path and every secret-looking value."""
    shown = mask_secrets({"callback_url": HOOK, "layers": {"llm": {"apiKey": "sk-1"}}})

    assert shown == {
        "callback_url": "https://hooks.example.com/<hidden>",
        "layers": {"llm": {"apiKey": "***"}},
    }
    assert hidden_url("https://hooks.example.com/") == "https://hooks.example.com/"
    assert hidden_url("not a url") == "<hidden>"


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("api_key", True),
        ("apiKey", True),
        ("X-Api-Key", True),
        ("accessToken", True),
        ("clientSecret", True),
        ("privateKey", True),
        ("Authorization", True),
        ("s3_key", False),
        ("meeting_token", False),
        ("keyword", False),
        ("monkey", False),
        ("model", False),
    ],
)
def test_secret_looking_keys_are_found_in_any_case_style(name: str, secret: bool) -> None:
    """snake_case, camelCase and header-style names of secrets are all recognised."""
    assert looks_secret(name) is secret


def test_a_patch_operations_repr_masks_a_secret_value() -> None:
    """A patch setting an api_key, or adding a layer that holds one, shows it masked."""
    replaced = json_patch({"llm": {"api_key": "old"}}, {"llm": {"api_key": "sk-NEW"}})
    added = json_patch({}, {"llm": {"api_key": "sk-NEW", "model": "m"}})

    assert "sk-NEW" not in repr(replaced) + repr(added)
    assert replaced[0].to_dict()["value"] == "sk-NEW"


async def test_an_error_body_echoing_a_secret_is_quoted_masked(http: Any) -> None:
    """A 422 whose body echoes the request's layers shows no api_key in the error."""
    http.post(
        f"{BASE}/v2/personas",
        status=422,
        payload={"detail": [{"input": {"layers": {"llm": {"api_key": "sk-SECRET-LLM"}}}}]},
    )
    async with TavusClient(api_key="tvs-test-key-0123456789abcdef") as tavus:
        with pytest.raises(APIError) as caught:
            await tavus.personas.create(system_prompt="x")

    assert "sk-SECRET-LLM" not in str(caught.value)
    assert "***" in str(caught.value)
