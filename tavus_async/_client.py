"""TavusClient: options, the environment, and the API families, loaded lazily.

The client reads its configuration once, here, and hands each family the request path
(``_core.request_path``) through the ``Requester`` protocol. Its family attributes are
the registry of families: ``families()`` reads them. A family's modules are imported
when it is first used (``tavus.documents``, or ``families()``), not with the package:
``import tavus_async`` stays as quick as the families are many.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import math
import os
import platform
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import aiohttp

from ._core.arguments import check_api_url, check_bool
from ._core.options import check_headers, check_retries, check_seconds
from ._core.pool import Pool
from ._core.request_path import RequestPath
from ._core.retry import Sleep
from ._version import __version__

if TYPE_CHECKING:
    from typing import TypeAlias

    from .resources._base import Resource
    from .resources._spec import FamilySpec
    from .resources.canvas_interactions import CanvasInteractions
    from .resources.conversations import Conversations
    from .resources.deployments import Deployments
    from .resources.documents import Documents
    from .resources.faces import Faces
    from .resources.guardrails import Guardrails
    from .resources.memories import Memories
    from .resources.objectives import ObjectivesResource
    from .resources.pal_skills import PalSkills
    from .resources.pal_tools import PalTools
    from .resources.pals import Pals
    from .resources.personas import Personas
    from .resources.pronunciation_dictionaries import PronunciationDictionaries
    from .resources.replicas import Replicas
    from .resources.skills import Skills
    from .resources.tools import Tools
    from .resources.transcriptions import Transcriptions
    from .resources.videos import Videos
    from .resources.voices import Voices
    from .types.conversations import ConversationEvent
    from .types.documents import Document
    from .types.faces import Face
    from .types.guardrails import GuardrailTriggeredEvent
    from .types.objectives import ObjectiveCompletedEvent
    from .types.replicas import Replica
    from .types.videos import Video

    #: Callbacks told by their shape: a triggered guardrail, a completed objective.
    ShapedEvent: TypeAlias = GuardrailTriggeredEvent | ObjectiveCompletedEvent
    #: What a callback may describe: an object of a family that Tavus sends callbacks for.
    CallbackObject: TypeAlias = Replica | Video | ConversationEvent | Document | ShapedEvent | Face

__all__ = ["DEFAULT_BASE_URL", "TavusClient", "families"]

R = TypeVar("R", bound="Resource[Any]")

DEFAULT_BASE_URL = "https://tavusapi.com"
USER_AGENT = (
    f"tavus-async/{__version__} aiohttp/{aiohttp.__version__} python/{platform.python_version()}"
)


class Family(Generic[R]):
    """A family attribute of the client: ``videos: Family[Videos] = Family("videos")``.

    ``name`` is the family's, and so its module's: ``resources/<name>.py``, imported on
    first use, holds the resource class whose spec has that name. A non-data
    descriptor: once built, the resource sits in the client's ``__dict__`` and every
    later access is a plain attribute lookup.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __set_name__(self, owner: type, name: str) -> None:
        if name != self.name:
            raise TypeError(f"the {self.name} family must be the client's {name!r}")

    @functools.cached_property
    def resource(self) -> type[R]:
        """The family's resource class, from its module (imported now, the first time)."""
        module = importlib.import_module(f"{__package__}.resources.{self.name}")
        found = [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and value.__module__ == module.__name__
            and getattr(getattr(value, "spec", None), "name", None) == self.name
        ]
        if len(found) != 1:
            raise TypeError(
                f"{module.__name__} must define one resource whose spec is named {self.name!r}"
            )
        resource: type[R] = found[0]
        return resource

    @property
    def spec(self) -> FamilySpec[Any]:
        """The family's spec (its module is imported the first time)."""
        spec: FamilySpec[Any] = self.resource.spec
        return spec

    @overload
    def __get__(self, client: None, owner: type) -> Family[R]: ...
    @overload
    def __get__(self, client: TavusClient, owner: type) -> R: ...
    def __get__(self, client: TavusClient | None, owner: type) -> Family[R] | R:
        if client is None:
            return self
        built = self.resource(client._requester)
        client.__dict__[self.spec.name] = built
        return built


class TavusClient:
    """An async client for the Tavus API: one attribute per family of calls.

    For example:

        async with TavusClient() as tavus:
            video = await tavus.videos.create(replica_id="r783537ef5", script="Hello!")
            video = await tavus.videos.wait(video.video_id)
            await tavus.videos.download(video, "out/hello.mp4")

    Families (each has those of ``create``, ``list``, ``iter``, ``get``, ``rename``, ``delete``,
    ``wait``, ``watch``, ``wait_many``, ``create_and_wait`` and ``with_raw_response``; see
    ``help()`` on the attribute):

    - ``tavus.personas``: create, edit (JSON Patch) and manage personas (``Personas``).
    - ``tavus.replicas``: train and manage replicas (``Replicas``).
    - ``tavus.videos``: render, follow and ``download`` videos (``Videos``).
    - ``tavus.conversations``: open, ``end`` and follow conversations, and
      ``wait_for_transcript`` (``Conversations``).
    - ``tavus.documents``: add files and websites to the knowledge base, follow their
      processing, ``update`` and ``recrawl`` them (``Documents``).
    - ``tavus.memories``: ``delete`` a memory of a conversation's store (``Memories``).
    - ``tavus.pronunciation_dictionaries``: how the replica's voice says words
      (``PronunciationDictionaries``).
    - ``tavus.voices``: ``list`` and ``iter`` Tavus's stock voices (``Voices``).
    - ``tavus.guardrails``: the rules a replica keeps to, and the legacy guardrail sets
      (``Guardrails``).
    - ``tavus.objectives``: sets of objectives a replica works through
      (``ObjectivesResource``).
    - ``tavus.tools``: the account's tools (``Tools``); ``tavus.pal_tools`` attaches
      them to PALs (``PalTools``).
    - ``tavus.skills``: Tavus's skills (``Skills``); ``tavus.pal_skills`` attaches them
      to PALs with their config (``PalSkills``).
    - ``tavus.faces``: train and manage faces, Tavus's current name for replicas
      (``Faces``).
    - ``tavus.pals``: create, edit (JSON Patch), ``publish`` and manage PALs, Tavus's
      current name for personas (``Pals``).
    - ``tavus.deployments``: publish a PAL as a widget, embed or landing page, and its
      public ``init`` / ``start_conversation`` / ``end_conversation`` (``Deployments``).
    - ``tavus.canvas_interactions``: ``record`` and ``list`` a conversation's Magic
      Canvas interactions (``CanvasInteractions``).
    - ``tavus.transcriptions``: transcribe a file (``Transcriptions``; in openapi.yaml,
      not in the reference's pages).

    Use it as ``async with TavusClient() as tavus:``, or call ``await tavus.close()``
    when done. Its options (``api_key``, ``base_url``, ``timeout``, ``max_retries``,
    ``max_retry_wait``, ``max_connections``, ``session``, ``sleep``, ``clock``,
    ``allow_insecure_http``) are all read once, when it is made. ``with_options(...)``
    gives a client with other defaults over the same connections.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 3,
        max_retry_wait: float = 60.0,
        max_connections: int = 64,
        session: aiohttp.ClientSession | None = None,
        sleep: Sleep | None = None,
        clock: Callable[[], float] | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        """Make a client; nothing is sent until the first call.

        Args:
            api_key: Your key; when None, the ``TAVUS_API_KEY`` environment variable.
            base_url: The API's root (no ``/v2``: the client adds it); when None,
                ``TAVUS_BASE_URL``, else Tavus's own. Point it at FakeTavus
                (``tavus_async.testing``, or ``tavus-async fake-server``) to run without
                Tavus.
            timeout: Seconds for each API request attempt, from sending to the whole
                answer; for a download, for connecting and for each read (a long file is
                not cut short). Per call, the ``timeout=`` option overrides it.
            max_retries: How many times a call is tried again after a connection error,
                a 429 or a 5xx, with backoff, where trying again cannot bill a job twice.
            max_retry_wait: The longest ``Retry-After`` the client will honour, in
                seconds.
            max_connections: The size of the client's own connection pool.
            session: An ``aiohttp.ClientSession`` to use instead; it is never closed by
                the client.
            sleep: What the client awaits between attempts and polls (``asyncio.sleep``);
                tests pass a fake one with ``clock`` (``ManualClock``) so that nothing
                waits on the wall clock.
            clock: What waits read their deadlines from (``time.monotonic``).
            allow_insecure_http: Send the key over a plain ``http://`` url to another
                machine. The key goes only to the API's own origin: redirects are never
                followed, and a plain ``http://`` url is refused unless it points at this
                machine (``localhost``, ``127.0.0.1``, ``::1``) or this says to send the
                key in clear.

        Raises:
            ValueError: There is no API key, an option is out of range, or the url is
                refused (the message names it).
            TypeError: An option of the wrong type (naming it).
        """
        key = api_key if api_key is not None else os.environ.get("TAVUS_API_KEY")
        if key is not None and not isinstance(key, str):
            raise TypeError(f"api_key must be a string, not {type(key).__name__}")
        if not key or not key.strip():
            raise ValueError(
                "no Tavus API key: pass api_key=... or set the TAVUS_API_KEY environment variable"
            )
        if any(c.isspace() for c in key.strip()) or not key.isprintable():
            raise ValueError("api_key must be a single printable token")
        _check_positive("timeout", timeout)
        _check_positive("max_retry_wait", max_retry_wait, allow_zero=True)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be an int, 0 or more, got {max_retries!r}")
        if (
            isinstance(max_connections, bool)
            or not isinstance(max_connections, int)
            or max_connections < 1
        ):
            raise ValueError(f"max_connections must be an int, 1 or more, got {max_connections!r}")
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise TypeError(
                f"session must be an aiohttp.ClientSession, not {type(session).__name__}"
            )

        api_key = key.strip()
        url_source = "base_url"
        if base_url is None:
            url_source, base_url = "TAVUS_BASE_URL", os.environ.get("TAVUS_BASE_URL")
            base_url = base_url or DEFAULT_BASE_URL
        self._base_url = check_api_url(
            url_source,
            base_url,
            allow_insecure_http=check_bool("allow_insecure_http", allow_insecure_http),
        ).rstrip("/")
        self._requester = RequestPath(
            base_url=self._base_url,
            secret=api_key,
            headers={"x-api-key": api_key, "User-Agent": USER_AGENT, "Accept": "application/json"},
            # No key, and no compression: progress counts the bytes that Content-Length names.
            download_headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
            timeout=timeout,
            max_retries=max_retries,
            max_retry_wait=float(max_retry_wait),
            pool=Pool(session=session, max_connections=max_connections),
            owns_pool=True,
            sleep=sleep if sleep is not None else asyncio.sleep,
            clock=clock if clock is not None else time.monotonic,
        )

    replicas: Family[Replicas] = Family("replicas")
    videos: Family[Videos] = Family("videos")
    personas: Family[Personas] = Family("personas")
    conversations: Family[Conversations] = Family("conversations")
    documents: Family[Documents] = Family("documents")
    memories: Family[Memories] = Family("memories")
    pronunciation_dictionaries: Family[PronunciationDictionaries] = Family(
        "pronunciation_dictionaries"
    )
    voices: Family[Voices] = Family("voices")
    guardrails: Family[Guardrails] = Family("guardrails")
    objectives: Family[ObjectivesResource] = Family("objectives")
    tools: Family[Tools] = Family("tools")
    pal_tools: Family[PalTools] = Family("pal_tools")
    skills: Family[Skills] = Family("skills")
    pal_skills: Family[PalSkills] = Family("pal_skills")
    faces: Family[Faces] = Family("faces")
    pals: Family[Pals] = Family("pals")
    deployments: Family[Deployments] = Family("deployments")
    canvas_interactions: Family[CanvasInteractions] = Family("canvas_interactions")
    transcriptions: Family[Transcriptions] = Family("transcriptions")

    def __repr__(self) -> str:
        return f"TavusClient(base_url={self._base_url!r}, api_key=<hidden>)"

    @property
    def base_url(self) -> str:
        """The API's root url, without a trailing slash."""
        return self._base_url

    @property
    def closed(self) -> bool:
        """True once ``close()`` was called; a closed client makes no more requests."""
        return self._requester.closed

    async def __aenter__(self) -> TavusClient:
        self._requester.open_session()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the client's own session (never an injected one). Safe to call twice.

        A client made by ``with_options`` closes only itself: the pool is its maker's.
        """
        await self._requester.close()

    def with_options(
        self,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
        max_retry_wait: float | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> TavusClient:
        """A client with other defaults that shares this one's connections.

        Closing the new client closes nothing of this one; closing this one ends both.
        An option not given stays as this client has it.

        Args:
            timeout: Seconds for each API request attempt.
            max_retries: How many times a call is tried again, where that is safe.
            max_retry_wait: The longest ``Retry-After`` to honour, in seconds.
            headers: Added to every API request (``x-api-key`` and ``Host`` cannot be
                set).

        Returns:
            The new client.

        Raises:
            ValueError: A bad option (naming it).
            TypeError: An option of the wrong type (naming it).
        """
        derived = self._requester.derive(
            timeout=None if timeout is None else check_seconds("timeout", timeout),
            max_retries=None if max_retries is None else check_retries("max_retries", max_retries),
            max_retry_wait=None
            if max_retry_wait is None
            else _seconds_or_zero("max_retry_wait", max_retry_wait),
            headers=None if headers is None else check_headers("headers", headers),
        )
        client = object.__new__(type(self))
        client._base_url = self._base_url
        client._requester = derived
        return client


@functools.cache
def families() -> tuple[FamilySpec[Any], ...]:
    """The spec of every family of the client, in the order the client declares them."""
    return tuple(v.spec for v in vars(TavusClient).values() if isinstance(v, Family))


def _seconds_or_zero(name: str, value: object) -> float:
    _check_positive(name, value, allow_zero=True)
    return float(value)  # type: ignore[arg-type]


def _check_positive(name: str, value: object, *, allow_zero: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = "0 or more" if allow_zero else "more than 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
