"""tavus_async: an async-first client for the Tavus API, with waits for its long jobs.

Quick start (the key from ``TAVUS_API_KEY``; set ``TAVUS_BASE_URL`` to the url that
``tavus-async fake-server`` prints to run it on the emulator)::

    import asyncio

    from tavus_async import TavusClient


    async def main() -> None:
        async with TavusClient() as tavus:
            async for replica in tavus.replicas.iter(replica_type="system"):
                print(replica.replica_id, replica.replica_name, replica.status)

            video = await tavus.videos.create(replica_id="r783537ef5", script="Hello!")
            video = await tavus.videos.wait(video.video_id, on_update=lambda v: print(v.status))
            print("saved", await tavus.videos.download(video, "out/hello.mp4"))


    asyncio.run(main())

Where to read on, with ``help()``:

- ``TavusClient``: the client, its options and its families (``tavus.replicas``,
  ``tavus.videos``, ``tavus.conversations``); on a client, ``help(tavus.videos)``
  lists a family's calls.
- ``PollPolicy``: how a wait polls and when it gives up; ``WaitOutcome``: what
  ``wait_many`` yields.
- ``Replica``, ``Video``, ``Conversation``, ``Page``, ``RawResponse``: what the calls
  return.
- ``TavusError`` and below: what they raise (``APIError`` carries Tavus's status,
  message and request id).
- ``tavus_async.callbacks``: learn the moment a job ends; ``tavus_async.testing``:
  FakeTavus, the emulator, for tests and demos.
"""

from importlib import import_module as _import_module
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from ._client import DEFAULT_BASE_URL, TavusClient
from ._core.options import RequestOptions
from ._core.paging import Page
from ._core.raw import RawResponse
from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DocumentProcessingError,
    FaceTrainingError,
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
from ._version import __version__
from .waiting.policy import PollPolicy

if _TYPE_CHECKING:
    from ._core.json_patch import PatchOperation, json_patch
    from ._redis_relay import RedisRelay
    from .callbacks import CallbackReceiver, parse_callback
    from .relay import Relay
    from .types.canvas_interactions import CanvasInteraction
    from .types.conversations import (
        Conversation,
        ConversationEvent,
        ConversationProperties,
        ConversationStatus,
        PerceptionAnalysisEvent,
        PerceptionUnavailableEvent,
        PostCallActionEvent,
        RecordingReadyEvent,
        ReplicaJoinedEvent,
        ShutdownEvent,
        TranscriptionReadyEvent,
        TranscriptMessage,
    )
    from .types.deployments import (
        Deployment,
        DeploymentCaptcha,
        DeploymentConversation,
        DeploymentInit,
        DeploymentLimits,
    )
    from .types.documents import Document, DocumentCrawl, DocumentStatus
    from .types.faces import Face, FaceStatus
    from .types.guardrails import (
        Guardrail,
        GuardrailSet,
        GuardrailSetItem,
        GuardrailTriggeredEvent,
    )
    from .types.objectives import ObjectiveCompletedEvent, ObjectiveItem, Objectives
    from .types.pal_skills import PalSkill
    from .types.pal_tools import PalTool
    from .types.pals import Pal
    from .types.personas import (
        ConversationalFlowLayer,
        LLMLayer,
        PerceptionLayer,
        Persona,
        PersonaLayers,
        STTLayer,
        TTSLayer,
    )
    from .types.pronunciation_dictionaries import PronunciationDictionary, PronunciationRule
    from .types.replicas import Replica, ReplicaProperties, ReplicaStatus
    from .types.skills import Skill
    from .types.tools import Tool, ToolApi, ToolDelivery
    from .types.transcriptions import Transcription
    from .types.videos import Video, VideoProperties, VideoStatus
    from .types.voices import Voice, VoiceTag
    from .waiting.engine import WaitOutcome

# Imported on first use, not at start-up: the callback receiver (an aiohttp.web server),
# and each family's models (a family's modules load when it is first used).
_LAZY_MODULES: dict[str, tuple[str, ...]] = {
    "callbacks": ("CallbackReceiver", "parse_callback"),
    "relay": ("Relay",),
    "_redis_relay": ("RedisRelay",),
    "waiting.engine": ("WaitOutcome",),
    "_core.json_patch": ("PatchOperation", "json_patch"),
    "types.replicas": ("Replica", "ReplicaProperties", "ReplicaStatus"),
    "types.videos": ("Video", "VideoProperties", "VideoStatus"),
    "types.documents": ("Document", "DocumentCrawl", "DocumentStatus"),
    "types.personas": (
        "ConversationalFlowLayer",
        "LLMLayer",
        "PerceptionLayer",
        "Persona",
        "PersonaLayers",
        "STTLayer",
        "TTSLayer",
    ),
    "types.conversations": (
        "Conversation",
        "ConversationEvent",
        "ConversationProperties",
        "ConversationStatus",
        "PerceptionAnalysisEvent",
        "PerceptionUnavailableEvent",
        "PostCallActionEvent",
        "RecordingReadyEvent",
        "ReplicaJoinedEvent",
        "ShutdownEvent",
        "TranscriptionReadyEvent",
        "TranscriptMessage",
    ),
    "types.pronunciation_dictionaries": ("PronunciationDictionary", "PronunciationRule"),
    "types.voices": ("Voice", "VoiceTag"),
    "types.guardrails": (
        "Guardrail",
        "GuardrailSet",
        "GuardrailSetItem",
        "GuardrailTriggeredEvent",
    ),
    "types.objectives": ("ObjectiveCompletedEvent", "ObjectiveItem", "Objectives"),
    "types.tools": ("Tool", "ToolApi", "ToolDelivery"),
    "types.pal_tools": ("PalTool",),
    "types.skills": ("Skill",),
    "types.pal_skills": ("PalSkill",),
    "types.faces": ("Face", "FaceStatus"),
    "types.pals": ("Pal",),
    "types.deployments": (
        "Deployment",
        "DeploymentCaptcha",
        "DeploymentConversation",
        "DeploymentInit",
        "DeploymentLimits",
    ),
    "types.canvas_interactions": ("CanvasInteraction",),
    "types.transcriptions": ("Transcription",),
}
_LAZY = {name: module for module, names in _LAZY_MODULES.items() for name in names}


def __getattr__(name: str) -> _Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tavus_async' has no attribute {name!r}")
    value = getattr(_import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next lookup is a plain one
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CallbackReceiver",
    "CanvasInteraction",
    "ConflictError",
    "Conversation",
    "ConversationEvent",
    "ConversationProperties",
    "ConversationStatus",
    "ConversationalFlowLayer",
    "Deployment",
    "DeploymentCaptcha",
    "DeploymentConversation",
    "DeploymentInit",
    "DeploymentLimits",
    "Document",
    "DocumentCrawl",
    "DocumentProcessingError",
    "DocumentStatus",
    "Face",
    "FaceStatus",
    "FaceTrainingError",
    "Guardrail",
    "GuardrailSet",
    "GuardrailSetItem",
    "GuardrailTriggeredEvent",
    "JobFailedError",
    "LLMLayer",
    "NotFoundError",
    "ObjectiveCompletedEvent",
    "ObjectiveItem",
    "Objectives",
    "Page",
    "Pal",
    "PalSkill",
    "PalTool",
    "PatchOperation",
    "PerceptionAnalysisEvent",
    "PerceptionLayer",
    "PerceptionUnavailableEvent",
    "PermissionDeniedError",
    "Persona",
    "PersonaLayers",
    "PollPolicy",
    "PostCallActionEvent",
    "PronunciationDictionary",
    "PronunciationRule",
    "RateLimitError",
    "RawResponse",
    "RecordingReadyEvent",
    "RedisRelay",
    "Relay",
    "Replica",
    "ReplicaJoinedEvent",
    "ReplicaProperties",
    "ReplicaStatus",
    "ReplicaTrainingError",
    "RequestOptions",
    "ResponseValidationError",
    "STTLayer",
    "ServerError",
    "ShutdownEvent",
    "Skill",
    "TTSLayer",
    "TavusClient",
    "TavusError",
    "Tool",
    "ToolApi",
    "ToolDelivery",
    "TranscriptMessage",
    "Transcription",
    "TranscriptionReadyEvent",
    "UnprocessableEntityError",
    "Video",
    "VideoGenerationError",
    "VideoNotReadyError",
    "VideoProperties",
    "VideoStatus",
    "Voice",
    "VoiceTag",
    "WaitError",
    "WaitOutcome",
    "WaitTimeoutError",
    "__version__",
    "json_patch",
    "parse_callback",
]
