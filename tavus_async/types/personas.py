"""Personas: the model and its layers (perception, speech-to-text, turn-taking, LLM, voice).

Every layer is a ``Model``: each documented key is an attribute under Tavus's name (the
current names and the older ones Tavus may still send back), words Tavus adds later stay
plain strings, and keys or layers this version does not know are kept in ``extra`` and
written back by ``to_dict()``. Secrets a layer holds (an LLM's or a voice's ``api_key``,
the LLM's ``headers``, any secret-looking key in ``extra``) are shown as ``'***'`` in
reprs; ``to_dict()`` keeps them, as they are the persona's data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

import attrs

from .._core.models import SECRET_MASK, Model, masked_repr

__all__ = [
    "ConversationalFlowLayer",
    "LLMLayer",
    "PerceptionLayer",
    "Persona",
    "PersonaLayers",
    "STTLayer",
    "TTSLayer",
]


def _strings(value: Iterable[str] | None) -> tuple[str, ...] | None:
    """A list of strings as a tuple; a bare string is not a list of them."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"expected a list of strings, not {type(value).__name__}")
    return tuple(value)


def _masked(value: object) -> str:
    """A secret's repr: ``'***'`` when it is set."""
    return "None" if value is None else repr(SECRET_MASK)


def _masked_headers(value: Mapping[str, str] | None) -> str:
    """Headers with every value masked: ``Authorization`` carries the LLM's key."""
    return "None" if value is None else repr(dict.fromkeys(value, SECRET_MASK))


@attrs.frozen(kw_only=True)
class PerceptionLayer(Model):
    """``layers.perception``: what the replica sees and hears (Raven).

    ``perception_model`` is ``raven-1`` (Tavus's default), ``raven-0`` or ``off``.
    The ``visual_*`` names replaced ``ambient_awareness_queries`` and
    ``perception_tool_prompt`` / ``perception_tools``; older personas may hold either.
    Tools are OpenAI-style function definitions, kept as plain JSON.
    """

    perception_model: Literal["raven-1", "raven-0", "basic", "off"] | str | None = None
    visual_awareness_queries: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    audio_awareness_queries: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    perception_analysis_queries: tuple[str, ...] | None = attrs.field(
        default=None, converter=_strings
    )
    visual_tool_prompt: str | None = None
    visual_tools: list[dict[str, Any]] | None = attrs.field(
        default=None, hash=False, repr=masked_repr
    )
    audio_tool_prompt: str | None = None
    audio_tools: list[dict[str, Any]] | None = attrs.field(
        default=None, hash=False, repr=masked_repr
    )
    ambient_awareness_queries: tuple[str, ...] | None = attrs.field(
        default=None, converter=_strings
    )
    perception_tool_prompt: str | None = None
    perception_tools: list[dict[str, Any]] | None = attrs.field(
        default=None, hash=False, repr=masked_repr
    )
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class STTLayer(Model):
    """``layers.stt``: speech-to-text.

    ``hotwords`` is one free-text string of example phrases (a list some personas hold
    is kept as sent). The sensitivities and ``smart_turn_detection`` are the older
    turn-taking settings, replaced by the ``conversational_flow`` layer; they are kept
    for personas that still hold them. Flags may come as Tavus's own examples send them,
    as the strings ``"true"`` / ``"false"``: they are kept as sent.
    """

    stt_engine: (
        Literal[
            "tavus-auto",
            "tavus-parakeet",
            "tavus-soniox",
            "tavus-whisper",
            "tavus-deepgram-medical",
            "tavus-advanced",
            "tavus-turbo",
        ]
        | str
        | None
    ) = None
    hotwords: Any = None
    participant_pause_sensitivity: (
        Literal["superlow", "verylow", "low", "medium", "high"] | str | None
    ) = None
    participant_interrupt_sensitivity: (
        Literal["superlow", "verylow", "low", "medium", "high"] | str | None
    ) = None
    smart_turn_detection: bool | str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class ConversationalFlowLayer(Model):
    """``layers.conversational_flow``: turn-taking and interruptions (Sparrow).

    Tavus's reference spells the time-based model ``time-based``, its guide
    ``timebased``: both are accepted. ``turn_commitment`` and ``active_listening`` come
    from an earlier version of the reference.
    """

    turn_detection_model: (
        Literal["sparrow-1", "sparrow-0", "time-based", "timebased"] | str | None
    ) = None
    turn_taking_patience: Literal["low", "medium", "high"] | str | None = None
    replica_interruptibility: Literal["low", "medium", "high"] | str | None = None
    turn_commitment: Literal["low", "medium", "high"] | str | None = None
    active_listening: Literal["off", "low", "medium", "high"] | str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class LLMLayer(Model):
    """``layers.llm``: the language model, Tavus's (``tavus-gpt-oss``, ...) or your own.

    For your own model, ``base_url`` is an OpenAI-compatible endpoint without its route,
    ``api_key`` and ``headers`` authenticate to it (both masked in reprs). ``extra_body``
    adds request parameters (``temperature``, ``top_p``), ``default_query`` query ones.
    ``speculative_inference`` sent as the string ``"true"`` / ``"false"`` is kept as sent.
    """

    model: str | None = None
    base_url: str | None = None
    api_key: str | None = attrs.field(default=None, repr=_masked)
    speculative_inference: bool | str | None = None
    tools: list[dict[str, Any]] | None = attrs.field(default=None, hash=False, repr=masked_repr)
    headers: dict[str, str] | None = attrs.field(default=None, hash=False, repr=_masked_headers)
    extra_body: dict[str, Any] | None = attrs.field(default=None, hash=False, repr=masked_repr)
    default_query: dict[str, Any] | None = attrs.field(default=None, hash=False, repr=masked_repr)
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class TTSLayer(Model):
    """``layers.tts``: the replica's voice.

    ``api_key`` (masked in reprs) is needed only for private voices. ``voice_settings``
    is the engine's own (ElevenLabs ``speed``, ``stability``, ...; Cartesia ``speed``,
    ``emotion``). Older answers send ``tts_emotion_control`` as the string ``"false"``:
    it is kept as sent.
    """

    tts_engine: Literal["cartesia", "elevenlabs", "azure", "playht"] | str | None = None
    api_key: str | None = attrs.field(default=None, repr=_masked)
    external_voice_id: str | None = None
    tts_model_name: str | None = None
    tts_emotion_control: bool | str | None = None
    voice_settings: dict[str, Any] | None = attrs.field(default=None, hash=False, repr=masked_repr)
    pronunciation_dictionary_id: str | None = None
    playht_user_id: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class PersonaLayers(Model):
    """A persona's ``layers``; a layer this version does not know stays in ``extra``."""

    perception: PerceptionLayer | None = None
    stt: STTLayer | None = None
    conversational_flow: ConversationalFlowLayer | None = None
    llm: LLMLayer | None = None
    tts: TTSLayer | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)


@attrs.frozen(kw_only=True)
class Persona(Model):
    """A persona: who the replica is in a conversation, and how it sees, listens and speaks.

    Attributes:
        persona_id: Its id.
        persona_name: Its name.
        system_prompt: The LLM's instructions.
        context: Further context for the LLM.
        pipeline_mode: ``full`` (Tavus's default) or ``echo`` (the replica only speaks
            what it is sent).
        default_replica_id: The replica of its conversations when they name none.
        persona_type: ``user`` or ``system`` (Tavus's stock personas).
        document_ids: The documents it draws on.
        document_tags: The tags of more documents it draws on.
        guardrails_id: A legacy guardrail set.
        guardrail_ids: Guardrails attached one by one.
        guardrail_tags: The tags of more guardrails attached.
        objectives_id: The set of objectives it follows.
        layers: How it sees, listens, thinks and speaks.
        created_at: When it was created.
        updated_at: When it last changed.
        extra: Every field this version does not know.
    """

    persona_id: str
    persona_name: str | None = None
    system_prompt: str | None = None
    context: str | None = None
    pipeline_mode: Literal["full", "echo"] | str | None = None
    default_replica_id: str | None = None
    persona_type: Literal["user", "system"] | str | None = None
    document_ids: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    document_tags: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    guardrails_id: str | None = None
    guardrail_ids: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    guardrail_tags: tuple[str, ...] | None = attrs.field(default=None, converter=_strings)
    objectives_id: str | None = None
    layers: PersonaLayers | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, hash=False)
