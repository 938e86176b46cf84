"""Tavus callbacks: wake waiters the moment a job ends, instead of at the next poll.

``CallbackReceiver`` receives the POSTs Tavus makes to a job's ``callback_url``, either
as its own small server (``async with``) or mounted into your aiohttp application
(``attach``). Hand ``receiver.url`` to ``create(callback_url=...)`` and
``callbacks=receiver`` to ``wait``, ``watch`` or ``wait_many``: a callback for the awaited
id wakes the wait at once, and the waiter confirms with one GET. Callbacks are not
signed, so a callback only ever wakes a waiter; what the API says is what counts.

Callbacks that are events (a conversation's ``system.shutdown``,
``application.transcription_ready``, ...) also reach handlers: ``receiver.on(event_type,
handler)`` runs ``handler(event)`` with the typed event for each one of that type, and
``receiver.on("*", handler)`` for every event, of a type this version knows or not.
Callbacks that Tavus sends without an ``event_type`` are events too, told by their shape
and named by the family that declares them (``spec.callback_events``): a triggered
guardrail is ``"guardrail.triggered"``, a completed objective ``"objective.completed"``.
They wake no wait: they say that something happened in a conversation, not that it ended.

The url ends in an unguessable token: a request with any other token gets 404, a body
over 1 MiB 413, anything that is not a Tavus callback 400, and a callback for an id
nobody waits for is acknowledged and ignored.

A service that runs as several processes behind one url gives each receiver the same
``path_token`` and a ``relay`` (``RedisRelay``, see ``tavus_async.relay``): a callback
any process accepts then wakes the waits and runs the handlers of every process, once
each.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload
from urllib.parse import urlsplit

import attrs
from aiohttp import web

from ._client import families
from ._core.arguments import check_url
from ._exceptions import ResponseValidationError
from .relay import Relay, channel_for, decode_message, encode_message
from .resources._spec import FamilySpec
from .waiting.engine import WakeEvent

if TYPE_CHECKING:
    from ._client import CallbackObject

__all__ = ["ALL_EVENTS", "MAX_CALLBACK_BYTES", "CallbackReceiver", "EventHandler", "parse_callback"]

logger = logging.getLogger("tavus_async")

MAX_CALLBACK_BYTES = 1 << 20
READ_TIMEOUT = 10.0
#: ``receiver.on(ALL_EVENTS, handler)``: the handler runs for every event, known or not.
ALL_EVENTS = "*"

#: What ``receiver.on`` runs: a function or a coroutine function taking the typed event.
EventHandler = Callable[[Any], "Awaitable[None] | None"]
H = TypeVar("H", bound=EventHandler)


def parse_callback(body: bytes | str | Mapping[str, Any]) -> CallbackObject:
    """A Tavus callback body as the object it describes (a Replica, a Video, ...).

    For users with their own web framework. A video callback is the whole video object;
    a replica callback is ``{"replica_id", "status", "error_message"?}``. Trust it as a
    hint only: callbacks are unsigned, so confirm with ``get`` before acting on it.

    Args:
        body: The request's body: bytes, text or the parsed JSON object.

    Returns:
        The job or event the callback describes (a Replica, a Video, a ConversationEvent,
        ...).

    Raises:
        ValueError: A body that is not a Tavus callback.
    """
    job, _ = _parse(_load(body))
    return job


def _load(body: bytes | str | Mapping[str, Any]) -> Mapping[str, Any]:
    """The callback's JSON object; ValueError for a body that is not one."""
    if isinstance(body, Mapping):
        payload: Any = body
    else:
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            raise ValueError("a Tavus callback is a JSON object; this body is not JSON") from None
    if not isinstance(payload, Mapping):
        raise ValueError("a Tavus callback is a JSON object")
    return payload


def _parse(payload: Mapping[str, Any]) -> tuple[CallbackObject, tuple[str, ...]]:
    """The object a callback describes, and the ids whose waiters it wakes (none for an
    event told by its shape); ValueError for a body that is no Tavus callback.

    Beside its own id, a callback wakes the waits on the other ids it names that its
    object does not hold as references: a replica's callback naming its ``face_id`` (the
    same object under Tavus's newer name) wakes a ``faces.wait`` too, while a video's
    naming its replica wakes no replica's wait."""
    event = next((e for e in _callback_events() if e.describes(payload)), None)
    if event is not None:
        return _structured(event, payload), ()
    spec = _family_of(payload)
    job = _structured(spec.callback_type, payload)
    fields = {field.name for field in attrs.fields(spec.callback_type)}
    aliases = (
        payload[cast(str, other.callback_key)]  # named: _names_an_id
        for other in _callback_families()
        if other is not spec
        and other.callback_key not in fields
        and _names_an_id(payload, other.callback_key)
    )
    return job, (spec.id_of(job), *aliases)


def _structured(cls: type[Any], payload: Mapping[str, Any]) -> CallbackObject:
    try:
        job: CallbackObject = cls.from_dict(payload)
    except ResponseValidationError as exc:  # said as a refusal of the body
        raise ValueError(f"not a Tavus callback: {exc}") from None
    return job


@functools.cache
def _callback_families() -> tuple[FamilySpec[Any], ...]:
    return tuple(spec for spec in families() if spec.callback_key is not None)


@functools.cache
def _callback_events() -> tuple[type[Any], ...]:
    """The event classes of callbacks told by their shape, from every family's spec."""
    return tuple(event for spec in families() for event in spec.callback_events)


def _load_families() -> None:
    """Import every family a callback may describe now, while the receiver starts.

    Families load on first use; without this the first callback would pay for importing
    them all (tens of milliseconds) while Tavus, and every wait it wakes, waits.
    """
    _callback_families()
    _callback_events()


def _family_of(payload: Mapping[str, Any]) -> FamilySpec[Any]:
    """The family whose object the callback describes, by the ids it names.

    A callback may name several ids: a video's names its replica too. The family it is
    about is the one whose objects carry most of the other ids as fields of their own;
    among equals (a replica's callback that also names its ``face_id``, the same object
    under Tavus's newer name), the one the client declares first.
    """
    named = [spec for spec in _callback_families() if _names_an_id(payload, spec.callback_key)]
    if len(named) == 1:
        return named[0]
    if not named:
        keys = " or a ".join(str(spec.callback_key) for spec in _callback_families())
        raise ValueError(f"a Tavus callback names a {keys}")

    def carried(spec: FamilySpec[Any]) -> int:
        fields = {field.name for field in attrs.fields(spec.callback_type)}
        return sum(other.callback_key in fields for other in named if other is not spec)

    most = max(carried(spec) for spec in named)
    return next(spec for spec in named if carried(spec) == most)


def _names_an_id(payload: Mapping[str, Any], key: str | None) -> bool:
    value = payload.get(key) if key is not None else None
    return isinstance(value, str) and bool(value)


class CallbackReceiver:
    """Receives Tavus callbacks and wakes the waiters of the ids they name.

    Standalone, ``async with CallbackReceiver(host=..., port=...)`` serves ``POST /<token>``
    and ``url`` is ``public_url`` (or ``http://host:port``) followed by the token. Mounted,
    ``receiver.attach(app, path="/hooks/tavus")`` adds ``POST /hooks/tavus/<token>`` to your
    application, and ``public_url`` must say where that path is reachable.

    With a ``relay`` (``RedisRelay``, or any ``tavus_async.relay.Relay``), every callback
    this receiver accepts is also handled by every other receiver of the same
    ``path_token`` on that relay, in any process, and theirs by this one: each callback
    once per receiver. Standalone, ``async with`` returns once the relay's subscription
    is confirmed; mounted, the application's start-up waits for it. With the relay's
    broker down, the receiver works on alone and the waits of other processes poll.

    Attributes:
        received: The callbacks accepted here.
        relayed: The callbacks handled from the relay.
        dropped: The relay's messages refused as not well-formed.
        refused: The requests refused here (a wrong token, a body too large or too slow).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        public_url: str | None = None,
        path_token: str | None = None,
        relay: Relay | None = None,
    ) -> None:
        """Make a receiver; ``async with`` starts it, or ``attach`` mounts it.

        Args:
            host: The address to listen on, standalone.
            port: The port to listen on, standalone (0: any free one, read back from
                ``port`` once started).
            public_url: Where Tavus reaches the receiver (without the token); needed when
                mounted, or behind a proxy.
            path_token: Fixes the token, the url's secret (keep it secret; at least 16
                letters, digits, ``-`` or ``_``); by default a fresh random one is made.
            relay: Shares the callbacks with the receivers of the same ``path_token`` in
                other processes.

        Raises:
            ValueError: A ``path_token`` too short or holding other characters, or a
                ``public_url`` that is not an http(s) url or holds a query or fragment.
            TypeError: A ``relay`` that is not a Relay.
        """
        if path_token is not None and (len(path_token) < 16 or not path_token.isascii()):
            raise ValueError("path_token must be at least 16 ASCII characters: it is the secret")
        if path_token is not None and not all(c.isalnum() or c in "-_" for c in path_token):
            raise ValueError("path_token may hold only letters, digits, '-' and '_'")
        if public_url is not None:
            parts = urlsplit(check_url("public_url", public_url))
            if parts.query or parts.fragment:
                raise ValueError(
                    "public_url must not hold a query or a fragment: the token ends it"
                )
        if relay is not None and not isinstance(relay, Relay):
            raise TypeError(
                f"relay must be a Relay (start, publish and close), not {type(relay).__name__}"
            )
        self.host = host
        self.port = port
        self.public_url = public_url.rstrip("/") if public_url else None
        self._token = path_token or secrets.token_urlsafe(24)
        self._waiting: dict[str, set[asyncio.Event]] = {}
        self._handlers: dict[str, list[EventHandler]] = {}
        self._running: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self._attached = False
        self._relay = relay
        self._origin = secrets.token_hex(8)  # this receiver, in the relay's messages
        self._publishing: set[asyncio.Task[None]] = set()
        self.received = 0
        self.refused = 0
        self.relayed = 0
        self.dropped = 0

    def __repr__(self) -> str:
        return f"CallbackReceiver(url={self._shown_url()!r})"

    def _shown_url(self) -> str:
        return f"{self.public_url or self._local_url()}/<token>"  # the token is the secret

    def _local_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        """The callback url to give Tavus (``create(callback_url=receiver.url)``)."""
        if self.public_url is not None:
            return f"{self.public_url}/{self._token}"
        if self._runner is None:
            raise RuntimeError("start the receiver (async with) or give public_url first")
        return f"{self._local_url()}/{self._token}"

    def attach(self, app: web.Application, *, path: str = "/tavus-callbacks") -> None:
        """Serve callbacks from your own aiohttp application, under ``path``.

        Register it before any route of yours that would match ``path/<anything>``. Keep
        the app's access log off for that path (or redact it): the token is the secret.

        Args:
            app: Your application.
            path: The path under which the callbacks arrive (followed by the token).

        Raises:
            ValueError: The receiver has no ``public_url``.
        """
        if self.public_url is None:
            raise ValueError("attach() needs public_url: where Tavus can reach that path")
        app.router.add_post(f"{path.rstrip('/')}/{{token}}", self._handle)
        if self._relay is not None:
            app.cleanup_ctx.append(self._relaying)
        self._attached = True
        _load_families()

    async def __aenter__(self) -> CallbackReceiver:
        _load_families()
        app = web.Application(client_max_size=MAX_CALLBACK_BYTES)
        app.router.add_post("/{token}", self._handle)
        # No access log: every line would hold the secret token. Idle connections go soon.
        runner = web.AppRunner(app, shutdown_timeout=0, access_log=None, keepalive_timeout=5)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = runner.addresses[0][1]
        try:
            await self._start_relay()
        except BaseException:
            await self.__aexit__(None, None, None)
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self._stop_relay()
        await self.drain()

    @overload
    def on(self, event_type: str) -> Callable[[H], H]: ...
    @overload
    def on(self, event_type: str, handler: H) -> H: ...
    def on(self, event_type: str, handler: H | None = None) -> H | Callable[[H], H]:
        """Run ``handler(event)`` for every callback event of ``event_type``.

        The handler gets the typed event; a coroutine function runs as a task of its own, so
        Tavus is answered at once, and ``async with`` waits for running handlers when it
        ends (``drain()`` does, for a mounted receiver). A handler that raises is logged,
        and the callback is still acknowledged. Like waits, handlers get hints: callbacks
        are unsigned, so confirm with a GET before acting on one.

        Args:
            event_type: Tavus's (``"application.transcription_ready"``,
                ``"system.shutdown"``, ...), the SDK's name for a callback Tavus sends without
                one (``"guardrail.triggered"``, ``"objective.completed"``), or ``"*"`` for
                every event, including types this version does not know (they arrive as the
                family's plain event class).
            handler: A function or coroutine function taking the event; left out, ``on``
                is a decorator: ``@receiver.on("system.shutdown")``.

        Returns:
            The handler, or without one a decorator that registers and returns it.

        Raises:
            ValueError: An empty ``event_type``.
            TypeError: A handler that is not callable.
        """
        if not isinstance(event_type, str) or not event_type.strip():
            raise ValueError(f"event_type must be an event's type or '*', got {event_type!r}")

        def register(function: H) -> H:
            if not callable(function):
                raise TypeError(f"handler must be callable, not {type(function).__name__}")
            self._handlers.setdefault(event_type, []).append(function)
            return function

        return register if handler is None else register(handler)

    async def drain(self) -> None:
        """Wait until every handler that is running (a coroutine function's task) is done."""
        while self._running:
            await asyncio.gather(*self._running, return_exceptions=True)

    def _run_handlers(self, event: Any) -> None:
        event_type = getattr(event, "event_type", None)
        if not isinstance(event_type, str):
            return
        chosen = [*self._handlers.get(event_type, ()), *self._handlers.get(ALL_EVENTS, ())]
        for handler in chosen:
            try:
                outcome = handler(event)
            except Exception:
                logger.exception("callback handler %r failed on %s", handler, event_type)
                continue
            if inspect.isawaitable(outcome):
                task = asyncio.ensure_future(_logged(outcome, handler, event_type))
                self._running.add(task)
                task.add_done_callback(self._running.discard)

    async def _relaying(self, app: web.Application) -> AsyncIterator[None]:
        """A mounted receiver's relay, for as long as the application runs."""
        await self._start_relay()
        yield
        await self._stop_relay()

    async def _start_relay(self) -> None:
        if self._relay is not None:
            await self._relay.start(channel_for(self._token), self._relayed)

    async def _stop_relay(self) -> None:
        """Let the callbacks being published go out, then close the relay."""
        if self._relay is None:
            return
        while self._publishing:
            await asyncio.gather(*self._publishing, return_exceptions=True)
        await self._relay.close()

    def _publish(self, payload: Mapping[str, Any]) -> None:
        """Hand an accepted callback to the relay, as a task: Tavus is answered at once."""
        assert self._relay is not None
        message = encode_message(self._origin, payload)
        task = asyncio.ensure_future(self._relay.publish(channel_for(self._token), message))
        self._publishing.add(task)
        task.add_done_callback(self._published)

    def _published(self, task: asyncio.Task[None]) -> None:
        self._publishing.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning(
                "callback relay: a callback could not be published (%s)",
                type(task.exception()).__name__,
            )

    def _relayed(self, message: bytes) -> None:
        """A message from the relay: another receiver's callback, handled as if it had
        come here; this receiver's own echo is left alone, and anything else dropped."""
        if len(message) > 2 * MAX_CALLBACK_BYTES:
            self._drop("it is larger than any callback")
            return
        try:
            origin, payload = decode_message(message)
        except ValueError as exc:
            self._drop(str(exc))
            return
        if origin == self._origin:
            return  # published here, and handled here already
        try:
            job, job_ids = _parse(payload)
        except ValueError as exc:
            self._drop(str(exc))
            return
        self.relayed += 1
        self._deliver(job, job_ids, relayed=True)

    def _drop(self, reason: str) -> None:
        self.dropped += 1
        logger.warning("callback relay: dropped a message that is no callback: %s", reason)

    def _deliver(self, job: CallbackObject, job_ids: tuple[str, ...], *, relayed: bool) -> None:
        """Wake the waits on the ids a callback names, and run the handlers of its event."""
        for job_id in job_ids:
            for event in self._waiting.get(job_id, ()):
                event.set()
        if logger.isEnabledFor(logging.DEBUG):
            what = getattr(job, "event_type", None) or f"status {getattr(job, 'status', None)}"
            logger.debug(
                "%s for %s (%s)",
                "relayed callback" if relayed else "callback",
                ", ".join(job_ids) or "no wait",
                what,
            )
        self._run_handlers(job)

    @contextmanager
    def subscribe(self, job_id: str) -> Iterator[asyncio.Event]:
        """An event set whenever a callback names ``job_id``, for as long as the block runs.

        Args:
            job_id: The id of the job (a ``video_id``, a ``replica_id``, ...).

        Yields:
            The event, set by each callback that names ``job_id``.

        Raises:
            RuntimeError: The receiver is neither started (``async with``) nor attached.
        """
        if self._runner is None and not self._attached:
            raise RuntimeError(
                "this CallbackReceiver receives nothing: start it (async with) or attach() it"
            )
        event = WakeEvent()
        self._waiting.setdefault(job_id, set()).add(event)
        try:
            yield event
        finally:
            events = self._waiting.get(job_id)
            if events is not None:
                events.discard(event)
                if not events:
                    del self._waiting[job_id]

    async def _handle(self, request: web.Request) -> web.Response:
        # As bytes: compare_digest refuses non-ASCII text, and any caller may send some.
        given = request.match_info["token"].encode("utf-8", "surrogateescape")
        if not secrets.compare_digest(given, self._token.encode()):
            self.refused += 1
            return web.json_response({"error": "not found"}, status=404)
        if (request.content_length or 0) > MAX_CALLBACK_BYTES:
            self.refused += 1
            return web.json_response({"error": "callback body too large"}, status=413)
        try:
            # read(), not the stream: it honours the app's size limit (when mounted) and a
            # middleware that read the body first. A caller that stalls is cut off.
            body = await asyncio.wait_for(request.read(), READ_TIMEOUT)
        except web.HTTPRequestEntityTooLarge:
            self.refused += 1
            return web.json_response({"error": "callback body too large"}, status=413)
        except asyncio.TimeoutError:
            self.refused += 1
            return web.json_response({"error": "callback body too slow"}, status=408)
        if len(body) > MAX_CALLBACK_BYTES:
            self.refused += 1
            return web.json_response({"error": "callback body too large"}, status=413)
        try:
            payload = _load(body)
            job, job_ids = _parse(payload)
        except ValueError as exc:
            self.refused += 1
            return web.json_response({"error": str(exc)}, status=400)
        self.received += 1
        self._deliver(job, job_ids, relayed=False)
        if self._relay is not None:
            self._publish(payload)
        return web.json_response({"received": True})


async def _logged(outcome: Awaitable[None], handler: object, event_type: str) -> None:
    try:
        await outcome
    except Exception:
        logger.exception("callback handler %r failed on %s", handler, event_type)
