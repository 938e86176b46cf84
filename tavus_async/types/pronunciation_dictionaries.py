"""Pronunciation dictionaries: rules that tell a replica's voice how to say words.

A persona attaches one through ``layers.tts.pronunciation_dictionary_id``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

import attrs

from .._core.models import Model

__all__ = ["PronunciationDictionary", "PronunciationRule"]


@attrs.frozen(kw_only=True)
class PronunciationRule(Model):
    """One rule: say ``text`` as ``pronunciation``.

    ``type`` is ``alias`` (``pronunciation`` is other text to say, ``TAH-vus``) or ``ipa``
    (IPA, raw ``hɛloʊ`` or pipe-delimited ``h|ɛ|l|oʊ``). ``case_sensitive`` (Tavus's
    default False) and ``word_boundaries`` (default True; applied by ElevenLabs voices
    only) say how ``text`` is matched. Tavus needs ``text``, ``pronunciation`` and
    ``type``, and judges them itself (text up to 200 characters, pronunciation 500).
    """

    text: str | None = None
    pronunciation: str | None = None
    type: Literal["alias", "ipa"] | str | None = None
    case_sensitive: bool | None = None
    word_boundaries: bool | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


def _rules(value: Iterable[PronunciationRule] | None) -> tuple[PronunciationRule, ...] | None:
    """A list of rules as a tuple."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"expected a list of rules, not {type(value).__name__}")
    return tuple(value)


@attrs.frozen(kw_only=True)
class PronunciationDictionary(Model):
    """A named set of pronunciation rules.

    ``rules`` is None where Tavus leaves them out (a list's items carry only
    ``rules_count``: ``get`` the dictionary for its rules).
    """

    pronunciation_dictionary_id: str
    name: str | None = None
    rules: tuple[PronunciationRule, ...] | None = attrs.field(default=None, converter=_rules)
    rules_count: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)
