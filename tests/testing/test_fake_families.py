"""FakeTavus's families: a route module is a whole family; Timing takes the families' phases."""

from __future__ import annotations

import math
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import attrs
import pytest
from aiohttp import web

from tavus_async.testing import FakeTavus, ManualClock, Timing
from tavus_async.testing import _routes as routes

from _support.http import serve

# A family as a new module of tavus_async/testing/_routes/ would be: nothing else is touched.
NOTEBOOKS_MODULE = textwrap.dedent(
    '''
    """The notebooks family of the tests: a job with one phase, two calls."""

    from __future__ import annotations

    from collections.abc import Mapping
    from typing import Any, ClassVar

    import attrs
    from aiohttp import web

    from .._state import Timing
    from ._common import FamilyRoutes, Refusal, mark_created, read_body, read_url


    @attrs.define(kw_only=True)
    class FakeNotebook:
        notebook_id: str
        started: float
        callback_url: str | None = None
        callback_sent: bool = False

        def status(self, now: float, timing: Timing) -> str:
            done = now - self.started >= timing.notebook_processing
            return "ready" if done else "processing"

        def finished(self, now: float, timing: Timing) -> bool:
            return self.status(now, timing) == "ready"

        def callback_body(self, now: float, timing: Timing, *, files_url: str) -> dict[str, Any]:
            return {"notebook_id": self.notebook_id, "status": self.status(now, timing)}


    class Routes(FamilyRoutes):
        name = "notebooks"
        PHASES: ClassVar[Mapping[str, float]] = {"notebook_processing": 30.0}

        def register(self, router: web.UrlDispatcher) -> None:
            router.add_post("/v2/notebooks", self.create_notebook)
            router.add_get("/v2/notebooks/{notebook_id}", self.get_notebook)

        async def create_notebook(self, request: web.Request) -> web.Response:
            body = await read_body(request)
            notebook = FakeNotebook(
                notebook_id=self.fake.jobs.new_id("n"),
                started=self.fake.clock(),
                callback_url=read_url(body, "callback_url"),
            )
            self.jobs[notebook.notebook_id] = notebook
            mark_created(notebook.notebook_id)
            return web.json_response({"notebook_id": notebook.notebook_id})

        async def get_notebook(self, request: web.Request) -> web.Response:
            notebook = self.jobs.get(request.match_info["notebook_id"])
            if notebook is None:
                raise Refusal("Notebook not found", status=404)
            status = notebook.status(self.fake.clock(), self.fake.timing)
            return web.json_response({"notebook_id": notebook.notebook_id, "status": status})
    '''
)


@pytest.fixture
def notebooks_family(tmp_path: Path) -> Iterator[None]:
    """The notebooks module dropped next to the real family modules, for one test."""
    (tmp_path / "notebooks.py").write_text(NOTEBOOKS_MODULE)
    before = list(routes.__path__)
    routes.__path__.append(str(tmp_path))
    try:
        routes.discover()
        yield
    finally:
        routes.__path__[:] = before
        sys.modules.pop(f"{routes.__name__}.notebooks", None)
        routes.discover()


async def test_a_route_module_is_all_a_new_family_needs(notebooks_family: None) -> None:
    """A dropped-in module is served, keeps its jobs, runs on its own phase and calls back."""
    posted: list[Any] = []

    async def hook(request: web.Request) -> web.Response:
        posted.append(await request.json())
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    clock = ManualClock()
    timing = Timing(notebook_processing=5.0, video_rendering=1.0)
    async with (
        serve(app) as hook_url,
        FakeTavus(clock=clock, timing=timing) as fake,
        aiohttp.ClientSession(base_url=fake.base_url) as raw,
    ):
        key = {"x-api-key": fake.api_key}
        body = {"callback_url": f"{hook_url}/hook"}
        async with raw.post("/v2/notebooks", json=body, headers=key) as response:
            notebook_id = (await response.json())["notebook_id"]
        async with raw.get(f"/v2/notebooks/{notebook_id}") as response:
            keyless = response.status
        async with raw.get(f"/v2/notebooks/{notebook_id}", headers=key) as response:
            processing = (await response.json())["status"]
        early = await fake.deliver_callbacks()
        clock.advance(5.0)
        async with raw.get(f"/v2/notebooks/{notebook_id}", headers=key) as response:
            ready = (await response.json())["status"]
        sent = await fake.deliver_callbacks()
        assert list(fake.jobs.notebooks) == [notebook_id]
        assert fake.requests[0].created == notebook_id
        assert len(fake.jobs.replicas) == 3  # the other families are as they were
    assert (keyless, processing, early, ready, sent) == (401, "processing", 0, "ready", 1)
    assert posted == [{"notebook_id": notebook_id, "status": "ready"}]


def test_a_new_familys_phase_has_its_declared_default(notebooks_family: None) -> None:
    """A Timing that does not name the new phase reads its default; the others are unchanged."""
    timing = Timing(video_queue=1.0)
    assert (timing.notebook_processing, timing.video_queue, timing.replica_training) == (
        30.0,
        1.0,
        6.0,
    )


def test_without_its_module_a_family_does_not_exist() -> None:
    """Families are exactly the modules: no notebooks module, no fake.jobs.notebooks or phase."""
    with pytest.raises(AttributeError, match="notebooks"):
        _ = FakeTavus().jobs.notebooks
    with pytest.raises(TypeError, match="notebook_processing"):
        Timing(notebook_processing=1.0)


def test_timing_refuses_an_unknown_phase_naming_it_and_the_known_ones() -> None:
    """An unknown keyword is a TypeError that names it and every phase there is."""
    with pytest.raises(TypeError) as refused:
        Timing(video_rendering=1.0, video_render=2.0)
    message = str(refused.value)
    assert "'video_render'" in message
    assert all(p in message for p in ("replica_training", "video_queue", "video_rendering"))


@pytest.mark.parametrize("seconds", [-0.5, math.inf, math.nan])
def test_timing_refuses_a_negative_or_endless_phase_naming_it(seconds: float) -> None:
    """A negative, infinite or NaN duration is a ValueError that names the phase."""
    with pytest.raises(ValueError, match="video_queue"):
        Timing(video_queue=seconds)


def test_timing_compares_hashes_and_reads_by_its_values() -> None:
    """Equal durations make equal, equally hashed Timings; the repr is the constructor call."""
    default = Timing()
    spelled_out = Timing(replica_training=6.0, video_queue=0.5, video_rendering=2.0)
    assert (default, hash(default)) == (spelled_out, hash(spelled_out))
    assert Timing(video_queue=0.25) != default
    assert len({default, spelled_out, Timing(video_queue=0.25)}) == 2
    assert "replica_training=6.0, video_queue=0.5, video_rendering=2.0" in repr(default)
    assert eval(repr(default)) == default
    assert eval(repr(Timing(video_rendering=9.5))) == Timing(video_rendering=9.5)
    assert Timing(video_rendering=9.5).video_rendering == 9.5


def test_timing_is_frozen() -> None:
    """A Timing cannot be changed after it is made."""
    timing = Timing()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        timing.video_queue = 1.0
    assert timing.video_queue == 0.5
