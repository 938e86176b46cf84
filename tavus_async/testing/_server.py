"""FakeTavus: an in-process emulator of the Tavus API, for tests and demos.

``async with FakeTavus() as fake:`` runs a real aiohttp server on 127.0.0.1 with the
endpoints of every family in ``_routes/``, Tavus's shapes and error bodies, job
lifecycles on a clock you control, downloadable files on a second host name, callbacks,
faults on demand, and a record of every request. ``fake.client()`` is a TavusClient
bound to it. This module knows no family: each one is a module of ``_routes/``.

With a ``ManualClock``, time moves only when you (or a client sharing the clock) say so:
a five-hour training then takes no time at all, deterministically.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from datetime import datetime, timezone
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from .._client import TavusClient
from . import _routes
from ._clock import ManualClock
from ._faults import RANDOM_FAULT_KINDS, Fault, FaultPlan
from ._records import CallbackRecord, FileRequest, RecordedRequest
from ._routes._common import CURRENT_RECORD, NOT_JSON, Refusal, parse_json
from ._serving import Holds, serve_fault
from ._state import EventJob, JobStore, Timing

__all__ = ["FakeTavus", "real_or_fake"]

logger = logging.getLogger("tavus_async.testing")


class FakeTavus:
    """An emulated Tavus API on a real loopback server.

    Files (``download_url``) are served by the same server under another host name
    (``localhost`` for ``127.0.0.1``), or ``files_host`` when given. A job whose script,
    name or url contains ``fail_marker`` fails with Tavus's error text.

    Attributes:
        jobs: Every job of the emulator, by family (``fake.jobs.videos``, ...).
        requests: Every API request received, in order.
        file_requests: Every request to the file host, in order.
        callbacks: Every callback sent, with its answer.
        faults: The scheduled and random faults (``fault``, ``random_faults``,
            ``rate_limit`` fill it).
    """

    def __init__(
        self,
        *,
        api_key: str = "fake-tavus-key",
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] | None = None,
        timing: Timing | None = None,
        fail_marker: str = "tavus-fail",
        first_page: int = 1,
        seed: int = 0,
        stock_replicas: bool = True,
        callback_interval: float = 0.05,
        files_host: str | None = None,
    ) -> None:
        """Make the emulator; ``async with`` (or ``start``) serves it.

        Args:
            api_key: The key clients must send as ``x-api-key``.
            host: The address to listen on.
            port: The port to listen on (0: any free one).
            clock: The fake's clock (``time.monotonic`` by default); a ``ManualClock`` runs
                every job at once.
            timing: How long each phase of a job takes (``Timing`` holds the defaults).
            fail_marker: A job whose script, name or url contains it fails.
            first_page: Whether lists count pages from 0 or 1 (a page below it is read as
                the first).
            seed: Makes ids and random faults repeat.
            stock_replicas: Whether the families' stock objects (Tavus's stock replicas,
                say) exist from the start.
            callback_interval: How often, in real seconds, ended jobs' callbacks are sent.
            files_host: The file host's name: behind a wildcard ``host`` such as ``0.0.0.0``,
                name one that other machines can reach.

        Raises:
            ValueError: A ``first_page`` other than 0 or 1.
        """
        wildcard = host in ("", "0.0.0.0", "::")
        self._api_host = "127.0.0.1" if wildcard else host
        # Loopback has two names; elsewhere the caller names the second (or it is the same).
        loopback_twin = {"127.0.0.1": "localhost", "localhost": "127.0.0.1", "::1": "localhost"}
        self._files_host = files_host or loopback_twin.get(self._api_host, self._api_host)
        if first_page not in (0, 1):
            raise ValueError(f"first_page must be 0 or 1, got {first_page!r}")
        self.api_key = api_key
        self.host = host
        self.port = port
        self.clock: Callable[[], float] = clock if clock is not None else time.monotonic
        self.timing = timing if timing is not None else Timing()
        self.fail_marker = fail_marker
        self.first_page = first_page
        self._families = [routes(self) for routes in _routes.families()]
        self.jobs = JobStore(random.Random(seed), families=tuple(f.name for f in self._families))
        self.faults = FaultPlan(rng=random.Random(seed))
        self.requests: list[RecordedRequest] = []
        self.file_requests: list[FileRequest] = []
        self.callbacks: list[CallbackRecord] = []
        self._callback_interval = callback_interval
        self._stock = stock_replicas
        self._holds = Holds()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._ticker: asyncio.Task[None] | None = None

    @property
    def base_url(self) -> str:
        """The API's url, e.g. ``http://127.0.0.1:54321``."""
        return _url(self._api_host, self.port)

    @property
    def files_url(self) -> str:
        """The file host: the same server under another name, as Tavus's CDN is not its API."""
        return _url(self._files_host, self.port)

    def client(self, **kwargs: Any) -> TavusClient:
        """A TavusClient bound to this emulator (on its ManualClock, if it has one).

        Args:
            **kwargs: ``TavusClient``'s options, over the emulator's url, key and clock.

        Returns:
            The client; close it (``async with``) before the emulator.
        """
        kwargs.setdefault("base_url", self.base_url)
        if isinstance(self.clock, ManualClock):
            kwargs.setdefault("clock", self.clock)
            kwargs.setdefault("sleep", self.clock.sleep)
        return TavusClient(kwargs.pop("api_key", self.api_key), **kwargs)

    async def __aenter__(self) -> FakeTavus:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        """Start serving (``async with`` does it)."""
        for family in self._families:
            if self._stock and not family.jobs:
                family.seed(now=self.clock())
        self._holds.open()
        app = web.Application(middlewares=[self._middleware])
        for family in self._families:
            family.register(app.router)
        runner = web.AppRunner(app, shutdown_timeout=0, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except BaseException:
            await runner.cleanup()  # a busy port must not leave the runner behind
            raise
        self._runner = runner
        self.port = runner.addresses[0][1]
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5))
        self._ticker = asyncio.create_task(self._send_callbacks_forever())

    async def close(self) -> None:
        """Stop serving and sending callbacks; requests held by ``hang`` are dropped."""
        self._holds.release()  # first: the server's shutdown waits for every handler
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- faults -----------------------------------------------------------------

    def fault(
        self, *, method: str = "*", path: str = "/v2/*", times: int = 1, **fault: Any
    ) -> Fault:
        """Serve a fault to the next ``times`` requests matching ``method`` and ``path``.

        Scheduled faults are served before random ones and the rate limit.

        Args:
            method: The requests' method, or ``*`` for any.
            path: A glob matched against the request's path: ``/v2/videos/*`` for the API,
                ``/files/*`` (or ``/files/<video_id>.mp4``, the path of a ``download_url``)
                for the file host, ``*`` for both. The default, ``/v2/*``, is every API
                request.
            times: How many requests get it.
            **fault: ``Fault``'s keywords: ``status`` (with ``body`` and ``headers``),
                ``delay`` (real seconds), ``hang`` (hold the request, never acting on it,
                until the client gives up or the fake closes), ``drop`` (close the connection
                before acting), ``drop_after`` (act, then close), ``cut_after_bytes=N`` (act,
                send the headers with the whole ``Content-Length`` and N bytes of the body,
                then close), ``malformed`` (a 200 whose body is HTML, labelled as JSON or as
                the file) and ``truncated`` (JSON cut short; on the file host, the body cut at
                half as ``cut_after_bytes`` does).

        Returns:
            The fault, as planned.
        """
        planned = Fault(**fault)
        self.faults.add(method, path, times, planned)
        return planned

    def random_faults(
        self,
        rate: float,
        *,
        seed: int | None = None,
        kinds: tuple[str, ...] = RANDOM_FAULT_KINDS,
        files: bool = False,
    ) -> None:
        """Serve a random fault (of ``kinds``) to about ``rate`` of API requests, seeded.

        The rate limit is the API's alone.

        Args:
            rate: The share of requests that get a fault, from 0 to 1.
            seed: Seeds the draw anew (by default, the emulator's ``seed`` goes on).
            kinds: Which faults: ``"500"``, ``"502"``, ``"503"``, ``"504"``, ``"429"``,
                ``"html"``, ``"drop"``, ``"malformed"``, ``"truncated"`` (all by default).
            files: Requests to the file host get them too, of every kind but ``malformed``
                (a video has no format a client checks); there ``truncated`` cuts the body
                mid-stream.

        Raises:
            ValueError: A ``rate`` outside 0 to 1, or an unknown kind.
        """
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"rate must be from 0 to 1, got {rate}")
        unknown = set(kinds) - set(RANDOM_FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; use {RANDOM_FAULT_KINDS}")
        self.faults.random_rate = rate
        self.faults.random_kinds = kinds
        self.faults.random_files = files
        if seed is not None:
            self.faults.rng = random.Random(seed)

    @property
    def held(self) -> int:
        """How many requests ``hang`` faults hold right now."""
        return self._holds.count

    async def until_held(self, count: int = 1) -> None:
        """Return once exactly ``count`` requests are held by ``hang`` faults.

        A test's cue: ``until_held()`` once the request is surely in flight, to cancel
        or close something then; ``until_held(0)`` once every client has given up.

        Args:
            count: How many held requests to wait for.
        """
        await self._holds.until(count)

    def rate_limit(self, per_second: int | None) -> None:
        """Answer 429 with ``Retry-After`` past ``per_second`` requests (None: no limit).

        Args:
            per_second: The API requests served each second, or None for no limit.

        Raises:
            ValueError: A ``per_second`` below 1.
        """
        if per_second is not None and (isinstance(per_second, bool) or per_second < 1):
            raise ValueError(f"per_second must be 1 or more, got {per_second!r}")
        self.faults.per_second = per_second

    # -- callbacks ---------------------------------------------------------------

    async def deliver_callbacks(self) -> int:
        """Send the callbacks of jobs that have ended since the last pass; how many were sent.

        Returns:
            How many callbacks were sent.
        """
        now = self.clock()
        posts: list[Coroutine[Any, Any, None]] = []
        for job in self.jobs:
            url = getattr(job, "callback_url", None)  # objects that are not jobs have none
            if not url:
                continue
            if isinstance(job, EventJob):  # several callbacks as it goes (a conversation)
                bodies = job.due_callbacks(now, self.timing, files_url=self.files_url)
            elif not job.callback_sent and job.finished(now, self.timing):
                job.callback_sent = True
                bodies = [job.callback_body(now, self.timing, files_url=self.files_url)]
            else:
                continue
            posts.extend(self._post_callback(url, body) for body in bodies)
        # Concurrently: one receiver that never answers must not hold up the others.
        await asyncio.gather(*posts)
        return len(posts)

    async def _post_callback(self, url: str, body: dict[str, Any]) -> None:
        assert self._session is not None
        outcome: int | str
        try:
            async with self._session.post(url, json=body) as response:
                outcome = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            outcome = f"{type(exc).__name__}: {exc}"
        self.callbacks.append(CallbackRecord(url=url, body=body, outcome=outcome))

    async def _send_callbacks_forever(self) -> None:
        while True:
            try:
                await self.deliver_callbacks()
            except Exception:  # a bad callback url must not stop the emulator
                logger.exception("FakeTavus could not send a callback")
            await asyncio.sleep(self._callback_interval)

    # -- the request path --------------------------------------------------------

    @web.middleware
    async def _middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if not request.path.startswith("/v2/"):
            sent = [*request.headers.values(), request.query_string]
            self.file_requests.append(
                FileRequest(
                    path=request.path,
                    key_sent="x-api-key" in request.headers
                    or any(self.api_key in value for value in sent),
                    range=request.headers.get("Range"),
                )
            )
            fault = self.faults.pick(request.method, request.path, self.clock(), files=True)
            if fault is not None:
                return await serve_fault(request, handler, fault, holds=self._holds, files=True)
            return await handler(request)
        record = await self._record(request)
        CURRENT_RECORD.set(record)

        async def authenticated(request: web.Request) -> web.StreamResponse:
            if request.headers.get("x-api-key") != self.api_key:
                return web.json_response({"message": "Invalid access token"}, status=401)
            try:
                return await handler(request)
            except Refusal as refusal:
                return refusal.response

        fault = self.faults.pick(request.method, request.path, self.clock())
        if fault is not None:
            return await serve_fault(request, authenticated, fault, holds=self._holds, files=False)
        return await authenticated(request)

    async def _record(self, request: web.Request) -> RecordedRequest:
        raw = await request.read()
        body = parse_json(raw) if raw else None
        if body is NOT_JSON:
            body = raw.decode("utf-8", errors="replace")
        headers = {
            k: ("***" if k.lower() == "x-api-key" else v) for k, v in request.headers.items()
        }
        record = RecordedRequest(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            body=body,
            headers=headers,
        )
        self.requests.append(record)
        return record

    def fails(self, *texts: str | None) -> bool:
        """Whether a job made from ``texts`` fails (one of them holds ``fail_marker``).

        Args:
            *texts: The job's script, name, urls, ... (None for those not given).

        Returns:
            True when one of them holds ``fail_marker``.
        """
        return any(self.fail_marker in text for text in texts if text)

    def now_utc(self) -> datetime:
        """Wall-clock time for ``created_at`` (the fake's own clock may start anywhere)."""
        return datetime.now(timezone.utc)


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@contextlib.asynccontextmanager
async def real_or_fake(**fake_options: Any) -> AsyncIterator[TavusClient]:
    """A client for the real API when ``TAVUS_API_KEY`` is set, else for a fresh FakeTavus.

    The examples use it so that they run anywhere: with a key against Tavus, without
    one against the emulator.

    Args:
        **fake_options: ``FakeTavus``'s options, for the emulator.

    Yields:
        The client, closed (with its emulator) when the block ends.
    """
    if os.environ.get("TAVUS_API_KEY"):
        async with TavusClient() as tavus:
            yield tavus
        return
    async with FakeTavus(**fake_options) as fake, fake.client() as tavus:
        yield tavus
