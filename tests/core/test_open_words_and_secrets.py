"""The converter's open words and flags (``Literal[...] | str``, ``bool | str``), and the
masking of secrets that reprs and the command line's output share."""

from __future__ import annotations

from typing import Any, Literal

import attrs
import pytest

from tavus_async import ResponseValidationError
from tavus_async._core.convert import structure
from tavus_async._core.models import Model, looks_secret, mask_secrets


@attrs.frozen(kw_only=True)
class Settings(Model):
    mode: Literal["full", "echo"] | str | None = None
    flag: bool | str | None = None
    strict: bool | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"mode": "full"}, Settings(mode="full")),
        ({"mode": "custom-2030"}, Settings(mode="custom-2030")),
        ({"mode": 7}, Settings(mode="7")),
        ({"flag": "false"}, Settings(flag="false")),
        ({"flag": True, "strict": False}, Settings(flag=True, strict=False)),
    ],
)
def test_open_words_and_flags_keep_what_was_sent(payload: dict[str, Any], expected: Any) -> None:
    """A known or unknown word stays a word, a number becomes text, a flag sent as text stays."""
    assert structure(payload, Settings) == expected


@pytest.mark.parametrize(
    "payload", [{"strict": "sk-secret-value"}, {"mode": ["sk-secret-value"]}, {"flag": {}}]
)
def test_a_value_of_the_wrong_kind_is_named_by_kind_never_shown(payload: dict[str, Any]) -> None:
    """A misfit raises ResponseValidationError naming the field and kinds, not the value."""
    with pytest.raises(ResponseValidationError) as caught:
        structure(payload, Settings)

    assert next(iter(payload)) in str(caught.value)
    assert "sk-secret-value" not in str(caught.value)
    assert "sk-secret-value" not in repr(caught.value.__cause__)


@pytest.mark.parametrize(
    "name",
    ["api_key", "API_KEY", "x-api-key", "Authorization", "client_secret", "access_token",
     "password", "elevenlabs_key", "apiKey"],
)  # fmt: skip
def test_secret_looking_names(name: str) -> None:
    """Keys, tokens, secrets, passwords and Authorization look secret."""
    assert looks_secret(name)


@pytest.mark.parametrize(
    "name", ["key", "model", "max_tokens", "s3_key", "meeting_token", "persona_id", "hotwords"]
)
def test_data_names_do_not_look_secret(name: str) -> None:
    """Names of plain data, and of data Tavus hands its user to use, are shown."""
    assert not looks_secret(name)


def test_mask_secrets_masks_at_any_depth_and_leaves_the_original() -> None:
    """Every secret-looking key's value is '***', in objects within lists too; the input is kept."""
    data = {"llm": {"api_key": "k", "headers": {"Authorization": "b", "X-Trace": "t"}},
            "tools": [{"token": "t2", "name": "n"}], "api_key": None}  # fmt: skip

    masked = mask_secrets(data)

    assert masked == {
        "llm": {"api_key": "***", "headers": {"Authorization": "***", "X-Trace": "t"}},
        "tools": [{"token": "***", "name": "n"}],
        "api_key": None,
    }
    assert data["llm"]["api_key"] == "k"
